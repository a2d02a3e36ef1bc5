package dev.defer.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TargetsSectionTest {
    private static JmhResult result(String name, int forks, double score, double bytes, double... raw) {
        return new JmhResult("dev.defer.benchmarks." + name, "avgt", score, 0.1, "ns/op", bytes, Double.NaN, forks, 5,
                "1 s", List.of(), "17.0.15", "OpenJDK", raw);
    }

    private static Measurements loops(int forks, double[] loop16, double[] deque16, double loopBytes) {
        return new Measurements(List.of(
                result("LoopDeferBenchmark.loopDefer16", forks, mean(loop16), loopBytes, loop16),
                result("LoopDeferBenchmark.arrayDeque16", forks, mean(deque16), 88, deque16)), List.of());
    }

    private static double mean(double[] values) {
        return java.util.Arrays.stream(values).average().orElseThrow();
    }

    private static Verdict loop16(Measurements m) {
        return m.measure(Suite.LOOP_GOALS.get(0)).orElseThrow().verdict();
    }

    @Test
    void theVerdictIsOnTheMediansNotTheMeans() {
        // Means 40 / 60 = 0.67 would meet 0.8; most iterations say 55 / 60 = 0.92.
        Measurements slowMedian = loops(3, new double[] {55, 55, 55, 10, 10}, new double[] {60, 60, 60, 60, 60}, 0);
        assertEquals(Verdict.State.MISSED, loop16(slowMedian).state());
        assertEquals("**missed** (time)", loop16(slowMedian).markdown());
        // Means 76 / 60 = 1.27 would miss; most iterations say 40 / 60 = 0.67, one fork slowed by another process.
        Measurements slowFork = loops(3, new double[] {40, 40, 40, 130, 130}, new double[] {60, 60, 60, 60, 60}, 0);
        assertTrue(loop16(slowFork).met(), loop16(slowFork).markdown());
    }

    @Test
    void aMissedGoalIsNeverRenderedAsMet() {
        Measurements m = loops(3, new double[] {54, 54, 54}, new double[] {60, 60, 60}, 0);   // 0.9 > 0.8
        TargetsSection.Row row = TargetsSection.ratioRow(m, Suite.LOOP_GOALS.get(0));
        assertTrue(row.markdown().endsWith("| ≤ 0.8, and 0 bytes per operation | **missed** (time) |"), row.markdown());
        assertEquals("0.90 (3 forks)", row.medians());
        Measurements allocating = loops(3, new double[] {40, 40, 40}, new double[] {60, 60, 60}, 16);
        assertEquals("**missed** (bytes)", loop16(allocating).markdown(), "0.67 in time, but 16 B/op where 0 is the goal");
    }

    @Test
    void fewerThanThreeForksAreNotJudged() {
        Measurements twoForks = loops(2, new double[] {40, 40}, new double[] {60, 60}, 0);
        Verdict v = loop16(twoForks);
        assertEquals(Verdict.State.TOO_FEW, v.state());
        assertFalse(v.met());
        assertEquals("not judged: 2 forks, a verdict needs 3 (the medians say met)", v.markdown());
        Measurements oneFork = loops(1, new double[] {70}, new double[] {60}, 0);
        assertEquals("not judged: 1 fork, a verdict needs 3 (the medians say missed: time)", loop16(oneFork).markdown());
    }

    @Test
    void tableListsTheGoalsThenTheEarlierTargets() {
        Measurements m = loops(3, new double[] {40, 40, 40}, new double[] {60, 60, 60}, 0);
        List<TargetsSection.Row> rows = TargetsSection.rows(m, null, List.of(), List.of());
        assertEquals(Suite.LOOP_GOALS.size() + 2 + Suite.EARLIER.size() + PanicPairedSection.GOALS.size(),
                rows.size());
        assertEquals("met", rows.get(0).verdict().markdown());
        assertEquals("not measured", rows.get(1).verdict().markdown(), "1 loop defer was not run");
        assertTrue(rows.get(2).label().startsWith("start-up") && !rows.get(2).verdict().met());
        assertTrue(rows.get(3).label().startsWith("class loading") && !rows.get(3).verdict().met());
        assertEquals("one defer / try/finally", rows.get(4).label());
        TargetsSection.Row panic = rows.get(rows.size() - 2);
        assertTrue(panic.label().contains("`Defer.panic` value), paired in one JVM"), panic.label());
        assertEquals("not measured", panic.verdict().markdown(), "no PanicInterleaved output");
        List<String> md = TargetsSection.markdown(rows);
        assertEquals("## Targets", md.get(0));
        assertFalse(String.join("\n", md).toLowerCase().contains("issue"), "no internal tracker jargon");
    }

    @Test
    void aRunWithTheAgentlibCaseGetsItsOwnStartupRowAfterTheJavaagentOne() {
        Measurements m = loops(3, new double[] {40, 40, 40}, new double[] {60, 60, 60}, 0);
        StartupSection.Startup startup = StartupSection.parse(StartupSectionTest.outputWithAgentlib(35.5, 80, 95.5, 52));
        List<TargetsSection.Row> rows = TargetsSection.rows(m, startup, List.of(), List.of());
        assertEquals(Suite.LOOP_GOALS.size() + 3 + Suite.EARLIER.size() + PanicPairedSection.GOALS.size(),
                rows.size());
        assertTrue(rows.get(2).label().startsWith("start-up: CPU") && !rows.get(2).verdict().met(), "-javaagent: +60");
        assertTrue(rows.get(3).label().contains("-agentlib:instrument=") && rows.get(3).verdict().met(), "+16.5");
        assertEquals("+16.5 ms", rows.get(3).measured());
        assertTrue(rows.get(4).label().startsWith("class loading"));
    }

    private static Measurements loopsWithFloor(double[] loop16, double[] deque16, double[] floor) {
        return new Measurements(List.of(
                result("LoopDeferBenchmark.loopDefer16", 3, mean(loop16), 0, loop16),
                result("LoopDeferBenchmark.arrayDeque16", 3, mean(deque16), 88, deque16),
                result("LoopDeferBenchmark.recordStackThreadFloor16", 3, mean(floor), 0, floor)), List.of());
    }

    @Test
    void aMissedLoopGoalSaysWhereThePerThreadFloorStands() {
        Measurements aboveTheGoal = loopsWithFloor(new double[] {72, 72, 72}, new double[] {60, 60, 60},
                new double[] {54, 54, 54});
        List<TargetsSection.Row> rows = TargetsSection.rows(aboveTheGoal, null, List.of(), List.of());
        assertEquals("**missed** (time; the least a per-thread record stack costs, `recordStackThreadFloor16`, is 0.90 "
                + "of the deque: no design that keeps a thread's records in a heap array meets the goal in this run)",
                rows.get(0).verdict().markdown());
        Measurements belowTheGoal = loopsWithFloor(new double[] {72, 72, 72}, new double[] {60, 60, 60},
                new double[] {42, 42, 42});
        assertEquals("**missed** (time; the least a per-thread record stack costs, `recordStackThreadFloor16`, is 0.70 "
                + "of the deque)", TargetsSection.rows(belowTheGoal, null, List.of(), List.of()).get(0).verdict()
                .markdown());
        Measurements met = loopsWithFloor(new double[] {45, 45, 45}, new double[] {60, 60, 60},
                new double[] {42, 42, 42});
        assertEquals("met", TargetsSection.rows(met, null, List.of(), List.of()).get(0).verdict().markdown(),
                "nothing to explain");
        Measurements oneFork = new Measurements(List.of(
                result("LoopDeferBenchmark.loopDefer16", 1, 72, 0, 72),
                result("LoopDeferBenchmark.arrayDeque16", 1, 60, 88, 60),
                result("LoopDeferBenchmark.recordStackThreadFloor16", 1, 54, 0, 54)), List.of());
        assertEquals("not judged: 1 fork, a verdict needs 3 (the medians say missed: time)",
                TargetsSection.rows(oneFork, null, List.of(), List.of()).get(0).verdict().markdown(),
                "a run too short to judge says nothing of the floor");
    }
}
