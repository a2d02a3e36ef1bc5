package dev.defer;

/**
 * A deferred call without arguments: Go's {@code defer f()}.
 *
 * @see Defer#defer(Deferred)
 */
@FunctionalInterface
public interface Deferred {
    /**
     * Runs the deferred call.
     *
     * @throws Exception any exception, which starts (or replaces) a panic of the invocation that
     *     registered this call
     */
    void run() throws Exception;
}
