package dev.defer.validation;

import dev.defer.Panic;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a test's target code did, one line per event, formatted as Go's {@code fmt.Println} formats its
 * operands (space-separated, {@code <nil>} for null, an error's message), so that a Java twin's trace can
 * be compared with the output a Go program printed. Safe to use from several threads.
 */
final class Trace {
    private final List<String> lines = new ArrayList<>();

    /** Records one line: the operands joined by single spaces, as Go's fmt.Println prints them. */
    void log(Object... parts) {
        String line = format(parts);
        synchronized (lines) {
            lines.add(line);
        }
    }

    /** The lines recorded so far. */
    List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /** The lines joined by {@code " | "}: the format of {@code go/rules.out}. */
    String joined() {
        return String.join(" | ", lines());
    }

    void clear() {
        synchronized (lines) {
            lines.clear();
        }
    }

    static String format(Object... parts) {
        return Arrays.stream(parts).map(Trace::operand).collect(Collectors.joining(" "));
    }

    /** Go's %v of a value: {@code <nil>} for null, the message of an error, else toString(). */
    static String operand(Object value) {
        if (value == null) {
            return "<nil>";
        }
        if (value instanceof Panic) {
            Object inner = ((Panic) value).value();
            return inner == null ? "panic(nil)" : operand(inner);
        }
        if (value instanceof Throwable) {
            return String.valueOf(((Throwable) value).getMessage());
        }
        return String.valueOf(value);
    }

    /** Code that may throw anything. */
    @FunctionalInterface
    interface Body {
        void run() throws Throwable;
    }

    /**
     * Runs one case as {@code go/rules.go}'s {@code run} does: clears the trace, runs the body, then
     * records "returned", or "escaped" and the panic value when a throwable left the body.
     *
     * @return the trace joined by {@code " | "}
     */
    String run(Body body) {
        clear();
        try {
            body.run();
            log("returned");
        } catch (Throwable escaped) {
            log("escaped", escaped);
        }
        return joined();
    }
}
