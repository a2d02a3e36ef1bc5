package dev.defer.benchmarks;

import static dev.defer.benchmarks.Work.work;

import dev.defer.Defer;
import dev.defer.Defers;
import org.openjdk.jmh.annotations.Benchmark;

/** Three cleanups per call: three defers of static method references beside three nested {@code try}/{@code finally}. */
public class ThreeDefersBenchmark extends MicroBenchmark {
    static int released;

    static void release1() {
        released += 1;
    }

    static void release2() {
        released += 2;
    }

    static void release3() {
        released += 3;
    }

    /** The hand-written Java: the cleanups run innermost first, as the defers do. */
    @Benchmark
    public int threeTryFinally() {
        try {
            try {
                try {
                    return work(x);
                } finally {
                    release3();
                }
            } finally {
                release2();
            }
        } finally {
            release1();
        }
    }

    @Benchmark
    @Defers
    public int threeDefers() {
        Defer.defer(ThreeDefersBenchmark::release1);
        Defer.defer(ThreeDefersBenchmark::release2);
        Defer.defer(ThreeDefersBenchmark::release3);
        return work(x);
    }

    @Override
    protected void verify() {
        int before = released;
        check(threeDefers() == work(x) && released == before + 6, "three defers run their three cleanups");
    }
}
