package dev.defer.benchmarks;

import static dev.defer.benchmarks.Work.work;

import dev.defer.Defer;
import dev.defer.Defers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.CompilerControl;

/**
 * Go's anchor benchmarks ({@code benchmarks/go-anchors/defer_bench_test.go}) translated line by line, so that
 * each case here measures the same program as the Go benchmark of the same name: a {@code sink} global, a
 * {@code work(x)} that is never inlined, each function never inlined ({@code //go:noinline} is
 * {@code @CompilerControl(DONT_INLINE)}), called with the loop index as Go's {@code for i := 0; i < b.N; i++}
 * does. The benchmark methods keep Go's names (NoDefer, OneDeferOpenCoded, ...) so that the report pairs them.
 *
 * <p>Go's deferred closures read and assign the named result {@code r}; here they call {@code Defer.result()} and
 * {@code Defer.setResult(v)}, which box the value (only Integer's cache avoids the allocation). Go's loop defer
 * {@code defer func(i int) { sink += i }(i)} evaluates its argument at the defer: {@code Defer.defer(f, i)}.
 */
public class GoAnchorBenchmark extends MicroBenchmark {
    static int sink;

    /** Go's loop index {@code i}. */
    private int i;

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static int noDefer(int x) {
        int r = work(x);
        sink += r;
        return r;
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    @Defers
    static int oneDefer(int x) {
        Defer.defer(() -> sink += Defer.<Integer>result());
        return work(x);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    @Defers
    static int threeDefers(int x) {
        Defer.defer(() -> sink += 1);
        Defer.defer(() -> sink += 2);
        Defer.defer(() -> sink += Defer.<Integer>result());
        return work(x);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    @Defers
    static int loopDefers(int n) {
        for (int i = 0; i < n; i++) {
            Defer.defer(GoAnchorBenchmark::addToSink, i);
        }
        return n;
    }

    private static void addToSink(Integer i) {
        sink += i;
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    @Defers
    static int panicRecover(int x) {
        Defer.defer(() -> {
            if (Defer.recover() != null) {
                Defer.setResult(-1);
            }
        });
        if (x >= 0) {
            throw Defer.panic("boom");
        }
        return x;
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    @Defers
    static int deferModifiesResult(int x) {
        Defer.defer(() -> Defer.setResult(Defer.<Integer>result() * 7));
        return x;
    }

    @Benchmark
    public int NoDefer() {
        return noDefer(i++);
    }

    @Benchmark
    public int OneDeferOpenCoded() {
        return oneDefer(i++);
    }

    @Benchmark
    public int ThreeDefersOpenCoded() {
        return threeDefers(i++);
    }

    @Benchmark
    public int LoopDefer1() {
        return loopDefers(1);
    }

    @Benchmark
    public int LoopDefer16() {
        return loopDefers(16);
    }

    @Benchmark
    public int PanicRecover() {
        return panicRecover(i++ & Integer.MAX_VALUE);
    }

    @Benchmark
    public int DeferModifiesResult() {
        int r = deferModifiesResult(6);
        if (r != 42) {
            throw new AssertionError("wrong");
        }
        return r;
    }

    @Override
    protected void verify() {
        int before = sink;
        check(oneDefer(1) == 38 && sink == before + 38, "oneDefer adds its result to sink");
        check(threeDefers(1) == 38 && sink == before + 38 + 41, "threeDefers adds 1, 2 and its result");
        check(loopDefers(16) == 16 && sink == before + 79 + 120, "loopDefers(16) adds 0..15");
        check(panicRecover(0) == -1 && panicRecover(-5) == -5, "panicRecover recovers");
        check(deferModifiesResult(6) == 42, "deferModifiesResult returns 42");
    }
}
