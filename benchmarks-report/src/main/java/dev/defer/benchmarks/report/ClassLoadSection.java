package dev.defer.benchmarks.report;

import static dev.defer.benchmarks.report.PairedJvms.median;
import static dev.defer.benchmarks.report.PairedJvms.ratio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The paired class-loading figures, from {@code benchmarks/run.sh}'s runs of {@code ClassLoadInterleaved}: one
 * block per JVM ({@code == JVM n | COMMAND}), each with the three modes' medians, the medians of the rounds' paired
 * ratios and {@code transform()} timed alone. The class-loading target is the median over the JVMs of each JVM's
 * paired defer agent / no-op agent.
 */
final class ClassLoadSection {
    private static final Pattern COUNTS = Pattern.compile("^(\\d+) classes of (\\d+) bytes on average, (\\d+) counted.*$");
    private static final Pattern MODE = Pattern.compile(
            "^(no agent|no-op agent|defer agent)\\s+median\\s+([0-9.]+) ms\\s+min\\s+([0-9.]+) ms\\s+([0-9.]+) us/class"
                    + "\\s+([0-9.]+) B/class.*$");
    private static final Pattern PAIRED = Pattern.compile("^paired, median of the rounds' ratios: no-op agent / no "
            + "agent ([0-9.]+)\\s+defer agent / no agent ([0-9.]+)\\s+defer agent / no-op agent ([0-9.]+)$");
    private static final Pattern TRANSFORM = Pattern.compile(
            "^(no-op agent|defer agent)\\s+transform\\(\\) alone:\\s+([0-9.]+) ns/class.*$");

    private ClassLoadSection() {
    }

    /** One mode of one JVM: its median shot, in µs per class, and the bytes it allocated per class. */
    record Mode(double microsPerClass, double bytesPerClass) {
    }

    /**
     * One JVM's figures.
     *
     * @param label          {@code JVM 1}
     * @param command        its command line
     * @param classes        classes per shot
     * @param shots          counted shots per mode
     * @param modes          by name: {@code no agent}, {@code no-op agent}, {@code defer agent}
     * @param noopOverNone   the median of the rounds' no-op agent / no agent
     * @param deferOverNone  the median of the rounds' defer agent / no agent
     * @param deferOverNoop  the median of the rounds' defer agent / no-op agent
     * @param transformNanos {@code transform()} alone, ns per class, by mode
     */
    record Run(String label, String command, int classes, int shots, Map<String, Mode> modes, double noopOverNone,
            double deferOverNone, double deferOverNoop, Map<String, Double> transformNanos) {
    }

    /** The JVMs whose output holds the paired ratios, in order. */
    static List<Run> parse(List<String> lines) {
        List<Run> runs = new ArrayList<>();
        String label = "JVM";
        String command = "";
        int classes = 0;
        int shots = 0;
        Map<String, Mode> modes = new LinkedHashMap<>();
        Map<String, Double> transform = new LinkedHashMap<>();
        double[] paired = null;
        for (String raw : lines) {
            String line = raw.trim();
            Matcher m;
            if ((m = PairedJvms.HEADER.matcher(line)).matches()) {
                addRun(runs, label, command, classes, shots, modes, paired, transform);
                label = m.group(1);
                command = m.group(2);
                modes = new LinkedHashMap<>();
                transform = new LinkedHashMap<>();
                paired = null;
            } else if ((m = COUNTS.matcher(line)).matches()) {
                classes = Integer.parseInt(m.group(1));
                shots = Integer.parseInt(m.group(3));
            } else if ((m = MODE.matcher(line)).matches()) {
                modes.put(m.group(1), new Mode(Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5))));
            } else if ((m = PAIRED.matcher(line)).matches()) {
                paired = new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
                        Double.parseDouble(m.group(3))};
            } else if ((m = TRANSFORM.matcher(line)).matches()) {
                transform.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        addRun(runs, label, command, classes, shots, modes, paired, transform);
        return runs;
    }

    private static void addRun(List<Run> runs, String label, String command, int classes, int shots,
            Map<String, Mode> modes, double[] paired, Map<String, Double> transform) {
        if (paired != null) {
            runs.add(new Run(label, command, classes, shots, modes, paired[0], paired[1], paired[2], transform));
        }
    }

    /** The verdict on the median over the JVMs of the paired defer agent / no-op agent. */
    static Verdict verdict(List<Run> runs) {
        return PairedJvms.verdict(runs, Run::deferOverNoop, Suite.CLASS_LOAD_GOAL);
    }

    /** The section's Markdown lines; none when the run did not measure it. */
    static List<String> markdown(List<Run> runs) {
        List<String> out = new ArrayList<>();
        if (runs.isEmpty()) {
            return out;
        }
        Run first = runs.get(0);
        out.add("## Class loading, paired");
        out.add("");
        out.add("Defining " + String.format(Locale.ROOT, "%,d", first.classes()) + " generated classes without "
                + "`@Defers` in a new loader, shot after shot in one JVM, with no agent, with a no-op agent (a "
                + "transformer that returns `null` for every class) and with the defer agent's transformer, in a "
                + "shuffled order each round, so that a change in the machine's load falls on all three alike; "
                + runs.size() + (runs.size() == 1 ? " JVM" : " JVMs") + " of " + first.shots() + " counted rounds "
                + "(`" + first.command() + "`). Each ratio is the median of the rounds' ratios; the last row, the "
                + "median over the JVMs, is the class-loading target's figure. Separate JMH forks, in the full table, "
                + "differ by more than the agent costs when the load changes.");
        out.add("");
        out.add("| JVM | no agent, µs/class | no-op agent | defer agent | no-op / none | defer / none | defer / no-op "
                + "| bytes/class (none, any agent) | `transform()` alone, defer agent |");
        out.add("|---|---:|---:|---:|---:|---:|---:|---|---:|");
        for (Run r : runs) {
            out.add("| " + r.label() + " | " + micros(r, "no agent") + " | " + micros(r, "no-op agent") + " | "
                    + micros(r, "defer agent") + " | " + ratio(r.noopOverNone()) + " | " + ratio(r.deferOverNone())
                    + " | " + ratio(r.deferOverNoop()) + " | " + bytes(r, "no agent") + ", "
                    + bytes(r, "defer agent") + " | " + nanos(r) + " |");
        }
        out.add("| median of the JVMs | | | | " + ratio(median(runs, Run::noopOverNone)) + " | "
                + ratio(median(runs, Run::deferOverNone)) + " | **" + ratio(median(runs, Run::deferOverNoop))
                + "** | | |");
        out.add("");
        out.add("Class-loading target (defer agent / no-op agent ≤ " + ratio(Suite.CLASS_LOAD_GOAL) + "): "
                + verdict(runs).markdown() + ". What any agent costs is no-op / none: the JVM copies each class file "
                + "into a new `byte[]` and calls into Java before any transformer sees it (the bytes per class "
                + "above); build-time rewriting needs no agent.");
        out.add("");
        return out;
    }

    private static String micros(Run r, String mode) {
        Mode m = r.modes().get(mode);
        return m == null ? "–" : String.format(Locale.ROOT, "%.2f", m.microsPerClass());
    }

    private static String bytes(Run r, String mode) {
        Mode m = r.modes().get(mode);
        return m == null ? "–" : String.format(Locale.ROOT, "%,.0f", m.bytesPerClass());
    }

    private static String nanos(Run r) {
        Double ns = r.transformNanos().get("defer agent");
        return ns == null ? "–" : String.format(Locale.ROOT, "%.0f ns", ns);
    }
}
