package dev.defer.agentprocess;

import dev.defer.Defer;
import dev.defer.Defers;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code @Defers} methods that a Byte Buddy agent advises ({@link AdviceAgent}): the results must be those of
 * the program without the advice, in either agent order, and the advice must see each method enter and exit
 * once, by a throwable exactly where a panic leaves it.
 */
public final class AdvisedProgram {
    /** What the advice recorded; empty without the advice agent. */
    static final List<String> TRACE = new ArrayList<>();

    private AdvisedProgram() {
    }

    /** A deferred method reference that recovers: "recovered: empty" for an empty input. */
    @Defers
    static String parse(String input) {
        Defer.defer(AdvisedProgram::onPanic);
        if (input.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        return input;
    }

    static void onPanic() {
        Object p = Defer.recover();
        if (p != null) {
            Defer.setResult("recovered: " + ((Throwable) p).getMessage());
        }
    }

    /** A deferred lambda that changes the result, and one that recovers nothing: the panic leaves. */
    @Defers
    static int twice(int x) {
        Defer.defer(() -> Defer.setResult(Defer.<Integer>result() * 2));
        if (x < 0) {
            throw new IllegalStateException("negative");
        }
        return x;
    }

    /**
     * Prints the results, then what the advice saw.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println(parse(""));
        System.out.println(parse("x"));
        System.out.println(twice(21));
        try {
            twice(-1);
        } catch (IllegalStateException e) {
            System.out.println("panic: " + e.getMessage());
        }
        TRACE.forEach(System.out::println);
    }
}
