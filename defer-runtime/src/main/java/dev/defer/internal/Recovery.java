package dev.defer.internal;

import dev.defer.Goexit;
import dev.defer.Panic;
import java.lang.StackWalker.StackFrame;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;

/**
 * {@code Defer.recover()}: Go's rule that only a deferred call itself, not a helper it calls, stops the
 * panic that runs it. Go compares the caller's argument pointer with the panic's; here the runtime knows
 * which invocation's deferred calls are running, and a short stack walk tells whether {@code recover()}
 * was called right above the runtime frame that started the deferred call ({@link DeferRecord#call}).
 *
 * <p>The walk happens only when a recoverable panic is running, so {@code recover()} is cheap otherwise.
 */
public final class Recovery {
    /** recover() was called by the body of a deferred call: {@code defer func(){ recover() }()}. */
    private static final int CALLED_BY_DEFERRED_CALL = 1;
    /**
     * recover() is itself a deferred call ({@code Defer.defer(Defer::recover)}) of an invocation that is
     * itself a deferred call: Go's {@code defer func(){ defer recover() }()}, where {@code recover} runs
     * as if called by the function that deferred it.
     */
    private static final int DEFERRED_BY_DEFERRED_CALL = 2;
    private static final int NOT_DIRECT = 0;

    private static final StackWalker WALKER = StackWalker.getInstance(
            EnumSet.of(StackWalker.Option.SHOW_HIDDEN_FRAMES, StackWalker.Option.RETAIN_CLASS_REFERENCE));
    private static final String API_CLASS = "dev.defer.Defer";
    private static final String RUNTIME_PACKAGE = "dev.defer.internal.";
    private static final String SUPPORT_CLASS = DeferSupport.class.getName();
    private static final String OUT_OF_LINE_CLASS = OutOfLine.class.getName();
    /** Packages whose frames may stand between two activations of a method that a tool re-dispatches. */
    private static final String[] INTERCEPTION_PACKAGES = {"java.lang.invoke.", "java.lang.reflect.",
        "jdk.internal.reflect.", "sun.reflect.", "org.mockito.", "net.bytebuddy.", "org.powermock.",
        "org.easymock.", "org.spockframework.mock.", "io.mockk."};
    /** How many such frames one re-dispatch may take; Mockito 5's spy takes about 15. */
    private static final int MAX_INTERCEPTION_FRAMES = 64;
    /** {@code Deferred}, {@code Deferred1}, {@code Deferred2}. */
    private static final String DEFERRED_INTERFACES = "dev.defer.Deferred";

    private Recovery() {
    }

    /**
     * Implements {@code Defer.recover()}.
     *
     * @return the panic value, or null when there is nothing this caller may recover
     */
    public static Object recover() {
        return recover(false);
    }

    /**
     * {@code Defer.recover()} called by a compiler-made forwarder that is itself the deferred call: Kotlin
     * compiles {@code Defer.defer(Defer::recover)} to a method of the class that calls {@code recover()} and
     * drops its value, where javac binds {@code Defer.recover} itself. The rewrite points such a forwarder
     * here, so that it behaves as Go's {@code defer recover()} (and Java's), not as a deferred function
     * whose body calls {@code recover()}.
     *
     * @return the panic value, or null
     */
    static Object recoverAsDeferredCall() {
        return recover(true);
    }

    private static Object recover(boolean forwarded) {
        Invocation running = DeferThread.current().finishing;
        if (running == null) {
            return null;
        }
        Invocation panicking;
        int expectedCaller;
        if (running.panic != null) {
            panicking = running;
            expectedCaller = CALLED_BY_DEFERRED_CALL;
        } else {
            panicking = running.finishingBelow;
            expectedCaller = DEFERRED_BY_DEFERRED_CALL;
        }
        if (panicking == null || panicking.unwound || !isRecoverable(panicking.panic)
                || WALKER.walk(stack -> classifyCaller(stack, forwarded)) != expectedCaller) {
            return null;
        }
        return stop(panicking);
    }

