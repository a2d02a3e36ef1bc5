package dev.defer;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * What {@link Defer#panic(Object)} throws for a value that is not a {@link Throwable}.
 *
 * <p>{@link Defer#recover()} returns the {@linkplain #value() value} of a {@code Panic}, or the
 * {@code Panic} itself when the value is {@code null}, so that a recovered panic is never reported as
 * {@code null} (Go 1.21's {@code PanicNilError}).
 *
 * <p>Made by {@code Defer.panic}, its stack trace starts at the caller of {@code Defer.panic}, as one made with
 * {@code new} starts where it is made. In a class the defer agent rewrote, the call is linked to a hidden class's
 * copy of {@code Defer.panic}, whose frame the JVM leaves out of the trace as it is filled in; a {@code Panic} of
 * {@code Defer.panic} itself (a class that was not rewritten) drops its frames when its trace is first read.
 */
public class Panic extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The panic value; not serialised, since any object may be a panic value. */
    private final transient Object value;
    /**
     * The class whose method made this panic for its caller ({@link Defer}), while its frames still head the
     * trace; null once they are dropped, or for a panic made with {@code new}.
     */
    private transient String madeBy;

    /**
     * Creates a panic carrying a value, with the message {@code "panic: " + value}.
     *
     * @param value the panic value, which may be {@code null}
     */
    public Panic(Object value) {
        super("panic: " + describe(value));
        this.value = value;
    }

    /**
     * A panic made by {@code api}'s method for its caller: its stack trace starts at that caller, so that
     * the first frame is the line that panicked, as for a {@code Panic} made with {@code new} there.
     */
    static Panic fromCallerOf(Class<?> api, Object value) {
        Panic panic = new Panic(value);
        panic.madeBy = api.getName();
        return panic;
    }

    /**
     * Returns the stack trace, which for a panic of {@link Defer#panic(Object)} starts at its caller.
     *
     * @return the stack trace, first frame first
     */
    @Override
    public StackTraceElement[] getStackTrace() {
        dropApiFrames();
        return super.getStackTrace();
    }

    /**
     * Sets the stack trace, as given (the frames of {@link Defer#panic(Object)} are then no longer dropped).
     *
     * @param stackTrace the new stack trace
     */
    @Override
    public void setStackTrace(StackTraceElement[] stackTrace) {
        synchronized (this) {
            madeBy = null;
        }
        super.setStackTrace(stackTrace);
    }

    /**
     * Prints this panic and its stack trace, which starts at the caller of {@link Defer#panic(Object)}.
     *
     * @param s where to print
     */
    @Override
    public void printStackTrace(PrintStream s) {
        dropApiFrames();
        super.printStackTrace(s);
    }

    /**
     * Prints this panic and its stack trace, which starts at the caller of {@link Defer#panic(Object)}.
     *
     * @param s where to print
     */
    @Override
    public void printStackTrace(PrintWriter s) {
        dropApiFrames();
        super.printStackTrace(s);
    }

    /**
     * Serialises the trace as read, without Defer.panic's frames.
     *
     * @return this panic
     */
    private Object writeReplace() {
        dropApiFrames();
        return this;
    }

    /**
     * Drops the frames of Defer.panic from the trace, once, when it is first read. Done lazily because building
     * the trace's elements costs several times the panic itself, and a recovered panic's trace is never read.
     * (Throwable prints a cause or a suppressed exception through a private method, so a panic printed only as
     * such, before anyone read its trace, still shows them: the reason rewritten classes do not come here.)
     */
    private synchronized void dropApiFrames() {
        String api = madeBy;
        madeBy = null;
        if (api == null) {
            return;
        }
        StackTraceElement[] trace = super.getStackTrace();
        String self = Panic.class.getName();
        int start = 0;
        while (start < trace.length - 1
                && (trace[start].getClassName().equals(api) || trace[start].getClassName().equals(self))) {
            start++;
        }
        if (start > 0) {
            super.setStackTrace(Arrays.copyOfRange(trace, start, trace.length));
        }
    }

    /**
     * Returns the value given to {@link Defer#panic(Object)}.
     *
     * @return the panic value, possibly {@code null}
     */
    public Object value() {
        return value;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nil (Defer.panic(null))";
        }
        try {
            return Objects.toString(value);
        } catch (RuntimeException e) {
            // A panic must never fail to be created because the value's toString() is broken.
            return value.getClass().getName() + " (toString() threw " + e + ")";
        }
    }
}
