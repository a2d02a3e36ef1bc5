package dev.defer.instrument.targets;

import dev.defer.Defer;
import dev.defer.Deferred;
import dev.defer.Defers;
import java.util.function.Consumer;

/**
 * Calls of Defer.defer that can never succeed, each marked with a trailing comment {@code MISUSE name} that
 * MisuseScannerTest finds in this source file to learn the expected line; and calls that are fine.
 */
public class MisuseShapes {
    static final Deferred NOOP = () -> {
    };

    static {
        Defer.defer(NOOP); // MISUSE <clinit>
    }

    public MisuseShapes() {
        Defer.defer(NOOP); // MISUSE <init>
    }

    /** Not @Defers. */
    static void helper() {
        Defer.defer(NOOP); // MISUSE helper
    }

    /** Fine: the body of a @Defers method. Its lambda's own Defer.defer is not. */
    @Defers
    static void fine() {
        Defer.defer(NOOP);
        Defer.defer(() -> {
            Defer.defer(NOOP); // MISUSE lambda$fine$
        });
    }

    /** A method reference to Defer.defer is called through an interface: never rewritten, even here. */
    @Defers
    static void reference() {
        Consumer<Deferred> register = Defer::defer; // MISUSE reference
        register.accept(NOOP);
    }

    /** Fine: recover, result and setResult belong in lambdas. */
    @Defers
    static int results() {
        Defer.defer(() -> {
            if (Defer.recover() != null) {
                Defer.setResult(Defer.<Integer>result() + 1);
            }
        });
        return 0;
    }

    /** A @Defers type covers its methods, not the lambda bodies in them. */
    @Defers
    public static class Covered {
        void method() {
            Defer.defer(NOOP);
            Runnable r = () -> Defer.defer(NOOP); // MISUSE lambda$method$
            r.run();
        }
    }

    /** No Defer at all: the byte scan alone rules it out. */
    public static class Unrelated {
        int twice(int x) {
            return 2 * x;
        }
    }
}
