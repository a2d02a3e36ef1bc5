package dev.defer.internal;

import dev.defer.Deferred;
import dev.defer.Deferred1;
import dev.defer.Deferred2;
import java.lang.invoke.CallSite;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;

/**
 * The only class that rewritten code calls: its methods and their descriptors are the ABI between the
 * defer agent and the runtime (see {@code docs/design.md}), frozen per {@link #ABI_VERSION}. Methods are
 * only ever added; none is removed or changes its descriptor.
 *
 * <p>A rewritten method calls {@link #enter} once, keeps the returned {@link Invocation} in a local, passes
 * it to {@code defer} at every {@code Defer.defer} call site, to an {@code exit} method at every
 * {@code return} (the return value goes in, the possibly changed result comes out), and to {@link #finish}
 * from the catch-all handler around its body (since ABI 4; the {@code panicX} methods before). An open-coded
 * method calls nothing on its normal path; its handler calls {@link #handOverAll}, then {@link #finish}. A method
 * with lazy records (ABI 7) keeps {@code Object} in that local instead (nothing, its first deferred call, or the
 * invocation), passes it to {@code deferLazy} and {@code exitLazyX}, and its handler calls {@link #handOverLazy},
 * then {@link #finish}. The value comes first and the invocation last in
 * every descriptor, so that the generated code only loads the local after the value already on the stack.
 *
 * <p>Not API: application code must not call this class.
 */
public final class DeferSupport {
    /** The version of this ABI; the agent writes it into every class it rewrites. */
    public static final int ABI_VERSION = 7;

    /** {@link #finish}'s result kinds: what it hands back of the result slot. */
    public static final int VOID_RESULT = 0;
    /** The result slot holds an {@code int} (or a narrower type): boxed as an {@code Integer}. */
    public static final int INT_RESULT = 1;
    /** The result slot holds a {@code long}: boxed as a {@code Long}. */
    public static final int LONG_RESULT = 2;
    /** The result slot holds a {@code float}: boxed as a {@code Float}. */
    public static final int FLOAT_RESULT = 3;
    /** The result slot holds a {@code double}: boxed as a {@code Double}. */
    public static final int DOUBLE_RESULT = 4;
    /** The result slot holds a reference: returned as it is. */
    public static final int OBJECT_RESULT = 5;

    private DeferSupport() {
    }

    /**
     * Starts an invocation of a rewritten method.
     *
     * @param owner the class that declares the method
     * @param method the method's name and descriptor, e.g. {@code copy(Ljava/nio/file/Path;)J}
     * @return the invocation, to pass to every other call
     */
    public static Invocation enter(Class<?> owner, String method) {
        // A call, not inlined into the rewritten method: see OutOfLine. (The first use's test is there too: a
        // test here would be one more uncommon trap in the rewritten method's compiled code.)
        return OutOfLine.enter(owner, method);
    }

    /**
     * Sets up the invocation an open-coded method's handler hands its pending deferred calls to (ABI 3; since
     * ABI 4 the handler calls {@link #handOverAll}). It joins the thread's stack only when {@code panicX} runs
     * it, so a handler that fails half-way leaves nothing behind.
     *
     * @param owner the class that declares the method
     * @param method the method's name and descriptor
     * @return the invocation, to pass to {@link #handOver}, {@code slot} and {@code panicX}
     */
    public static Invocation enterLate(Class<?> owner, String method) {
        FirstUse.ensurePrepared();
        return DeferThread.current().prepare(owner, method);
    }

    /**
     * {@code Defer.defer(call)} at a top-level site (one that runs at most once per invocation): the
     * record is the next entry of the thread's record stack.
     *
     * @param call the deferred call
     * @param invocation the invocation that registers it
     */
    public static void deferStacked(Deferred call, Invocation invocation) {
        // Invocation.push's common case, written out here: see "Stack depth" in docs/design.md. One test: the
        // mask makes the limit 0 unless the invocation is the thread's top (an invocation above ended
        // abnormally), so the rare cases share the room's branch. A branch C2 never saw taken is an uncommon
        // trap, which keeps every live value of every inlined frame in the compiled frame; a second one made a
        // recursive method's frame a quarter larger.
        DeferThread thread = invocation.thread;
        Object[] slots = thread.slots;
        int index = invocation.end;
        int limit = slots.length & invocation.topMask;
        if (call == null || index >= limit) {
            pushSlowly(invocation, DeferRecord.NO_ARGUMENTS, call, null, null);
        } else {
            slots[index] = call;
            invocation.end = index + 1;
        }
    }

    /**
     * {@code Defer.defer(call, a)} at a top-level site.
     *
     * @param call the deferred call
     * @param a its argument
     * @param invocation the invocation that registers it
     */
    public static void deferStacked(Deferred1<?> call, Object a, Invocation invocation) {
        // Invocation.push's common case, written out here: see "Stack depth" in docs/design.md.
        DeferThread thread = invocation.thread;
        Object[] slots = thread.slots;
        int index = invocation.end;
        int limit = slots.length & invocation.topMask;
        if (call == null || index > limit - 3) {
            pushSlowly(invocation, DeferRecord.ONE_ARGUMENT, call, a, null);
        } else {
            slots[index] = call;
            slots[index + 1] = a;
            slots[index + 2] = null;
            invocation.end = index + 3;
        }
    }

