package dev.defer.internal;

import java.util.Arrays;

/**
 * A thread's defer state: the stack of active invocations (Go's per-goroutine {@code _defer} list, here
 * split per invocation), the invocation whose deferred calls are running, and the record stack that holds
 * every invocation's deferred calls.
 *
 * <p>The record stack is one {@code Object[]} (its layout: {@link DeferRecord}): an invocation owns the
 * slots from its {@link Invocation#recordStackBase base} to its {@link Invocation#end end}, filled in
 * registration order by top-level and loop sites alike, so its deferred calls run by walking that range
 * downwards. Registering a call without arguments stores one reference and bumps an index; no record is
 * allocated, linked, taken from or returned to a pool. The array grows with the deepest use (a loop of
 * 1,000,000 defers makes it at least 1,000,000 long) and shrinks back to {@link #RECORD_STACK_LIMIT}
 * slots once the exits bring the stack below that, so one huge loop does not pin its memory for the
 * thread's lifetime.
 *
 * <p>Looked up once per invocation, in {@link DeferSupport#enter}; everything after goes through the
 * {@link Invocation}. Only its own thread touches it, so nothing here is synchronised.
 */
public final class DeferThread {
    /** Invocation objects kept for reuse per thread; deeper recursion allocates and frees them. */
    static final int INVOCATION_POOL_DEPTH = 1024;
    /** Record slots a thread keeps once its invocations no longer need more (its memory bound). */
    static final int RECORD_STACK_LIMIT = 4096;
    /** The record stack's first size. */
    static final int INITIAL_RECORD_STACK = 16;

    /** A subclass, not a lambda: the runtime links no call site, so its first use needs little stack. */
    private static final ThreadLocal<DeferThread> CURRENT = new ThreadLocal<>() {
        @Override
        protected DeferThread initialValue() {
            return new DeferThread();
        }
    };

    /** The innermost active invocation: its body or its deferred calls are running. */
    Invocation top;
    /** The bottom of the stack of invocation objects, kept for reuse. */
    Invocation bottom;
    /** The innermost invocation whose deferred calls are running. */
    Invocation finishing;

    /**
     * The record stack. The slots in use end at {@link #top}'s {@link Invocation#end}: the top invocation's
     * records lie above those of every other active invocation (see {@link Invocation#push}).
     */
    Object[] slots = new Object[INITIAL_RECORD_STACK];

    private DeferThread() {
    }

    static DeferThread current() {
        return CURRENT.get();
    }

    Invocation enter(Class<?> owner, String method) {
        Invocation invocation = prepare(owner, method);
        makeTop(invocation);
        return invocation;
    }

    /**
     * Makes the invocation the top, above the one that was: closes the fast path of the one it covers (its
     * {@link Invocation#topMask}, which safety needs: should the new top end abnormally, the covered one's next
     * {@code defer} takes the slow path and takes the top back) and opens its own. Every place that puts an
     * invocation above another goes through here.
     */
    void makeTop(Invocation invocation) {
        Invocation covered = top;
        if (covered != null) {
            covered.topMask = 0;
        }
        invocation.topMask = -1;
        top = invocation;
    }

    /**
     * The next invocation object, set up but not yet on the stack: an open-coded method's handler fills it
     * with the pending deferred calls ({@link Invocation#handOver}), and {@link Invocation#finish} puts it on
     * the stack. Should the handler fail half-way (a stack overflow), nothing is left on this thread's
     * stack; the slots it wrote lie above the top's end, where the next records overwrite them.
     */
    Invocation prepare(Class<?> owner, String method) {
        Invocation below = top;
        Invocation invocation = below == null ? bottom : below.above;
        if (invocation == null) {
            invocation = new Invocation(this, below);
            if (below == null) {
                bottom = invocation;
            } else if (invocation.depth < INVOCATION_POOL_DEPTH) {
                below.above = invocation;
            }
        }
        invocation.owner = owner;
        invocation.method = method;
        // A reused object may be one an abnormal exit left behind: drop its records and its slot.
        int base = usedSlots();
        invocation.recordStackBase = base;
        invocation.end = base;
        invocation.primitive = 0L;
        invocation.reference = null;
        return invocation;
    }

    /**
     * Makes room for a record that needs the slots up to {@code needed} (exclusive): at least doubles the
     * array, so that a long loop copies it a logarithmic number of times.
     *
     * @return the new array
     */
    Object[] growSlots(int needed) {
        Object[] old = slots;
        long capacity = Math.max((long) old.length * 2, needed);
        if (needed < 0 || capacity > Integer.MAX_VALUE - 8) {
            throw new OutOfMemoryError("defer: too many deferred calls on one thread");
        }
        Object[] grown = Arrays.copyOf(old, (int) capacity);
        slots = grown;
        return grown;
    }

    /**
     * Gives back the slots beyond {@link #RECORD_STACK_LIMIT} once no active invocation uses them: called
     * by an exit that leaves a grown array behind. An invocation whose deferred calls are running when a
     * nested exit trims the array has its slots below that exit's base, so they are copied.
     */
    void trimSlots() {
        if (usedSlots() <= RECORD_STACK_LIMIT && slots.length > RECORD_STACK_LIMIT) {
            slots = Arrays.copyOf(slots, RECORD_STACK_LIMIT);
        }
    }

    /** The result type last used on this thread, to spare the shared cache's lookup in a loop. */
    private Class<?> lastOwner;
    private String lastMethod;
    private ResultType lastResultType;

    /**
     * The result type of a method, for {@code Defer.result()} and {@code Defer.setResult()}. The method
     * string is a class-file constant, so the same method passes the same string object.
     */
    ResultType resultType(Class<?> owner, String method) {
        if (method != lastMethod || owner != lastOwner) {
            lastResultType = ResultType.of(owner, method);
            lastOwner = owner;
            lastMethod = method;
        }
        return lastResultType;
    }

    /** The number of record slots the thread holds: for tests of the memory bound. */
    int slotCapacity() {
        return slots.length;
    }

    /**
     * Where the next invocation's records start: the top invocation's end, which lies at or above the end
     * of every active invocation. It may also lie above slots that an abnormal exit abandoned (never below
     * a live one): the next push of the invocation below overwrites them, and they never run (S12).
     */
    int usedSlots() {
        Invocation t = top;
        return t == null ? 0 : t.end;
    }

    /**
     * The invocation whose result slot {@code Defer.result()} and {@code Defer.setResult()} use.
     *
     * @param operation the API method, for the error message
     * @return the innermost active invocation
     * @throws IllegalStateException when there is none
     */
    public static Invocation activeForResult(String operation) {
        Invocation invocation = CURRENT.get().top;
        if (invocation == null) {
            throw Misuse.noInvocation(operation);
        }
        return invocation;
    }

    /**
     * Throws any throwable, checked ones included, without wrapping it.
     *
     * @param t the throwable
     * @return never returns; declared so that callers can write {@code throw sneakyThrow(t)}
     */
    public static RuntimeException sneakyThrow(Throwable t) {
        throw DeferThread.<RuntimeException>uncheckedThrow(t);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException uncheckedThrow(Throwable t) throws T {
        throw (T) t;
    }
}
