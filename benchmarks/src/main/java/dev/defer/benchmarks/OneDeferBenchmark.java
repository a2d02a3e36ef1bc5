package dev.defer.benchmarks;

import static dev.defer.benchmarks.Work.work;

import dev.defer.Defer;
import dev.defer.Defers;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * One cleanup per call: the call with no cleanup, the {@code try}/{@code finally} and {@code try}-with-resources a
 * defer replaces, and one {@code Defer.defer} with a non-capturing deferred call (a static method reference, and a
 * lambda touching a static field) and with a capturing lambda. Every case returns {@code work(x)}, which JMH
 * consumes; every cleanup adds to the static {@link #released}, so none can be removed.
 */
public class OneDeferBenchmark extends MicroBenchmark {
    /** What the cleanups do: a static field, so that a deferred call can touch it without capturing anything. */
    static int released;

    private final Releaser releaser = new Releaser();

    static void release() {
        released++;
    }

    /** A resource whose {@code close()} is the same cleanup; one instance, so no case allocates. */
    static final class Releaser implements AutoCloseable {
        @Override
        public void close() {
            release();
        }
    }

    /** The floor: the work alone. */
    @Benchmark
    public int noCleanup() {
        return work(x);
    }

    /** The hand-written Java a defer replaces. */
    @Benchmark
    public int tryFinally() {
        try {
            return work(x);
        } finally {
            release();
        }
    }

    @Benchmark
    public int tryWithResources() {
        try (Releaser r = releaser) {
            return work(x);
        }
    }

    /** One defer of a static method reference: non-capturing, so the deferred call is a constant. */
    @Benchmark
    @Defers
    public int oneDeferStatic() {
        Defer.defer(OneDeferBenchmark::release);
        return work(x);
    }

    /** One defer of a lambda touching a static field: non-capturing too. */
    @Benchmark
    @Defers
    public int oneDeferLambda() {
        Defer.defer(() -> released++);
        return work(x);
    }

    /** One defer of a lambda capturing a local: a new lambda object per call. */
    @Benchmark
    @Defers
    public int oneDeferCapturing() {
        int amount = x;
        Defer.defer(() -> released += amount);
        return work(amount);
    }

    @Override
    protected void verify() {
        int before = released;
        int r = oneDeferStatic() + oneDeferLambda() + oneDeferCapturing();
        check(r == 3 * work(x) && released == before + 2 + x, "one defer runs its cleanup once");
    }
}
