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
    }
}