    /**
     * {@code recover()} whose caller the agent vouches for: written in the body of a deferred lambda that
     * only the runtime runs. The invocation running deferred calls is then the one running this call, so
     * the walk's answer is known: it recovers that invocation's panic, if it has a recoverable one.
     *
     * @return the panic value, or null
     */
    static Object recoverInDeferredCall() {
        Invocation running = DeferThread.current().finishing;
        if (running == null || running.unwound || !isRecoverable(running.panic)) {
            return null;
        }
        return stop(running);
    }

    /** Stops the invocation's panic and returns the value recover() gives for it. */
    private static Object stop(Invocation panicking) {
        Throwable panic = panicking.panic;
        panicking.recovered();
        panicking.recoveredPanic = panic;
        panicking.recoveredAt = panicking.end;
        return valueOf(panic);
    }

    /**
     * {@code Defer.panic(value)} re-panicking with the value that the deferred call now running recovered
     * (Go 1.25's "[recovered, repanicked]"): the {@link Panic} that carried the value, to throw again, so
     * that its stack trace still shows the line that failed. The call is the one that recovered while it
     * runs, the helpers it calls included, until another invocation's deferred calls start; after it, and
     * for any other value (compared by identity, as the value is the one recover() returned), this returns
     * null and {@code Defer.panic} makes a new {@code Panic}.
     *
     * @param value the value given to {@code Defer.panic}, not a {@link Throwable}
     * @return the recovered panic that carried {@code value}, or null
     */
    public static Panic repanic(Object value) {
        Invocation running = DeferThread.current().finishing;
        if (running == null) {
            return null;
        }
        Throwable recovered = running.recoveredPanic;
        if (recovered instanceof Panic && running.recoveredAt == running.end
                && ((Panic) recovered).value() == value) {
            return (Panic) recovered;
        }
        return null;
    }

    private static boolean isRecoverable(Throwable panic) {
        // Fatal JVM errors run deferred calls, like finally, but cannot be recovered, as Go's fatal errors.
        return panic != null && !(panic instanceof VirtualMachineError) && !(panic instanceof Goexit);
    }

    private static Object valueOf(Throwable panic) {
        if (panic instanceof Panic) {
            Object value = ((Panic) panic).value();
            // Go 1.21's PanicNilError: a recovered panic is never reported as nil.
            return value != null ? value : panic;
        }
        return panic;
    }

    private static int classifyCaller(java.util.stream.Stream<StackFrame> stack, boolean forwarded) {
        Iterator<StackFrame> frames = stack.iterator();
        StackFrame frame = next(frames);
        // Skip this class and Defer.recover itself: the walk starts where it was asked for.
        while (frame != null && (frame.getClassName().equals(API_CLASS)
                || frame.getClassName().startsWith(RUNTIME_PACKAGE))) {
            frame = next(frames);
        }
        if (frame != null && forwarded) {
            // The forwarder stands where a method reference's hidden class stands for javac's Defer::recover.
            frame = next(frames);
            if (frame != null && !isAdapter(frame)) {
                return NOT_DIRECT;
            }
        }
        if (frame == null) {
            return NOT_DIRECT;
        }
        if (isAdapter(frame)) {
            // recover is the deferred call itself, through a method reference's hidden class.
            frame = skipPlumbing(frames, frame);
            if (!isDeferredCallStart(frame)) {
                return NOT_DIRECT;
            }
            do {
                frame = next(frames);
            } while (frame != null && frame.getClassName().startsWith(RUNTIME_PACKAGE));
            // frame is the method that deferred recover; it must itself be a deferred call.
            return frame != null && isDeferredCallStart(skipAdapters(frames, frame))
                    ? DEFERRED_BY_DEFERRED_CALL : NOT_DIRECT;
        }
        return isDeferredCallStart(skipAdapters(frames, frame)) ? CALLED_BY_DEFERRED_CALL : NOT_DIRECT;
    }

