package dev.defer.internal;

/**
 * A thread's defer state: the stack of active invocations (Go's per-goroutine {@code _defer} list, here
 * split per invocation), the invocation whose deferred calls are running, and a bounded pool of records.
 *
 * <p>Looked up once per invocation, in {@link DeferSupport#enter}; everything after goes through the
 * {@link Invocation}. Only its own thread touches it, so nothing here is synchronised.
 */
public final class DeferThread {
    /** Records kept for reuse per thread; beyond this, one huge loop's records go to the collector. */
    static final int RECORD_POOL_LIMIT = 1024;
    /** Invocation objects kept for reuse per thread; deeper recursion allocates and frees them. */
    static final int INVOCATION_POOL_DEPTH = 1024;
    /** Stack-style records per thread; top-level defers beyond it (deep recursion) use pooled records. */
    static final int RECORD_STACK_LIMIT = 4096;

    private static final ThreadLocal<DeferThread> CURRENT = ThreadLocal.withInitial(DeferThread::new);

    /** The innermost active invocation: its body or its deferred calls are running. */
    Invocation top;
    /** The bottom of the stack of invocation objects, kept for reuse. */
    private Invocation bottom;
    /** The innermost invocation whose deferred calls are running. */
    Invocation finishing;

    private DeferRecord freeRecords;
    private int freeRecordCount;

    /** Stack-style records of top-level defers: entries below {@link #recordStackTop} are in use. */
    private DeferRecord[] recordStack = new DeferRecord[16];
    int recordStackTop;

    private DeferThread() {
    }

    static DeferThread current() {
        return CURRENT.get();
    }

    Invocation enter(Class<?> owner, String method) {
        Invocation invocation = prepare(owner, method);
        top = invocation;
        return invocation;
    }

    /**
     * The next invocation object, set up but not yet on the stack: an open-coded method's handler fills it
     * with the pending deferred calls, and {@link Invocation#finish} puts it on the stack. Should the
     * handler fail half-way (a stack overflow), nothing is left on this thread's stack.
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
        invocation.head = null;
        invocation.primitive = 0L;
        invocation.reference = null;
        invocation.recordStackBase = recordStackTop;
        return invocation;
    }

    /** A record for a top-level defer: the next entry of the record stack, found by bumping an index. */
    DeferRecord stackRecord() {
        int index = recordStackTop;
        DeferRecord[] stack = recordStack;
        if (index == stack.length) {
            if (index == RECORD_STACK_LIMIT) {
                return allocateRecord();
            }
            stack = recordStack = java.util.Arrays.copyOf(stack, index * 2);
        }
        DeferRecord record = stack[index];
        if (record == null) {
            record = stack[index] = new DeferRecord();
            record.stacked = true;
        }
        recordStackTop = index + 1;
        return record;
    }

    DeferRecord allocateRecord() {
        DeferRecord record = freeRecords;
        if (record == null) {
            return new DeferRecord();
        }
        freeRecords = record.next;
        freeRecordCount--;
        return record;
    }

    /** Returns a record after its call ran: a pooled one to the pool; a stacked one is freed at pop. */
    void releaseRecord(DeferRecord record) {
        record.clear();
        if (!record.stacked && freeRecordCount < RECORD_POOL_LIMIT) {
            record.next = freeRecords;
            freeRecords = record;
            freeRecordCount++;
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

    /** The number of pooled records: for tests of the pool's bound. */
    int pooledRecordCount() {
        return freeRecordCount;
    }

    /** The number of stack-style records in use: for tests that exits free them. */
    int stackedRecordCount() {
        return recordStackTop;
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
