package dev.defer.internal;

import dev.defer.Deferred;
import dev.defer.Deferred1;
import dev.defer.Deferred2;
import java.util.Arrays;

/**
 * How one deferred call (Go's {@code _defer} record) lies in its thread's record stack, and the loop that
 * runs an invocation's records.
 *
 * <p>The record stack is a plain {@code Object[]} ({@link DeferThread#slots}); a record takes one slot per
 * reference, oldest record lowest, and is read from its top:
 *
 * <pre>
 *   Defer.defer(f)        [ f ]                 the top is the function
 *   Defer.defer(f, a)     [ f, a, null ]        the top is null
 *   Defer.defer(f, a, b)  [ f, a, b, TWO ]      the top is the marker {@link #TWO}
 * </pre>
 *
 * <p>A function is never null nor the marker (which is private to the runtime), so the top of a record
 * tells its size. The common record, a call without arguments, is a single reference store: no record
 * object, no arity field, no link; a call with one argument adds a store of its argument and one of null,
 * which needs no card mark. Records of top-level and loop sites share the stack, in registration
 * order.
 */
final class DeferRecord {
    static final int NO_ARGUMENTS = 0;
    static final int ONE_ARGUMENT = 1;
    static final int TWO_ARGUMENTS = 2;

    /** The top of a record of a {@link Deferred2} and its two arguments. */
    static final Object TWO = new Marker();

    /**
     * A class {@link Recovery} looks for on the stack: {@link #call} is its only method that calls out
     * to application code, so a frame of this class is that method. (Every exit and panic runs its calls in
     * {@code DeferSupport.finish}, which writes this loop out; {@link #call} runs the unwound invocations'.)
     */
    static final String CALLER_CLASS = DeferRecord.class.getName();

    private DeferRecord() {
    }

    /**
     * Runs the records in {@code [base, end)} of the thread's record stack, from the top down. One handler
     * covers the whole walk: a deferred call that throws replaces the invocation's panic, and the walk
     * resumes at the next record, because the index already moved below the failed record before its call.
     * Each slot is emptied as it is read, so neither a return nor a throw leaves a reference behind and no
     * {@code finally} per record is needed.
     *
     * <p>The invocation's {@code end} follows the walk: should the runtime fail here (a stack overflow in the
     * handler), the records still to run are exactly those below it, and a later panic runs them
     * ({@code Invocation.runUnwound}). A deferred call that enters a rewritten method starts it there.
     *
     * <p>This frame marks, on the stack, where the runtime hands control to a deferred call:
     * {@link Recovery} checks that {@code recover()} was called right above it.
     *
     * <p>The walk reads the array it started with. A deferred call that is itself a rewritten method may
     * grow the thread's array or trim it; either copies the slots below its own base (so below
     * {@code end}) into a new array and leaves this one as it was, so the records still to run read the
     * same here. The slots emptied here are then emptied in the new array too, at the end.
     *
     * <p>{@code DeferSupport.finish} (every panic) and {@code OutOfLine.finish} (a normal return) hold copies of
     * this walk, written out rather than called so that a deferred call that fails there has one runtime frame
     * below it; this one serves only the calls of unwound invocations ({@code Invocation.runUnwound}). A change
     * to the record layout or the walk changes all three.
     *
     * @param invocation the invocation whose records these are: its panic is replaced when a call throws
     * @param thread its thread
     * @param base the invocation's first slot
     * @param end one past its last slot
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void call(Invocation invocation, DeferThread thread, int base, int end) {
        Object[] slots = thread.slots;
        int index = end;
        while (index > base) {
            try {
                do {
                    Object top = slots[--index];
                    slots[index] = null;
                    if (top == null) {
                        Object a = slots[--index];
                        Object f = slots[--index];
                        slots[index + 1] = null;
                        slots[index] = null;
                        invocation.end = index;
                        ((Deferred1) f).run(a);
                    } else if (top == TWO) {
                        Object b = slots[--index];
                        Object a = slots[--index];
                        Object f = slots[--index];
                        slots[index + 2] = null;
                        slots[index + 1] = null;
                        slots[index] = null;
                        invocation.end = index;
                        ((Deferred2) f).run(a, b);
                    } else {
                        invocation.end = index;
                        ((Deferred) top).run();
                    }
                } while (index > base);
            } catch (Throwable replacement) {
                invocation.replacePanic(replacement);
            }
        }
        Object[] now = thread.slots;
        if (now != slots) {
            // A deferred call replaced the array: its copies of the records that ran must not pin them.
            Arrays.fill(now, base, Math.min(end, now.length), null);
        }
    }

    /** The number of slots a record of this arity takes. */
    static int size(int arity) {
        return arity == NO_ARGUMENTS ? 1 : arity + 2;
    }

    /** The top of a record with two arguments. */
    private static final class Marker {
        @Override
        public String toString() {
            return "DeferRecord.TWO";
        }
    }
}
