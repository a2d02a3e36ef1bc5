package dev.defer.overflow;

import dev.defer.Defer;
import dev.defer.Defers;
import java.util.Map;
import java.util.TreeMap;

/**
 * Issue 9, item 1, near the overflow: the runtime's very first use comes within a few frames of a stack
 * overflow. Calls one strategy's {@code @Defers} method for the first time at ever shallower depths, each
 * attempt on a new thread with a 512 KB stack, until one call returns; then checks that the call's deferred
 * call ran and that {@code @Defers} calls of every strategy work, on the main thread and on a new one.
 *
 * <p>The depth where the first attempt overflows is measured with a plain recursion; attempts that overflow
 * before they reach the {@code @Defers} method step down {@value #COARSE} levels at a time (the runtime is
 * not used there), the first {@value #FINE} that reach it and fail one level at a time, so the sweep visits
 * every depth within the last few frames of the overflow at which the first use can fail, and the rest
 * {@value #COARSE} levels at a time (under {@code -Xcomp} the window is a few thousand levels wide).
 *
 * <p>Argument: {@code open|stacked|looped|lazy}. Output: {@code reached=N thrown={CLASS=COUNT...} ran=R} (R: the
 * deferred calls that ran for the call that returned), then {@code later=...} and
 * {@code later-other-thread=...}.
 */
public final class FirstUseSweep {
    /** The step where the first use is not reached, and after {@link #FINE} failed first uses. */
    private static final int COARSE = 16;
    /** How many failed first uses the sweep steps one level at a time: the stack's last few frames. */
    private static final int FINE = 400;
    private static final int STACK = 512 * 1024;
    private static final Map<String, Integer> THROWN = new TreeMap<>();
    private static volatile Throwable outcome;
    private static volatile boolean reached;
    private static int levels;
    static int ran;

    private FirstUseSweep() {
    }

    /** Open-coded: the deferred lambda touches only its own class. */
    static final class Open {
        @Defers
        static int site() {
            Defer.defer(() -> ran++);
            return 1;
        }
    }

    /** Stack-style records: the deferred call reaches another class. */
    static final class Stacked {
        @Defers
        static int site() {
            Defer.defer(() -> FirstUseSweep.bump());
            return 2;
        }
    }

    /** Pooled (loop) records. */
    static final class Looped {
        @Defers
        static int site() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> FirstUseSweep.bump());
            }
            return 3;
        }
    }

    /**
     * Lazy records: a loop whose deferred call passes the open-coding screen keeps its one call in the
     * method's local and never enters the runtime, unless a panic hands the call over; during a stack overflow
     * the handler runs the call itself.
     */
    static final class Lazy {
        @Defers
        static int site() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> ran++);
            }
            return 4;
        }
    }

    static void bump() {
        ran++;
    }

    private static int site(String strategy) {
        switch (strategy) {
            case "open":
                return Open.site();
            case "stacked":
                return Stacked.site();
            case "lazy":
                return Lazy.site();
            default:
                return Looped.site();
        }
    }

    private static void down(int n, String strategy) {
        if (n == 0) {
            reached = true;
            site(strategy);
        } else {
            down(n - 1, strategy);
        }
    }

    private static void countDown() {
        levels++;
        countDown();
    }

    private static void attempt(Runnable body) throws InterruptedException {
        outcome = null;
        reached = false;
        ran = 0;
        Thread thread = new Thread(null, () -> {
            try {
                body.run();
            } catch (Throwable e) {
                outcome = e;
            }
        }, "attempt", STACK);
        thread.start();
        thread.join();
    }

    /** Runs the sweep for the strategy in {@code args[0]}. */
    public static void main(String[] args) throws Exception {
        String strategy = args[0];
        // Loaded (and rewritten) now, not initialised: the agent cannot rewrite a class loaded with no stack
        // left, which is not what this program is about.
        Class<?>[] loaded = {Open.class, Stacked.class, Looped.class, Lazy.class};
        // The class loader opens defer-runtime's class path entry now, with a class of it that is not the
        // runtime (an annotation): the JDK's class loader breaks for good when the first class it loads from an
        // entry, or from any jar, is loaded at the stack's end (URLClassPath drops the entry it was opening;
        // java.util.jar.Attributes$Name fails its initialiser), before any runtime code runs. See
        // docs/reliability.md.
        Class.forName("dev.defer.Defers");
        bump();
        int deepest = 0;
        for (int i = 0; i < 3; i++) {
            // Three times: the compilers shrink the frames as they warm up.
            levels = 0;
            attempt(() -> {
                try {
                    countDown();
                } catch (StackOverflowError e) {
                    // The depth is all this recursion is for.
                }
            });
            deepest = Math.max(deepest, levels);
        }
        int attempts = 0;
        int failed = 0;
        boolean returned = false;
        for (int n = deepest; n >= 0 && !returned; ) {
            int depth = n;
            attempts++;
            attempt(() -> down(depth, strategy));
            if (reached && outcome == null) {
                returned = true;
            } else if (reached) {
                if (!(outcome instanceof StackOverflowError) && !THROWN.containsKey(outcome.getClass().getName())) {
                    outcome.printStackTrace(System.out);
                }
                THROWN.merge(outcome.getClass().getName(), 1, Integer::sum);
                failed++;
                n -= failed <= FINE ? 1 : COARSE;
            } else {
                n -= COARSE;
            }
        }
        System.out.println("deepest=" + deepest + " attempts=" + attempts + " returned=" + returned + " thrown="
                + THROWN + " ran=" + ran);
        System.out.println("later=" + later());
        String[] other = new String[1];
        Thread thread = new Thread(() -> other[0] = later());
        thread.start();
        thread.join();
        System.out.println("later-other-thread=" + other[0]);
    }

    /** Each strategy's method, then a panic that a deferred call recovers: "1,2,3,4,recovered boom,ran=4". */
    private static String later() {
        try {
            ran = 0;
            return Open.site() + "," + Stacked.site() + "," + Looped.site() + "," + Lazy.site() + "," + recovering()
                    + ",ran=" + ran;
        } catch (Throwable t) {
            return "failed: " + t;
        }
    }

    @Defers
    static String recovering() {
        Defer.defer(() -> {
            Object p = Defer.recover();
            if (p != null) {
                Defer.setResult("recovered " + p);
            }
        });
        throw Defer.panic("boom");
    }
}
