package dev.defer.instrument.targets;

import dev.defer.Defer;
import dev.defer.Defers;
import java.util.ArrayList;
import java.util.List;

/**
 * Method shapes the rewrite must handle; each returns something that shows it ran as written. The
 * log records what the deferred calls did, in order.
 */
public class Shapes {
    public static final List<String> LOG = new ArrayList<>();

    @Defers
    public static int loopWithDefers(int n) {
        int sum = 0;
        for (int i = 0; i < n; i++) {
            final int value = i;
            Defer.defer(() -> LOG.add("loop " + value));
            sum += i;
        }
        return sum;
    }

    @Defers
    public static String tryCatchFinally(String s) {
        Defer.defer(() -> LOG.add("deferred"));
        try {
            if (s == null) {
                throw new IllegalArgumentException("null");
            }
            return s.toUpperCase();
        } catch (IllegalArgumentException e) {
            return "caught " + e.getMessage();
        } finally {
            LOG.add("finally");
        }
    }

    @Defers
    public static int switchWithReturns(int x) {
        Defer.defer(() -> LOG.add("switch"));
        switch (x) {
            case 0:
                return 10;
            case 1:
                return 11;
            case 7:
                throw new IllegalStateException("seven");
            default:
                break;
        }
        return -1;
    }

    @Defers
    public synchronized long synchronizedLong(long a, double b) {
        Defer.defer(() -> LOG.add("holds lock " + Thread.holdsLock(this)));
        return a + (long) b;
    }

    @Defers
    public static double doubleResult(double d) {
        Defer.defer(() -> Defer.setResult(Defer.<Double>result() * 2));
        return d;
    }

    @Defers
    public static float floatResult(float f) {
        Defer.defer(() -> Defer.setResult(Defer.<Float>result() + 1f));
        return f;
    }

    @Defers
    public static boolean booleanResult(boolean b) {
        Defer.defer(() -> Defer.setResult(!Defer.<Boolean>result()));
        return b;
    }

    @Defers
    public static char charResult() {
        Defer.defer(() -> Defer.setResult('z'));
        return 'a';
    }

    @Defers
    public static int[] arrayResult() {
        Defer.defer(() -> Defer.<int[]>result()[0] = 42);
        return new int[] {1};
    }

    @Defers
    public static String recovered(boolean fail) {
        Defer.defer(() -> {
            Object p = Defer.recover();
            if (p != null) {
                Defer.setResult("recovered " + p);
            }
        });
        if (fail) {
            throw Defer.panic("boom");
        }
        return "ok";
    }

    @Defers
    public static void voidWithEarlyReturn(int x) {
        Defer.defer(() -> LOG.add("void " + x));
        if (x > 0) {
            return;
        }
        LOG.add("body " + x);
    }

    @Defers
    public static int nestedTry(int x) {
        Defer.defer(() -> LOG.add("nested"));
        try {
            try {
                if (x == 0) {
                    return 100 / x;
                }
                return x;
            } finally {
                LOG.add("inner finally");
            }
        } catch (ArithmeticException e) {
            return -100;
        }
    }

    /** A deferred call that throws during a return must not be caught by the body's own catch. */
    @Defers
    public static String deferredThrowIsNotCaughtByBody() {
        try {
            Defer.defer(() -> {
                throw new IllegalStateException("from deferred call");
            });
            return "returned";
        } catch (IllegalStateException e) {
            return "caught by body: wrong";
        }
    }

    /** Plain void method, never rewritten; a deferred call of another class in OpenCodedShapes. */
    public static void plainVoid() {
        LOG.add("plainVoid");
    }

    /** Plain method, never rewritten. */
    public static int plain(int x) {
        return x + 1;
    }
}