    /**
     * {@code Defer.defer(call, a, b)} at a top-level site.
     *
     * @param call the deferred call
     * @param a its first argument
     * @param b its second argument
     * @param invocation the invocation that registers it
     */
    public static void deferStacked(Deferred2<?, ?> call, Object a, Object b, Invocation invocation) {
        // Invocation.push's common case, written out here: see "Stack depth" in docs/design.md.
        DeferThread thread = invocation.thread;
        Object[] slots = thread.slots;
        int index = invocation.end;
        int limit = slots.length & invocation.topMask;
        if (call == null || index > limit - 4) {
            pushSlowly(invocation, DeferRecord.TWO_ARGUMENTS, call, a, b);
        } else {
            slots[index] = call;
            slots[index + 1] = a;
            slots[index + 2] = b;
            slots[index + 3] = DeferRecord.TWO;
            invocation.end = index + 4;
        }
    }

    /**
     * {@code Defer.defer(call)} at a loop site (one on a cycle of the method's control flow, which may
     * run any number of times): the record is the next entry of the thread's record stack, as at a
     * top-level site.
     *
     * @param call the deferred call
     * @param invocation the invocation that registers it
     */
    public static void deferPooled(Deferred call, Invocation invocation) {
        deferStacked(call, invocation);
    }

    /**
     * {@code Defer.defer(call, a)} at a loop site.
     *
     * @param call the deferred call
     * @param a its argument
     * @param invocation the invocation that registers it
     */
    public static void deferPooled(Deferred1<?> call, Object a, Invocation invocation) {
        deferStacked(call, a, invocation);
    }

    /**
     * {@code Defer.defer(call, a, b)} at a loop site.
     *
     * @param call the deferred call
     * @param a its first argument
     * @param b its second argument
     * @param invocation the invocation that registers it
     */
    public static void deferPooled(Deferred2<?, ?> call, Object a, Object b, Invocation invocation) {
        deferStacked(call, a, b, invocation);
    }

    /**
     * The null check of an open-coded {@code Defer.defer}: fails at the defer statement, as the other
     * strategies do.
     *
     * @param call the deferred call
     */
    public static void checkDeferred(Object call) {
        checkNotNull(call);
    }

    /**
     * Hands a deferred call of an open-coded method to a runtime invocation when the method panics: the
     * call is registered only if its bit is still set in the method's mask (it was registered and has
     * not run). Called oldest site first, so that the runtime runs them last-in-first-out.
     *
     * @param invocation the invocation set up by the method's handler with {@link #enterLate}
     * @param mask the method's mask of registered, not yet run deferred calls
     * @param bit this site's bit
     * @param arity 0, 1 or 2: whether the call is a Deferred, a Deferred1 or a Deferred2
     * @param call the deferred call, or null if its site never ran
     * @param a its first argument, if any
     * @param b its second argument, if any
     */
    public static void handOver(Invocation invocation, int mask, int bit, int arity, Object call, Object a, Object b) {
        if ((mask & bit) != 0) {
            invocation.handOver(arity, call, a, b);
        }
    }

    /**
     * Sets the result slot of an invocation entered by an open-coded method's handler to the value its
     * {@code return} stored, so that a recovering deferred call returns it (S9).
     *
     * @param invocation the invocation
     * @param value the value of the {@code return} that was running, or zero
     */
    public static void slot(Invocation invocation, int value) {
        invocation.primitive = value;
    }

    /**
     * See {@link #slot(Invocation, int)}.
     *
     * @param invocation the invocation
     * @param value the value
     */
    public static void slot(Invocation invocation, long value) {
        invocation.primitive = value;
    }

    /**
     * See {@link #slot(Invocation, int)}.
     *
     * @param invocation the invocation
     * @param value the value
     */
    public static void slot(Invocation invocation, float value) {
        invocation.primitive = Float.floatToRawIntBits(value);
    }

    /**
     * See {@link #slot(Invocation, int)}.
     *
     * @param invocation the invocation
     * @param value the value
     */
    public static void slot(Invocation invocation, double value) {
        invocation.primitive = Double.doubleToRawLongBits(value);
    }

    /**
     * See {@link #slot(Invocation, int)}.
     *
     * @param invocation the invocation
     * @param value the value
     */
    public static void slot(Invocation invocation, Object value) {
        invocation.reference = value;
    }

    /**
     * {@code return} from a {@code void} method.
     *
     * @param invocation the invocation that ends
     */
    public static void exitVoid(Invocation invocation) {
        DeferThread thread = invocation.thread;
        if (invocation.end != invocation.recordStackBase || thread.slots.length > DeferThread.RECORD_STACK_LIMIT) {
            // The run loop called from here: a deferred call that fails shows two runtime frames, not four.
            OutOfLine.finish(invocation);
            return;
        }
        // Invocation.pop's writes, written out here: see "Stack depth" in docs/design.md.
        Invocation below = invocation.below;
        thread.top = below;
        if (below != null) {
            below.topMask = -1;
        }
        invocation.reference = null;
        invocation.owner = null;
        invocation.method = null;
    }

