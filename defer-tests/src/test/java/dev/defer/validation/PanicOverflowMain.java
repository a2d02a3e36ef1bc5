package dev.defer.validation;

import dev.defer.Defer;
import dev.defer.Defers;
import dev.defer.Panic;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.TreeMap;

/**
 * For {@link PanicSiteLinkingTest}, in a child JVM under the agent: the first executions of a {@code Defer.panic}
 * call site (its linking, and the hidden class's definition) happen with ever more stack left, each on a fresh
 * thread (whose guard pages are all in place) at a recursion depth one less than the last, starting where the
 * recursion alone overflows, until one panics; then, with the whole stack, that site and one never run before
 * must panic as usual. Prints what the attempts that reached the site threw, by class, and each later panic's
 * message and first frame.
 */
public final class PanicOverflowMain {
    private static final long STACK = 512 * 1024;
    private static final Map<String, Integer> THROWN = new TreeMap<>();
    private static volatile boolean reached;
    private static volatile Throwable outcome;

    private PanicOverflowMain() {
    }

    @Defers
    static int warm() {
        Defer.defer(() -> { });
        return 1;
    }

    @Defers
    static void site() {
        Defer.defer(() -> { });
        throw Defer.panic("site");
    }

    @Defers
    static void later() {
        Defer.defer(() -> { });
        throw Defer.panic("later");
    }


    private static void down(int n) {
        if (n == 0) {
            reached = true;
            site();
        } else {
            down(n - 1);
        }
    }

    /** Runs on a fresh thread with {@link #STACK}; records what it threw. */
    private static void attempt(Runnable body) throws InterruptedException {
        outcome = null;
        reached = false;
        Thread thread = new Thread(null, () -> {
            try {
                body.run();
            } catch (Throwable t) {
                outcome = t;
            }
        }, "attempt", STACK);
        thread.start();
        thread.join();
    }

    private static String outcome(Runnable call) {
        try {
            call.run();
            return "returned";
        } catch (Panic p) {
            // Printed as a cause first: a site linked to Defer.panic itself would show its frames there.
            StringWriter text = new StringWriter();
            new ExecutionException(p).printStackTrace(new PrintWriter(text));
            String printed = text.toString();
            String frame = printed.substring(printed.indexOf("Caused by:")).split("\\R")[1].trim();
            return p.getMessage() + " " + frame.substring(0, frame.indexOf('('));
        } catch (Throwable t) {
            return "threw " + t;
        }
    }

    /**
     * Runs the attempts, then the sites.
     *
     * @param args none
     * @throws InterruptedException never
     */
    public static void main(String[] args) throws InterruptedException {
        // The runtime's first use, with the whole stack: a first use near an overflow is another matter (FirstUse).
        warm();
        int[] deepest = new int[1];
        attempt(() -> deepest[0] = depthUntilOverflow());
        boolean panicked = false;
        int lastN = -1;
        for (int n = deepest[0]; n > 0 && !panicked; n--) {
            int levels = n;
            attempt(() -> down(levels));
            lastN = n;
            if (outcome instanceof Panic) {
                panicked = true;
            } else if (reached && outcome != null) {
                THROWN.merge(outcome.getClass().getName(), 1, Integer::sum);
            }
        }
        System.out.println("deepest " + deepest[0] + ", left " + lastN);
        System.out.println("near the overflow: panicked " + panicked + ", thrown " + THROWN);
        for (int i = 0; i < 2; i++) {
            System.out.println("site: " + outcome(PanicOverflowMain::site));
            System.out.println("later: " + outcome(PanicOverflowMain::later));
        }
    }

    private static int depthUntilOverflow() {
        int[] count = new int[1];
        try {
            countDown(count);
        } catch (StackOverflowError e) {
            // The depth the recursion alone reaches.
        }
        return count[0];
    }

    private static void countDown(int[] count) {
        count[0]++;
        countDown(count);
    }
}
