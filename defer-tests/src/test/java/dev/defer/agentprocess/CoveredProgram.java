package dev.defer.agentprocess;

import dev.defer.Defer;
import dev.defer.Defers;

/**
 * A program whose {@code @Defers} methods its {@code main} covers fully, every line and branch: the target
 * of {@link JacocoAgentOrderTest}. Open-coded (with an expanded lambda that reads and writes the result),
 * stack records and loop records are all here.
 */
public final class CoveredProgram {
    private CoveredProgram() {
    }

    /** Loop records: the deferred calls print the values in reverse, then "sum". */
    @Defers
    static int sum(int[] values) {
        Defer.defer(() -> System.out.println("sum"));
        int total = 0;
        for (int value : values) {
            Defer.defer(() -> System.out.println(value));
            total += value;
        }
        return total;
    }

    /** Open-coded, with a deferred lambda that recovers and sets the result: "error" for an empty input. */
    @Defers
    static String parse(String input) {
        Defer.defer(() -> {
            Object p = Defer.recover();
            if (p != null) {
                Defer.setResult("error");
            }
        });
        if (input.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        return input.trim();
    }

    /** Stack records: the deferred call arrives as a value. */
    @Defers
    static int twice(int x, Runnable cleanup) {
        Defer.defer(cleanup::run);
        return 2 * x;
    }

    /**
     * Prints each result on a line of its own.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println(sum(new int[] {1, 2}));
        System.out.println(sum(new int[0]));
        System.out.println(parse(""));
        System.out.println(parse(" x "));
        System.out.println(twice(21, () -> System.out.println("cleanup")));
    }
}
