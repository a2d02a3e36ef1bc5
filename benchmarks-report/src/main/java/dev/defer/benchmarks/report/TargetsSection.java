package dev.defer.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The "Targets" section: the goals for loop defers, start-up and class loading, then the earlier targets that stay
 * in force, each with its measured value, its medians and the verdict, which is on the medians of at least three
 * forks (or runs, or JVMs).
 */
final class TargetsSection {
    private TargetsSection() {
    }

    /** One row of the table, every cell already written. */
    record Row(String label, String javaCase, String reference, String measured, String range, String medians,
            String bytes, String target, Verdict verdict) {
        String markdown() {
            return "| " + String.join(" | ", label, javaCase, reference, measured, range, medians, bytes, target,
                    verdict.markdown()) + " |";
        }
    }

    /** Every row, in the table's order. */
    static List<Row> rows(Measurements m, StartupSection.Startup startup, List<ClassLoadSection.Run> classLoad,
            List<PanicPairedSection.Run> panic) {
        List<Row> rows = new ArrayList<>();
        Suite.LOOP_GOALS.forEach(r -> rows.add(withFloor(m, r, ratioRow(m, r))));
        rows.add(startupRow(startup));
        if (startup != null && startup.hasAgentlib()) {
            rows.add(agentlibRow(startup));
        }
        rows.add(classLoadRow(classLoad));
        Suite.EARLIER.forEach(r -> rows.add(ratioRow(m, r)));
        PanicPairedSection.GOALS.forEach(g -> rows.add(PanicPairedSection.row(panic, g)));
        return rows;
    }

    /**
     * A loop goal's row; that of {@link Suite#LOOP16_GOAL} with, beside a missed verdict, the least any per-thread
     * record stack costs in the same run ({@link Suite#LOOP_FLOOR}): what says whether the goal is within any such
     * design's reach here.
     */
    static Row withFloor(Measurements m, Suite.Ratio goal, Row row) {
        if (!goal.equals(Suite.LOOP16_GOAL) || row.verdict().state() != Verdict.State.MISSED) {
            return row;
        }
        Optional<Measurements.Measured> floor = m.measure(Suite.LOOP_FLOOR);
        if (floor.isEmpty()) {
            return row;
        }
        double value = floor.get().medianValue();
        String note = "the least a per-thread record stack costs, `recordStackThreadFloor16`, is "
                + MarkdownReport.ratio(value) + " of the deque" + (value > goal.target()
                        ? ": no design that keeps a thread's records in a heap array meets the goal in this run"
                        : "");
        return new Row(row.label(), row.javaCase(), row.reference(), row.measured(), row.range(), row.medians(),
                row.bytes(), row.target(), row.verdict().withNote(note));
    }

    static Row ratioRow(Measurements m, Suite.Ratio ratio) {
        Optional<Measurements.Measured> measured = m.measure(ratio);
        String java = code(ratio.numerator());
        String reference = code(ratio.denominator());
        if (measured.isEmpty()) {
            return new Row(ratio.label(), java, reference, "–", "–", "–", "–", ratio.targetText(),
                    Verdict.NOT_MEASURED);
        }
        Measurements.Measured r = measured.get();
        return new Row(ratio.label(), java, reference, MarkdownReport.ratio(r.value()), MarkdownReport.range(r),
                MarkdownReport.ratio(r.medianValue()) + " (" + r.forks() + (r.forks() == 1 ? " fork)" : " forks)"),
                MarkdownReport.bytes(r.numerator().bytes()) + ", " + MarkdownReport.bytes(r.denominator().bytes()),
                ratio.targetText(), r.verdict());
    }

    static Row startupRow(StartupSection.Startup s) {
        String label = "start-up: CPU the defer agent adds to an empty `main` (defer - none)";
        String java = "`java -javaagent:defer-agent.jar Empty`";
        String reference = "`java Empty`";
        String target = "≤ " + String.format(Locale.ROOT, "%.0f", Suite.STARTUP_GOAL_MS) + " ms";
        if (s == null) {
            return new Row(label, java, reference, "–", "–", "–", "–", target, Verdict.NOT_MEASURED);
        }
        return new Row(label, java, reference, StartupSection.ms(s.deferMinusNone()), "–",
                String.format(Locale.ROOT, "defer %.1f, none %.1f ms (%d runs each)", s.defer(), s.none(), s.count()),
                "–",
                target, s.verdict());
    }