    /**
     * {@code return value} from a method returning {@code int}, {@code short}, {@code char}, {@code byte}
     * or {@code boolean}.
     *
     * @param value the value of the {@code return} expression
     * @param invocation the invocation that ends
     * @return the result slot after the deferred calls ran
     */
    public static int exitInt(int value, Invocation invocation) {
        DeferThread thread = invocation.thread;
        if (invocation.end != invocation.recordStackBase || thread.slots.length > DeferThread.RECORD_STACK_LIMIT) {
            return (int) leave(value, invocation);
        }
        // Invocation.pop's writes, written out here: see "Stack depth" in docs/design.md.
        Invocation below = invocation.below;
        thread.top = below;
        if (below != null) {
            below.topMask = -1;
        }
        invocation.reference = null;
        invocation.owner = null;
        invocation.method = null;
        return value;
    }

    /**
     * {@code return value} from a method returning {@code long}.
     *
     * @param value the value of the {@code return} expression
     * @param invocation the invocation that ends
     * @return the result slot after the deferred calls ran
     */
    public static long exitLong(long value, Invocation invocation) {
        DeferThread thread = invocation.thread;
        if (invocation.end != invocation.recordStackBase || thread.slots.length > DeferThread.RECORD_STACK_LIMIT) {
            return leave(value, invocation);
        }
        // Invocation.pop's writes, written out here: see "Stack depth" in docs/design.md.
        Invocation below = invocation.below;
        thread.top = below;
        if (below != null) {
            below.topMask = -1;
        }
        invocation.reference = null;
        invocation.owner = null;
        invocation.method = null;
        return value;
    }

    /**
     * {@code return value} from a method returning {@code float}.
     *
     * @param value the value of the {@code return} expression
     * @param invocation the invocation that ends
     * @return the result slot after the deferred calls ran
     */
    public static float exitFloat(float value, Invocation invocation) {
        DeferThread thread = invocation.thread;
        if (invocation.end != invocation.recordStackBase || thread.slots.length > DeferThread.RECORD_STACK_LIMIT) {
            return Float.intBitsToFloat((int) leave(Float.floatToRawIntBits(value), invocation));
        }
        // Invocation.pop's writes, written out here: see "Stack depth" in docs/design.md.
        Invocation below = invocation.below;
        thread.top = below;
        if (below != null) {
            below.topMask = -1;
        }
        invocation.reference = null;
        invocation.owner = null;
        invocation.method = null;
        return value;
    }

    /**
     * {@code return value} from a method returning {@code double}.
     *
     * @param value the value of the {@code return} expression
     * @param invocation the invocation that ends
     * @return the result slot after the deferred calls ran
     */
    public static double exitDouble(double value, Invocation invocation) {
        DeferThread thread = invocation.thread;
        if (invocation.end != invocation.recordStackBase || thread.slots.length > DeferThread.RECORD_STACK_LIMIT) {
            return Double.longBitsToDouble(leave(Double.doubleToRawLongBits(value), invocation));
        }
        // Invocation.pop's writes, written out here: see "Stack depth" in docs/design.md.
        Invocation below = invocation.below;
        thread.top = below;
        if (below != null) {
            below.topMask = -1;
        }
        invocation.reference = null;
        invocation.owner = null;
        invocation.method = null;
        return value;
    }

    /**
     * {@code return value} from a method returning a reference or an array; the generated code casts
     * the result back to the return type, which {@code Defer.setResult} already checked.
     *
     * @param value the value of the {@code return} expression
     * @param invocation the invocation that ends
     * @return the result slot after the deferred calls ran
     */
    public static Object exitObject(Object value, Invocation invocation) {
        DeferThread thread = invocation.thread;
        if (invocation.end != invocation.recordStackBase || thread.slots.length > DeferThread.RECORD_STACK_LIMIT) {
            invocation.reference = value;
            // The run loop called from here, with nothing live after it: see exitVoid.
            return OutOfLine.finish(invocation);
        }
        // Invocation.pop's writes, written out here: see "Stack depth" in docs/design.md.
        Invocation below = invocation.below;
        thread.top = below;
        if (below != null) {
            below.topMask = -1;
        }
        invocation.reference = null;
        invocation.owner = null;
        invocation.method = null;
        return value;
    }

    /**
     * The rare cases of a {@code defer}: a null call, a full record stack, or an invocation above that ended
     * abnormally. Out of line, so that the code the compilers inline into the rewritten method stays small.
     */
    private static void pushSlowly(Invocation invocation, int arity, Object call, Object a, Object b) {
        invocation.push(arity, checkNotNull(call), a, b);
    }

    /**
     * The rare cases of an exit with a primitive result, deferred calls to run or a record stack to trim: its
     * raw bits in, the result slot's out. (A void or reference result calls {@link #finish} directly.)
     */
    private static long leave(long bits, Invocation invocation) {
        if (!invocation.hasDeferredCalls()) {
            invocation.pop();
            return bits;
        }
        invocation.primitive = bits;
        OutOfLine.finish(invocation);
        return invocation.primitive;
    }

