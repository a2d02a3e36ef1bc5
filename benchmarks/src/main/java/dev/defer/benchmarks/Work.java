package dev.defer.benchmarks;

import org.openjdk.jmh.annotations.CompilerControl;

/** The work every case does, as in Go's anchor benchmarks: a call the compiler may not inline. */
final class Work {
    private Work() {
    }

    /** Go's {@code //go:noinline func work(x int) int { return x*31 + 7 }}. */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static int work(int x) {
        return x * 31 + 7;
    }
}
