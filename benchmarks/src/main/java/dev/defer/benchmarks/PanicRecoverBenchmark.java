package dev.defer.benchmarks;

import dev.defer.Defer;
import dev.defer.Defers;
import dev.defer.Panic;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * A panic stopped by {@code recover()} beside the {@code throw}/{@code catch} it corresponds to. In each pair the
 * exception is new each time and is created at the same depth (in the benchmark method, or in {@code Defer.panic}
 * called from it), so both fill in the same stack trace. The deferred call is a non-capturing lambda that calls
 * {@code Defer.recover()} directly and sets the result to -1, as Go's {@code defer func() { if recover() != nil
 * { r = -1 } }()}.
 */
public class PanicRecoverBenchmark extends MicroBenchmark {
    /** {@code panic("boom")} recovered by a deferred call. */
    @Benchmark
    @Defers
    public int panicRecover() {
        Defer.defer(() -> {
            if (Defer.recover() != null) {
                Defer.setResult(-1);
            }
        });
        throw Defer.panic("boom");
    }

    /** By hand: the same {@link Panic}, made by the same {@code Defer.panic}, thrown and caught. */
    @Benchmark
    public int throwCatchPanic() {
        try {
            throw Defer.panic("boom");
        } catch (Panic p) {
            return p.value() != null ? -1 : 0;
        }
    }

    /** A thrown exception, which is a panic too, recovered by a deferred call. */
    @Benchmark
    @Defers
    public int exceptionRecover() {
        Defer.defer(() -> {
            if (Defer.recover() != null) {
                Defer.setResult(-1);
            }
        });
        throw new IllegalStateException("boom");
    }

    /** By hand: the same exception thrown and caught. */
    @Benchmark
    public int throwCatchException() {
        try {
            throw new IllegalStateException("boom");
        } catch (IllegalStateException e) {
            return e.getMessage() != null ? -1 : 0;
        }
    }

    @Override
    protected void verify() {
        check(panicRecover() == -1, "panicRecover recovers and returns -1");
        check(exceptionRecover() == -1, "exceptionRecover recovers and returns -1");
        check(throwCatchPanic() == -1 && throwCatchException() == -1, "throw/catch returns -1");
    }
}