    /**
     * A throwable left the body of a {@code void} method: the invocation panics.
     *
     * @param thrown the throwable
     * @param invocation the invocation that panics
     */
    public static void panicVoid(Throwable thrown, Invocation invocation) {
        invocation.finish(thrown);
    }

    /**
     * A throwable left the body of a method returning an {@code int}-like type: the invocation panics.
     * Returns only when a deferred call recovered.
     *
     * @param thrown the throwable
     * @param invocation the invocation that panics
     * @return the result slot
     */
    public static int panicInt(Throwable thrown, Invocation invocation) {
        invocation.finish(thrown);
        return (int) invocation.primitive;
    }

    /**
     * A throwable left the body of a method returning {@code long}.
     *
     * @param thrown the throwable
     * @param invocation the invocation that panics
     * @return the result slot
     */
    public static long panicLong(Throwable thrown, Invocation invocation) {
        invocation.finish(thrown);
        return invocation.primitive;
    }

    /**
     * A throwable left the body of a method returning {@code float}.
     *
     * @param thrown the throwable
     * @param invocation the invocation that panics
     * @return the result slot
     */
    public static float panicFloat(Throwable thrown, Invocation invocation) {
        invocation.finish(thrown);
        return Float.intBitsToFloat((int) invocation.primitive);
    }

    /**
     * A throwable left the body of a method returning {@code double}.
     *
     * @param thrown the throwable
     * @param invocation the invocation that panics
     * @return the result slot
     */
    public static double panicDouble(Throwable thrown, Invocation invocation) {
        invocation.finish(thrown);
        return Double.longBitsToDouble(invocation.primitive);
    }

    /**
     * A throwable left the body of a method returning a reference or an array.
     *
     * @param thrown the throwable
     * @param invocation the invocation that panics
     * @return the result slot
     */
    public static Object panicObject(Throwable thrown, Invocation invocation) {
        return invocation.finish(thrown);
    }

    /**
     * An open-coded method's handler hands the deferred calls still pending to a new invocation, which
     * {@link #finish} then runs for the panic: one call, so that nothing of the handler is live across a
     * call but the throwable (see "Stack depth" in docs/design.md). The invocation joins the thread's stack
     * only in {@code finish}, so a hand-over that fails half-way leaves nothing behind, and the method runs
     * the calls inline instead.
     *
     * @param pending the method's mask of registered, not yet run calls (bit k for site k), with site k's
     *     arity (0, 1 or 2) in bits {@code 8 + 2k} and {@code 9 + 2k}
     * @param calls per site, in site order: the call, then its arguments ({@code 1 + arity} entries); the
     *     entries of a site whose bit is clear are not read
     * @param primitive the result slot of a method that returns a primitive: the value, or the raw bits of
     *     a float or a double; else 0
     * @param reference the result slot of a method that returns a reference; else null
     * @param owner the class that declares the method
     * @param method the method's name and descriptor
     * @return the invocation, to pass to {@link #finish}
     */
    public static Invocation handOverAll(int pending, Object[] calls, long primitive, Object reference,
            Class<?> owner, String method) {
        FirstUse.ensurePrepared();
        Invocation invocation = DeferThread.current().prepare(owner, method);
        int at = 0;
        for (int k = 0; at < calls.length; k++) {
            int arity = (pending >>> (8 + 2 * k)) & 3;
            if ((pending & (1 << k)) != 0) {
                invocation.handOver(arity, calls[at], arity >= 1 ? calls[at + 1] : null,
                        arity == 2 ? calls[at + 2] : null);
            }
            at += 1 + arity;
        }
        invocation.primitive = primitive;
        invocation.reference = reference;
        return invocation;
    }

