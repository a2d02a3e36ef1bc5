package dev.defer.overflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import dev.defer.testsupport.ThisJvm;
import java.io.File;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, items 1 and 2, in fresh JVMs on the default thread stack: {@link OverflowLoss} overflows the stack
 * once, in a recursion whose every level defers a call, and that overflow is the runtime's very first use.
 * For each strategy, under the agent and rewritten at build time ({@code java -jar defer-agent.jar
 * instrument}), with default flags, {@code -Xint} and {@code -Xcomp}:
 *
 * <ul>
 *   <li>the throwable that escapes is the {@code StackOverflowError};
 *   <li>the levels whose deferred call did not run are no more than the levels whose {@code finally} did not
 *       run in the same recursion written with {@code try}/{@code finally}, run the same way;
 *   <li>{@code @Defers} calls work afterwards, on the same thread and on another (return, panic and
 *       recover, records);
 *   <li>no {@code *** java.lang.instrument ASSERTION FAILED ***} line: nothing is loaded during the overflow.
 * </ul>
 *
 * The figures go to standard output; docs/reliability.md carries a run of them.
 */
class OverflowLossTest {
    private static final String LATER = "returned,recovered boom,10,0";
    /** The expected strategy of each recursion, as the agent's verbose output names it. */
    private static final String[][] STRATEGIES = {
        {"open", "Open.down() (1 open-coded)"},
        {"stacked", "Stacked.down() (1 stack-style, 0 pooled)"},
        {"looped", "Looped.down() (0 stack-style, 1 pooled)"},
    };

    @TempDir
    static Path temp;
    private static Path rewritten;

