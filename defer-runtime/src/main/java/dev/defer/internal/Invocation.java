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
    /** The first slot of the thread's record stack this invocation owns: where it started. */
    int recordStackBase;
    /**
     * One past this invocation's last record: the slots from the base to here are this invocation's
     * deferred calls, oldest first, and nobody else's (S12). While this invocation is the thread's top,
     * a nested invocation starts here.
     */
    int end;
    /**
     * -1 while this invocation is the thread's top, 0 once another has been entered above it: the mask of a
     * {@code defer}'s fast path, {@code index < (slots.length & topMask)}, which so tests the top and the room
     * in one comparison (see {@code DeferSupport.deferStacked}). Cleared whenever an invocation becomes the
     * top above it ({@link DeferThread#makeTop}), which is what safety needs: an invocation above that ended
     * abnormally stays the top and leaves this one's mask 0, so its next {@code defer} takes the slow path,
     * which makes it the top again.
     * Set again when it becomes the top (entered, or the one above it left normally); a mask left 0 costs
     * one slow {@code defer}, never a wrong one.
     */
    int topMask;

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
    /**
     * Set while this invocation's calls run after its frame was unwound ({@link #runUnwound}): there is
     * nothing to return to, so {@code recover()} gives null.
     */
    boolean unwound;
    /**
     * The panic that one of this invocation's deferred calls recovered, and that call's record
     * ({@link #recoveredAt}, compared with {@link #end}): while that call runs, {@code Defer.panic} of the
     * recovered value throws this panic again rather than a new one (S10, {@link Recovery#repanic}).
     */
    Throwable recoveredPanic;
    /** The record of the deferred call that recovered {@link #recoveredPanic}. */
    int recoveredAt;

    Invocation(DeferThread thread, Invocation below) {
        this.thread = thread;
        this.below = below;
        this.depth = below == null ? 0 : below.depth + 1;
    }

    boolean hasDeferredCalls() {
        return end != recordStackBase;
    }

    /**
     * Registers a deferred call of this invocation's body: writes its record on the thread's record stack,
     * above this invocation's last one (layout: {@link DeferRecord}). Inlined with a constant arity, a call
     * without arguments is one reference store, one index store and a test; the thread's state is not
     * written.
     *
     * <p>The test keeps the invariant that nested invocations rely on: the thread's top invocation ends at
     * or above every active invocation's records. Only the invocation whose body runs registers calls here,
     * so it is the innermost active one; if it is not the top, an invocation above it ended abnormally (a
     * stack overflow inside the runtime, before its exit ran), and it becomes the top again. Without that,
     * a method entered next would start at the abandoned invocation's end, below this one's new records.
     *
     * @param arity {@link DeferRecord#NO_ARGUMENTS}, {@link DeferRecord#ONE_ARGUMENT} or
     *     {@link DeferRecord#TWO_ARGUMENTS}
     */
    void push(int arity, Object function, Object a, Object b) {
        write(arity, function, a, b);
        DeferThread t = thread;
        if (t.top != this) {
            // An invocation above ended abnormally and is still the top. (Abandoned slots this push
            // overwrote are nobody's now.)
            t.makeTop(this);
        } else {
            topMask = -1;
        }
    }

    /**
     * Registers a deferred call that an open-coded method's handler hands over, before {@link #finish}
     * puts this invocation on the stack: no code runs in between, so it need not be the top yet, and a
     * handler that fails half-way leaves nothing on the thread's stack.
     */
    void handOver(int arity, Object function, Object a, Object b) {
        write(arity, function, a, b);
    }

    private void write(int arity, Object function, Object a, Object b) {
        DeferThread t = thread;
        int index = end;
        Object[] slots = t.slots;
        int next = index + DeferRecord.size(arity);
        if (next > slots.length) {
            slots = t.growSlots(next);
        }
        if (arity == DeferRecord.NO_ARGUMENTS) {
            slots[index] = function;
        } else if (arity == DeferRecord.ONE_ARGUMENT) {
            slots[index] = function;
            slots[index + 1] = a;
            slots[index + 2] = null;
        } else {
            slots[index] = function;
            slots[index + 1] = a;
            slots[index + 2] = b;
            slots[index + 3] = DeferRecord.TWO;
        }
        end = next;
    }

    /**
     * Runs the deferred calls, last-in-first-out, for a return ({@code thrown == null}) or a panic, then
     * leaves the invocation. Returns normally when the invocation returns normally: no panic, or one
     * that a deferred call recovered. Otherwise throws the panic that is left.
     *
     * <p>A panic first runs the calls that invocations above this one left behind when the runtime itself
     * failed in their exit (a stack overflow there): their frames are gone, unwound by this same panic,
     * and a {@code finally} of theirs would have run by now ({@link #runUnwound}). Should the runtime fail
     * here too, the calls that have not run stay where they are, and this invocation stays on the thread's
     * stack, for the panic of the invocation below to run them.
     *
     * @return the reference result slot; a primitive one stays in {@link #primitive} until the next enter
     */
    Object finish(Throwable thrown) {
        // One loop for every way an invocation ends: see DeferSupport.finish.
        return DeferSupport.finish(thrown, this, DeferSupport.OBJECT_RESULT);
    }

    /**
     * During a stack overflow, the frames a deferred call needs beyond the run loop's: a lambda's class, its
     * body, and what the body calls.
     */
    static final int RESERVE_FRAMES = 64;

    /**
     * Fails with a {@link StackOverflowError} unless {@code frames} more frames fit on the stack: called before
     * the run loop takes a record during an overflow, so that a call that cannot run stays registered for the
     * panic of the invocation below, which has more stack, instead of overflowing as soon as it starts (the
     * record would be spent, its call lost). The thread's first invocation has nobody below to leave its
     * calls to, so it runs them whatever is left.
     */
    static int reserveStack(int frames) {
        return frames == 0 ? 0 : reserveStack(frames - 1) + 1;
    }

    /**
     * Runs, innermost first, the records of the invocations above this one that a failure of the runtime
     * left on the stack: the panic unwound their frames, so their calls run now, for that panic, which their
     * throwables replace (S9). They cannot recover it: there is no frame left to return to.
     *
     * @return the panic after their calls
     */
    Throwable runUnwound(DeferThread t, Throwable thrown) {
        Throwable now = thrown;
        for (Invocation above = t.top; above != null && above.depth > depth; above = above.below) {
            if (above.end != above.recordStackBase) {
                if (now instanceof StackOverflowError && below != null) {
                    reserveStack(RESERVE_FRAMES);
                }
                t.top = above;
                above.panic = now;
                above.unwound = true;
                try {
                    above.runDeferredCalls(t);
                    now = above.panic;
                    // Done: as pop() does, a pooled object must not pin the class of its last method.
                    above.owner = null;
                    above.method = null;
                } finally {
                    above.panic = null;
                    above.goexit = null;
                    // As DeferSupport.finish: a reused object must not let a later call re-throw this panic.
                    above.recoveredPanic = null;
                    above.unwound = false;
                }
            }
        }
        return now;
    }

    /** Runs this invocation's records, last first, while recover() may see it as the finishing one. */
    private void runDeferredCalls(DeferThread t) {
        // finishingBelow is read only while this invocation is t.finishing, so it needs no reset after
        // (and a reused object usually finds the same value there already).
        Invocation outer = t.finishing;
        if (finishingBelow != outer) {
            finishingBelow = outer;
        }
        t.finishing = this;
        try {
            DeferRecord.call(this, t, recordStackBase, end);
        } finally {
            t.finishing = outer;
        }
    }

    /** A deferred call threw: its throwable is the panic now, and keeps the one it replaced. */
    void replacePanic(Throwable replacement) {
        keepReplaced(replacement, panic);
        if (replacement instanceof Goexit) {
            // Go's TestGoexitInPanic: a Goexit during a panic abandons the panic.
            goexit = (Goexit) replacement;
        }
        panic = replacement;
    }

    /** S9: a throwable that replaces a panic keeps it as a suppressed exception, unless it already holds it. */
    static void keepReplaced(Throwable replacement, Throwable replaced) {
        if (replaced != null && replaced != replacement && !isCauseOf(replaced, replacement)) {
            replacement.addSuppressed(replaced);
        }
    }

    /**
     * The Goexit that {@code thrown} carries on: itself, or one it replaced, kept among its suppressed
     * throwables by a callee whose deferred call panicked during the Goexit. Go never cancels a Goexit:
     * when a caller recovers that panic, the Goexit goes on unwinding.
     */
    static Goexit pendingGoexit(Throwable thrown, int depth) {
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
     * Leaves the invocation without deferred calls: makes the one below it the top, which frees the record
     * slots above that one's end at once (S12: an exit never runs another's calls, and whatever an abnormal
     * exit left above is dropped).
     */
    void pop() {
        DeferThread t = thread;
        t.top = below;
        if (below != null) {
            below.topMask = -1;
        }
        reference = null;
        // A pooled object must not pin the class (and its loader) of the last method that used it.
        owner = null;
        method = null;
        if (t.slots.length > DeferThread.RECORD_STACK_LIMIT) {
            t.trimSlots();
        }
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
