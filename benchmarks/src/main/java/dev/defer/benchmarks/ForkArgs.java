package dev.defer.benchmarks;

/**
 * The JVM arguments every fork gets after the host's: a fixed heap, touched in full at start-up. On this
 * project's machines (virtual, two cores), a growing heap whose fresh pages fault in on first use made cases
 * that allocate a few GB a second (the {@code ArrayDeque} ones) jump from 5 to 300 ns/op for seconds at a time
 * in most forks; with the heap fixed and pre-touched, none did.
 */
final class ForkArgs {
    private ForkArgs() {
    }

    static final String HEAP_MIN = "-Xms1g";
    static final String HEAP_MAX = "-Xmx1g";
    static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";
}
