package dev.defer.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The settings every nanosecond-scale case shares (JMH reads these annotations from superclasses), and the check
 * that the fork runs under the agent. Command-line options ({@code -f}, {@code -wi}, {@code -i}, ...) override them;
 * {@code benchmarks/run.sh} does so only in its quick mode.
 *
 * <p>Three forks of 3 warm-up and 5 measured one-second iterations: about 28 seconds a case with the JVM starts. Three
 * forks, because the report judges each target on the median of all forks' iterations, and one fork slowed by
 * another process must not decide it; 5 iterations of 1 s, because a fork's iterations agree far better than forks
 * do on a shared machine, so more forks buy more than longer ones. The whole suite stays under 25 minutes on two
 * cores.
 * {@code jvmArgsAppend} keeps the host's arguments, the {@code -javaagent} among them, and adds {@link ForkArgs}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {ForkArgs.HEAP_MIN, ForkArgs.HEAP_MAX, ForkArgs.PRE_TOUCH})
public abstract class MicroBenchmark {
    /** The input of {@link Work#work}, read from a field so that the JIT cannot fold it. */
    protected int x = 17;

    @Setup(Level.Trial)
    public void requireAgent() {
        AgentCheck.requireAgent();
        verify();
    }

    /** Runs each defer case once and checks it did what its hand-written twin does; throws if not. */
    protected abstract void verify();

    protected static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("benchmark self-check failed: " + what);
        }
    }
}
