package dev.defer.benchmarks.report;

import static dev.defer.benchmarks.report.PairedJvms.median;
import static dev.defer.benchmarks.report.PairedJvms.ratio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The paired panic figures, from {@code benchmarks/run.sh}'s runs of {@code PanicInterleaved}: one block per JVM
 * ({@code == JVM n | COMMAND}), each with the four cases' medians and the medians of the rounds' two ratios. The two
 * panic targets are judged on the median over the JVMs of each JVM's paired ratio, as class loading is: JMH's
 * separate forks of these cases, each about 90% in {@code fillInStackTrace}, differ from fork to fork by more than
 * the cost of recovering.
 */
final class PanicPairedSection {
    private static final Pattern ROUNDS = Pattern.compile("^PanicInterleaved: (\\d+) rounds of (\\d+) calls per case "
            + "\\((\\d+) counted\\).*$");
    private static final Pattern CASE = Pattern.compile("^(panicRecover|throwCatchPanic|exceptionRecover"
            + "|throwCatchException)\\s+([0-9.]+)$");
    private static final Pattern RATIO = Pattern.compile("^(panicRecover / throwCatchPanic|exceptionRecover / "
            + "throwCatchException):\\s+([0-9.]+) \\(median of the rounds' ratios\\)$");

    /** The four cases, in PanicInterleaved's order: each recovery beside its throw and catch. */
    static final List<String> CASES = List.of("panicRecover", "throwCatchPanic", "exceptionRecover",
            "throwCatchException");

    private PanicPairedSection() {
    }

    /**
     * One JVM's figures.
     *
     * @param label          {@code JVM 1}
     * @param command        its command line
     * @param counted        counted rounds
     * @param nanos          each case's median, ns per call, by name
     * @param panicRatio     the median of the rounds' panicRecover / throwCatchPanic
     * @param exceptionRatio the median of the rounds' exceptionRecover / throwCatchException
     */
    record Run(String label, String command, int counted, Map<String, Double> nanos, double panicRatio,
            double exceptionRatio) {
    }

    /** A paired target: which of a run's ratios, and its label in the targets table. */
    record Goal(String label, String pair, ToDoubleFunction<Run> ratio, double target) {
    }

    /** The two targets, at most 1.2 each (the earlier targets' panic + recover / throw + catch). */
    static final List<Goal> GOALS = List.of(
            new Goal("panic + recover / throw + catch of the same exception (a `Defer.panic` value), paired in one JVM",
                    "panicRecover / throwCatchPanic", Run::panicRatio, 1.2),
            new Goal("panic + recover / throw + catch of the same exception (a thrown exception), paired in one JVM",
                    "exceptionRecover / throwCatchException", Run::exceptionRatio, 1.2));

    /** The JVMs whose output holds both paired ratios, in order. */
    static List<Run> parse(List<String> lines) {
        List<Run> runs = new ArrayList<>();
        String label = "JVM";
        String command = "";
        int counted = 0;
        Map<String, Double> nanos = new LinkedHashMap<>();
        Map<String, Double> ratios = new LinkedHashMap<>();
        for (String raw : lines) {
            String line = raw.trim();
            Matcher m;
            if ((m = PairedJvms.HEADER.matcher(line)).matches()) {
                addRun(runs, label, command, counted, nanos, ratios);
                label = m.group(1);
                command = m.group(2);
                counted = 0;
                nanos = new LinkedHashMap<>();
                ratios = new LinkedHashMap<>();
            } else if ((m = ROUNDS.matcher(line)).matches()) {
                counted = Integer.parseInt(m.group(3));
            } else if ((m = CASE.matcher(line)).matches()) {
                nanos.put(m.group(1), Double.parseDouble(m.group(2)));
            } else if ((m = RATIO.matcher(line)).matches()) {
                ratios.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        addRun(runs, label, command, counted, nanos, ratios);
        return runs;
    }

    private static void addRun(List<Run> runs, String label, String command, int counted, Map<String, Double> nanos,
            Map<String, Double> ratios) {
        Double panic = ratios.get(GOALS.get(0).pair());
        Double exception = ratios.get(GOALS.get(1).pair());
        if (panic != null && exception != null) {
            runs.add(new Run(label, command, counted, nanos, panic, exception));
        }
    }

    /** The verdict on the median over the JVMs of the goal's paired ratio. */
    static Verdict verdict(List<Run> runs, Goal goal) {
        return PairedJvms.verdict(runs, goal.ratio(), goal.target());
    }

    /** The goal's row in the targets table. */
    static TargetsSection.Row row(List<Run> runs, Goal goal) {
        String[] cases = goal.pair().split(" / ");
        String java = "`PanicInterleaved`: `" + cases[0] + "`";
        String reference = "`" + cases[1] + "`";
        String target = "≤ " + String.format(Locale.ROOT, "%.1f", goal.target());
        if (runs.isEmpty()) {
            return new TargetsSection.Row(goal.label(), java, reference, "–", "–", "–", "–", target,
                    Verdict.NOT_MEASURED);
        }
        PairedJvms.Cells cells = PairedJvms.cells(runs, goal.ratio());
        return new TargetsSection.Row(goal.label(), java, reference, cells.measured(), cells.range(), cells.medians(),
                "–", target, verdict(runs, goal));
    }

    /** The section's Markdown lines; none when the run did not measure it. */
    static List<String> markdown(List<Run> runs) {
        List<String> out = new ArrayList<>();
        if (runs.isEmpty()) {
            return out;
        }
        out.add("## Panic and recover, paired");
        out.add("");
        out.add("`PanicRecoverBenchmark`'s four cases in one JVM under the agent, in batches of calls in a shuffled "
                + "order each round, so that a change in the machine's load falls on all four alike; "
                + runs.size() + (runs.size() == 1 ? " JVM" : " JVMs") + " of " + runs.get(0).counted()
                + " counted rounds (`" + runs.get(0).command() + "`). Each ratio is the median of the rounds' ratios; "
                + "the last row, the median over the JVMs, is the panic targets' figure. JMH's separate forks of the "
                + "same cases, in the full table, spend about 90% in `fillInStackTrace` and differ from fork to fork "
                + "by more than recovering costs.");
        out.add("");
        out.add("| JVM | " + String.join(", ns | ", CASES) + ", ns | " + GOALS.get(0).pair() + " | "
                + GOALS.get(1).pair() + " |");
        out.add("|---|---:|---:|---:|---:|---:|---:|");
        for (Run r : runs) {
            StringBuilder row = new StringBuilder("| " + r.label() + " |");
            for (String c : CASES) {
                Double ns = r.nanos().get(c);
                row.append(' ').append(ns == null ? "–" : String.format(Locale.ROOT, "%.1f", ns)).append(" |");
            }
            out.add(row + " " + ratio(r.panicRatio()) + " | " + ratio(r.exceptionRatio()) + " |");
        }
        out.add("| median of the JVMs | | | | | **" + ratio(median(runs, Run::panicRatio)) + "** | **"
                + ratio(median(runs, Run::exceptionRatio)) + "** |");
        out.add("");
        return out;
    }
}
