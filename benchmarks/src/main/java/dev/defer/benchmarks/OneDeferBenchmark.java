package dev.defer.benchmarks;

import dev.defer.Defer;
import dev.defer.Defers;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One cleanup per call: {@code Defer.defer} beside the {@code try}/{@code finally} it replaces and a
 * call with no cleanup at all, measured in the same run. Run under the agent:
 * {@code java -javaagent:defer-agent/target/defer-agent.jar -jar benchmarks/target/benchmarks.jar}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OneDeferBenchmark {
    private int counter;
    private int input = 17;

    private static int work(int x) {
        return x * 31 + 7;
    }

    private void cleanup() {
        counter++;
    }

    /** The floor: the work with no cleanup. */
    @Benchmark
    public int noCleanup() {
        int r = work(input);
        counter++;
        return r;
    }

    /** The hand-written Java that a defer replaces. */
    @Benchmark
    public int tryFinally() {
        try {
            return work(input);
        } finally {
            cleanup();
        }
    }

    /** One deferred call of a method reference that captures {@code this}. */
    @Benchmark
    @Defers
    public int oneDefer() {
        Defer.defer(this::cleanup);
        return work(input);
    }
}
