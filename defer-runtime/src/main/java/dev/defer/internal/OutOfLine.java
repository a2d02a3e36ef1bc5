package dev.defer.internal;

import dev.defer.Deferred;
import dev.defer.Deferred1;
import dev.defer.Deferred2;
import java.util.Arrays;

/**
 * The records' entry and their normal return's run loop: the two runtime paths of a records method that are
 * calls, never inlined into it, where the rest ({@code deferStacked}, the exits' common case) is.
 *
 * <p>Why: C2 turns a branch it has never seen taken into an uncommon trap, and a trap keeps every live value
 * of every frame inlined at that point in the compiled frame's stack slots, for deoptimisation. Inlined into a
 * recursive rewritten method, which C2 inlines into itself once, the entry's thread lookup and pool growth and
 * the run loop's rare cases made its frame 80 bytes for two levels, or more: 0.25-0.40 of the depth of its
 * {@code try}/{@code finally} twin (32 bytes), depending on the JDK and on what C2 inlined first. As calls, with
 * one test on the {@code defer}'s fast path, 64 bytes: 0.50, on JDK 17 and 25, tiered or C2 alone ("Stack
 * depth" in docs/design.md). The price is a call per invocation at its entry and one at an exit that runs
 * records, which docs/performance.md measures.
 *
 * <p>How: C2 does not inline a method of a {@code Throwable} subclass into a method it is inlining unless the
 * method being compiled is itself a {@code Throwable}'s ("exception method" in {@code -XX:+PrintInlining}),
 * whatever the callee's size or profile. The rewritten method calls {@code DeferSupport.enter} and the exits,
 * which C2 inlines; their calls here stay calls. This class is never instantiated; it extends
 * {@code Throwable} for that rule alone, and has no static initialiser, as {@link FirstUse} requires of what
 * rewritten code touches before the runtime is prepared.
 */
@SuppressWarnings("serial")
final class OutOfLine extends Throwable {
    private OutOfLine() {
    }

    /**
     * {@link DeferSupport#enter}: the common case written out, the rest in {@link DeferThread#enter}.
     *
     * @param owner the class that declares the method
     * @param method the method's name and descriptor
     * @return the invocation, now the thread's top
     */
    static Invocation enter(Class<?> owner, String method) {
        if (!FirstUse.prepared) {
            FirstUse.prepare();
        }
        DeferThread thread = DeferThread.current();
        Invocation below = thread.top;
        Invocation invocation = below == null ? thread.bottom : below.above;
        if (invocation == null) {
            return thread.enter(owner, method);
        }
        // DeferThread.prepare's writes: a reused object may be one an abnormal exit left behind.
        int base = below == null ? 0 : below.end;
        invocation.owner = owner;
        invocation.method = method;
        invocation.recordStackBase = base;
        invocation.end = base;
        invocation.primitive = 0L;
        invocation.reference = null;
        thread.makeTop(invocation);
        return invocation;
    }

    /**
     * The run loop of a normal return with records to run: {@link DeferSupport#finish(Throwable, Invocation, int)}'s
     * work for that case alone, without its {@code try}/{@code finally} and the resets of a panic's fields. A
     * call, not inlined (see the class comment). Named {@code finish} too, as {@link Recovery} knows a run
     * loop's frame by that name. A throwing deferred call turns the return into a panic: the full {@code
     * finish} runs the rest, as it would have. So does everything rare: an invocation above that ended
     * abnormally, a record stack to trim.
     *
     * @param invocation the invocation that ends, its result slot already written
     * @return the reference result slot after the deferred calls ran (null for other results)
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object finish(Invocation invocation) {
        DeferThread t = invocation.thread;
        Object[] slots = t.slots;
        if (t.top != invocation || slots.length > DeferThread.RECORD_STACK_LIMIT) {
            return DeferSupport.finish(null, invocation, DeferSupport.OBJECT_RESULT);
        }
        Invocation outer = t.finishing;
        if (invocation.finishingBelow != outer) {
            invocation.finishingBelow = outer;
        }
        t.finishing = invocation;
        int base = invocation.recordStackBase;
        int end = invocation.end;
        int index = end;
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
                } else if (top == DeferRecord.TWO) {
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
            return finishPanicking(replacement, invocation, outer);
        }
        t.finishing = outer;
        if (t.slots != slots) {
            return finishReplacedSlots(invocation, base, end);
        }
        Invocation below = invocation.below;
        t.top = below;
        if (below != null) {
            below.topMask = -1;
        }
        invocation.owner = null;
        invocation.method = null;
        Object reference = invocation.reference;
        invocation.reference = null;
        return reference;
    }

    /**
     * A deferred call of a normal return threw: the return becomes a panic, as in the full run loop (which
     * would call {@link Invocation#replacePanic} with no panic yet), and the full run loop runs the rest.
     */
    private static Object finishPanicking(Throwable replacement, Invocation invocation, Invocation outer) {
        invocation.thread.finishing = outer;
        invocation.replacePanic(replacement);
        return DeferSupport.finish(null, invocation, DeferSupport.OBJECT_RESULT);
    }

    /** A deferred call replaced the thread's array: the copy must not pin the records that ran; it may need a trim. */
    private static Object finishReplacedSlots(Invocation invocation, int base, int end) {
        Object[] now = invocation.thread.slots;
        Arrays.fill(now, base, Math.min(end, now.length), null);
        Object reference = invocation.reference;
        invocation.pop();
        return reference;
    }
}
