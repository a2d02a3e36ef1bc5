package dev.defer.benchmarks.report;

import java.util.List;

/**
 * A target's verdict: met, missed (and what: time, bytes, ...), or not judged because the run had too few forks or
 * runs for a median to stand against the noise of a shared machine, or not measured at all.
 *
 * @param state   which of the four
 * @param misses  what was missed, for {@link State#MISSED} (and what would be, for {@link State#TOO_FEW})
 * @param note    what to say beside the verdict: for {@link State#TOO_FEW} the count, otherwise an explanation or ""
 */
record Verdict(State state, List<String> misses, String note) {
    /** Forks (or runs, or JVMs) a verdict needs: a median of fewer is one slowed fork away from any value. */
    static final int MIN_FORKS = 3;

    /** The four outcomes. */
    enum State {
        MET, MISSED, TOO_FEW, NOT_MEASURED
    }

    static final Verdict NOT_MEASURED = new Verdict(State.NOT_MEASURED, List.of(), "");

    /**
     * The verdict of a target measured {@code count} times ({@code unit}: "forks", "runs", "JVMs"), missed in
     * {@code misses} (empty when met).
     */
    static Verdict of(List<String> misses, int count, String unit) {
        if (count < MIN_FORKS) {
            return new Verdict(State.TOO_FEW, List.copyOf(misses), count + " " + unit);
        }
        return misses.isEmpty() ? new Verdict(State.MET, List.of(), "")
                : new Verdict(State.MISSED, List.copyOf(misses), "");
    }

    /** The same verdict with an explanation beside it. */
    Verdict withNote(String text) {
        return new Verdict(state, misses, text);
    }

    boolean met() {
        return state == State.MET;
    }

    /** The verdict's cell in the targets table. */
    String markdown() {
        return switch (state) {
            case MET -> "met" + (note.isEmpty() ? "" : " (" + note + ")");
            case MISSED -> "**missed** (" + String.join(", ", misses) + (note.isEmpty() ? "" : "; " + note) + ")";
            case TOO_FEW -> "not judged: " + note + ", a verdict needs " + MIN_FORKS + " (the medians say "
                    + (misses.isEmpty() ? "met" : "missed: " + String.join(", ", misses)) + ")";
            case NOT_MEASURED -> "not measured";
        };
    }
}
