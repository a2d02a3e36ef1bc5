package dev.defer.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A paired measurement of {@link LoopDeferBenchmark}'s loop defers against the {@code ArrayDeque} written by hand,
 * for a machine so loaded that JMH's separate forks (each case in its own JVM, seconds apart) measure mostly the
 * other processes. One JVM runs the four cases in short batches, in a shuffled order each round, so that a slow
 * moment of the machine falls on all four alike, and reports for each ratio the median of the rounds' ratios.
 * Each case has its own timing loop, so that each is compiled on its own as JMH compiles it.
 *
 * <p>With {@code floor} after the rounds, a fifth case runs too: the floor of a record stack
 * ({@link LoopDeferBenchmark#recordStackFloor16()}, {@code floor16}), with its ratios to {@code arrayDeque16} and
 * {@code loopDefer16}. It is not run by default because it changes the other cases' figures: on JDK 25 the same
 * build measured {@code loopDefer16 / arrayDeque16} 1.11-1.22 without it and 1.39-1.58 with it, so only runs of
 * the same cases compare.
 *
 * <p>Run under the agent, from the repository root, after {@code mvn -B -q -DskipTests package}:
 *
 * <pre>
 * java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -javaagent:defer-agent/target/defer-agent.jar \
 *     -cp benchmarks/target/benchmarks.jar dev.defer.benchmarks.LoopInterleaved [ROUNDS [floor]]
 * </pre>
 *
 * The first fifth of the rounds warm up and are not counted.
 */
public final class LoopInterleaved {
    /** Calls per batch of one case: a few hundred microseconds each. */
    private static final int BATCH = 20_000;
    private static final String[] CASES = {"loopDefer1", "arrayDeque1", "loopDefer16", "arrayDeque16", "floor16"};

    private static int sink;

    private LoopInterleaved() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        AgentCheck.requireAgent();
        LoopDeferBenchmark benchmark = new LoopDeferBenchmark();
        int cases = args.length > 1 && args[1].equals("floor") ? CASES.length : CASES.length - 1;
        double[][] nanos = new double[cases][rounds];
        Random random = new Random(42);
        List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3, 4).subList(0, cases));
        for (int round = 0; round < rounds; round++) {
            Collections.shuffle(order, random);
            for (int c : order) {
                nanos[c][round] = (double) time(benchmark, c) / BATCH;
            }
        }
        int warm = rounds / 5;
        System.out.printf(Locale.ROOT, "LoopInterleaved: %d rounds of %d calls per case (%d counted), ns/op medians:%n",
                rounds, BATCH, rounds - warm);
        for (int c = 0; c < cases; c++) {
            System.out.printf(Locale.ROOT, "  %-14s %8.2f%n", CASES[c], Rounds.median(nanos[c], warm, null));
        }
        System.out.printf(Locale.ROOT, "  loopDefer1 / arrayDeque1:   %.3f (median of the rounds' ratios)%n",
                Rounds.median(nanos[0], warm, nanos[1]));
        System.out.printf(Locale.ROOT, "  loopDefer16 / arrayDeque16: %.3f (median of the rounds' ratios)%n",
                Rounds.median(nanos[2], warm, nanos[3]));
        if (cases == CASES.length) {
            System.out.printf(Locale.ROOT, "  floor16 / arrayDeque16:     %.3f (median of the rounds' ratios)%n",
                    Rounds.median(nanos[4], warm, nanos[3]));
            System.out.printf(Locale.ROOT, "  loopDefer16 / floor16:      %.3f (median of the rounds' ratios)%n",
                    Rounds.median(nanos[2], warm, nanos[4]));
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    private static long time(LoopDeferBenchmark benchmark, int c) {
        switch (c) {
            case 0: return loopDefer1(benchmark);
            case 1: return arrayDeque1(benchmark);
            case 2: return loopDefer16(benchmark);
            case 3: return arrayDeque16(benchmark);
            default: return floor16(benchmark);
        }
    }

    private static long loopDefer1(LoopDeferBenchmark benchmark) {
        long start = System.nanoTime();
        int s = 0;
        for (int i = 0; i < BATCH; i++) {
            s += benchmark.loopDefer1();
        }
        sink += s;
        return System.nanoTime() - start;
    }

    private static long arrayDeque1(LoopDeferBenchmark benchmark) {
        long start = System.nanoTime();
        int s = 0;
        for (int i = 0; i < BATCH; i++) {
            s += benchmark.arrayDeque1();
        }
        sink += s;
        return System.nanoTime() - start;
    }

    private static long loopDefer16(LoopDeferBenchmark benchmark) {
        long start = System.nanoTime();
        int s = 0;
        for (int i = 0; i < BATCH; i++) {
            s += benchmark.loopDefer16();
        }
        sink += s;
        return System.nanoTime() - start;
    }

    private static long arrayDeque16(LoopDeferBenchmark benchmark) {
        long start = System.nanoTime();
        int s = 0;
        for (int i = 0; i < BATCH; i++) {
            s += benchmark.arrayDeque16();
        }
        sink += s;
        return System.nanoTime() - start;
    }

    private static long floor16(LoopDeferBenchmark benchmark) {
        long start = System.nanoTime();
        int s = 0;
        for (int i = 0; i < BATCH; i++) {
            s += benchmark.recordStackFloor16();
        }
        sink += s;
        return System.nanoTime() - start;
    }
}
