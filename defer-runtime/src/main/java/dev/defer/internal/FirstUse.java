package dev.defer.internal;

import dev.defer.Deferred;
import dev.defer.Deferred1;
import dev.defer.Deferred2;

/**
 * The runtime's first use: loads and initialises every class its panic path needs, runtime and platform
 * alike, and resolves the references of its code, by running one panic through it (issue 9).
 *
 * <p>Why: a class whose loading or static initialiser fails with a {@link StackOverflowError} is broken for
 * the JVM's life ({@code NoClassDefFoundError}, or a class path entry dropped by the class loader), and
 * resolving a reference the first time needs far more stack than running the code. Were the runtime first
 * used by a panic that is itself a stack overflow, every later {@code @Defers} call would fail. So
 * {@link DeferSupport}'s static initialiser runs this, and rewritten code reaches it early: a method with
 * records at its first {@code enter}, an open-coded method in its prologue (a read of
 * {@link DeferSupport#ABI_VERSION}, which the compilers fold away), and the agent in its {@code premain}.
 */
final class FirstUse {
    private FirstUse() {
    }

    /**
     * Runs a rehearsal panic: three deferred calls, one of each arity; the middle one replaces the panic
     * (S9), the last one recovers it. Leaves the thread's state as it found it, even when it fails. (No
     * {@code Panic} is made and no result written: those link string concatenation and a lambda, which only
     * {@code Defer.panic} and {@code Defer.setResult} need, not the panic path.)
     */
    static void prepare() {
        DeferThread thread = DeferThread.current();
        Invocation top = thread.top;
        Invocation finishing = thread.finishing;
        try {
            Rehearsal calls = new Rehearsal();
            Invocation invocation = thread.enter(FirstUse.class, "prepare()V");
            invocation.push(DeferRecord.NO_ARGUMENTS, calls, null, null);
            invocation.push(DeferRecord.ONE_ARGUMENT, calls, "replacement", null);
            invocation.push(DeferRecord.TWO_ARGUMENTS, calls, "a", "b");
            invocation.finish(new IllegalStateException("the runtime's first use"));
            if (calls.recovered == null) {
                throw new IllegalStateException("dev.defer.internal.FirstUse.prepare: the runtime's rehearsal panic"
                        + " was not recovered, so recover() is broken in this defer-runtime build; use a released"
                        + " defer-runtime jar, and report the build that fails");
            }
        } catch (StackOverflowError | OutOfMemoryError e) {
            // The first use came with too little stack or memory; what did not get loaded here loads when
            // it is needed. Failing the static initialiser instead would break the runtime for good.
            thread.top = top;
            thread.finishing = finishing;
        }
    }

    /** The rehearsal's deferred calls: a class, not lambdas, so that no call site is linked here. */
    private static final class Rehearsal implements Deferred, Deferred1<Object>, Deferred2<Object, Object> {
        Object recovered;

        @Override
        public void run() {
            recovered = Recovery.recoverInDeferredCall();
        }

        @Override
        public void run(Object replacement) {
            throw new IllegalArgumentException((String) replacement);
        }

        @Override
        public void run(Object a, Object b) {
            // The two-argument record's layout is read; the call itself has nothing to do.
        }
    }
}
