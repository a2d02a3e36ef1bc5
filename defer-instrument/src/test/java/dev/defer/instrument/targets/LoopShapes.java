package dev.defer.instrument.targets;

import dev.defer.Defer;
import dev.defer.Deferred;
import dev.defer.Defers;
import java.util.List;

/**
 * Defer sites whose kind the loop analysis must find. Each method's javadoc lists its sites in bytecode
 * order: T for top-level (stack-style record), L for a loop site (pooled record).
 */
public class LoopShapes {
    /** Not created at the sites, so that no method here is open-coded: these tests are about records. */
    static final Deferred NOOP = () -> {
    };

    /** T T: one site in each branch of an if, none on a cycle. */
    @Defers
    public static void branches(boolean b) {
        if (b) {
            Defer.defer(NOOP);
        } else {
            Defer.defer(NOOP);
        }
    }

    /** T L T: before, inside and after a for loop. */
    @Defers
    public static void forLoop(int n) {
        Defer.defer(NOOP);
        for (int i = 0; i < n; i++) {
            Defer.defer(NOOP);
        }
        Defer.defer(NOOP);
    }

    /** L: a do-while body. */
    @Defers
    public static void doWhile(int n) {
        int i = 0;
        do {
            Defer.defer(NOOP);
            i++;
        } while (i < n);
    }

    /** L L: an enhanced for over a list, with the site behind a continue in a nested if. */
    @Defers
    public static void forEachWithContinue(List<String> items) {
        for (String item : items) {
            if (item.isEmpty()) {
                continue;
            }
            Defer.defer(NOOP);
            if (item.length() > 3) {
                Defer.defer(NOOP);
            }
        }
    }

    /** L: a retry loop whose back edge is the exception handler: a cycle only through an exception edge. */
    @Defers
    public static int retry(int attempts) {
        while (true) {
            try {
                Defer.defer(NOOP);
                if (attempts-- > 0) {
                    throw new IllegalStateException("again");
                }
                return attempts;
            } catch (IllegalStateException e) {
                // and around again
            }
        }
    }

    /** T L: a site after a labelled loop is top-level; a site in the inner loop is not. */
    @Defers
    public static void labelled(int n) {
        outer:
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (j == 2) {
                    continue outer;
                }
                if (i == 3) {
                    break outer;
                }
            }
        }
        Defer.defer(NOOP);
        for (int k = 0; k < n; k++) {
            Defer.defer(NOOP);
        }
    }
}
