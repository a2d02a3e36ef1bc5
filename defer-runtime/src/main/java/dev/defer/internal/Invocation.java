package dev.defer.internal;

import dev.defer.Goexit;

/**
 * One invocation of a rewritten method: its deferred calls, its result slot, and, while it ends, the
 * panic that its deferred calls see. Invocations of a thread form a stack through {@link #below}; the
 * objects are reused, so entering and leaving a method allocates nothing in a steady state.
 *
 * <p>Only the thread that owns an invocation touches it.
 */
public final class Invocation {
    final DeferThread thread;
    final Invocation below;
    /** The next invocation object of the stack, kept for reuse; may be a discarded one. */
    Invocation above;
    final int depth;

    Class<?> owner;
    String method;
    /** The deferred calls, last registered first. */
    DeferRecord head;
    /** The thread's record stack index when the invocation started: its stack-style records lie above. */
    int recordStackBase;

    /** The result slot of primitive methods: the value, or the raw bits of a float or a double. */
    long primitive;
    /** The result slot of methods that return a reference. */
    Object reference;

    /** The throwable the deferred calls are running for; null while the invocation returns normally. */
    Throwable panic;
    /** A {@link Goexit} that goes on unwinding once the panics raised during it are recovered. */
    Goexit goexit;
    /** The invocation below this one whose deferred calls are running, while this one's run. */
    Invocation finishingBelow;

    Invocation(DeferThread thread, Invocation below) {
        this.thread = thread;
        this.below = below;
        this.depth = below == null ? 0 : below.depth + 1;
    }

    boolean hasDeferredCalls() {
        return head != null;
    }

    void push(DeferRecord record, int arity, Object function, Object a, Object b) {
        record.arity = arity;
        record.function = function;
        record.a = a;
        record.b = b;
        record.next = head;
        head = record;
    }

    /**
     * Runs the deferred calls, last-in-first-out, for a return ({@code thrown == null}) or a panic, then
     * leaves the invocation. Returns normally when the invocation returns normally: no panic, or one
     * that a deferred call recovered. Otherwise throws the panic that is left.
     *
     * @return the reference result slot; a primitive one stays in {@link #primitive} until the next enter
     */
    Object finish(Throwable thrown) {
        Throwable left;
        Object result;
        try {
            // This invocation's body is over: it is the top, and whatever is above was left by an
            // abnormal exit. An open-coded method's invocation joins the stack only here.
            thread.top = this;
            panic = thrown;
            goexit = pendingGoexit(thrown, 0);
            if (head != null) {
                runDeferredCalls();
            }
            left = panic;
            result = reference;
        } finally {
            // The writes of pop(), made here rather than through a call, which a stack overflow could stop.
            DeferThread t = thread;
            t.top = below;
            t.recordStackTop = recordStackBase;
            head = null;
            reference = null;
            owner = null;
            method = null;
            panic = null;
            goexit = null;
        }
        if (left != null) {
            throw DeferThread.sneakyThrow(left);
        }
        return result;
    }

    private void runDeferredCalls() {
        DeferThread t = thread;
        finishingBelow = t.finishing;
        t.finishing = this;
        try {
            DeferRecord record;
            while ((record = head) != null) {
                head = record.next;
                try {
                    record.call();
                } catch (Throwable replacement) {
                    replacePanic(replacement);
                } finally {
                    t.releaseRecord(record);
                }
            }
        } finally {
            t.finishing = finishingBelow;
            finishingBelow = null;
        }
    }

    /** A deferred call threw: its throwable is the panic now, and keeps the one it replaced. */
    private void replacePanic(Throwable replacement) {
        Throwable replaced = panic;
        if (replaced != null && replaced != replacement && !isCauseOf(replaced, replacement)) {
            replacement.addSuppressed(replaced);
        }
        if (replacement instanceof Goexit) {
            // Go's TestGoexitInPanic: a Goexit during a panic abandons the panic.
            goexit = (Goexit) replacement;
        }
        panic = replacement;
    }

    /**
     * The Goexit that {@code thrown} carries on: itself, or one it replaced, kept among its suppressed
     * throwables by a callee whose deferred call panicked during the Goexit. Go never cancels a Goexit:
     * when a caller recovers that panic, the Goexit goes on unwinding.
     */
    private static Goexit pendingGoexit(Throwable thrown, int depth) {
        if (thrown instanceof Goexit) {
            return (Goexit) thrown;
        }
        if (thrown == null || depth > 8) {
            return null;
        }
        for (Throwable suppressed : thrown.getSuppressed()) {
            Goexit goexit = pendingGoexit(suppressed, depth + 1);
            if (goexit != null) {
                return goexit;
            }
        }
        return null;
    }

    private static boolean isCauseOf(Throwable candidate, Throwable t) {
        for (Throwable c = t.getCause(); c != null && c != t; c = c.getCause()) {
            if (c == candidate) {
                return true;
            }
        }
        return false;
    }

    /** Stops the running panic; a pending Goexit goes on (Go's TestRecoverBeforePanicAfterGoexit). */
    void recovered() {
        panic = goexit;
    }

    /**
     * Leaves the invocation without deferred calls: makes the one below it the top, and frees its
     * stack-style records at once (S12: an exit never runs another's calls, and whatever an abnormal exit
     * left above is dropped).
     */
    void pop() {
        DeferThread t = thread;
        t.top = below;
        t.recordStackTop = recordStackBase;
        head = null;
        reference = null;
        // A pooled object must not pin the class (and its loader) of the last method that used it.
        owner = null;
        method = null;
    }

    /** Reads the result slot, boxed: Defer.result(). */
    @SuppressWarnings("unchecked")
    public <T> T result() {
        return (T) thread.resultType(owner, method).read(this);
    }

    /** Writes the result slot, checked against the return type: Defer.setResult(v). */
    public void setResult(Object value) {
        thread.resultType(owner, method).write(this, value);
    }

    /** The method's name for messages: {@code com.example.Foo.bar(int)}. */
    String describe() {
        return ResultType.describe(owner, method);
    }
}
