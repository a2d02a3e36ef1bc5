package dev.defer.validation;

import dev.defer.Defer;
import dev.defer.Defers;
import java.util.List;
import java.util.function.Supplier;

/**
 * Defined only as a hidden class by {@link HiddenClassTest}, from rewritten bytes: deferred lambdas and method
 * references to its own methods, which a JDK runs through method handle code (JDK 17 cannot run them at all:
 * see {@link HiddenTarget}).
 */
final class HiddenLambdaTarget {
    private HiddenLambdaTarget() {
    }

    /** Whether this JDK can run a lambda whose body is a static method of a hidden class. */
    static String probe() {
        Supplier<String> lambda = () -> "lambdas run";
        return lambda.get();
    }

    /** Open-coded: expanded inline on the normal path; on a panic the handler hands the lambdas over. */
    @Defers
    static String lambdas(List<String> log, boolean panic) {
        Defer.defer(() -> log.add("first deferred"));
        Defer.defer(() -> {
            Object recovered = Defer.recover();
            log.add("second deferred, recovered " + recovered);
            if (recovered != null) {
                Defer.setResult("recovered");
            }
        });
        log.add("body");
        if (panic) {
            throw new IllegalStateException("boom");
        }
        return "returned";
    }

    /** A method reference to a method of this class that recovers: the runtime's stack walk decides. */
    @Defers
    static String byReference(List<String> log) {
        Defer.defer(HiddenLambdaTarget::recoverAndLog, log);
        throw new IllegalArgumentException("by reference");
    }

    /** Recovers only when it is the deferred call itself. */
    static void recoverAndLog(List<String> log) {
        log.add("recovered " + Defer.recover());
    }

    /** A lambda that calls recoverAndLog is a helper: its recover() returns null (S8). */
    @Defers
    static String throughHelper(List<String> log) {
        Defer.defer(() -> recoverAndLog(log));
        throw new IllegalArgumentException("through a helper");
    }
}
