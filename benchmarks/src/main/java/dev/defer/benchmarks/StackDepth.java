package dev.defer.benchmarks;

import dev.defer.Defer;
import dev.defer.Deferred;
import dev.defer.Defers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How deep a recursion with one cleanup per level goes before the thread's stack overflows, for each defer
 * strategy beside {@code try}/{@code finally}: the stack a rewritten frame takes (issue 9, item 3). Not a JMH
 * benchmark: a depth is a count, not a time, and the interesting figures are those of a fresh JVM (interpreted
 * frames) as well as of a warmed-up one (compiled frames).
 *
 * <p>Run under the agent, once per JIT mode:
 *
 * <pre>
 *   java -javaagent:defer-agent/target/defer-agent.jar -cp benchmarks/target/benchmarks.jar \
 *       dev.defer.benchmarks.StackDepth [fresh|warm] [STACK_MB]
 * </pre>
 *
 * <p>{@code fresh} (the default) measures each shape once, in the order given, on a new thread of
 * {@code STACK_MB} (default 1, the JVM's default thread stack on Linux x64), before anything warmed it up: with
 * default flags the deepest frames are interpreted or compiled by C1 as the method's counters reach the
 * thresholds, with {@code -Xint} all are interpreted, with {@code -Xcomp} all are compiled. {@code warm} first
 * runs every shape 200 levels deep 20,000 times, so that C2 compiles them, then measures. Each line gives the
 * levels reached, levels per MB of stack, and the ratio to {@code try}/{@code finally}. The best of
 * {@link #ROUNDS} rounds is reported: a round that meets a safepoint or a compilation deep in the stack may stop
 * a few levels short.
 */
public final class StackDepth {
    static final int ROUNDS = 3;

    /** The deepest level the current measurement reached. */
    static int deepest;
    /** The level at which a bounded run (warm-up) turns back; unbounded while measuring. */
    static int limit = Integer.MAX_VALUE;
    static int cleanups;
    /** Whether a bounded run throws at its limit instead of returning. */
    static boolean panicAtLimit;

    private static final Deferred CLEANUP = StackDepth::cleanup;

    private StackDepth() {
    }

    static void cleanup() {
        cleanups++;
    }

    static int atLimit() {
        if (panicAtLimit) {
            throw new IllegalStateException("rehearsal");
        }
        return 0;
    }

    /** The hand-written twin: one {@code try}/{@code finally} per level. */
    static int tryFinally(int n) {
        deepest = n;
        try {
            if (n == limit) {
                return atLimit();
            }
            return tryFinally(n + 1) + 1;
        } finally {
            cleanups++;
        }
    }

    /** Open-coded: the lambda of the class is expanded at the exit, its captures kept in locals. */
    @Defers
    static int openCoded(int n) {
        deepest = n;
        Defer.defer(() -> cleanups++);
        if (n == limit) {
            return atLimit();
        }
        return openCoded(n + 1) + 1;
    }

    /** A stack-style record: the deferred call is not a lambda made at the site, so it is not open-coded. */
    @Defers
    static int stackRecord(int n) {
        deepest = n;
        Defer.defer(CLEANUP);
        if (n == limit) {
            return atLimit();
        }
        return stackRecord(n + 1) + 1;
    }

    /** A pooled (loop) record: the site is on a cycle, and its call is held, not made at the site. */
    @Defers
    static int loopRecord(int n) {
        deepest = n;
        for (int i = 0; i < 1; i++) {
            Defer.defer(CLEANUP);
        }
        if (n == limit) {
            return atLimit();
        }
        return loopRecord(n + 1) + 1;
    }

    /** Lazy records: a loop site whose method reference is made at the site; the one call stays in a local. */
    @Defers
    static int loopLazy(int n) {
        deepest = n;
        for (int i = 0; i < 1; i++) {
            Defer.defer(StackDepth::cleanup);
        }
        if (n == limit) {
            return atLimit();
        }
        return loopLazy(n + 1) + 1;
    }

    enum Shape {
        TRY_FINALLY("try/finally"), OPEN_CODED("open-coded"), STACK_RECORD("stack record"), LOOP_RECORD("loop record"),
        LOOP_LAZY("loop lazy");

        final String label;

        Shape(String label) {
            this.label = label;
        }

        int run(int from) {
            switch (this) {
                case TRY_FINALLY:
                    return tryFinally(from);
                case OPEN_CODED:
                    return openCoded(from);
                case STACK_RECORD:
                    return stackRecord(from);
                case LOOP_RECORD:
                    return loopRecord(from);
                default:
                    return loopLazy(from);
            }
        }
    }

    /**
     * Measures the levels a shape reaches on a new thread with the given stack.
     *
     * @return the levels reached (the deepest {@code n} plus one)
     */
    static int depth(Shape shape, long stackBytes) throws InterruptedException {
        int[] reached = new int[1];
        Thread thread = new Thread(null, () -> {
            deepest = 0;
            limit = Integer.MAX_VALUE;
            try {
                shape.run(0);
                throw new IllegalStateException(shape.label + ": the recursion ended without a StackOverflowError");
            } catch (StackOverflowError expected) {
                reached[0] = deepest + 1;
            }
        }, "stack-depth", stackBytes);
        thread.start();
        thread.join();
        return reached[0];
    }

    static void warmUp() {
        limit = 200;
        for (int i = 0; i < 20_000; i++) {
            for (Shape shape : Shape.values()) {
                shape.run(0);
            }
        }
        limit = Integer.MAX_VALUE;
    }

    /**
     * Prints one line per shape: levels, levels per MB and the ratio to try/finally (when it was measured).
     *
     * @param args {@code fresh} or {@code warm}, the thread stack in MB, then the shapes to measure (all by
     *     default): {@code try/finally}, {@code open-coded}, {@code stack record}, {@code loop record}, {@code loop lazy}
     */
    public static void main(String[] args) throws Exception {
        AgentCheck.requireAgent();
        boolean warm = args.length > 0 && args[0].equals("warm");
        double megabytes = args.length > 1 ? Double.parseDouble(args[1]) : 1;
        long stackBytes = (long) (megabytes * 1024 * 1024);
        List<Shape> shapes = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            shapes.add(shape(args[i]));
        }
        if (shapes.isEmpty()) {
            shapes.addAll(List.of(Shape.values()));
        }
        if (warm) {
            warmUp();
        } else {
            // One shallow run links the lambdas and loads the runtime's classes, which must not happen at the
            // bottom of a full stack (that is items 1 and 4 of issue 9, not the frame size measured here).
            // An open-coded method uses the runtime only when it panics: one shallow panic initialises it.
            limit = 1;
            for (Shape shape : shapes) {
                shape.run(0);
                panicAtLimit = true;
                try {
                    shape.run(0);
                } catch (IllegalStateException expected) {
                    // the rehearsal's own panic
                }
                panicAtLimit = false;
            }
            limit = Integer.MAX_VALUE;
        }
        int base = 0;
        for (Shape shape : shapes) {
            int levels = 0;
            // In a fresh JVM only the first round counts: later rounds find the method compiled.
            for (int r = 0; r < (warm ? ROUNDS : 1); r++) {
                levels = Math.max(levels, depth(shape, stackBytes));
            }
            if (shape == Shape.TRY_FINALLY) {
                base = levels;
            }
            System.out.printf(Locale.ROOT, "%-13s %8d levels %9.0f levels/MB%s%n", shape.label, levels,
                    levels / megabytes, base == 0 ? "" : String.format(Locale.ROOT, "  %.2f of try/finally",
                            levels / (double) base));
        }
    }

    private static Shape shape(String label) {
        for (Shape shape : Shape.values()) {
            if (shape.label.equals(label) || shape.name().equalsIgnoreCase(label)) {
                return shape;
            }
        }
        throw new IllegalArgumentException("StackDepth: unknown shape " + label
                + "; give try/finally, open-coded, stack record, loop record or loop lazy (or their enum names)");
    }
}
