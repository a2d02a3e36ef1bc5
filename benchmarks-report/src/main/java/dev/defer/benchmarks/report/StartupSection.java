package dev.defer.benchmarks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The start-up figures, from the output of {@code benchmarks/startup.sh}: the CPU milliseconds of {@code java Empty}
 * with no agent, a no-op agent and the defer agent ({@code  none   median     51   runs: 43 51 53}), their
 * medians' differences, the verdict on the start-up goal and the report's "Start-up" section.
 */
final class StartupSection {
    private static final Pattern CASE = Pattern.compile("^(none|noop|defer|agentlib|noop-agentlib)\\s+median\\s+([0-9.]+)\\s+runs:\\s*(.*)$");

    private StartupSection() {
    }

    /**
     * One run of the script.
     *
     * @param jvm     the first line of {@code java -version}
     * @param medians each case's median, by the script's name ({@code none}, {@code noop}, {@code defer})
     * @param runs    each case's runs, in ms of CPU
     */
    record Startup(String jvm, Map<String, Double> medians, Map<String, List<Double>> runs) {
        double none() {
            return medians.get("none");
        }

        double noop() {
            return medians.get("noop");
        }

        double defer() {
            return medians.get("defer");
        }

        /** What the goal limits: the CPU the defer agent adds to an empty {@code main}. */
        double deferMinusNone() {
            return defer() - none();
        }

        /** What the JVM charges for any {@code java.lang.instrument} agent. */
        double noopMinusNone() {
            return noop() - none();
        }

        /** The defer agent's own share. */
        double deferMinusNoop() {
            return defer() - noop();
        }

        /** The fewest runs of the cases. */
        int count() {
            return runs.values().stream().mapToInt(List::size).min().orElse(0);
        }

        /** Whether the run measured the agent attached as {@code -agentlib:instrument=JAR} (older runs did not). */
        boolean hasAgentlib() {
            return medians.containsKey("agentlib");
        }

        /**
         * The CPU the defer agent adds when attached as {@code -agentlib:instrument=JAR}: no {@code --add-modules
         * java.instrument}, so the CDS archive's module graph stays in use.
         */
        double agentlibMinusNone() {
            return medians.get("agentlib") - none();
        }

        /**
         * Whether the run measured the no-op agent attached as {@code -agentlib:instrument=JAR} too, the JVM's share
         * of {@link #agentlibMinusNone} (older runs did not).
         */
        boolean hasNoopAgentlib() {
            return medians.containsKey("noop-agentlib");
        }

        /** What the JVM charges for any agent jar attached as {@code -agentlib:instrument=JAR}. */
        double noopAgentlibMinusNone() {
            return medians.get("noop-agentlib") - none();
        }

        /** The defer agent's own share when attached as {@code -agentlib:instrument=JAR}. */
        double agentlibMinusNoopAgentlib() {
            return medians.get("agentlib") - medians.get("noop-agentlib");
        }

        /**
         * The verdict on agentlib - none, for class-path applications; when it is missed and the run measured the
         * no-op agent the same way, the note gives the JVM's share and the defer agent's own.
         */
        Verdict agentlibVerdict() {
            boolean met = agentlibMinusNone() <= Suite.STARTUP_GOAL_MS;
            Verdict verdict = Verdict.of(met ? List.of() : List.of("CPU"), count(), "runs");
            if (met || !hasNoopAgentlib()) {
                return verdict;
            }
            return verdict.withNote("the JVM charges " + ms(noopAgentlibMinusNone()) + " for any agent jar attached "
                    + "this way (no-op agentlib - none); the defer agent's own share is "
                    + ms(agentlibMinusNoopAgentlib()));
        }

        /**
         * The verdict on defer - none; when it is missed, the note says how much of it is the JVM's share for any
         * agent and how much the defer agent's own.
         */
        Verdict verdict() {
            boolean met = deferMinusNone() <= Suite.STARTUP_GOAL_MS;
            Verdict verdict = Verdict.of(met ? List.of() : List.of("CPU"), count(), "runs");
            if (met) {
                return verdict;
            }
            String share = "the JVM charges " + ms(noopMinusNone()) + " for any -javaagent (no-op - none); the defer "
                    + "agent's own share (defer - no-op) is " + ms(deferMinusNoop());
            return verdict.withNote(deferMinusNoop() <= Suite.STARTUP_GOAL_MS
                    ? share + ", within " + ms0(Suite.STARTUP_GOAL_MS) + ": missed because of the JVM's share"
                    : share + ", above " + ms0(Suite.STARTUP_GOAL_MS) + " on its own");
        }
    }

