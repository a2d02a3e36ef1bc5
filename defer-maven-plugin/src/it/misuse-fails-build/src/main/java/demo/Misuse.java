package demo;

import dev.defer.Defer;
import dev.defer.Defers;

public class Misuse {
    /** Fine: the body of a @Defers method. */
    @Defers
    static void fine() {
        Defer.defer(() -> System.out.println("deferred"));
    }

    /** Not @Defers: this call always throws. */
    static void helper() {
        Defer.defer(() -> System.out.println("never"));
    }

    /** The lambda body is a method of its own: the inner call always throws. */
    @Defers
    static void inLambda() {
        Runnable r = () -> Defer.defer(() -> System.out.println("never"));
        r.run();
    }

    /** Constructors are never rewritten. */
    Misuse() {
        Defer.defer(() -> System.out.println("never"));
    }
}
