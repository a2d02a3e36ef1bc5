package dev.defer.internal;

import dev.defer.Deferred;
import dev.defer.Deferred1;
import dev.defer.Deferred2;

/**
 * The runtime's first use: loads and initialises every class its panic path needs, runtime and platform
 * alike, and resolves the references of its code, by running one panic through it (issue 9).
 *
 * <p>Why: a class whose static initialiser fails, or whose initialiser the JVM cannot even enter for want of
 * stack, is broken for the JVM's life ({@code NoClassDefFoundError: Could not initialize class}), and
 * resolving a reference the first time needs far more stack than running the code. Were the runtime first
 * used within a few frames of a stack overflow, every later {@code @Defers} call would fail. So the classes
 * that rewritten code touches first ({@link DeferSupport}, this class) have no static initialiser, and
 * every runtime entry that leads to a class with one ({@code DeferThread}, {@code DeferRecord},
 * {@code Recovery}, {@code ResultType}, {@code Misuse}) first tests {@link #prepared}; the first use
 * prepares the runtime on a thread of its own with a large stack ({@link #prepare}), whatever the caller's
 * depth.
 */
public final class FirstUse {
    private FirstUse() {
    }

    /** The preparing thread's stack: ample for loading and initialising every runtime class. */
    private static final long PREPARING_STACK = 16L << 20;
    /** How long a first use waits for the preparing thread before it prepares on its own stack. */
    private static final long PREPARING_WAIT_MILLIS = 10_000L;

    /**
     * Set once a rehearsal has completed: every runtime class with a static initialiser is initialised.
     * Not volatile: a thread that reads a stale {@code false} prepares once more, which is harmless (the
     * JVM's class initialisation protocol orders the initialisers themselves), and the hot path's test
     * stays a plain load and a branch.
     */
    static boolean prepared;

    /**
     * The first use's gate, for {@code dev.defer.Defer}'s methods (rewritten code goes through
     * {@link DeferSupport}): prepares the runtime unless that is done; a plain load on the hot path.
     */
    public static void ensurePrepared() {
        if (!prepared) {
            prepare();
        }
    }

    /**
     * Prepares the runtime on a new platform thread with a {@value #PREPARING_STACK}-byte stack and waits
     * for it, so that no static initialiser runs short of stack, however deep the caller is. Should the
     * caller itself overflow while it starts or joins that thread, the {@code StackOverflowError} escapes
     * and nothing is poisoned (this class and the platform's {@code Thread} have no initialiser left to
     * fail); the next use prepares again or finds it done. Takes no lock: concurrent first uses each
     * rehearse on their own thread. The preparing thread loads and initialises only runtime and platform
     * classes, never the caller's, so an initialisation lock the caller holds (a {@code @Defers} call in a
     * static initialiser) cannot block it; a class loader the caller has locked while it loads the runtime
     * could, so the wait is bounded, and the caller then prepares on its own stack. Where no thread can be
     * started (no memory for one, a security manager), the caller prepares on its own stack too.
     */
    static void prepare() {
        Preparer preparer = new Preparer();
        Thread thread;
        try {
            thread = new Thread(null, preparer, "defer-first-use", PREPARING_STACK);
            thread.setDaemon(true);
            thread.start();
        } catch (OutOfMemoryError | RuntimeException e) {
            // No thread for it (no memory, a security manager). Only classes every JVM has loaded by now
            // are caught: a catch type is loaded when an exception is matched against it, maybe right here
            // at the stack's end.
            rehearseHere();
            return;
        }
        joinUninterruptibly(thread);
        Throwable failure = preparer.failure;
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof LinkageError) {
            throw (LinkageError) failure;
        }
        if (!prepared) {
            // Out of memory there, or the wait timed out: what is missing is prepared here.
            rehearseHere();
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + PREPARING_WAIT_MILLIS * 1_000_000L;
        try {
            for (long left = PREPARING_WAIT_MILLIS; left > 0 && thread.isAlive();
                    left = (deadline - System.nanoTime()) / 1_000_000L) {
                try {
                    thread.join(left);
                } catch (InterruptedException e) {
                    // The caller must not go on with a half-prepared runtime; its interrupt is kept.
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Initialises the runtime classes the rehearsal does not reach, then runs it; sets {@link #prepared} when
     * both complete.
     */
    static void rehearseHere() {
        try {
            initialise(Misuse.class);
            initialise(ResultType.class);
            initialise(DeferRecord.class);
            initialise(OutOfLine.class);
        } catch (StackOverflowError | OutOfMemoryError e) {
            return;
        }
        if (rehearse()) {
            prepared = true;
        }
    }

    private static void initialise(Class<?> type) {
        try {
            Class.forName(type.getName(), true, type.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("dev.defer.internal.FirstUse.initialise: " + type.getName()
                    + " is missing from the defer-runtime jar on the class path; use a complete defer-runtime jar", e);
        }
    }

    /**
     * Runs a rehearsal panic: three deferred calls, one of each arity; the middle one replaces the panic
     * (S9), the last one recovers it. Leaves the thread's state as it found it, even when it fails. (No
     * {@code Panic} is made and no result written: those link string concatenation and a lambda, which only
     * {@code Defer.panic} and {@code Defer.setResult} need, not the panic path.)
     *
     * @return whether it completed; false when it ran out of stack or memory
     */
    private static boolean rehearse() {
        DeferThread thread;
        try {
            thread = DeferThread.current();
        } catch (StackOverflowError | OutOfMemoryError e) {
            return false;
        }
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
            return true;
        } catch (StackOverflowError | OutOfMemoryError e) {
            // The first use came with too little stack or memory; what did not get loaded here loads when
            // it is needed, and the next use rehearses again.
            thread.top = top;
            if (top != null) {
                top.topMask = -1;
            }
            thread.finishing = finishing;
            return false;
        }
    }

    /** The preparing thread's work: a class, not a lambda, so that no call site is linked here. */
    private static final class Preparer implements Runnable {
        volatile Throwable failure;

        @Override
        public void run() {
            try {
                rehearseHere();
            } catch (Throwable e) {
                failure = e;
            }
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
