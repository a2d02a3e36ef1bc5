package dev.defer.benchmarks.report;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the report's paired measurements share ({@code ClassLoadInterleaved}'s and {@code PanicInterleaved}'s JVMs):
 * {@code benchmarks/run.sh} heads each JVM's output {@code == JVM n | COMMAND}, a target is judged on the median over
 * the JVMs of one paired ratio, and its row shows each JVM's ratio, their range and that median.
 */
final class PairedJvms {
    /** The line that starts a JVM's block: its label and its command. */
    static final Pattern HEADER = Pattern.compile("^== (.+?) \\| (.*)$");

    private PairedJvms() {
    }

    /** The measured, range and medians cells of a paired target's row. */
    record Cells(String measured, String range, String medians) {
    }

    /** The median over the JVMs of one figure. */
    static <T> double median(List<T> runs, ToDoubleFunction<T> figure) {
        return GoResult.median(runs.stream().mapToDouble(figure).toArray());
    }

    /** The verdict on the median over the JVMs of one paired ratio, at most {@code target}. */
    static <T> Verdict verdict(List<T> runs, ToDoubleFunction<T> ratio, double target) {
        if (runs.isEmpty()) {
            return Verdict.NOT_MEASURED;
        }
        boolean met = median(runs, ratio) <= target;
        return Verdict.of(met ? List.of() : List.of("time"), runs.size(), runs.size() == 1 ? "JVM" : "JVMs");
    }

    /** A target row's cells: each JVM's ratio, the lowest to the highest, and their median with the JVMs' count. */
    static <T> Cells cells(List<T> runs, ToDoubleFunction<T> ratio) {
        String each = runs.stream().map(r -> ratio(ratio.applyAsDouble(r))).collect(Collectors.joining(", "));
        double low = runs.stream().mapToDouble(ratio).min().orElse(Double.NaN);
        double high = runs.stream().mapToDouble(ratio).max().orElse(Double.NaN);
        String range = runs.size() == 1 ? "–" : ratio(low) + "–" + ratio(high);
        return new Cells(each, range,
                ratio(median(runs, ratio)) + " (" + runs.size() + (runs.size() == 1 ? " JVM)" : " JVMs)"));
    }

    static String ratio(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
