package dev.defer.benchmarks;

import dev.defer.Defer;
import dev.defer.Defers;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * A deferred call that changes the result, as Go's {@code defer func() { r *= 7 }()} on a named result, beside the
 * same computation by hand. The input is 6, as in Go's DeferModifiesResult, so the boxed results 6 and 42 come from
 * {@code Integer}'s cache; {@link #deferModifiesResultBoxed()} uses 1000, whose results must be boxed anew.
 */
public class DeferModifiesResultBenchmark extends MicroBenchmark {
    private int small = 6;
    private int large = 1000;

    /** The same computation by hand: the cleanup changes the value before it is returned. */
    @Benchmark
    public int modifyResultByHand() {
        int r = 0;
        try {
            r = small;
        } finally {
            r *= 7;
        }
        return r;
    }

    @Benchmark
    @Defers
    public int deferModifiesResult() {
        Defer.defer(() -> Defer.setResult(Defer.<Integer>result() * 7));
        return small;
    }

    /** The same with results outside {@code Integer}'s cache: what reading and setting the result slot allocates. */
    @Benchmark
    @Defers
    public int deferModifiesResultBoxed() {
        Defer.defer(() -> Defer.setResult(Defer.<Integer>result() * 7));
        return large;
    }

    @Override
    protected void verify() {
        check(deferModifiesResult() == 42, "deferModifiesResult returns 42");
        check(deferModifiesResultBoxed() == 7000, "deferModifiesResultBoxed returns 7000");
        check(modifyResultByHand() == 42, "modifyResultByHand returns 42");
    }
}
