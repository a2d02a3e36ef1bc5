package dev.defer.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class PanicPairedSectionTest {
    /** benchmarks/run.sh's panic-interleaved.txt: one block per JVM, each PanicInterleaved's output. */
    static List<String> output(double[] panicRatios, double[] exceptionRatios) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < panicRatios.length; i++) {
            lines.add("== JVM " + (i + 1) + " | java -javaagent:defer-agent/target/defer-agent.jar -cp "
                    + "benchmarks/target/benchmarks.jar dev.defer.benchmarks.PanicInterleaved 400");
            lines.add("PanicInterleaved: 400 rounds of 2000 calls per case (320 counted), ns/op medians:");
            lines.add("  panicRecover           1008.0");
            lines.add("  throwCatchPanic         829.5");
            lines.add("  exceptionRecover        990.2");
            lines.add("  throwCatchException     850.0");
            lines.add(String.format(Locale.ROOT, "  panicRecover / throwCatchPanic:         %.3f (median of the rounds' "
                    + "ratios)", panicRatios[i]));
            lines.add(String.format(Locale.ROOT, "  exceptionRecover / throwCatchException: %.3f (median of the rounds' "
                    + "ratios)", exceptionRatios[i]));
        }
        return lines;
    }

    @Test
    void parsesEachJvm() {
        List<PanicPairedSection.Run> runs = PanicPairedSection.parse(output(new double[] {1.19, 1.25, 1.13},
                new double[] {1.15, 1.14, 1.16}));
        assertEquals(3, runs.size());
        PanicPairedSection.Run second = runs.get(1);
        assertEquals("JVM 2", second.label());
        assertEquals(320, second.counted());
        assertEquals(829.5, second.nanos().get("throwCatchPanic"));
        assertEquals(1.25, second.panicRatio());
        assertEquals(1.14, second.exceptionRatio());
        assertTrue(second.command().endsWith("PanicInterleaved 400"), second.command());
    }

    @Test
    void aJvmWithoutBothRatiosIsNotCounted() {
        List<String> cut = new ArrayList<>(output(new double[] {1.1, 1.1}, new double[] {1.1, 1.1}));
        cut.remove(cut.size() - 1);   // the second JVM died before its last line
        assertEquals(1, PanicPairedSection.parse(cut).size());
    }

    @Test
    void eachTargetIsJudgedOnTheMedianOfTheJvms() {
        List<PanicPairedSection.Run> runs = PanicPairedSection.parse(output(new double[] {1.19, 1.25, 1.13},
                new double[] {1.21, 1.30, 1.1}));
        assertTrue(PanicPairedSection.verdict(runs, PanicPairedSection.GOALS.get(0)).met(), "median 1.19");
        assertEquals("**missed** (time)", PanicPairedSection.verdict(runs, PanicPairedSection.GOALS.get(1)).markdown(),
                "median 1.21 > 1.2");
        List<PanicPairedSection.Run> one = PanicPairedSection.parse(output(new double[] {1.0}, new double[] {1.0}));
        assertEquals(Verdict.State.TOO_FEW, PanicPairedSection.verdict(one, PanicPairedSection.GOALS.get(0)).state());
        assertEquals(Verdict.State.NOT_MEASURED,
                PanicPairedSection.verdict(List.of(), PanicPairedSection.GOALS.get(0)).state());
    }

    @Test
    void sectionAndTargetRow() {
        List<PanicPairedSection.Run> runs = PanicPairedSection.parse(output(new double[] {1.19, 1.25, 1.13},
                new double[] {1.15, 1.14, 1.16}));
        TargetsSection.Row row = PanicPairedSection.row(runs, PanicPairedSection.GOALS.get(0));
        assertEquals("1.190, 1.250, 1.130", row.measured());
        assertEquals("1.130–1.250", row.range());
        assertEquals("1.190 (3 JVMs)", row.medians());
        assertEquals("`PanicInterleaved`: `panicRecover`", row.javaCase());
        assertEquals("`throwCatchPanic`", row.reference());
        String text = String.join("\n", PanicPairedSection.markdown(runs));
        assertTrue(text.startsWith("## Panic and recover, paired"), text);
        assertTrue(text.contains("| JVM 1 | 1008.0 | 829.5 | 990.2 | 850.0 | 1.190 | 1.150 |"), text);
        assertTrue(text.contains("| median of the JVMs | | | | | **1.190** | **1.150** |"), text);
        assertTrue(PanicPairedSection.markdown(List.of()).isEmpty(), "no section when the run had no JVM");
    }
}