    /** The script's figures, or null when the output holds no median of all three cases. */
    static Startup parse(List<String> lines) {
        Map<String, Double> medians = new LinkedHashMap<>();
        Map<String, List<Double>> runs = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher m = CASE.matcher(line.trim());
            if (m.matches()) {
                medians.put(m.group(1), Double.parseDouble(m.group(2)));
                List<Double> values = new ArrayList<>();
                for (String v : m.group(3).trim().split("\\s+")) {
                    if (!v.isEmpty()) {
                        values.add(Double.parseDouble(v));
                    }
                }
                runs.put(m.group(1), values);
            }
        }
        if (!medians.keySet().containsAll(List.of("none", "noop", "defer"))
                || medians.containsKey("agentlib") && runs.get("agentlib").isEmpty()) {
            return null;
        }
        String jvm = lines.isEmpty() || lines.get(0).startsWith("CPU") ? "" : lines.get(0).trim();
        return new Startup(jvm, medians, runs);
    }

    /** The section's Markdown lines; none when the run did not measure start-up. */
    static List<String> markdown(Startup s, String command) {
        List<String> out = new ArrayList<>();
        if (s == null) {
            return out;
        }
        out.add("## Start-up");
        out.add("");
        out.add("CPU time (user + system) of `java Empty`, an empty `main`, with no agent, with a no-op agent (a "
                + "transformer that changes nothing, registered as the defer agent registers its own) and with the "
                + "defer agent" + (s.hasAgentlib() ? ", by `-javaagent:` and by `-agentlib:instrument=`" : "") + ", "
                + s.count() + " runs of each, interleaved so that a change in the machine's load falls on all alike (`" + command + "`" + (s.jvm().isEmpty() ? "" : ", " + s.jvm()) + ").");
        out.add("");
        out.add("| agent | median, ms of CPU | runs |");
        out.add("|---|---:|---|");
        List<String> keys = new ArrayList<>(List.of("none", "noop", "defer"));
        if (s.hasAgentlib()) {
            keys.add("agentlib");
        }
        if (s.hasNoopAgentlib()) {
            keys.add("noop-agentlib");
        }
        for (String key : keys) {
            String name = switch (key) {
                case "noop" -> "no-op";
                case "agentlib" -> "defer, `-agentlib:instrument=`";
                case "noop-agentlib" -> "no-op, `-agentlib:instrument=`";
                default -> key;
            };
            out.add("| " + name + " | " + num(s.medians().get(key)) + " | "
                    + String.join(", ", s.runs().get(key).stream().map(StartupSection::num).toList()) + " |");
        }
        out.add("");
        out.add("| difference of the medians | ms of CPU | what it is |");
        out.add("|---|---:|---|");
        out.add("| defer - none | " + ms(s.deferMinusNone()) + " | what a user pays on every JVM start with the "
                + "agent; the start-up target (≤ " + ms0(Suite.STARTUP_GOAL_MS) + ") is on this |");
        out.add("| no-op - none | " + ms(s.noopMinusNone()) + " | what the JVM charges for any `-javaagent`: mostly "
                + "the CDS archive's module graph, which the `--add-modules java.instrument` that `-javaagent` implies "
                + "turns off (\"optimized module handling: disabled\" in `-Xlog:cds`), so the module system boots from "
                + "scratch |");
        out.add("| defer - no-op | " + ms(s.deferMinusNoop()) + " | the defer agent's own share |");
        if (s.hasAgentlib()) {
            out.add("| agentlib - none | " + ms(s.agentlibMinusNone()) + " | the defer agent attached as "
                    + "`-agentlib:instrument=defer-agent.jar`, which implies no `--add-modules`: for class-path "
                    + "applications (a module-path one does not resolve `java.instrument` and stops at start-up) |");
        }
        if (s.hasAgentlib() && s.hasNoopAgentlib()) {
            out.add("| no-op agentlib - none | " + ms(s.noopAgentlibMinusNone()) + " | what the JVM charges for any "
                    + "agent jar attached that way: the `java.instrument` library, the jar opened and read |");
            out.add("| agentlib - no-op agentlib | " + ms(s.agentlibMinusNoopAgentlib()) + " | the defer agent's own "
                    + "share, attached that way |");
        }
        out.add("");
        Verdict v = s.verdict();
        out.add("Start-up target, with `-javaagent`: " + v.markdown() + (s.hasAgentlib() ? "; with "
                + "`-agentlib:instrument=` (class path): " + s.agentlibVerdict().markdown() + " (" + ms(s.agentlibMinusNone())
                + ")" : "") + ". Build-time rewriting (the Maven plugin, or `java -jar defer-agent.jar instrument`) needs "
                + "no agent and adds nothing.");
        out.add("");
        return out;
    }

    static String ms(double v) {
        return String.format(Locale.ROOT, "%+.1f ms", v);
    }

    private static String ms0(double v) {
        return String.format(Locale.ROOT, "%.0f ms", v);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