    /**
     * Runs an invocation's deferred calls, last-in-first-out, for a panic ({@code thrown}) or a return
     * ({@code null}), then leaves the invocation. Throws the panic that is left, unless a deferred call
     * recovered it; then returns the result slot, boxed for {@code kind}. The handler of every rewritten
     * method calls it directly, and the run loop is written out here rather than called, so that a deferred
     * call that fails during a panic has this one runtime frame between its own and the method's (issue 11
     * item 5); {@code Recovery} knows this frame as the one that starts a deferred call.
     *
     * <p>A panic first runs the calls that invocations above this one left behind when the runtime itself
     * failed in their exit (a stack overflow there): their frames are gone, unwound by this same panic, and
     * a {@code finally} of theirs would have run by now ({@code Invocation.runUnwound}). Should the runtime
     * fail here too, the calls that have not run stay where they are, and the invocation stays on the
     * thread's stack, for the panic of the invocation below to run them.
     *
     * <p>The walk (the record layout: {@link DeferRecord}) empties each slot as it reads it and moves the
     * invocation's {@code end} below a record before its call, so that one handler covers it all: a call
     * that throws replaces the panic (S9), and the walk goes on with the next record.
     *
     * @param thrown the panic, or null for a return
     * @param invocation the invocation that ends
     * @param kind {@link #VOID_RESULT} ... {@link #OBJECT_RESULT}: the method's result kind
     * @return the result slot, boxed (null for {@code void})
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Object finish(Throwable thrown, Invocation invocation, int kind) {
        DeferThread t = invocation.thread;
        Throwable left;
        long primitive;
        Object reference;
        boolean done = false;
        try {
            // The invocation's body is over: it is the top, and whatever is above was left by an abnormal
            // exit. An open-coded method's invocation joins the stack only here. (Tests before the
            // reference stores spare their write barriers in the common case.)
            if (t.top != invocation) {
                if (thrown != null) {
                    thrown = invocation.runUnwound(t, thrown);
                }
                // An open-coded method's invocation joins above the invocation whose body called it.
                t.makeTop(invocation);
            }
            if (thrown != null) {
                invocation.panic = thrown;
                invocation.goexit = Invocation.pendingGoexit(thrown, 0);
            }
            int base = invocation.recordStackBase;
            int end = invocation.end;
            if (end != base) {
                if (thrown instanceof StackOverflowError && invocation.below != null) {
                    Invocation.reserveStack(Invocation.RESERVE_FRAMES);
                }
                // finishingBelow is read only while this invocation is t.finishing: no reset needed after.
                Invocation outer = t.finishing;
                if (invocation.finishingBelow != outer) {
                    invocation.finishingBelow = outer;
                }
                t.finishing = invocation;
                Object[] slots = t.slots;
                int index = end;
                try {
                    while (index > base) {
                        try {
                            do {
                                Object top = slots[--index];
                                slots[index] = null;
                                if (top == null) {
                                    Object a = slots[--index];
                                    Object f = slots[--index];
                                    slots[index + 1] = null;
                                    slots[index] = null;
                                    invocation.end = index;
                                    ((Deferred1) f).run(a);
                                } else if (top == DeferRecord.TWO) {
                                    Object b = slots[--index];
                                    Object a = slots[--index];
                                    Object f = slots[--index];
                                    slots[index + 2] = null;
                                    slots[index + 1] = null;
                                    slots[index] = null;
                                    invocation.end = index;
                                    ((Deferred2) f).run(a, b);
                                } else {
                                    invocation.end = index;
                                    ((Deferred) top).run();
                                }
                            } while (index > base);
                        } catch (Throwable replacement) {
                            invocation.replacePanic(replacement);
                        }
                    }
                } finally {
                    t.finishing = outer;
                }
                Object[] now = t.slots;
                if (now != slots) {
                    // A deferred call replaced the array: its copies of the records that ran must not pin them.
                    Arrays.fill(now, base, Math.min(end, now.length), null);
                }
            }
            left = invocation.panic;
            primitive = invocation.primitive;
            reference = invocation.reference;
            done = true;
        } finally {
            // Invocation.pop's writes, made here rather than through a call, which a stack overflow could stop.
            // Resetting panic and goexit keeps them null outside finish, as the test above expects.
            invocation.reference = null;
            invocation.panic = null;
            invocation.goexit = null;
            // A reused object must not let a later deferred call at the same record re-throw this panic.
            invocation.recoveredPanic = null;
            // Left on the stack only when something escaped with calls still to run, here or above.
            if (done || invocation.end == invocation.recordStackBase && t.top == invocation) {
                Invocation below = invocation.below;
                t.top = below;
                if (below != null) {
                    below.topMask = -1;
                }
                invocation.owner = null;
                invocation.method = null;
                if (t.slots.length > DeferThread.RECORD_STACK_LIMIT) {
                    t.trimSlots();
                }
            }
        }
        if (left != null) {
            throw DeferThread.sneakyThrow(left);
        }
        return box(kind, primitive, reference);
    }

    private static Object box(int kind, long primitive, Object reference) {
        switch (kind) {
            case INT_RESULT:
                return (int) primitive;
            case LONG_RESULT:
                return primitive;
            case FLOAT_RESULT:
                return Float.intBitsToFloat((int) primitive);
            case DOUBLE_RESULT:
                return Double.longBitsToDouble(primitive);
            case OBJECT_RESULT:
                return reference;
            default:
                return null;
        }
    }

    /**
     * {@code Defer.recover()} written in the body of a deferred lambda that only the runtime runs: the
     * agent has checked that the caller is the deferred call itself, so no stack walk is needed.
     *
     * @return the panic value, or null when the invocation running the call is not panicking
     */
    public static Object recoverInDeferredCall() {
        FirstUse.ensurePrepared();
        return Recovery.recoverInDeferredCall();
    }

    /**
     * {@code Defer.recover()} in a compiler-made forwarder that is itself a deferred call (Kotlin's
     * {@code Defer.defer(Defer::recover)}): behaves as Go's {@code defer recover()}, as the same call
     * compiled by javac does.
     *
     * @return the panic value, or null
     */
    public static Object recoverAsDeferredCall() {
        FirstUse.ensurePrepared();
        return Recovery.recoverAsDeferredCall();
    }

    /**
     * The first entry of a rewritten Kotlin {@code suspend fun}: wraps its {@code $completion} in the frame
     * that keeps its deferred calls until it completes (see {@code SuspendFrame}), which the function uses
     * as its completion from then on. Only rewritten suspend functions call the methods named
     * {@code ...Suspend}, so the runtime loads Kotlin's classes only where Kotlin is present.
     *
     * @param completion the function's {@code kotlin.coroutines.Continuation} parameter
     * @param owner the class that declares the function
     * @param method its name and descriptor
     * @return the continuation to use in place of {@code completion}
     */
    public static Object enterSuspend(Object completion, Class<?> owner, String method) {
        FirstUse.ensurePrepared();
        return SuspendFrame.enter(completion, owner, method);
    }

