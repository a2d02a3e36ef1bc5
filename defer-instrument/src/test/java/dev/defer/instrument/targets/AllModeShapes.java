package dev.defer.instrument.targets;

import java.util.function.IntSupplier;

/**
 * A class taken whole by the {@code all=} test mode: the methods its source declares and its lambda body
 * are rewritten; the bridge javac adds for {@code Comparable<AllModeShapes>} is not.
 */
public final class AllModeShapes implements Comparable<AllModeShapes> {
    private final int value;

    public AllModeShapes(int value) {
        this.value = value;
    }

    /** Declared: rewritten. Its lambda body ({@code lambda$doubled$0}) is declared too: rewritten. */
    public int doubled() {
        IntSupplier twice = () -> value * 2;
        return twice.getAsInt();
    }

    /** Declared: rewritten; javac's bridge {@code compareTo(Object)} that calls it is not. */
    @Override
    public int compareTo(AllModeShapes other) {
        return Integer.compare(value, other.value);
    }
}
