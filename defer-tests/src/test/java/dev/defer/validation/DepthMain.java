package dev.defer.validation;

import dev.defer.Defer;
import dev.defer.Deferred;
import dev.defer.Defers;

/**
 * Run by {@link DefaultStackDepthTest} in a fresh JVM on the default thread stack: S14's recursion, one defer
 * per level, for one strategy or the {@code try}/{@code finally} twin. For each shape named on the command
 * line it prints {@code SHAPE levels=N ran=R result=V} for a recursion {@code N} levels deep (R deferred calls
 * ran, V returned; {@code overflow} instead when the stack overflowed), then {@code SHAPE reach=D}: the levels
 * an unbounded recursion reached before the overflow. With {@code warm} instead of the levels, it first runs every
 * shape 200 levels deep 20,000 times (so that the JIT compiles them), once 50,000 deep, and the 20,000 times again, then prints
 * {@code SHAPE reach=D} for an unbounded recursion on a thread with a 16 MB stack.
 */
public final class DepthMain {
    static int limit;
    static int deepest;
    static int ran;
    static boolean panicAtLimit;

    private static final Deferred COUNT = DepthMain::count;

    private DepthMain() {
    }

    static void count() {
        ran++;
    }

    static int atLimit() {
        if (panicAtLimit) {
            throw new IllegalStateException("rehearsal");
        }
        return 0;
    }

    static int twin(int n) {
        deepest = n;
        try {
            if (n == limit) {
                return atLimit();
            }
            return twin(n + 1) + 1;
        } finally {
            ran++;
        }
    }

    @Defers
    static int openCoded(int n) {
        deepest = n;
        Defer.defer(() -> ran++);
        if (n == limit) {
            return atLimit();
        }
        return openCoded(n + 1) + 1;
    }

    @Defers
    static int stackRecord(int n) {
        deepest = n;
        Defer.defer(COUNT);
        if (n == limit) {
            return atLimit();
        }
        return stackRecord(n + 1) + 1;
    }

    /** A held deferred call (not made at the site): pooled records. */
    @Defers
    static int loopRecord(int n) {
        deepest = n;
        for (int i = 0; i < 1; i++) {
            Defer.defer(COUNT);
        }
        if (n == limit) {
            return atLimit();
        }
        return loopRecord(n + 1) + 1;
    }

    /** A method reference made at the site: lazy records, the one call kept in the method's local. */
    @Defers
    static int loopLazy(int n) {
        deepest = n;
        for (int i = 0; i < 1; i++) {
            Defer.defer(DepthMain::count);
        }
        if (n == limit) {
            return atLimit();
        }
        return loopLazy(n + 1) + 1;
    }

    static int run(String shape) {
        switch (shape) {
            case "twin":
                return twin(0);
            case "openCoded":
                return openCoded(0);
            case "stackRecord":
                return stackRecord(0);
            case "loopRecord":
                return loopRecord(0);
            case "loopLazy":
                return loopLazy(0);
            default:
                throw new IllegalArgumentException("DepthMain: unknown shape " + shape
                        + "; give twin, openCoded, stackRecord, loopRecord or loopLazy");
        }
    }

    /**
     * One shallow run and one shallow panic: they link the lambda and load the runtime, which an open-coded method
     * otherwise first uses when it panics, at the bottom of the full stack (issue 9, items 1 and 4).
     */
    static void rehearse(String shape) {
        limit = 1;
        run(shape);
        panicAtLimit = true;
        try {
            run(shape);
        } catch (IllegalStateException expected) {
            // the rehearsal's panic
        }
        panicAtLimit = false;
    }

    /** Runs on a new thread with the JVM's default stack size, as the test's contract says. */
    static String onDefaultStack(String shape, int levels) throws InterruptedException {
        return onStack(shape, levels, 0);
    }

    static String onStack(String shape, int levels, long stackSize) throws InterruptedException {
        String[] line = new String[1];
        Thread thread = new Thread(null, () -> {
            limit = levels;
            ran = 0;
            deepest = 0;
            try {
                int result = run(shape);
                line[0] = "levels=" + levels + " ran=" + ran + " result=" + result;
            } catch (StackOverflowError e) {
                line[0] = levels == Integer.MAX_VALUE ? "reach=" + (deepest + 1) : "levels=" + levels + " overflow";
            }
        }, "depth-" + shape, stackSize);
        thread.start();
        thread.join();
        return line[0];
    }

    /** The levels of the warm-up's deep run: past the record stack's first 4,096 slots and the pool's 1,024. */
    static final int DEEP_WARM_UP = 50_000;

    /** Runs every shape 200 levels deep 20,000 times. */
    static void warmUp(String[] args) {
        limit = 200;
        for (int round = 0; round < 20_000; round++) {
            for (int i = 1; i < args.length; i++) {
                run(args[i]);
            }
        }
    }

    /**
     * Prints the lines for each shape.
     *
     * @param args the levels or {@code warm}, then the shapes
     */
    public static void main(String[] args) throws Exception {
        for (int i = 1; i < args.length; i++) {
            rehearse(args[i]);
        }
        if (args[0].equals("warm")) {
            warmUp(args);
            // One run 50,000 levels deep, then the warm-up again: the run meets what 200 levels never do (the
            // record stack's growth, the end of the invocation pool), whose first time deoptimises the compiled
            // code, so that the levels until the recompilation run interpreted; a warmed-up program has been
            // there before, and the second warm-up gives the JIT the time to recompile. (Not an overflow: its
            // handlers, once run, are compiled in, and the try/finally twin's frame grows by half.)
            for (int i = 1; i < args.length; i++) {
                onStack(args[i], DEEP_WARM_UP, 16L << 20);
            }
            warmUp(args);
            for (int i = 1; i < args.length; i++) {
                System.out.println(args[i] + " " + onStack(args[i], Integer.MAX_VALUE, 16L << 20));
            }
            return;
        }
        int levels = Integer.parseInt(args[0]);
        for (int i = 1; i < args.length; i++) {
            String shape = args[i];
            System.out.println(shape + " " + onDefaultStack(shape, levels));
            System.out.println(shape + " " + onDefaultStack(shape, Integer.MAX_VALUE));
        }
    }
}
