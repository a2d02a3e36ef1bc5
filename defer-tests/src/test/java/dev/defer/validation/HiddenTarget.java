package dev.defer.validation;

import dev.defer.Defer;
import dev.defer.Deferred1;
import dev.defer.Defers;
import java.util.List;

/**
 * Defined only as a hidden class by {@link HiddenClassTest}, from its bytes (never loaded by name, so the
 * agent never sees it): a class that no agent can rewrite unless its bytes are rewritten first.
 *
 * <p>No deferred call is a lambda or a method reference to a method of this class: on JDK 17 the lambda
 * class that {@code LambdaMetafactory} spins for a static method of a hidden class names the hidden class,
 * which cannot be named, so such a call fails with {@code NoClassDefFoundError} whatever defer does (JDK 25
 * calls it through a method handle). The deferred calls here are platform method references and an object of
 * this class, called through {@link Deferred1} by the runtime.
 */
final class HiddenTarget implements Deferred1<List<String>> {
    private final String name;

    private HiddenTarget(String name) {
        this.name = name;
    }

    /**
     * Two deferred platform calls and a deferred object of this class that recovers the body's panic and
     * sets the result (the object makes the method keep stack-style records).
     */
    @Defers
    static String work(List<String> log, boolean panic) {
        Defer.defer(log::add, "first deferred");
        Defer.defer(new HiddenTarget("recoverer"), log);
        Defer.defer(log::add, "third deferred");
        log.add("body");
        if (panic) {
            throw new IllegalStateException("boom");
        }
        return "returned";
    }

    /** Platform method references only: open-coded. */
    @Defers
    static String openCoded(List<String> log, boolean panic) {
        Defer.defer(log::add, "first deferred");
        Defer.defer(log::add, "second deferred");
        if (panic) {
            throw new IllegalStateException("open-coded boom");
        }
        return "returned";
    }

    /** Deferred calls in a loop: pooled records. */
    @Defers
    static int loop(List<String> log, int n) {
        for (int i = 0; i < n; i++) {
            Defer.defer(log::add, "loop " + i);
        }
        return n;
    }

    /** Called by the runtime as the deferred call itself, in a hidden frame: recover() applies to it. */
    @Override
    public void run(List<String> log) {
        Object recovered = Defer.recover();
        log.add(name + " recovered " + recovered);
        if (recovered != null) {
            Defer.setResult("recovered");
        }
    }

    /** Not annotated: the S13 error must say both fixes. */
    static void notAnnotated() {
        Defer.defer(System.out::flush);
    }

    /** Defer.result() outside any invocation: the other S13 error. */
    static Object resultOutside() {
        return Defer.result();
    }
}
