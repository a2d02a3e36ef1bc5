package dev.defer;

/**
 * A deferred call with two arguments evaluated at the defer statement: Go's {@code defer f(a, b)}.
 *
 * @param <A> the first argument's type
 * @param <B> the second argument's type
 * @see Defer#defer(Deferred2, Object, Object)
 */
@FunctionalInterface
public interface Deferred2<A, B> {
    /**
     * Runs the deferred call.
     *
     * @param a the first argument, as it was when {@code Defer.defer} ran
     * @param b the second argument, as it was when {@code Defer.defer} ran
     * @throws Exception any exception, which starts (or replaces) a panic of the invocation that
     *     registered this call
     */
    void run(A a, B b) throws Exception;
}
