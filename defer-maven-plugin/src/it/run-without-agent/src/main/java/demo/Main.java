package demo;

import dev.defer.Defer;
import dev.defer.Defers;

/** Go's classic defer results, computed by classes rewritten at build time: no -javaagent. */
public class Main {
    /** Go: func f1() (r int) { defer func() { r++ }(); return 0 } returns 1. */
    @Defers
    static int f1() {
        Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 1));
        return 0;
    }

    /** Go: func a() (r int) { defer func() { r *= 7 }(); return 6 } returns 42. */
    @Defers
    static int a() {
        Defer.defer(() -> Defer.setResult(Defer.<Integer>result() * 7));
        return 6;
    }

    /** Go: a deferred recover() turns the panic into a result. */
    @Defers
    static String safeDivide(int x, int y) {
        Defer.defer(() -> {
            Object p = Defer.recover();
            if (p != null) {
                Defer.setResult("recovered: " + p);
            }
        });
        return "quotient " + (x / y);
    }

    /** Deferred calls run last-in-first-out, in a loop too. */
    @Defers
    static void order(StringBuilder out) {
        for (int i = 0; i < 3; i++) {
            Defer.defer((Integer k) -> out.append(k), i);
        }
        out.append("body ");
    }

    public static void main(String[] args) {
        System.out.println("f1() = " + f1());
        System.out.println("a() = " + a());
        System.out.println("safeDivide(7, 2) = " + safeDivide(7, 2));
        System.out.println("safeDivide(1, 0) = " + safeDivide(1, 0));
        StringBuilder out = new StringBuilder();
        order(out);
        System.out.println("order: " + out);
    }
}
