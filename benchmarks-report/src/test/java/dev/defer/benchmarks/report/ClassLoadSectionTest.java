package dev.defer.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassLoadSectionTest {
    /** benchmarks/run.sh's class-load-interleaved.txt: one block per JVM, each ClassLoadInterleaved's output. */
    static List<String> output(double... deferOverNoop) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < deferOverNoop.length; i++) {
            lines.add("== JVM " + (i + 1) + " | java -cp benchmarks/target/benchmarks.jar "
                    + "dev.defer.benchmarks.ClassLoadInterleaved 80");
            lines.add("5000 classes of 1496 bytes on average, 64 counted shots per mode");
            lines.add("no agent     median  107.52 ms  min   73.85 ms   21.50 us/class     313 B/class  / no agent "
                    + "1.000  / no-op agent 0.949");
            lines.add("no-op agent  median  113.28 ms  min   76.04 ms   22.66 us/class    1894 B/class  / no agent "
                    + "1.054  / no-op agent 1.000");
            lines.add("defer agent  median  122.96 ms  min   77.37 ms   24.59 us/class    1894 B/class  / no agent "
                    + "1.144  / no-op agent 1.086");
            lines.add(String.format(java.util.Locale.ROOT, "paired, median of the rounds' ratios: no-op agent / no "
                    + "agent 1.034  defer agent / no agent 1.022  defer agent / no-op agent %.3f", deferOverNoop[i]));
            lines.add("no-op agent  transform() alone:    0.0 ns/class (best of 200), 0.00 B/class");
            lines.add("defer agent  transform() alone:  587.9 ns/class (best of 200), 0.00 B/class");
        }
        return lines;
    }

    @Test
    void parsesEachJvm() {
        List<ClassLoadSection.Run> runs = ClassLoadSection.parse(output(1.01, 1.05, 0.99));
        assertEquals(3, runs.size());
        ClassLoadSection.Run first = runs.get(0);
        assertEquals("JVM 1", first.label());
        assertEquals(5000, first.classes());
        assertEquals(64, first.shots());
        assertEquals(22.66, first.modes().get("no-op agent").microsPerClass());
        assertEquals(1894, first.modes().get("defer agent").bytesPerClass());
        assertEquals(1.034, first.noopOverNone());
        assertEquals(1.05, runs.get(1).deferOverNoop());
        assertEquals(587.9, first.transformNanos().get("defer agent"));
    }

    @Test
    void theVerdictIsOnTheMedianOfTheJvmsPairedRatios() {
        assertTrue(ClassLoadSection.verdict(ClassLoadSection.parse(output(1.01, 1.05, 0.99))).met(), "median 1.01");
        Verdict missed = ClassLoadSection.verdict(ClassLoadSection.parse(output(1.03, 1.05, 0.99)));
        assertEquals("**missed** (time)", missed.markdown(), "median 1.03 > 1.02");
        assertEquals(Verdict.State.TOO_FEW, ClassLoadSection.verdict(ClassLoadSection.parse(output(1.0))).state());
        assertEquals(Verdict.State.NOT_MEASURED, ClassLoadSection.verdict(List.of()).state());
    }

    @Test
    void sectionAndTargetRow() {
        List<ClassLoadSection.Run> runs = ClassLoadSection.parse(output(1.01, 1.05, 0.99));
        String text = String.join("\n", ClassLoadSection.markdown(runs));
        assertTrue(text.startsWith("## Class loading, paired"), text);
        assertTrue(text.contains("| JVM 2 | 21.50 | 22.66 | 24.59 | 1.034 | 1.022 | 1.050 | 313, 1,894 | 588 ns |"), text);
        assertTrue(text.contains("| median of the JVMs | | | | 1.034 | 1.022 | **1.010** | | |"), text);
        TargetsSection.Row row = TargetsSection.classLoadRow(runs);
        assertEquals("1.010, 1.050, 0.990", row.measured());
        assertEquals("0.990–1.050", row.range());
        assertEquals("1.010 (3 JVMs)", row.medians());
        assertEquals("met", row.verdict().markdown());
    }
}