    /**
     * {@code Defer.defer(call)} in a rewritten suspend function.
     *
     * @param call the deferred call
     * @param continuation the function's frame from {@link #enterSuspend}, or its state machine's
     *     continuation
     */
    public static void deferSuspend(Deferred call, Object continuation) {
        SuspendFrame.of(continuation).defer(DeferRecord.NO_ARGUMENTS, call, null, null);
    }

    /**
     * {@code Defer.defer(call, a)} in a rewritten suspend function.
     *
     * @param call the deferred call
     * @param a its argument
     * @param continuation as for {@link #deferSuspend(Deferred, Object)}
     */
    public static void deferSuspend(Deferred1<?> call, Object a, Object continuation) {
        SuspendFrame.of(continuation).defer(DeferRecord.ONE_ARGUMENT, call, a, null);
    }

    /**
     * {@code Defer.defer(call, a, b)} in a rewritten suspend function.
     *
     * @param call the deferred call
     * @param a its first argument
     * @param b its second argument
     * @param continuation as for {@link #deferSuspend(Deferred, Object)}
     */
    public static void deferSuspend(Deferred2<?, ?> call, Object a, Object b, Object continuation) {
        SuspendFrame.of(continuation).defer(DeferRecord.TWO_ARGUMENTS, call, a, b);
    }

    /**
     * A {@code return} of a rewritten suspend function. Runs the deferred calls only when the function's
     * first entry completes without suspending; {@code COROUTINE_SUSPENDED}, and the return of a resumed
     * entry (whose outcome Kotlin hands to the frame), pass through.
     *
     * @param value the returned value
     * @param continuation as for {@link #deferSuspend(Deferred, Object)}
     * @param firstEntry whether this run of the body is the function's first entry (kotlinc's preamble took
     *     its first-entry path), not a resumption
     * @return the value to return
     */
    public static Object exitSuspend(Object value, Object continuation, boolean firstEntry) {
        return SuspendFrame.of(continuation).exit(value, firstEntry);
    }

    /**
     * A throwable left the body of a rewritten suspend function: its first entry panics here; a resumed
     * entry rethrows it to Kotlin, which hands it to the frame.
     *
     * @param thrown the throwable
     * @param continuation as for {@link #deferSuspend(Deferred, Object)}
     * @param firstEntry as for {@link #exitSuspend}
     * @return the result slot, when a deferred call recovered
     */
    public static Object panicSuspend(Throwable thrown, Object continuation, boolean firstEntry) {
        return SuspendFrame.of(continuation).panic(thrown, firstEntry);
    }

    /**
     * {@code Defer.setResult(value)} in a deferred lambda expanded inline at an open-coded method's exit, when it
     * returns {@code int}: converts and checks the value as {@code setResult} does.
     *
     * @param value the value passed to setResult
     * @param owner the class that declares the method
     * @param method the method's name and descriptor
     * @return the new slot value
     */
    public static int resultInt(Object value, Class<?> owner, String method) {
        if (value instanceof Integer) {
            return (Integer) value;
        }
        return (int) ResultType.of(owner, method).toBits(value);
    }

    /**
     * See {@link #resultInt}, for a method that returns {@code short}, {@code char}, {@code byte} or
     * {@code boolean}.
     *
     * @param value the value passed to setResult
     * @param owner the class that declares the method
     * @param method the method's name and descriptor
     * @return the new slot value
     */
    public static int resultNarrow(Object value, Class<?> owner, String method) {
        return (int) ResultType.of(owner, method).toBits(value);
    }

    /**
     * See {@link #resultInt}, for a method that returns {@code long}.
     *
     * @param value the value passed to setResult
     * @param owner the class that declares the method
     * @param method the method's name and descriptor
     * @return the new slot value
     */
    public static long resultLong(Object value, Class<?> owner, String method) {
        if (value instanceof Long) {
            return (Long) value;
        }
        return ResultType.of(owner, method).toBits(value);
    }

    /**
     * See {@link #resultInt}, for a method that returns {@code float}.
     *
     * @param value the value passed to setResult
     * @param owner the class that declares the method
     * @param method the method's name and descriptor
     * @return the new slot value
     */
    public static float resultFloat(Object value, Class<?> owner, String method) {
        if (value instanceof Float) {
            return (Float) value;
        }
        return Float.intBitsToFloat((int) ResultType.of(owner, method).toBits(value));
    }

    /**
     * See {@link #resultInt}, for a method that returns {@code double}.
     *
     * @param value the value passed to setResult
     * @param owner the class that declares the method
     * @param method the method's name and descriptor
     * @return the new slot value
     */
    public static double resultDouble(Object value, Class<?> owner, String method) {
        if (value instanceof Double) {
            return (Double) value;
        }
        return Double.longBitsToDouble(ResultType.of(owner, method).toBits(value));
    }

