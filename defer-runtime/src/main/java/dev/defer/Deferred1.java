package dev.defer;

/**
 * A deferred call with one argument evaluated at the defer statement: Go's {@code defer f(a)}.
 *
 * @param <A> the argument's type
 * @see Defer#defer(Deferred1, Object)
 */
@FunctionalInterface
public interface Deferred1<A> {
    /**
     * Runs the deferred call.
     *
     * @param a the argument, as it was when {@code Defer.defer} ran
     * @throws Exception any exception, which starts (or replaces) a panic of the invocation that
     *     registered this call
     */
    void run(A a) throws Exception;
}
