package dev.defer;

import java.util.Arrays;
import java.util.Objects;

/**
 * What {@link Defer#panic(Object)} throws for a value that is not a {@link Throwable}.
 *
 * <p>{@link Defer#recover()} returns the {@linkplain #value() value} of a {@code Panic}, or the
 * {@code Panic} itself when the value is {@code null}, so that a recovered panic is never reported as
 * {@code null} (Go 1.21's {@code PanicNilError}).
 */
public class Panic extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The panic value; not serialised, since any object may be a panic value. */
    private final transient Object value;

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
     * A panic whose stack trace starts at the caller of {@code api}'s method that makes it, so that the
     * first frame is the line that panicked, as for a {@code Panic} made with {@code new}.
     */
    static Panic fromCallerOf(Class<?> api, Object value) {
        Panic panic = new Panic(value);
        StackTraceElement[] trace = panic.getStackTrace();
        String name = api.getName();
        String self = Panic.class.getName();
        int start = 0;
        while (start < trace.length - 1
                && (trace[start].getClassName().equals(name) || trace[start].getClassName().equals(self))) {
            start++;
        }
        if (start > 0) {
            panic.setStackTrace(Arrays.copyOfRange(trace, start, trace.length));
        }
        return panic;
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
