package dev.defer.internal;

import dev.defer.Deferred;
import dev.defer.Deferred1;
import dev.defer.Deferred2;
import kotlin.Result;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.intrinsics.IntrinsicsKt;
import kotlin.coroutines.jvm.internal.BaseContinuationImpl;
import kotlin.coroutines.jvm.internal.ContinuationImpl;

/**
 * The deferred calls of one call of a rewritten Kotlin {@code suspend fun}: they belong to the coroutine,
 * not to a thread, since the function's JVM frame ends at every suspension and it may resume on another
 * thread. The rewrite wraps the function's {@code $completion} in this object at the first entry, so its
 * state machine (or, for a function without one, the callee it tail-calls) completes into it: Kotlin's
 * {@link BaseContinuationImpl#resumeWith} then calls {@link #invokeSuspend} with the function's value or
 * exception, on the thread that resumed it, and the deferred calls run there, once. When the first entry
 * completes without suspending, the function's own exit runs them instead ({@link #exit}, {@link #panic}):
 * the rewrite tells that entry's exits from a resumed entry's by a flag set on kotlinc's first-entry path.
 *
 * <p>The calls run in an ordinary {@link Invocation} entered at completion, so {@code recover()},
 * {@code result()} and {@code setResult()} behave as in any {@code @Defers} method.
 *
 * <p>It extends Kotlin's {@code ContinuationImpl}, as every state machine kotlinc writes does, so that
 * {@code intercepted()} dispatches through it and the resumption loop of {@code BaseContinuationImpl}
 * goes through it without growing the stack. Only loaded by rewritten suspend functions, where Kotlin is
 * present: the runtime itself needs no Kotlin.
 */
final class SuspendFrame extends ContinuationImpl {

    private final Class<?> owner;
    private final String method;
    /** Records of four slots each: the arity, the call and its two arguments; oldest first. */
    private Object[] records = new Object[8];
    private int size;
    SuspendFrame(Continuation<Object> completion, Class<?> owner, String method) {
        super(completion);
        this.owner = owner;
        this.method = method;
    }

    /** The frame of a first entry: {@code DeferSupport} names no Kotlin type, so it passes {@code Object}. */
    @SuppressWarnings("unchecked")
    static SuspendFrame enter(Object completion, Class<?> owner, String method) {
        return new SuspendFrame((Continuation<Object>) completion, owner, method);
    }

    /**
     * The frame of a running rewritten suspend function.
     *
     * @param continuation what the rewrite passes: the frame itself, or the state machine's continuation,
     *     whose completion is the frame
     */
    static SuspendFrame of(Object continuation) {
        if (continuation instanceof SuspendFrame) {
            return (SuspendFrame) continuation;
        }
        if (continuation instanceof BaseContinuationImpl
                && ((BaseContinuationImpl) continuation).getCompletion() instanceof SuspendFrame) {
            return (SuspendFrame) ((BaseContinuationImpl) continuation).getCompletion();
        }
        String caller = StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().startsWith("dev.defer.internal."))
                .map(f -> f.getClassName() + "." + f.getMethodName()).findFirst().orElse("?"));
        throw new IllegalStateException("the rewritten suspend function " + caller + " found no deferred-call"
                + " frame in its continuation (" + continuation + "): its class was changed after the defer"
                + " rewrite; rewrite the class again from the bytes kotlinc wrote");
    }

    void defer(int arity, Object call, Object a, Object b) {
        if (call == null) {
            throw new NullPointerException("Defer.defer(null): the deferred call must not be null");
        }
        if (size + 4 > records.length) {
            records = java.util.Arrays.copyOf(records, records.length * 2);
        }
        records[size] = arity; // a cached Integer
        records[size + 1] = call;
        records[size + 2] = a;
        records[size + 3] = b;
        size += 4;
    }

    /**
     * An exit of the function's body with a value, or {@code COROUTINE_SUSPENDED}.
     *
     * @param firstEntry whether the exit is the first entry's, whose value goes to the caller directly; a
     *     resumed entry returns into Kotlin's resumption loop, which hands its outcome to {@link #invokeSuspend}
     */
    Object exit(Object value, boolean firstEntry) {
        if (!firstEntry || value == IntrinsicsKt.getCOROUTINE_SUSPENDED()) {
            return value;
        }
        return complete(value, null);
    }

    /** A throwable left the function's body; as {@link #exit} for {@code firstEntry}. */
    Object panic(Throwable thrown, boolean firstEntry) {
        if (!firstEntry) {
            throw DeferThread.sneakyThrow(thrown);
        }
        return complete(null, thrown);
    }

    /** The state machine (or tail-called function) completed after a suspension, normally or not. */
    @Override
    protected Object invokeSuspend(Object result) {
        if (result instanceof Result.Failure) {
            return complete(null, ((Result.Failure) result).exception);
        }
        return complete(result, null);
    }

    /** Runs the deferred calls, once, for the function's value or its panic; returns the result slot. */
    private Object complete(Object value, Throwable thrown) {
        Invocation invocation = DeferSupport.enter(owner, method);
        Object[] calls = records;
        int count = size;
        records = null;
        size = 0;
        for (int i = 0; i < count; i += 4) {
            try {
                register(invocation, (Integer) calls[i], calls[i + 1], calls[i + 2], calls[i + 3]);
            } catch (Throwable e) {
                // Only a VirtualMachineError gets here (the array grows): it replaces the panic, which the
                // other calls then see (S9); none of them is dropped.
                thrown = thrown == null ? e : DeferSupport.replacePanic(e, thrown);
            }
        }
        return thrown == null ? DeferSupport.exitObject(value, invocation)
                : DeferSupport.panicObject(thrown, invocation);
    }

    private static void register(Invocation invocation, int arity, Object call, Object a, Object b) {
        if (arity == DeferRecord.NO_ARGUMENTS) {
            DeferSupport.deferStacked((Deferred) call, invocation);
        } else if (arity == DeferRecord.ONE_ARGUMENT) {
            DeferSupport.deferStacked((Deferred1<?>) call, a, invocation);
        } else {
            DeferSupport.deferStacked((Deferred2<?, ?>) call, a, b, invocation);
        }
    }

    @Override
    public String toString() {
        return "deferred calls of " + owner.getName() + "." + method;
    }
}
