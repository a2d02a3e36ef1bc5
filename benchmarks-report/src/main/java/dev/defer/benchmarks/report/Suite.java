package dev.defer.benchmarks.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the report knows about the suite: what each benchmark measures, the targets (ratios, start-up CPU, paired
 * class loading), the other ratios worth reading, the pairs of Java translation and Go benchmark, and the chart's groups. Benchmarks
 * are named as {@code Class.method} (JMH) or {@code go:Name} (Go's anchors).
 */
final class Suite {
    private Suite() {
    }

    /** The prefix of a Go benchmark's name in a {@link Ratio}. */
    static final String GO = "go:";

    /** What each benchmark measures, by short name, in the order the full table lists them. */
    static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

    static {
        d("OneDeferBenchmark.noCleanup", "`return work(x)`: the floor");
        d("OneDeferBenchmark.tryFinally", "`try { return work(x); } finally { release(); }`");
        d("OneDeferBenchmark.tryWithResources", "`try (Releaser r = releaser) { return work(x); }`");
        d("OneDeferBenchmark.oneDeferStatic", "`Defer.defer(OneDeferBenchmark::release); return work(x);`");
        d("OneDeferBenchmark.oneDeferLambda", "`Defer.defer(() -> released++); return work(x);` (non-capturing)");
        d("OneDeferBenchmark.oneDeferCapturing", "`Defer.defer(() -> released += amount)`: a capturing lambda");
        d("ThreeDefersBenchmark.threeTryFinally", "three nested `try`/`finally`");
        d("ThreeDefersBenchmark.threeDefers", "three `Defer.defer` of static method references");
        d("DeferModifiesResultBenchmark.modifyResultByHand", "`r = x; finally { r *= 7; } return r;`, x = 6");
        d("DeferModifiesResultBenchmark.deferModifiesResult",
                "`Defer.defer(() -> Defer.setResult(Defer.<Integer>result() * 7)); return x;`, x = 6");
        d("DeferModifiesResultBenchmark.deferModifiesResultBoxed", "the same with x = 1000 (boxes outside Integer's cache)");
        d("LoopDeferBenchmark.loopDefer1", "1 `Defer.defer` in a loop (static method reference)");
        d("LoopDeferBenchmark.arrayDeque1", "1 `Runnable` in a new `ArrayDeque`, drained in `finally`");
        d("LoopDeferBenchmark.loopDefer16", "16 `Defer.defer` in a loop (static method reference)");
        d("LoopDeferBenchmark.loopDefer16Capturing", "16 `Defer.defer` of lambdas capturing the index");
        d("LoopDeferBenchmark.arrayDeque16", "16 `Runnable`s in a new `ArrayDeque`, drained in `finally`");
        d("LoopDeferBenchmark.guavaCloser16", "Guava's `Closer` with 16 registered `Closeable`s");
        d("LoopDeferBenchmark.recordStackFloor16", "the floor of any record stack, not a way to write cleanups: 16 "
                + "stores into a long-lived `Object[]` and their calls, no thread lookup, no check");
        d("LoopDeferBenchmark.recordStackThreadFloor16", "the same with the one step a correct design cannot leave "
                + "out: finding the thread's record stack (one `ThreadLocal` lookup per call)");
        d("PanicRecoverBenchmark.panicRecover", "`throw Defer.panic(\"boom\")` recovered by a deferred lambda");
        d("PanicRecoverBenchmark.throwCatchPanic", "`try { throw Defer.panic(\"boom\"); } catch (Panic p)`");
        d("PanicRecoverBenchmark.exceptionRecover",
                "`throw new IllegalStateException(\"boom\")` recovered by a deferred lambda");
        d("PanicRecoverBenchmark.throwCatchException", "`try { throw new IllegalStateException(\"boom\"); } catch`");
        d("GoAnchorBenchmark.NoDefer", "Go's NoDefer, translated");
        d("GoAnchorBenchmark.OneDeferOpenCoded", "Go's OneDeferOpenCoded: `defer func() { sink += r }()`");
        d("GoAnchorBenchmark.ThreeDefersOpenCoded", "Go's ThreeDefersOpenCoded");
        d("GoAnchorBenchmark.DeferModifiesResult", "Go's DeferModifiesResult: `defer func() { r *= 7 }()`");
        d("GoAnchorBenchmark.LoopDefer1", "Go's LoopDefer1: `defer func(i int) { sink += i }(i)`, once");
        d("GoAnchorBenchmark.LoopDefer16", "Go's LoopDefer16: the same, 16 times");
        d("GoAnchorBenchmark.PanicRecover", "Go's PanicRecover: `panic(\"boom\")`, recovered");
        d("ClassLoadBenchmark.defineWithAgent",
                "define 5,000 generated classes (no `@Defers`) in a new loader, with the agent (single shots in "
                        + "separate forks; the target's paired figure is under \"Class loading, paired\")");
        d("ClassLoadBenchmark.defineWithoutAgent", "the same without the agent");
        d("ClassLoadBenchmark.defineWithNoopAgent",
                "the same with a no-op agent instead (one transformer that returns `null` for every class): the floor "
                        + "for any `java.lang.instrument` agent");
        d("ClassLoadBenchmark.loadFromJarWithAgent",
                "load, verify and initialise the same 5,000 classes from a jar (new `URLClassLoader`), with the agent");
        d("ClassLoadBenchmark.loadFromJarWithoutAgent", "the same without the agent");
    }

    private static void d(String name, String description) {
        DESCRIPTIONS.put(name, description);
    }

    /** What a ratio demands of the bytes allocated per operation. */
    enum Bytes {
        /** Nothing. */
        ANY,
        /** The Java case allocates no more than its reference. */
        NO_EXTRA,
        /** The Java case allocates nothing. */
        ZERO
    }

    /** A ratio of two benchmarks' scores, with its target when it has one (NaN otherwise). */
    record Ratio(String label, String numerator, String denominator, double target, Bytes bytes, String targetText) {
    }

    /** The goal for 16 loop defers, which {@link #LOOP_FLOOR} bounds from below. */
    static final Ratio LOOP16_GOAL = new Ratio("16 loop defers / ArrayDeque by hand",
            "LoopDeferBenchmark.loopDefer16", "LoopDeferBenchmark.arrayDeque16",
            0.8, Bytes.ZERO, "≤ 0.8, and 0 bytes per operation");

    /** The goals for loop defers: ahead of the hand-written deque, allocating nothing. */
    static final List<Ratio> LOOP_GOALS = List.of(
            LOOP16_GOAL,
            new Ratio("1 loop defer / ArrayDeque by hand",
                    "LoopDeferBenchmark.loopDefer1", "LoopDeferBenchmark.arrayDeque1",
                    1.5, Bytes.ZERO, "≤ 1.5, and 0 bytes per operation"));

    /**
     * What bounds {@link #LOOP16_GOAL} from below: the least a record stack kept per thread costs, with its
     * thread lookup and nothing else, against the same deque. Shown beside that goal's verdict.
     */
    static final Ratio LOOP_FLOOR = other("the least a per-thread record stack costs (16 records and their thread "
            + "lookup, no check) / ArrayDeque by hand",
            "LoopDeferBenchmark.recordStackThreadFloor16", "LoopDeferBenchmark.arrayDeque16");

    /** CPU milliseconds the defer agent may add to an empty {@code main} (defer - none, medians of 10 runs). */
    static final double STARTUP_GOAL_MS = 20;

    /** Defer agent / no-op agent, class loading paired in one JVM: the part of the cost the agent controls. */
    static final double CLASS_LOAD_GOAL = 1.02;

    /**
     * The earlier targets that stay in force. Two were replaced by the goals above: 16 loop defers ≤ 1.0 of the deque
     * (now ≤ 0.8), and class loading with the agent / without ≤ 1.05, which no {@code java.lang.instrument} agent can
     * meet (the JVM's copy of each class file for any agent costs more) and which became defer agent / no-op agent.
     * The two panic + recover targets (≤ 1.2 each) are judged paired in one JVM ({@link PanicPairedSection}); their
     * JMH ratios are among {@link #OTHERS}.
     */
    static final List<Ratio> EARLIER = List.of(
            new Ratio("one defer / try/finally",
                    "OneDeferBenchmark.oneDeferStatic", "OneDeferBenchmark.tryFinally",
                    3.0, Bytes.NO_EXTRA, "≤ 3.0, and 0 extra bytes per operation"),
            new Ratio("three defers / three nested try/finally",
                    "ThreeDefersBenchmark.threeDefers", "ThreeDefersBenchmark.threeTryFinally",
                    4.0, Bytes.NO_EXTRA, "≤ 4.0, 0 extra bytes"),
            new Ratio("one defer, Java / Go's open-coded defer",
                    "GoAnchorBenchmark.OneDeferOpenCoded", GO + "OneDeferOpenCoded",
                    1.0, Bytes.ANY, "≤ 1.0"),
            new Ratio("16 loop defers, Java / Go's LoopDefer16",
                    "GoAnchorBenchmark.LoopDefer16", GO + "LoopDefer16",
                    0.25, Bytes.ANY, "≤ 0.25"));

    /** Other ratios worth reading, with no target. */
    static final List<Ratio> OTHERS = List.of(
            other("try-with-resources / try/finally",
                    "OneDeferBenchmark.tryWithResources", "OneDeferBenchmark.tryFinally"),
            other("try/finally / no cleanup", "OneDeferBenchmark.tryFinally", "OneDeferBenchmark.noCleanup"),
            other("one defer, non-capturing lambda / try/finally",
                    "OneDeferBenchmark.oneDeferLambda", "OneDeferBenchmark.tryFinally"),
            other("one defer, capturing lambda / try/finally",
                    "OneDeferBenchmark.oneDeferCapturing", "OneDeferBenchmark.tryFinally"),
            other("one defer (static method reference, no result read), Java / Go's open-coded defer",
                    "OneDeferBenchmark.oneDeferStatic", GO + "OneDeferOpenCoded"),
            other("defer changing the result / by hand",
                    "DeferModifiesResultBenchmark.deferModifiesResult",
                    "DeferModifiesResultBenchmark.modifyResultByHand"),
            other("defer changing a boxed result / by hand",
                    "DeferModifiesResultBenchmark.deferModifiesResultBoxed",
                    "DeferModifiesResultBenchmark.modifyResultByHand"),
            other("16 loop defers / Guava Closer", "LoopDeferBenchmark.loopDefer16", "LoopDeferBenchmark.guavaCloser16"),
            other("the floor of any record stack (16 records, no thread lookup, no check) / ArrayDeque by hand",
                    "LoopDeferBenchmark.recordStackFloor16", "LoopDeferBenchmark.arrayDeque16"),
            LOOP_FLOOR,
            other("panic + recover / throw + catch of the same exception (a `Defer.panic` value), JMH's separate forks "
                    + "(the target is judged paired: \"Panic and recover, paired\")",
                    "PanicRecoverBenchmark.panicRecover", "PanicRecoverBenchmark.throwCatchPanic"),
            other("panic + recover / throw + catch of the same exception (a thrown exception), JMH's separate forks",
                    "PanicRecoverBenchmark.exceptionRecover", "PanicRecoverBenchmark.throwCatchException"),
            other("16 capturing loop defers / ArrayDeque by hand",
                    "LoopDeferBenchmark.loopDefer16Capturing", "LoopDeferBenchmark.arrayDeque16"),
            other("16 loop defers (static method reference), Java / Go's LoopDefer16",
                    "LoopDeferBenchmark.loopDefer16", GO + "LoopDefer16"),
            other("class loading from a jar (load, verify, initialise) with the agent / without",
                    "ClassLoadBenchmark.loadFromJarWithAgent", "ClassLoadBenchmark.loadFromJarWithoutAgent"),
            other("define 5,000 classes with the agent / without, single shots in separate forks (the paired "
                    + "figures are under \"Class loading\")",
                    "ClassLoadBenchmark.defineWithAgent", "ClassLoadBenchmark.defineWithoutAgent"),
            other("define 5,000 classes, defer agent / no-op agent, single shots in separate forks: the defer agent's "
                    + "own work",
                    "ClassLoadBenchmark.defineWithAgent", "ClassLoadBenchmark.defineWithNoopAgent"),
            other("define 5,000 classes, no-op agent / no agent, single shots in separate forks: the price of any "
                    + "agent (the JVM's copy of each class file for the transformers)",
                    "ClassLoadBenchmark.defineWithNoopAgent", "ClassLoadBenchmark.defineWithoutAgent"));

    private static Ratio other(String label, String numerator, String denominator) {
        return new Ratio(label, numerator, denominator, Double.NaN, Bytes.ANY, "");
    }

    /** Go's anchor benchmarks in the order of their README, each beside its translation. */
    static final List<String> GO_ANCHORS = List.of("NoDefer", "OneDeferOpenCoded", "ThreeDefersOpenCoded",
            "DeferModifiesResult", "LoopDefer1", "LoopDefer16", "PanicRecover");

    static String javaTranslation(String goName) {
        return "GoAnchorBenchmark." + goName;
    }

    /** A group of bars in the chart: a case, its defer and the hand-written Java it replaces. */
    record Pair(String label, String defer, String byHand) {
    }

    static final List<Pair> CHART_PAIRS = List.of(
            new Pair("1 cleanup", "OneDeferBenchmark.oneDeferStatic", "OneDeferBenchmark.tryFinally"),
            new Pair("3 cleanups", "ThreeDefersBenchmark.threeDefers", "ThreeDefersBenchmark.threeTryFinally"),
            new Pair("result x 7", "DeferModifiesResultBenchmark.deferModifiesResult",
                    "DeferModifiesResultBenchmark.modifyResultByHand"),
            new Pair("1 in a loop", "LoopDeferBenchmark.loopDefer1", "LoopDeferBenchmark.arrayDeque1"),
            new Pair("16 in a loop", "LoopDeferBenchmark.loopDefer16", "LoopDeferBenchmark.arrayDeque16"),
            new Pair("16 (Closer)", "LoopDeferBenchmark.loopDefer16", "LoopDeferBenchmark.guavaCloser16"),
            new Pair("panic", "PanicRecoverBenchmark.panicRecover", "PanicRecoverBenchmark.throwCatchPanic"),
            new Pair("exception", "PanicRecoverBenchmark.exceptionRecover",
                    "PanicRecoverBenchmark.throwCatchException"));

    /** The chart's class-loading bars: label, with the agent, without. */
    static final List<Pair> CLASS_LOADING = List.of(
            new Pair("define 5,000 classes", "ClassLoadBenchmark.defineWithAgent",
                    "ClassLoadBenchmark.defineWithoutAgent"),
            new Pair("load, verify, initialise 5,000 classes from a jar", "ClassLoadBenchmark.loadFromJarWithAgent",
                    "ClassLoadBenchmark.loadFromJarWithoutAgent"));
}
