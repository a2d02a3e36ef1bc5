package dev.defer.overflow;

import dev.defer.Defer;
import dev.defer.Defers;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Issue 9, items 1 and 2: one stack overflow unwinds a recursion in which every level defers a call that
 * counts, and the program prints how many levels were entered and how many deferred calls ran. The same
 * recursion written with {@code try}/{@code finally} prints how many finally blocks ran, so that the two
 * losses can be compared. Run in a fresh JVM ({@code OverflowLossTest}), so that the overflow is the runtime's
 * very first use; afterwards it checks that {@code @Defers} calls still work on this thread and on another.
 *
 * <p>A level counts once its {@code Defer.defer} has returned, or once it is inside its {@code try}: a level
 * whose {@code Defer.defer} itself overflows has deferred nothing, as one that overflows before its
 * {@code try} has no {@code finally} to run.
 *
 * <p>Arguments: any number of {@code open|stacked|looped:defer|finally} (the strategy the agent gives
 * {@code down}, and the variant). Output: per argument, {@code ARG levels=N ran=M lost=N-M thrown=CLASS
 * later-same-thread=...}, then {@code later=...} lines for the main thread and a new one.
 */
public final class OverflowLoss {
    private OverflowLoss() {
    }

    /** Open-coded: the deferred lambda touches only its own class, so its body is expanded at the exit. */
    static final class Open {
        static int entered;
        static int ran;

        @Defers
        static void down() {
            Defer.defer(() -> ran++);
            entered++;
            down();
        }

        static void downFinally() {
            try {
                entered++;
                downFinally();
            } finally {
                ran++;
            }
        }
    }

    /** The counter of the record strategies: another class, which keeps their calls off the open-coded path. */
    static final class Counter {
        static int ran;

        static void bump() {
            ran++;
        }
    }

    /** Stack-style records: the deferred call reaches another application class. */
    static final class Stacked {
        static int entered;

        @Defers
        static void down() {
            Defer.defer(() -> Counter.bump());
            entered++;
            down();
        }

        static void downFinally() {
            try {
                entered++;
                downFinally();
            } finally {
                Counter.bump();
            }
        }
    }

    /** Pooled (loop) records: the defer site is in a loop. */
    static final class Looped {
        static int entered;

        @Defers
        static void down() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> Counter.bump());
            }
            entered++;
            down();
        }

        static void downFinally() {
            try {
                entered++;
                downFinally();
            } finally {
                Counter.bump();
            }
        }
    }

    /** Later calls: a return, and a panic that a deferred call recovers into the result. */
    static final class Later {
        @Defers
        static String call(boolean panic) {
            Defer.defer(() -> {
                Object p = Defer.recover();
                if (p != null) {
                    Defer.setResult("recovered " + p);
                }
            });
            if (panic) {
                throw Defer.panic("boom");
            }
            return "returned";
        }

        @Defers
        static int records(int n) {
            int[] sum = new int[1];
            // Registered first, so it runs last: after every loop call added its number.
            Defer.defer(() -> Defer.setResult(sum[0]));
            for (int i = 1; i <= n; i++) {
                Defer.defer(k -> sum[0] += k, i);
            }
            return -1;
        }

        static String all() {
            return call(false) + "," + call(true) + "," + records(4) + "," + records(0);
        }
    }

    /**
     * Runs each {@code strategy:variant} argument in turn, each on a new thread with the default stack size,
     * and prints its figures; then checks that {@code @Defers} calls work on the main thread and on a new one.
     */
    public static void main(String[] args) throws Exception {
        // Loaded now: a class loaded during the overflow would be the test's failure, not the runtime's.
        Counter.ran = 0;
        for (String item : args) {
            String[] parts = item.split(":");
            AtomicReference<String> figures = new AtomicReference<>();
            Thread thread = new Thread(() -> figures.set(overflow(parts[0], parts[1].equals("defer"))));
            thread.start();
            thread.join();
            System.out.println(item + " " + figures.get());
        }
        System.out.println("later=" + later());
        AtomicReference<String> other = new AtomicReference<>();
        Thread thread = new Thread(() -> other.set(later()));
        thread.start();
        thread.join();
        System.out.println("later-other-thread=" + other.get());
    }

    /** One overflow of one recursion, then @Defers calls on the same thread. */
    private static String overflow(String strategy, boolean withDefer) {
        Open.entered = 0;
        Open.ran = 0;
        Stacked.entered = 0;
        Looped.entered = 0;
        Counter.ran = 0;
        Throwable thrown = null;
        try {
            run(strategy, withDefer);
        } catch (Throwable t) {
            thrown = t;
        }
        int entered;
        int ran;
        switch (strategy) {
            case "open":
                entered = Open.entered;
                ran = Open.ran;
                break;
            case "stacked":
                entered = Stacked.entered;
                ran = Counter.ran;
                break;
            default:
                entered = Looped.entered;
                ran = Counter.ran;
                break;
        }
        String figures = "levels=" + entered + " ran=" + ran + " lost=" + (entered - ran) + " thrown="
                + (thrown == null ? "nothing" : thrown.getClass().getName());
        if (thrown != null && !(thrown instanceof StackOverflowError)) {
            thrown.printStackTrace(System.out);
        }
        return figures + " later-same-thread=" + later();
    }

    private static String later() {
        try {
            return Later.all();
        } catch (Throwable t) {
            return "failed: " + t;
        }
    }

    private static void run(String strategy, boolean withDefer) {
        switch (strategy) {
            case "open":
                if (withDefer) {
                    Open.down();
                } else {
                    Open.downFinally();
                }
                break;
            case "stacked":
                if (withDefer) {
                    Stacked.down();
                } else {
                    Stacked.downFinally();
                }
                break;
            case "looped":
                if (withDefer) {
                    Looped.down();
                } else {
                    Looped.downFinally();
                }
                break;
            default:
                throw new IllegalArgumentException("strategy: open, stacked or looped, not " + strategy);
        }
    }
}
