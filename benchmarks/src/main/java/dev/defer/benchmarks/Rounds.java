package dev.defer.benchmarks;

import java.util.Arrays;

/** What the paired harnesses ({@link LoopInterleaved}, {@link PanicInterleaved}) share: the median of the rounds. */
final class Rounds {
    private Rounds() {
    }

    /**
     * The median of {@code values[from..]}, or of their ratios to {@code divisors[from..]} round by round.
     *
     * @param values one figure per round
     * @param from the first counted round (the earlier ones warm up)
     * @param divisors the same rounds' figures of the reference case, or null for the values' own median
     * @return the median
     */
    static double median(double[] values, int from, double[] divisors) {
        double[] v = new double[values.length - from];
        for (int i = 0; i < v.length; i++) {
            v[i] = divisors == null ? values[from + i] : values[from + i] / divisors[from + i];
        }
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
