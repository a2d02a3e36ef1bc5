package dev.defer.benchmarks;

import com.google.common.io.Closer;
import dev.defer.Defer;
import dev.defer.Defers;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayDeque;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Cleanups registered in a loop, a number known only at run time: {@code Defer.defer} in the loop beside what Java
 * needs by hand, an {@code ArrayDeque<Runnable>} drained in {@code finally} or Guava's {@link Closer}. The deferred
 * call is a static method reference (non-capturing) except in {@link #loopDefer16Capturing()}. Go's LoopDefer1 and
 * LoopDefer16 have 1 and 16.
 */
public class LoopDeferBenchmark extends MicroBenchmark {
    static int released;

    /** The loop bounds, from fields so that the JIT cannot unroll a constant loop away. */
    private int one = 1;
    private int sixteen = 16;

    private static final Closeable RELEASE = LoopDeferBenchmark::release;

    static void release() {
        released++;
    }

    @Benchmark
    @Defers
    public int loopDefer1() {
        int n = one;
        for (int i = 0; i < n; i++) {
            Defer.defer(LoopDeferBenchmark::release);
        }
        return n;
    }

    @Benchmark
    public int arrayDeque1() {
        return arrayDeque(one);
    }

    @Benchmark
    @Defers
    public int loopDefer16() {
        int n = sixteen;
        for (int i = 0; i < n; i++) {
            Defer.defer(LoopDeferBenchmark::release);
        }
        return n;
    }

    /** 16 lambdas capturing the loop index: 16 lambda objects per call. */
    @Benchmark
    @Defers
    public int loopDefer16Capturing() {
        int n = sixteen;
        for (int i = 0; i < n; i++) {
            int index = i;
            Defer.defer(() -> released += index);
        }
        return n;
    }

    /** By hand: a deque of cleanups, drained last-in-first-out in {@code finally}. */
    @Benchmark
    public int arrayDeque16() {
        return arrayDeque(sixteen);
    }

    /**
     * The floor of any per-thread record stack, not a way to write cleanups: what {@link #loopDefer16()} cannot do
     * without, and nothing else. The records go into a long-lived {@code Object[]} as the runtime's do, one store
     * and an index field written per registration (a panic must find every registered call), and run last first,
     * each slot nulled and the index moved before its call (a call that throws must not run again, and the array
     * must not pin it); no thread lookup, no invocation to enter or leave, no check for room, for a null call or
     * for an invocation above. The array is big enough for the 16 records.
     */
    @Benchmark
    public int recordStackFloor16() {
        int n = sixteen;
        Object[] slots = floorSlots;
        int base = floorEnd;
        try {
            for (int i = 0; i < n; i++) {
                int end = floorEnd;
                slots[end] = (Runnable) LoopDeferBenchmark::release;
                floorEnd = end + 1;
            }
            return n;
        } finally {
            for (int end = floorEnd; end > base; ) {
                Runnable cleanup = (Runnable) slots[--end];
                slots[end] = null;
                floorEnd = end;
                cleanup.run();
            }
        }
    }

    /** {@link #recordStackFloor16()}'s record stack and its end: allocated once, as a thread's is. */
    private final Object[] floorSlots = new Object[64];
    private int floorEnd;

    /**
     * {@link #recordStackFloor16()} with the one step a correct design cannot leave out: finding the current
     * thread's record stack, here with one {@link ThreadLocal} lookup per call (a method that registers cleanups
     * runs on any thread, and a panic unwinding it must find them in that thread's stack). Still no invocation to
     * enter or leave and no check, so a design that keeps its records per thread costs at least this.
     */
    @Benchmark
    public int recordStackThreadFloor16() {
        int n = sixteen;
        ThreadRecords records = THREAD_RECORDS.get();
        Object[] slots = records.slots;
        int base = records.end;
        try {
            for (int i = 0; i < n; i++) {
                int end = records.end;
                slots[end] = (Runnable) LoopDeferBenchmark::release;
                records.end = end + 1;
            }
            return n;
        } finally {
            for (int end = records.end; end > base; ) {
                Runnable cleanup = (Runnable) slots[--end];
                slots[end] = null;
                records.end = end;
                cleanup.run();
            }
        }
    }

    /** {@link #recordStackThreadFloor16()}'s per-thread record stack, big enough for its 16 records. */
    private static final class ThreadRecords {
        final Object[] slots = new Object[64];
        int end;
    }

    private static final ThreadLocal<ThreadRecords> THREAD_RECORDS = ThreadLocal.withInitial(ThreadRecords::new);

    /** Guava's Closer, which also closes the rest when one close throws and keeps the suppressed exceptions. */
    @Benchmark
    public int guavaCloser16() throws IOException {
        int n = sixteen;
        Closer closer = Closer.create();
        try {
            for (int i = 0; i < n; i++) {
                closer.register(RELEASE);
            }
            return n;
        } catch (Throwable t) {
            throw closer.rethrow(t);
        } finally {
            closer.close();
        }
    }

    private static int arrayDeque(int n) {
        ArrayDeque<Runnable> cleanups = new ArrayDeque<>();
        try {
            for (int i = 0; i < n; i++) {
                cleanups.push(LoopDeferBenchmark::release);
            }
            return n;
        } finally {
            Runnable cleanup;
            while ((cleanup = cleanups.poll()) != null) {
                cleanup.run();
            }
        }
    }

    @Override
    protected void verify() {
        int before = released;
        loopDefer1();
        loopDefer16();
        check(released == before + 17, "loop defers run once each");
        loopDefer16Capturing();
        check(released == before + 17 + 120, "capturing loop defers run once each");
        try {
            guavaCloser16();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        arrayDeque16();
        check(released == before + 17 + 120 + 32, "the hand-written loops run every cleanup");
        recordStackFloor16();
        check(released == before + 17 + 120 + 48 && floorEnd == 0 && floorSlots[0] == null,
                "the record stack floor runs every cleanup and empties its slots");
        recordStackThreadFloor16();
        ThreadRecords records = THREAD_RECORDS.get();
        check(released == before + 17 + 120 + 64 && records.end == 0 && records.slots[0] == null,
                "the per-thread record stack floor runs every cleanup and empties its slots");
    }
}