    /**
     * From the deferred call's own method, skips what stands between it and the runtime without being a
     * helper: a lambda's hidden class, the compiler's bridge {@code run(Object)} of a class that implements
     * a generic {@code Deferred1} or {@code Deferred2}, and a tool's re-dispatch of the same method (a
     * Mockito spy or static mock calling the real method: see {@link #isInterception}). Any other frame,
     * another method of the same class included, is a caller: the method above it is a helper.
     */
    private static StackFrame skipAdapters(Iterator<StackFrame> frames, StackFrame callee) {
        StackFrame frame = next(frames);
        while (true) {
            Class<?> owner = callee.getDeclaringClass();
            while (frame != null && (isAdapter(frame) || frame.getDeclaringClass() == owner && isBridge(frame))) {
                frame = next(frames);
            }
            if (frame == null || !isInterception(frame)) {
                return frame;
            }
            StackFrame firstOfTool = frame;
            int budget = MAX_INTERCEPTION_FRAMES;
            while (frame != null && budget-- > 0 && (isAdapter(frame) || isInterception(frame))) {
                frame = next(frames);
            }
            if (frame == null || !isSameMethod(frame, callee)) {
                // Tool frames that do not lead back to the same method: the method above them is a helper.
                return firstOfTool;
            }
            // The tool's entry into the method the deferred call named; the real body ran on top of it.
            callee = frame;
            frame = next(frames);
        }
    }

