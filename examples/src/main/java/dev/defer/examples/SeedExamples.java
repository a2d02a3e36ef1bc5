package dev.defer.examples;

import dev.defer.Defer;
import dev.defer.Defers;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The classic Go defer puzzles, each beside the output Go prints for it. The Go program is
 * {@code examples/go/seed.go}; {@code examples/go/seed.out.txt} is what {@code go run seed.go} printed.
 *
 * <p>Two Go ideas need a Java spelling. A named result {@code r} is the invocation's result slot, read with
 * {@link Defer#result()} and written with {@link Defer#setResult(Object)}. A Go closure sees later writes to
 * a variable; a Java lambda captures a value, so a variable that changes later lives in a one-element array.
 */
public final class SeedExamples {
    private SeedExamples() {
    }

    /** Go: {@code func f1() (r int) { defer func() { r++ }(); return 0 }} returns 1. */
    @Defers
    static int f1() {
        Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 1));
        return 0;
    }

    /** Go: {@code func t5() (r int) { t := 5; defer func() { t = t + 5 }(); return t }} returns 5. */
    @Defers
    static int t5() {
        int[] t = {5};
        // `return t[0]` has stored 5 in the result slot before the deferred call changes t.
        Defer.defer(() -> t[0] = t[0] + 5);
        return t[0];
    }

    /** Go: {@code func f2() (r int) { defer func(r int) { r = r + 5 }(r); return 1 }} returns 1. */
    @Defers
    static int f2() {
        // The argument is the result slot's value now (0); the deferred call changes only its own copy.
        Defer.defer((Integer r) -> {
            r = r + 5;
        }, Defer.<Integer>result());
        return 1;
    }

    /** Go: {@code func f3() (r int) { defer func() { r = r + 5 }(); return 1 }} returns 6. */
    @Defers
    static int f3() {
        Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 5));
        return 1;
    }

    /** Go: {@code func a() (r int) { defer func() { r *= 7 }(); return 6 }} returns 42. */
    @Defers
    static int a() {
        Defer.defer(() -> Defer.setResult(Defer.<Integer>result() * 7));
        return 6;
    }

    /**
     * Go: {@code var err error; defer fmt.Println(err); err = errors.New("defer1 error")} prints
     * {@code <nil>}.
     */
    @Defers
    static void e1() {
        Exception err = null;
        // Like Go's `defer fmt.Println(err)`: the argument is taken now, while err is still null.
        Defer.defer(SeedExamples::println, err);
        err = new Exception("defer1 error");
    }

    /** Go: {@code defer func() { fmt.Println(err) }(); err = errors.New("defer2 error")} prints "defer2 error". */
    @Defers
    static void e2() {
        // A holder, so that the lambda sees the assignment below, as Go's closure over err does.
        Exception[] err = {null};
        Defer.defer(() -> println(err[0]));
        err[0] = new Exception("defer2 error");
    }

    /**
     * Go: {@code defer func(err error) { fmt.Println(err) }(err); err = errors.New("defer3 error")} prints
     * {@code <nil>}.
     */
    @Defers
    static void e3() {
        Exception err = null;
        Defer.defer((Exception e) -> println(e), err);
        err = new Exception("defer3 error");
    }

    /** Prints an error as Go's {@code fmt.Println(err)} does: its message, or {@code <nil>}. */
    static void println(Exception err) {
        System.out.println(err == null ? "<nil>" : err.getMessage());
    }

    /**
     * Runs every puzzle and prints its Java result beside Go's.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        show("f1()", f1(), "1");
        show("t5()", t5(), "5");
        show("f2()", f2(), "1");
        show("f3()", f3(), "6");
        show("a()", a(), "42");
        show("e1() prints", printedBy(SeedExamples::e1), "<nil>");
        show("e2() prints", printedBy(SeedExamples::e2), "defer2 error");
        show("e3() prints", printedBy(SeedExamples::e3), "<nil>");
    }

    private static void show(String what, Object java, String go) {
        String label = what.endsWith("prints") ? what + " " : what + " = ";
        System.out.println(label + java + "   (Go: " + go + ")");
    }

    /** What {@code body} printed, so that it can be shown on one line beside Go's output. */
    private static String printedBy(Runnable body) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(stdout);
        }
        return buffer.toString(StandardCharsets.UTF_8).strip();
    }
}
