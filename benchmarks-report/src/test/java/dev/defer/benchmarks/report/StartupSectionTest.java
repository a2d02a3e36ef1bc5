package dev.defer.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StartupSectionTest {
    /** benchmarks/startup.sh's output, 10 runs each. */
    static List<String> output(double none, double noop, double defer) {
        return List.of(
                "openjdk version \"17.0.15\" 2025-04-15",
                "CPU ms of java Empty, 10 runs each (user + system):",
                "  none   median " + none + "   runs: 43 51 53 40 41 42 44 45 46 47",
                "  noop   median " + noop + "   runs: 115 123 109 110 111 112 113 114 116 117",
                "  defer  median " + defer + "   runs: 148 150 141 140 142 143 144 145 146 147",
                "defer - none: +97.0 ms   noop - none: +64.0 ms   defer - noop: +33.0 ms");
    }

    @Test
    void parsesTheMediansAndTheRuns() {
        StartupSection.Startup s = StartupSection.parse(output(30.5, 70, 85));
        assertEquals(30.5, s.none());
        assertEquals(54.5, s.deferMinusNone(), 1e-9);
        assertEquals(39.5, s.noopMinusNone(), 1e-9);
        assertEquals(15, s.deferMinusNoop(), 1e-9);
        assertEquals(10, s.count());
        assertEquals("openjdk version \"17.0.15\" 2025-04-15", s.jvm());
        assertNull(StartupSection.parse(List.of("none median 3 runs: 3")), "not all three cases");
    }

    @Test
    void theVerdictIsOnDeferMinusNoneAndSaysWhoseShareMissedIt() {
        Verdict jvmShare = StartupSection.parse(output(30, 70, 85)).verdict();
        assertEquals(Verdict.State.MISSED, jvmShare.state(), "+55 ms > 20 ms, though the agent's own share is 15");
        assertEquals("**missed** (CPU; the JVM charges +40.0 ms for any agent (no-op - none); the defer agent's own "
                + "share (defer - no-op) is +15.0 ms, within 20 ms: missed because of the JVM's share)",
                jvmShare.markdown());
        Verdict ownShare = StartupSection.parse(output(30, 40, 75)).verdict();
        assertTrue(ownShare.markdown().startsWith("**missed**") && ownShare.markdown().contains("above 20 ms on its own"),
                ownShare.markdown());
        assertEquals("met", StartupSection.parse(output(30, 40, 50)).verdict().markdown(), "+20 ms is within 20 ms");
        assertEquals(Verdict.State.MISSED, StartupSection.parse(output(30, 40, 50.5)).verdict().state());
    }

    @Test
    void sectionShowsTheThreeDifferences() {
        List<String> md = StartupSection.markdown(StartupSection.parse(output(30, 70, 85)), "benchmarks/startup.sh 10");
        String text = String.join("\n", md);
        assertEquals("## Start-up", md.get(0));
        assertTrue(text.contains("| no-op | 70 | 115, 123, 109,"), text);
        assertTrue(text.contains("| defer - none | +55.0 ms |"), text);
        assertTrue(text.contains("| no-op - none | +40.0 ms |"), text);
        assertTrue(text.contains("| defer - no-op | +15.0 ms |"), text);
        assertTrue(text.contains("Start-up target: **missed**"), text);
        assertTrue(StartupSection.markdown(null, "").isEmpty());
    }
}