    /**
     * Whether a frame belongs to reflection, method handles or a mocking or code-generation library: the
     * machinery through which a tool calls the real method it intercepted. Such frames count as the tool's
     * only between two activations of the same method ({@link #isSameMethod}); a helper of the application
     * never matches both conditions, so Go's rule that a helper's recover() returns nil still holds.
     */
    private static boolean isInterception(StackFrame frame) {
        String name = frame.getClassName();
        for (String prefix : INTERCEPTION_PACKAGES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return name.contains("$ByteBuddy$") || name.contains("$MockitoMock$") || name.contains("$auxiliary$");
    }

    /** The same method, entered twice: by the caller through the tool, then by the tool for the real body. */
    private static boolean isSameMethod(StackFrame frame, StackFrame callee) {
        Class<?> a = frame.getDeclaringClass();
        Class<?> b = callee.getDeclaringClass();
        return frame.getMethodName().equals(callee.getMethodName())
                && frame.getMethodType().equals(callee.getMethodType())
                && (a.isAssignableFrom(b) || b.isAssignableFrom(a));
    }

    private static boolean isBridge(StackFrame frame) {
        java.lang.invoke.MethodType type = frame.getMethodType();
        try {
            Method method = frame.getDeclaringClass().getDeclaredMethod(frame.getMethodName(), type.parameterArray());
            if (method.getReturnType() == type.returnType()) {
                return method.isBridge();
            }
            // A bridge that differs only in its return type (Kotlin's lambda class: invoke()V and the bridge
            // invoke()Object): getDeclaredMethod picks either, so match the frame's whole type.
            for (Method candidate : frame.getDeclaringClass().getDeclaredMethods()) {
                if (candidate.getName().equals(frame.getMethodName()) && candidate.getReturnType() == type.returnType()
                        && Arrays.equals(candidate.getParameterTypes(), type.parameterArray())) {
                    return candidate.isBridge();
                }
            }
            return false;
        } catch (NoSuchMethodException | SecurityException e) {
            return false;
        }
    }

    private static StackFrame skipPlumbing(Iterator<StackFrame> frames, StackFrame frame) {
        while (frame != null && isAdapter(frame)) {
            frame = next(frames);
        }
        return frame;
    }

    private static boolean isAdapter(StackFrame frame) {
        Class<?> type = frame.getDeclaringClass();
        return isLambdaPlumbing(type) || isKotlinAdapterClass(type);
    }

    /**
     * Whether a class is the one Kotlin makes, under {@code -Xsam-conversions=class}, to pass a function
     * reference ({@code ::f}, {@code obj::f}, {@code Defer::recover}) or a function value ({@code () -> Unit})
     * as a {@code Deferred}: its {@code run} only calls the target, as a lambda's hidden class does for javac.
     * A reference's class is synthetic (the class of a lambda the user wrote, {@code { f() }}, whose call of
     * {@code f} makes {@code f} a helper as in Go, is not, nor is any class javac makes for source code); a
     * function value's is Kotlin's SAM wrapper, {@code Outer$sam$dev_defer_Deferred$0}, whose one field is the
     * {@code kotlin.jvm.functions.FunctionN} it calls.
     */
    static boolean isKotlinAdapterClass(Class<?> type) {
        if (type.isHidden() || !implementsDeferred(type)) {
            return false;
        }
        if (type.isSynthetic()) {
            return true;
        }
        if (!type.getName().contains("$sam$dev_defer_Deferred")) {
            return false;
        }
        java.lang.reflect.Field[] fields = type.getDeclaredFields();
        return fields.length == 1 && fields[0].getType().getName().startsWith("kotlin.jvm.functions.Function");
    }

    private static boolean implementsDeferred(Class<?> type) {
        for (Class<?> implemented : type.getInterfaces()) {
            if (implemented.getName().startsWith(DEFERRED_INTERFACES)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a class only carries a call to a lambda's or a method reference's target: the lambda class
     * itself (hidden and synthetic), or the method handle code through which it calls a method of a hidden
     * class. An application's own hidden class ({@code Lookup.defineHiddenClass}) is hidden too, but not
     * synthetic: its methods are deferred calls and helpers like any other.
     */
    static boolean isLambdaPlumbing(Class<?> type) {
        return type.isHidden() && type.isSynthetic() || type.getName().startsWith("java.lang.invoke.");
    }

    /**
     * Whether the frame is one of the run loops, {@link DeferSupport#finish} (every panic, and an exit the
     * small loop hands over), {@link OutOfLine#finish} (a normal return's) or {@link DeferRecord#call} (the
     * calls of unwound invocations), which start deferred calls. DeferRecord's class name is enough (asking a
     * frame for its method name costs more than the rest of the walk); the other two classes have other
     * methods, so there the name is asked too.
     */
    private static boolean isDeferredCallStart(StackFrame frame) {
        if (frame == null) {
            return false;
        }
        String name = frame.getClassName();
        return name.equals(DeferRecord.CALLER_CLASS)
                || (name.equals(SUPPORT_CLASS) || name.equals(OUT_OF_LINE_CLASS)) && frame.getMethodName().equals("finish");
    }

    private static StackFrame next(Iterator<StackFrame> frames) {
        return frames.hasNext() ? frames.next() : null;
    }

    /**
     * Makes the current thread end silently when a {@link Goexit} leaves its {@code run} method, as a
     * goroutine does: wraps its uncaught-exception handler once.
     */
    public static void silenceGoexitOnCurrentThread() {
        Thread thread = Thread.currentThread();
        Thread.UncaughtExceptionHandler handler = thread.getUncaughtExceptionHandler();
        if (handler != null && !(handler instanceof SilentGoexit)) {
            thread.setUncaughtExceptionHandler(new SilentGoexit(handler));
        }
    }

    /** Drops a {@link Goexit}; hands every other throwable to the handler it wraps. */
    private static final class SilentGoexit implements Thread.UncaughtExceptionHandler {
        private final Thread.UncaughtExceptionHandler delegate;

        SilentGoexit(Thread.UncaughtExceptionHandler delegate) {
            this.delegate = delegate;
        }

        @Override
        public void uncaughtException(Thread thread, Throwable e) {
            if (!(e instanceof Goexit)) {
                delegate.uncaughtException(thread, e);
            }
        }
    }
}
