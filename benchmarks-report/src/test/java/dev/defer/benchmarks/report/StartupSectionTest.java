package dev.defer.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /** The same with the agent attached as -agentlib:instrument=JAR too. */
    static List<String> outputWithAgentlib(double none, double noop, double defer, double agentlib) {
        List<String> lines = new java.util.ArrayList<>(output(none, noop, defer));
        lines.add(lines.size() - 1, "  agentlib median " + agentlib + "   runs: 50 52 48 49 51 53 47 46 54 55");
        return lines;
    }

    @Test
    void theAgentlibCaseHasItsOwnVerdictAndDoesNotChangeTheJavaagentOne() {
        StartupSection.Startup s = StartupSection.parse(outputWithAgentlib(35.5, 80, 95.5, 52));
        assertTrue(s.hasAgentlib());
        assertEquals(16.5, s.agentlibMinusNone(), 1e-9);
        assertEquals("met", s.agentlibVerdict().markdown(), "+16.5 ms is within 20 ms");
        assertEquals(Verdict.State.MISSED, s.verdict().state(), "-javaagent's +60 ms stays missed");
        assertEquals(Verdict.State.MISSED,
                StartupSection.parse(outputWithAgentlib(35.5, 80, 95.5, 56)).agentlibVerdict().state(), "+20.5 ms");
        assertFalse(StartupSection.parse(output(30, 70, 85)).hasAgentlib(), "older runs measured three cases");
        String text = String.join("\n", StartupSection.markdown(s, "benchmarks/startup.sh 10"));
        assertTrue(text.contains("| defer, `-agentlib:instrument=` | 52 | 50, 52,"), text);
        assertTrue(text.contains("| agentlib - none | +16.5 ms |"), text);
        assertTrue(text.contains("Start-up target, with `-javaagent`: **missed**"), text);
        assertTrue(text.contains("with `-agentlib:instrument=` (class path): met (+16.5 ms)"), text);
    }

    @Test
    void theNoopAgentlibCaseSplitsAMissedAgentlibVerdictIntoTheJvmsShareAndTheAgents() {
        List<String> lines = new java.util.ArrayList<>(outputWithAgentlib(46, 105, 114, 68));
        lines.add(lines.size() - 1, "  noop-agentlib median 53   runs: 52 54 53 51 55 53 50 56 53 53");
        StartupSection.Startup s = StartupSection.parse(lines);
        assertTrue(s.hasNoopAgentlib());
        assertEquals(7, s.noopAgentlibMinusNone(), 1e-9);
        assertEquals(15, s.agentlibMinusNoopAgentlib(), 1e-9);
        assertEquals(Verdict.State.MISSED, s.agentlibVerdict().state(), "+22 ms");
        String text = String.join("\n", StartupSection.markdown(s, "benchmarks/startup.sh 10"));
        assertTrue(text.contains("| no-op, `-agentlib:instrument=` | 53 | 52, 54,"), text);
        assertTrue(text.contains("| no-op agentlib - none | +7.0 ms |"), text);
        assertTrue(text.contains("| agentlib - no-op agentlib | +15.0 ms |"), text);
        assertTrue(text.contains("the JVM charges +7.0 ms for any agent jar attached this way (no-op agentlib - none);"
                + " the defer agent's own share is +15.0 ms"), text);
        assertFalse(StartupSection.parse(outputWithAgentlib(35.5, 80, 95.5, 52)).hasNoopAgentlib(), "older runs");
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
        assertEquals("**missed** (CPU; the JVM charges +40.0 ms for any -javaagent (no-op - none); the defer agent's own "
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
        assertTrue(text.contains("Start-up target, with `-javaagent`: **missed**"), text);
        assertFalse(text.contains("agentlib"), "no agentlib row for a run that did not measure it");
        assertTrue(StartupSection.markdown(null, "").isEmpty());
    }
}
