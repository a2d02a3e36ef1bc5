package dev.defer.benchmarks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The "Stack depth" section of docs/performance.md, from the output of {@code benchmarks/stack-depth.sh}: one
 * block per JIT mode ({@code == MODE | COMMAND}), one line per shape ({@code SHAPE N levels M levels/MB [R of
 * try/finally]}). A table with a row per shape and a column per mode: the levels on the fresh JVM's 1 MB
 * stack, levels per MB warmed up, each beside its ratio to try/finally in the same mode.
 */
final class StackDepthSection {
    private static final Pattern SHAPE = Pattern.compile("^(.+?)\\s+(\\d+) levels\\s+(\\d+) levels/MB.*$");

    private StackDepthSection() {
    }

    /** One mode: its label, its command, and each shape's figure (levels, or levels per MB when warmed up). */
    record Mode(String label, String command, Map<String, Long> figures) {
        boolean perMegabyte() {
            return label.startsWith("warmed up");
        }
    }

    /** The run's own line ({@code # DATE, commit, JDK, load}), or null. */
    static String measured(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("# ")).map(l -> l.substring(2).trim()).findFirst().orElse(null);
    }

    static List<Mode> parse(List<String> lines) {
        List<Mode> modes = new ArrayList<>();
        Mode current = null;
        for (String line : lines) {
            if (line.startsWith("== ")) {
                String[] parts = line.substring(3).split(" \\| ", 2);
                current = new Mode(parts[0].trim(), parts.length > 1 ? parts[1].trim() : "", new LinkedHashMap<>());
                modes.add(current);
                continue;
            }
            Matcher m = SHAPE.matcher(line.trim());
            if (current != null && m.matches()) {
                current.figures().put(m.group(1), Long.parseLong(current.perMegabyte() ? m.group(3) : m.group(2)));
            }
        }
        return modes;
    }

    /** The section's Markdown lines; none when the run measured no depth. */
    static List<String> markdown(List<String> lines) {
        List<Mode> modes = parse(lines);
        List<String> out = new ArrayList<>();
        if (modes.isEmpty()) {
            return out;
        }
        out.add("## Stack depth");
        out.add("");
        out.add("Levels of recursion with one cleanup per level before the stack overflows (`StackDepth`, run by "
                + "`benchmarks/stack-depth.sh`): in a fresh JVM on the default 1 MB thread stack, and, warmed up, "
                + "levels per MB of a 16 MB stack. In parentheses, the ratio to `try`/`finally` in the same mode. "
                + "With default flags the figures depend on how soon the compiler thread gets a CPU; "
                + "`-XX:-BackgroundCompilation` makes them repeatable. See design.md, \"Stack depth\"."
                + (measured(lines) == null ? "" : " Measured " + measured(lines) + "."));
        out.add("");
        StringBuilder header = new StringBuilder("| shape |");
        StringBuilder rule = new StringBuilder("|---|");
        for (Mode mode : modes) {
            header.append(' ').append(mode.label()).append(mode.perMegabyte() ? " (levels/MB)" : "").append(" |");
            rule.append("---:|");
        }
        out.add(header.toString());
        out.add(rule.toString());
        List<String> shapes = new ArrayList<>();
        modes.forEach(mode -> mode.figures().keySet().stream().filter(s -> !shapes.contains(s)).forEach(shapes::add));
        String base = shapes.isEmpty() ? null : shapes.get(0);
        for (String shape : shapes) {
            StringBuilder row = new StringBuilder("| " + shape + " |");
            for (Mode mode : modes) {
                Long figure = mode.figures().get(shape);
                Long reference = mode.figures().get(base);
                row.append(' ').append(figure == null ? "not measured" : String.format("%,d", figure));
                if (figure != null && reference != null && reference > 0 && !shape.equals(base)) {
                    row.append(String.format(" (%.2f)", figure / (double) reference));
                }
                row.append(" |");
            }
            out.add(row.toString());
        }
        out.add("");
        out.add("Commands (`SHAPE`: `TRY_FINALLY`, `OPEN_CODED`, `STACK_RECORD`, `LOOP_RECORD`, `LOOP_LAZY`):");
        out.add("");
        for (Mode mode : modes) {
            out.add("- " + mode.label() + ": `" + mode.command() + "`");
        }
        out.add("");
        return out;
    }
}
