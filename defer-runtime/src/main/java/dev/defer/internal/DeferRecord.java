package dev.defer.internal;

import dev.defer.Deferred;
import dev.defer.Deferred1;
import dev.defer.Deferred2;

/**
 * One deferred call: Go's {@code _defer} record. Records of one invocation form a last-in-first-out
 * list through {@link #next}; run records go back to their thread's pool, so a steady state allocates
 * none.
 */
final class DeferRecord {
    static final int NO_ARGUMENTS = 0;
    static final int ONE_ARGUMENT = 1;
    static final int TWO_ARGUMENTS = 2;

    /** The class and method {@link Recovery} looks for on the stack: keep in step with {@link #call}. */
    static final String CALLER_CLASS = DeferRecord.class.getName();
    static final String CALLER_METHOD = "call";

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
