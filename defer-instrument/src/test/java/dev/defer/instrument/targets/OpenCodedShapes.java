package dev.defer.instrument.targets;

import dev.defer.Defer;
import dev.defer.Deferred1;
import dev.defer.Deferred2;
import dev.defer.Defers;
import java.util.ArrayList;
import java.util.List;

/**
 * Methods whose defers qualify for open-coding, and methods that must keep runtime records. The javadoc
 * of each says which, and what it returns.
 */
public class OpenCodedShapes {
    public static final List<String> LOG = new ArrayList<>();

    static void log(String line) {
        LOG.add(line);
    }

    /** Open-coded: three sites on different paths, several exits; logs in LIFO order of what ran. */
    @Defers
    public static int severalExits(int x) {
        Defer.defer(() -> log("first"));
        if (x == 0) {
            return 0;
        }
        Defer.defer((Deferred1<Integer>) v -> log("second " + v), x);
        if (x == 1) {
            return 1;
        }
        Defer.defer((Deferred2<String, Long>) (a, b) -> log("third " + a + b), "x", (long) x);
        return x * 10;
    }

    /** Open-coded: panics after two of three sites ran; a recovering site is the first registered. */
    @Defers
    public static long panicHandsOverRegisteredCalls(boolean fail) {
        Defer.defer(() -> {
            Object p = Defer.recover();
            log("recovered " + p);
        });
        Defer.defer(() -> log("second"));
        if (fail) {
            throw new IllegalStateException("boom");
        }
        Defer.defer(() -> log("third"));
        return 5L;
    }

    /** Open-coded: an inline deferred call throws; the earlier one still runs and recovers, the slot is 7. */
    @Defers
    public static double inlineCallThrows() {
        Defer.defer(() -> log("recovered " + Defer.recover()));
        Defer.defer(() -> log("before throw"));
        Defer.defer(() -> {
            throw new IllegalArgumentException("from deferred");
        });
        return 7.0;
    }

    /** Open-coded: a platform method reference. */
    @Defers
    public static String platformReference(StringBuilder out) {
        Defer.defer(out::reverse);
        out.append("abc");
        return "returned";
    }

    /** Runtime records: the deferred call writes the result slot. */
    @Defers
    public static int touchesResult() {
        Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 1));
        return 1;
    }

    /** Runtime records: the deferred call reaches the result slot through a helper of this class. */
    @Defers
    public static int touchesResultThroughHelper() {
        Defer.defer(OpenCodedShapes::incrementResult);
        return 1;
    }

    static void incrementResult() {
        Defer.setResult(Defer.<Integer>result() + 1);
    }

    /** Runtime records: the body writes the result slot. */
    @Defers
    public static int bodyTouchesResult() {
        Defer.defer(() -> log("x"));
        Defer.setResult(3);
        return 4;
    }

    /** Runtime records: Defer::recover is itself the deferred call. */
    @Defers
    public static void recoverReference() {
        Defer.defer(Defer::recover);
    }

    /** Runtime records: the deferred call's code is in another application class. */
    @Defers
    public static void otherApplicationClass() {
        Defer.defer(Shapes::plainVoid);
    }

    /** Runtime records: the deferred call is not created at the site. */
    @Defers
    public static void notCreatedHere(dev.defer.Deferred call) {
        Defer.defer(call);
    }

    /** Runtime records: nine sites, more than Go's eight. */
    @Defers
    public static int nineSites() {
        Defer.defer(() -> log("1"));
        Defer.defer(() -> log("2"));
        Defer.defer(() -> log("3"));
        Defer.defer(() -> log("4"));
        Defer.defer(() -> log("5"));
        Defer.defer(() -> log("6"));
        Defer.defer(() -> log("7"));
        Defer.defer(() -> log("8"));
        Defer.defer(() -> log("9"));
        return 9;
    }

    /** Runtime records (the call may be null, so the lambda is not its only source): NPE at the defer. */
    @Defers
    public static void nullCall(dev.defer.Deferred nothing) {
        Defer.defer(() -> log("registered before null"));
        Defer.defer(nothing == null ? null : () -> log("never"));
    }
}