    /** The recursion's classes, rewritten by the command line into a folder of their own. */
    @BeforeAll
    static void rewriteAtBuildTime() throws Exception {
        Path tests = ThisJvm.codeSource(OverflowLoss.class);
        Path in = Files.createDirectories(temp.resolve("in/dev/defer/overflow"));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tests.resolve("dev/defer/overflow"),
                "OverflowLoss*.class")) {
            for (Path file : files) {
                if (!file.getFileName().toString().startsWith("OverflowLossTest")) {
                    Files.copy(file, in.resolve(file.getFileName()));
                }
            }
        }
        rewritten = temp.resolve("out");
        Run instrument = java(List.of("-jar", ChildJvms.agentJar(), "instrument", "--verbose",
                temp.resolve("in").toString(), rewritten.toString()));
        assertEquals(0, instrument.exitCode, instrument.output);
        for (String[] strategy : STRATEGIES) {
            assertTrue(instrument.output.contains(strategy[1]), strategy[0] + ": " + instrument.output);
        }
    }

    @Test
    void underTheAgentWithDefaultFlags() throws Exception {
        compare(true, List.of());
    }

    @Test
    void underTheAgentInterpreted() throws Exception {
        compare(true, List.of("-Xint"));
    }

    @Test
    void underTheAgentCompiled() throws Exception {
        compare(true, List.of("-Xcomp"));
    }

    @Test
    void rewrittenAtBuildTimeWithDefaultFlags() throws Exception {
        compare(false, List.of());
    }

    @Test
    void rewrittenAtBuildTimeInterpreted() throws Exception {
        compare(false, List.of("-Xint"));
    }

    @Test
    void rewrittenAtBuildTimeCompiled() throws Exception {
        compare(false, List.of("-Xcomp"));
    }

    /**
     * One JVM per mode and flags: the open-coded recursion's overflow first (the runtime's very first use,
     * where the open-coded path touches the runtime least), then the record strategies, then the same
     * recursions with finally.
     */
    private static void compare(boolean agent, List<String> flags) throws Exception {
        String where = (agent ? "agent" : "build time") + " " + flags;
        List<String> command = new ArrayList<>(flags);
        String runtime = ThisJvm.codeSource(Defer.class).toString();
        if (agent) {
            command.add("-javaagent:" + ChildJvms.agentJar() + "=verbose");
            command.add("-cp");
            command.add(runtime + File.pathSeparator + ThisJvm.codeSource(OverflowLoss.class));
        } else {
            command.add("-cp");
            command.add(rewritten + File.pathSeparator + runtime);
        }
        command.add(OverflowLoss.class.getName());
        for (String variant : new String[] {"defer", "finally"}) {
            for (String[] strategy : STRATEGIES) {
                command.add(strategy[0] + ":" + variant);
            }
        }
        Run run = java(command);
        List<String> failures = run.problems(where);
        for (String[] strategy : STRATEGIES) {
            if (agent && !run.output.contains(strategy[1])) {
                failures.add(where + ": the agent did not rewrite " + strategy[0] + " as " + strategy[1]);
            }
            Matcher withDefer = run.result(strategy[0] + ":defer");
            Matcher withFinally = run.result(strategy[0] + ":finally");
            if (withDefer == null || withFinally == null) {
                failures.add(where + " " + strategy[0] + ": no figures: " + run.output);
                continue;
            }
            System.out.println("OverflowLossTest: " + where + " " + strategy[0] + ": defer " + withDefer.group(1)
                    + "; finally " + withFinally.group(1));
            int lostDefer = Integer.parseInt(withDefer.group(3));
            int lostFinally = Integer.parseInt(withFinally.group(3));
            if (lostDefer > lostFinally) {
                failures.add(where + " " + strategy[0] + ": " + lostDefer + " levels lost their deferred call, "
                        + lostFinally + " their finally block");
            }
        }
        assertEquals(List.of(), failures, run.output);
    }

    /** What one child JVM printed, stdout and stderr merged. */
    private static final class Run {
        final int exitCode;
        final String output;

        Run(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
        }

        /** The figures of one {@code strategy:variant}: groups 1 (all), 2 (levels), 3 (lost), 4 (thrown). */
        Matcher result(String item) {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(item) + " (levels=(\\d+) ran=\\d+ lost=(\\d+)"
                    + " thrown=(\\S+)) later-same-thread=(.*)$").matcher(output);
            return m.find() ? m : null;
        }

        List<String> problems(String where) {
            List<String> problems = new ArrayList<>();
            if (exitCode != 0) {
                problems.add(where + ": exit code " + exitCode);
            }
            Matcher m = Pattern.compile("(?m)^(\\S+:\\S+) levels=\\d+ ran=\\d+ lost=\\d+ thrown=(\\S+)"
                    + " later-same-thread=(.*)$").matcher(output);
            int items = 0;
            while (m.find()) {
                items++;
                if (!m.group(2).equals(StackOverflowError.class.getName())) {
                    problems.add(where + " " + m.group(1) + ": " + m.group(2) + " escaped instead of the overflow");
                }
                if (!m.group(3).equals(LATER)) {
                    problems.add(where + " " + m.group(1) + ": @Defers calls on the thread that overflowed: " + m.group(3));
                }
            }
            if (items != 2 * STRATEGIES.length) {
                problems.add(where + ": " + items + " results");
            }
            if (!output.contains("\nlater=" + LATER + "\n") || !output.contains("\nlater-other-thread=" + LATER + "\n")) {
                problems.add(where + ": @Defers calls after the overflows do not work on other threads");
            }
            if (output.contains("ASSERTION FAILED")) {
                problems.add(where + ": JPLIS assertion lines: a class was loaded during an overflow");
            }
            return problems;
        }
    }

    private static Run java(List<String> arguments) throws Exception {
        ChildJvms.Output output = ChildJvms.java(arguments);
        return new Run(output.exitCode(), output.text());
    }

    @Test
    void theFiguresAreRead() {
        StringBuilder out = new StringBuilder("\n");
        for (String variant : new String[] {"defer", "finally"}) {
            for (String[] strategy : STRATEGIES) {
                out.append(strategy[0]).append(':').append(variant).append(" levels=12 ran=10 lost=2 thrown=")
                        .append(StackOverflowError.class.getName()).append(" later-same-thread=").append(LATER).append('\n');
            }
        }
        out.append("later=").append(LATER).append("\nlater-other-thread=").append(LATER).append('\n');
        Run run = new Run(0, out.toString());
        assertEquals(List.of(), run.problems("sample"));
        assertEquals("2", run.result("stacked:finally").group(3));
        Run broken = new Run(0, out.toString().replaceFirst("thrown=\\S+", "thrown=java.lang.NoClassDefFoundError"));
        assertFalse(broken.problems("sample").isEmpty());
    }
}
