package dev.defer.benchmarks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The run's results, JMH's and Go's, looked up by the names {@link Suite} uses. */
final class Measurements {
    /**
     * One score with its interval, whichever tool measured it; {@code forks} is JMH's forks, or Go's samples
     * ({@code -count}), each a separate process.
     */
    record Value(String name, double score, double low, double high, String unit, double bytes, double median,
            int forks) {
    }

    /**
     * A ratio measured: the point estimate (the ratio of the means), its range from the ends of both intervals, the
     * ratio of the medians, and the verdict, which is on the medians: a few iterations slowed by another process
     * move them less than the means.
     */
    record Measured(Suite.Ratio ratio, Value numerator, Value denominator) {
        double value() {
            return numerator.score() / denominator.score();
        }

        /** The ratio of the medians of the iterations (Go: of its samples). */
        double medianValue() {
            return numerator.median() / denominator.median();
        }

        double low() {
            return numerator.low() / denominator.high();
        }

        double high() {
            return denominator.low() <= 0 ? Double.POSITIVE_INFINITY : numerator.high() / denominator.low();
        }

        /** Extra bytes per operation of the numerator over the denominator, rounded. */
        long extraBytes() {
            return Math.round(numerator.bytes()) - Math.round(denominator.bytes());
        }

        boolean timeMet() {
            return medianValue() <= ratio.target();
        }

        /** The fewer forks of the two sides: the verdict needs {@link Verdict#MIN_FORKS} of each. */
        int forks() {
            return Math.min(numerator.forks(), denominator.forks());
        }

        /** The verdict on the medians, with what was missed; not judged on fewer than three forks. */
        Verdict verdict() {
            List<String> misses = new ArrayList<>();
            if (!timeMet()) {
                misses.add("time");
            }
            if (!bytesMet()) {
                misses.add("bytes");
            }
            return Verdict.of(misses, forks(), forks() == 1 ? "fork" : "forks");
        }

        boolean bytesMet() {
            return switch (ratio.bytes()) {
                case ANY -> true;
                case NO_EXTRA -> !Double.isNaN(numerator.bytes()) && extraBytes() <= 0;
                case ZERO -> !Double.isNaN(numerator.bytes()) && Math.round(numerator.bytes()) == 0;
            };
        }

        boolean met() {
            return timeMet() && bytesMet();
        }
    }

    private final Map<String, JmhResult> jmh = new LinkedHashMap<>();
    private final Map<String, GoResult> go = new LinkedHashMap<>();

    Measurements(List<JmhResult> jmhResults, List<GoResult> goResults) {
        jmhResults.forEach(r -> jmh.put(r.shortName(), r));
        goResults.forEach(r -> go.put(r.name(), r));
    }

    Map<String, JmhResult> jmh() {
        return jmh;
    }

    Map<String, GoResult> go() {
        return go;
    }

    Optional<Value> value(String name) {
        if (name.startsWith(Suite.GO)) {
            GoResult r = go.get(name.substring(Suite.GO.length()));
            return r == null ? Optional.empty()
                    : Optional.of(new Value(name, r.median(), r.min(), r.max(), "ns/op", r.bytes(), r.median(), r.count()));
        }
        JmhResult r = jmh.get(name);
        return r == null ? Optional.empty()
                : Optional.of(new Value(name, r.score(), r.low(), r.high(), r.unit(), r.bytesPerOp(), r.median(),
                        r.forks()));
    }

    /** The ratio measured, or empty when either side was not run (or their units differ). */
    Optional<Measured> measure(Suite.Ratio ratio) {
        Optional<Value> numerator = value(ratio.numerator());
        Optional<Value> denominator = value(ratio.denominator());
        if (numerator.isEmpty() || denominator.isEmpty()
                || !numerator.get().unit().equals(denominator.get().unit())) {
            return Optional.empty();
        }
        return Optional.of(new Measured(ratio, numerator.get(), denominator.get()));
    }
}
