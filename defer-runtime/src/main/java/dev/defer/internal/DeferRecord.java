package dev.defer.internal;

import dev.defer.Deferred;
import dev.defer.Deferred1;
import dev.defer.Deferred2;

/**
 * One deferred call: Go's {@code _defer} record. Records of one invocation form a last-in-first-out
 * list through {@link #next}, whatever their kind: a stack-style record of a top-level defer lives in
 * its thread's record stack and is freed when its invocation exits (Go's {@code deferprocStack}); a
 * pooled record of a loop defer comes from its thread's free list and goes back to it after its call
 * ran (Go's {@code deferproc}). A steady state allocates no record of either kind.
 */
final class DeferRecord {
    static final int NO_ARGUMENTS = 0;
    static final int ONE_ARGUMENT = 1;
    static final int TWO_ARGUMENTS = 2;

    /**
     * The class {@link Recovery} looks for on the stack: {@link #call} is its only method that calls out
     * to application code, so a frame of this class is that method.
     */
    static final String CALLER_CLASS = DeferRecord.class.getName();

    /** Whether the record lives in the thread's record stack rather than in its pool. */
    boolean stacked;
    int arity;
    Object function;
    Object a;
    Object b;
    DeferRecord next;

    /**
     * Runs the deferred call. This frame marks, on the stack, where the runtime hands control to a
     * deferred call: {@link Recovery} checks that {@code recover()} was called right above it.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void call() throws Exception {
        switch (arity) {
            case NO_ARGUMENTS:
                ((Deferred) function).run();
                break;
            case ONE_ARGUMENT:
                ((Deferred1) function).run(a);
                break;
            default:
                ((Deferred2) function).run(a, b);
                break;
        }
    }

    /** Drops the references, so that a pooled record keeps nothing alive. */
    void clear() {
        function = null;
        a = null;
        b = null;
        next = null;
    }
}
