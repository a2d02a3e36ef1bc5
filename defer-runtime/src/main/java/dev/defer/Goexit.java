package dev.defer;

/**
 * What {@link Defer#goexit()} throws: Go's {@code runtime.Goexit()}. It unwinds every {@link Defers}
 * invocation on the thread, running their deferred calls, and cannot be recovered.
 *
 * <p>It is an {@link Error} so that {@code catch (Exception e)} blocks do not stop it. When it leaves a
 * thread's {@code run} method, the thread ends silently.
 */
public final class Goexit extends Error {
    private static final long serialVersionUID = 1L;

    /** Creates the throwable; {@link Defer#goexit()} is the way to throw one. */
    public Goexit() {
        // No stack trace: a Goexit is control flow, and it is never reported.
        super("Defer.goexit()", null, true, false);
    }
}