    /** The same goal with the agent attached as {@code -agentlib:instrument=JAR}, for class-path applications. */
    static Row agentlibRow(StartupSection.Startup s) {
        return new Row("start-up, the agent attached as `-agentlib:instrument=` (class-path applications; "
                + "agentlib - none)", "`java -agentlib:instrument=defer-agent.jar Empty`", "`java Empty`",
                StartupSection.ms(s.agentlibMinusNone()), "–",
                String.format(Locale.ROOT, "agentlib %.1f, none %.1f ms (%d runs each)", s.medians().get("agentlib"),
                        s.none(), s.count()),
                "–", "≤ " + String.format(Locale.ROOT, "%.0f", Suite.STARTUP_GOAL_MS) + " ms", s.agentlibVerdict());
    }

    static Row classLoadRow(List<ClassLoadSection.Run> runs) {
        String label = "class loading, defer agent / no-op agent (5,000 classes without @Defers, paired in one JVM)";
        String java = "`ClassLoadInterleaved`: defer agent";
        String reference = "no-op agent";
        String target = "≤ " + PairedJvms.ratio(Suite.CLASS_LOAD_GOAL);
        if (runs.isEmpty()) {
            return new Row(label, java, reference, "–", "–", "–", "–", target, Verdict.NOT_MEASURED);
        }
        PairedJvms.Cells cells = PairedJvms.cells(runs, ClassLoadSection.Run::deferOverNoop);
        return new Row(label, java, reference, cells.measured(), cells.range(), cells.medians(),
                bytesPerClass(runs, "defer agent") + ", " + bytesPerClass(runs, "no-op agent") + " per class", target,
                ClassLoadSection.verdict(runs));
    }

    private static String bytesPerClass(List<ClassLoadSection.Run> runs, String mode) {
        List<ClassLoadSection.Run> with = runs.stream().filter(r -> r.modes().containsKey(mode)).toList();
        return with.isEmpty() ? "–" : MarkdownReport.bytes(
                PairedJvms.median(with, r -> r.modes().get(mode).bytesPerClass()));
    }

    /** The section's Markdown lines. */
    static List<String> markdown(List<Row> rows) {
        List<String> out = new ArrayList<>();
        out.add("## Targets");
        out.add("");
        out.add("What `defer` promises to cost, against the hand-written Java it replaces, against Go, and on every "
                + "JVM start and class load: the rows up to class loading are the current goals for loop defers, "
                + "start-up and class loading, the rest earlier targets still in force.");
        out.add("");
        out.add("Each ratio divides the scores of two benchmarks of this run. *Measured* is the ratio of JMH's scores "
                + "(means); *range* is the ratio taken from the ends of both scores' intervals (JMH's 99.9% confidence "
                + "interval; for Go the smallest and largest of its samples); *medians* is the ratio of the medians of "
                + "the measured iterations of all forks (Go: of its samples). The verdict is on the medians, which a few "
                + "iterations slowed by other processes move less than the means, and needs at least "
                + Verdict.MIN_FORKS + " forks (start-up: runs; class loading and panics: JVMs). Start-up is in ms of "
                + "CPU, the difference of two medians (section \"Start-up\"); class loading and the panic targets are "
                + "paired in one JVM (sections \"Class loading, paired\" and \"Panic and recover, paired\"), their "
                + "*measured* cell each JVM's median ratio. Bytes per operation are rounded to whole bytes.");
        out.add("");
        out.add("| target | Java case | reference | measured | range | medians | bytes/op (Java, reference) | target "
                + "| verdict |");
        out.add("|---|---|---|---:|---|---:|---|---|---|");
        rows.forEach(r -> out.add(r.markdown()));
        out.add("");
        return out;
    }

    private static String code(String text) {
        return "`" + text + "`";
    }
}