    /**
     * See {@link #resultInt}, for a method that returns a reference.
     *
     * @param value the value passed to setResult
     * @param type the method's return type
     * @param owner the class that declares the method
     * @param method the method's name and descriptor
     * @return the value
     */
    public static Object resultObject(Object value, Class<?> type, Class<?> owner, String method) {
        if (value == null || type.isInstance(value)) {
            return value;
        }
        throw ResultType.of(owner, method).cannotHold(value);
    }

    /**
     * An open-coded method's handler: a throwable replaces the panic that its deferred calls were running
     * for, and keeps it as a suppressed exception (S9), as a runtime invocation's panic does.
     *
     * @param replacement the new throwable
     * @param replaced the panic it replaces
     * @return {@code replacement}
     */
    public static Throwable replacePanic(Throwable replacement, Throwable replaced) {
        Invocation.keepReplaced(replacement, replaced);
        return replacement;
    }

    private static <T> T checkNotNull(T call) {
        if (call == null) {
            // Go panics only when the nil call runs; failing here points at the defer statement.
            throw new NullPointerException("Defer.defer(null): the deferred call must not be null");
        }
        return call;
    }

    /**
     * The bootstrap method of the {@code invokedynamic} that stands for {@code Defer.panic(Object)} in a rewritten
     * class (ABI 6): links it to a hidden class's copy of {@code Defer.panic}, whose {@code Panic} starts its
     * stack trace at the caller as it is made, since the JVM leaves hidden frames out of traces.
     *
     * @param caller the class of the call site
     * @param name the call site's name
     * @param type {@code (Object)RuntimeException}
     * @return the call site
     */
    public static CallSite panicSite(MethodHandles.Lookup caller, String name, MethodType type) {
        FirstUse.ensurePrepared();
        return PanicSites.link(caller, name, type);
    }


    // ABI 7: lazy records. A method whose defers are all of calls the agent can see (the open-coding screen)
    // but that defers in a loop keeps, in the local that records keep the invocation in, nothing, its first
    // deferred call (one without arguments), or the invocation the runtime entered at the second defer. So
    // an invocation that defers once never enters the runtime, and its call runs at the exit as an open-coded
    // one does. See "Lazy records" in docs/design.md.

    /**
     * {@code Defer.defer(call)} in a method with lazy records: the call itself, kept in the method's local,
     * when it is the first; else the invocation that holds it, entered now if it was not.
     *
     * @param call the deferred call
     * @param state the local: null, the first deferred call, or the invocation
     * @param owner the class that declares the method
     * @param method the method's name and descriptor
     * @return the local's new value
     */
    public static Object deferLazy(Deferred call, Object state, Class<?> owner, String method) {
        if (state == null) {
            return checkNotNull(call);
        }
        if (state instanceof Invocation) {
            deferPooled(call, (Invocation) state);
            return state;
        }
        return spill(state, DeferRecord.NO_ARGUMENTS, checkNotNull(call), null, null, owner, method);
    }

    /**
     * {@code Defer.defer(call, a)} in a method with lazy records: always a record, the runtime entered if it
     * was not.
     *
     * @param call the deferred call
     * @param a its argument
     * @param state the local: null, the first deferred call, or the invocation
     * @param owner the class that declares the method
     * @param method the method's name and descriptor
     * @return the invocation, the local's new value
     */
    public static Object deferLazy(Deferred1<?> call, Object a, Object state, Class<?> owner, String method) {
        if (state instanceof Invocation) {
            deferPooled(call, a, (Invocation) state);
            return state;
        }
        return spill(state, DeferRecord.ONE_ARGUMENT, checkNotNull(call), a, null, owner, method);
    }

    /**
     * {@code Defer.defer(call, a, b)} in a method with lazy records: always a record.
     *
     * @param call the deferred call
     * @param a its first argument
     * @param b its second argument
     * @param state the local: null, the first deferred call, or the invocation
     * @param owner the class that declares the method
     * @param method the method's name and descriptor
     * @return the invocation, the local's new value
     */
    public static Object deferLazy(Deferred2<?, ?> call, Object a, Object b, Object state, Class<?> owner,
            String method) {
        if (state instanceof Invocation) {
            deferPooled(call, a, b, (Invocation) state);
            return state;
        }
        return spill(state, DeferRecord.TWO_ARGUMENTS, checkNotNull(call), a, b, owner, method);
    }

    /**
     * Enters the runtime for a lazy-records method: the call kept in its local (if any) becomes the first record,
     * the new one the next. All or nothing: the method's local changes only when this returns, so should a
     * record fail to fit (a stack overflow, no memory for a bigger array), the invocation leaves the thread's
     * stack again, and the handler finds the call where it was, not in a record as well.
     */
    private static Invocation spill(Object pending, int arity, Object call, Object a, Object b, Class<?> owner,
            String method) {
        Invocation invocation = enter(owner, method);
        try {
            if (pending != null) {
                invocation.push(DeferRecord.NO_ARGUMENTS, pending, null, null);
            }
            invocation.push(arity, call, a, b);
        } catch (Throwable failure) {
            // Field writes only, no call: this runs during a stack overflow too.
            invocation.end = invocation.recordStackBase;
            invocation.owner = null;
            invocation.method = null;
            Invocation below = invocation.below;
            invocation.thread.top = below;
            if (below != null) {
                below.topMask = -1;
            }
            throw failure;
        }
        return invocation;
    }

