package dev.defer.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A paired measurement of {@link PanicRecoverBenchmark}: each panic recovered by a deferred call against the same
 * throwable thrown and caught, in one JVM, in short batches in a shuffled order each round, so that a slow moment
 * of the machine falls on all four cases alike. JMH's separate forks of these cases, each about 90% in
 * {@code fillInStackTrace}, differ from fork to fork by more than the cost of recovering (2026-12-02: the
 * {@code Defer.panic} pair 1.06, 1.28 and 1.35 in three full runs, the thrown-exception pair 1.55, 1.12 and 1.08).
 * Each case has its own timing loop, so that each is compiled on its own as JMH compiles it.
 *
 * <p>Run under the agent, from the repository root, after {@code mvn -B -q -DskipTests package}:
 *
 * <pre>
 * java -javaagent:defer-agent/target/defer-agent.jar -cp benchmarks/target/benchmarks.jar \
 *     dev.defer.benchmarks.PanicInterleaved [ROUNDS]
 * </pre>
 *
 * The first fifth of the rounds warm up and are not counted. The cases run at the stack depth JMH gives them
 * ({@link #JMH_DEPTH}).
 */
public final class PanicInterleaved {
    /** Calls per batch of one case: about a millisecond each. */
    private static final int BATCH = 2_000;
    private static final String[] CASES = {"panicRecover", "throwCatchPanic", "exceptionRecover",
        "throwCatchException"};

    private static int sink;

    private PanicInterleaved() {
    }

    /**
     * The stack depth of a benchmark method in a JMH fork on JDK 17, the method's own frame included: below it JMH's
     * generated stub and timing loop, reflection and a thread pool's worker. A throwable's trace holds every frame, so
     * {@code fillInStackTrace}, most of each case's time, costs with the depth, and recovering's fixed cost is a
     * larger share of a shallower throw: the cases are timed at JMH's depth, so that the ratios are the benchmark's.
     */
    static final int JMH_DEPTH = 15;

    /** The frames of a benchmark method here with no extra frame: its own, its case's loop, time, measureAt and main. */
    private static final int OWN_FRAMES = 5;

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        AgentCheck.requireAgent();
        double[][] nanos = new double[CASES.length][rounds];
        int depth = measureAt(JMH_DEPTH - OWN_FRAMES, rounds, nanos);
        if (depth != JMH_DEPTH) {
            throw new AssertionError("PanicInterleaved: the benchmark methods ran at a depth of " + depth
                    + " frames, not JMH's " + JMH_DEPTH);
        }
        int warm = rounds / 5;
        System.out.printf(Locale.ROOT, "PanicInterleaved: %d rounds of %d calls per case (%d counted), ns/op medians:%n",
                rounds, BATCH, rounds - warm);
        System.out.printf(Locale.ROOT, "  (thrown at a stack depth of %d frames, a benchmark method's in JMH's forks)%n",
                depth);
        for (int c = 0; c < CASES.length; c++) {
            System.out.printf(Locale.ROOT, "  %-20s %8.1f%n", CASES[c], Rounds.median(nanos[c], warm, null));
        }
        System.out.printf(Locale.ROOT, "  panicRecover / throwCatchPanic:         %.3f (median of the rounds' ratios)%n",
                Rounds.median(nanos[0], warm, nanos[1]));
        System.out.printf(Locale.ROOT, "  exceptionRecover / throwCatchException: %.3f (median of the rounds' ratios)%n",
                Rounds.median(nanos[2], warm, nanos[3]));
        if (sink == 42) {
            System.out.println();
        }
    }

    /**
     * Runs the rounds {@code extraFrames} calls deeper, and returns the depth at which the benchmark methods ran.
     */
    private static int measureAt(int extraFrames, int rounds, double[][] nanos) {
        if (extraFrames > 0) {
            return measureAt(extraFrames - 1, rounds, nanos);
        }
        PanicRecoverBenchmark benchmark = new PanicRecoverBenchmark();
        Random random = new Random(42);
        List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3));
        for (int round = 0; round < rounds; round++) {
            Collections.shuffle(order, random);
            for (int c : order) {
                nanos[c][round] = (double) time(benchmark, c) / BATCH;
            }
        }
        // time(), each case's loop and the benchmark method are three frames deeper than this one.
        return new Throwable().getStackTrace().length + 3;
    }

    private static long time(PanicRecoverBenchmark benchmark, int c) {
        switch (c) {
            case 0: return panicRecover(benchmark);
            case 1: return throwCatchPanic(benchmark);
            case 2: return exceptionRecover(benchmark);
            default: return throwCatchException(benchmark);
        }
    }

    private static long panicRecover(PanicRecoverBenchmark benchmark) {
        long start = System.nanoTime();
        int s = 0;
        for (int i = 0; i < BATCH; i++) {
            s += benchmark.panicRecover();
        }
        sink += s;
        return System.nanoTime() - start;
    }

    private static long throwCatchPanic(PanicRecoverBenchmark benchmark) {
        long start = System.nanoTime();
        int s = 0;
        for (int i = 0; i < BATCH; i++) {
            s += benchmark.throwCatchPanic();
        }
        sink += s;
        return System.nanoTime() - start;
    }

    private static long exceptionRecover(PanicRecoverBenchmark benchmark) {
        long start = System.nanoTime();
        int s = 0;
        for (int i = 0; i < BATCH; i++) {
            s += benchmark.exceptionRecover();
        }
        sink += s;
        return System.nanoTime() - start;
    }

    private static long throwCatchException(PanicRecoverBenchmark benchmark) {
        long start = System.nanoTime();
        int s = 0;
        for (int i = 0; i < BATCH; i++) {
            s += benchmark.throwCatchException();
        }
        sink += s;
        return System.nanoTime() - start;
    }
}