    /**
     * {@code return} from a {@code void} method with lazy records: its one deferred call runs here, in the
     * method's exit (it throws as the method's panic: no other call is left to run), or the runtime's exit.
     *
     * @param state the local: null, the one deferred call, or the invocation
     * @throws Exception what the deferred call throws
     */
    public static void exitLazyVoid(Object state) throws Exception {
        if (state instanceof Invocation) {
            exitVoid((Invocation) state);
        } else if (state != null) {
            ((Deferred) state).run();
        }
    }

    /**
     * {@code return value} from a method with lazy records returning {@code int} or narrower.
     *
     * @param value the value of the {@code return} expression
     * @param state the local: null, the one deferred call, or the invocation
     * @return the result
     * @throws Exception what the deferred call throws
     */
    public static int exitLazyInt(int value, Object state) throws Exception {
        if (state instanceof Invocation) {
            return exitInt(value, (Invocation) state);
        }
        if (state != null) {
            ((Deferred) state).run();
        }
        return value;
    }

    /**
     * {@code return value} from a method with lazy records returning {@code long}.
     *
     * @param value the value of the {@code return} expression
     * @param state the local: null, the one deferred call, or the invocation
     * @return the result
     * @throws Exception what the deferred call throws
     */
    public static long exitLazyLong(long value, Object state) throws Exception {
        if (state instanceof Invocation) {
            return exitLong(value, (Invocation) state);
        }
        if (state != null) {
            ((Deferred) state).run();
        }
        return value;
    }

    /**
     * {@code return value} from a method with lazy records returning {@code float}.
     *
     * @param value the value of the {@code return} expression
     * @param state the local: null, the one deferred call, or the invocation
     * @return the result
     * @throws Exception what the deferred call throws
     */
    public static float exitLazyFloat(float value, Object state) throws Exception {
        if (state instanceof Invocation) {
            return exitFloat(value, (Invocation) state);
        }
        if (state != null) {
            ((Deferred) state).run();
        }
        return value;
    }

    /**
     * {@code return value} from a method with lazy records returning {@code double}.
     *
     * @param value the value of the {@code return} expression
     * @param state the local: null, the one deferred call, or the invocation
     * @return the result
     * @throws Exception what the deferred call throws
     */
    public static double exitLazyDouble(double value, Object state) throws Exception {
        if (state instanceof Invocation) {
            return exitDouble(value, (Invocation) state);
        }
        if (state != null) {
            ((Deferred) state).run();
        }
        return value;
    }

    /**
     * {@code return value} from a method with lazy records returning a reference.
     *
     * @param value the value of the {@code return} expression
     * @param state the local: null, the one deferred call, or the invocation
     * @return the result
     * @throws Exception what the deferred call throws
     */
    public static Object exitLazyObject(Object value, Object state) throws Exception {
        if (state instanceof Invocation) {
            return exitObject(value, (Invocation) state);
        }
        if (state != null) {
            ((Deferred) state).run();
        }
        return value;
    }

    /**
     * The handler of a method with lazy records, before it calls {@link #finish(Throwable, Invocation, int)}:
     * the invocation that holds the method's deferred calls, its one call handed to a new invocation first
     * (as an open-coded handler hands its calls over), so that {@code finish} is the one runtime frame below a
     * deferred call. With no call to run, or for a fatal panic (a stack overflow leaves too little stack to
     * enter the runtime; an open-coded method runs its calls inline for the same reason), or when the
     * hand-over itself fails (its throwable replaces the panic), the call runs here and the panic is thrown.
     *
     * @param thrown the throwable that left the body
     * @param state the local: null, the one deferred call, or the invocation
     * @param owner the class that declares the method
     * @param method the method's name and descriptor
     * @return the invocation, to pass to {@code finish} with {@code thrown}
     */
    public static Invocation handOverLazy(Throwable thrown, Object state, Class<?> owner, String method) {
        if (state instanceof Invocation) {
            return (Invocation) state;
        }
        Throwable panic = thrown;
        if (state != null && !(thrown instanceof VirtualMachineError)) {
            try {
                // This may be the runtime's first use (a lazy method that deferred once never entered it).
                FirstUse.ensurePrepared();
                Invocation invocation = DeferThread.current().prepare(owner, method);
                invocation.handOver(DeferRecord.NO_ARGUMENTS, state, null, null);
                return invocation;
            } catch (Throwable failure) {
                panic = replacePanic(failure, panic);
            }
        }
        if (state != null) {
            try {
                ((Deferred) state).run();
            } catch (Throwable replacement) {
                panic = replacePanic(replacement, panic);
            }
        }
        // Not DeferThread.sneakyThrow: during an overflow that is the runtime's first use, initialising
        // DeferThread here could fail and leave it broken for the JVM's life (FirstUse).
        throw DeferSupport.<RuntimeException>throwUnchecked(panic);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException throwUnchecked(Throwable t) throws T {
        throw (T) t;
    }
}
