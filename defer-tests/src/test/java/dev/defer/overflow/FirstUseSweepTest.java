package dev.defer.overflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import dev.defer.testsupport.ThisJvm;
import java.io.File;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, item 1, near the overflow: {@link FirstUseSweep} in fresh JVMs, one per strategy (open-coded,
 * stack-style, pooled and lazy records), under the agent and rewritten at build time, with default flags,
 * {@code -Xint} and {@code -Xcomp}. The runtime's very first use comes at ever shallower depths within the
 * last frames of a 512 KB stack, until a call returns. Asserts: only {@code StackOverflowError}s escape the
 * failed attempts (no {@code NoClassDefFoundError}, no {@code ExceptionInInitializerError}); the call that
 * returned ran its deferred call; {@code @Defers} calls of every strategy, and a recovered panic, work
 * afterwards on the main thread and on a new one; no JPLIS assertion line ({@code *** java.lang.instrument
 * ASSERTION FAILED ***}, the agent's transformer called with no stack left) for a runtime class that the
 * runtime loads itself. The JVM loads {@code DeferSupport} and {@code Invocation}, which rewritten code
 * names, at a method's first call wherever it is, as it loads any class a method names; those lines, and the
 * ones for platform classes the class loader's own code needs meanwhile, are outside the runtime's control.
 */
class FirstUseSweepTest {
    private static final String LATER = "1,2,3,4,recovered boom,ran=4";
    private static final String ASSERTION = "*** java.lang.instrument ASSERTION FAILED ***";
    /** Runtime classes that rewritten code names, so that the JVM, not the runtime, loads them. */
    private static final List<String> NAMED_BY_REWRITTEN_CODE =
            List.of("dev.defer.internal.DeferSupport", "dev.defer.internal.Invocation");

    @TempDir
    static Path temp;
    private static Path rewritten;

    /** The program's classes, rewritten by the command line into a folder of their own. */
    @BeforeAll
    static void rewriteAtBuildTime() throws Exception {
        Path tests = ThisJvm.codeSource(FirstUseSweep.class);
        Path in = Files.createDirectories(temp.resolve("in/dev/defer/overflow"));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tests.resolve("dev/defer/overflow"),
                "FirstUseSweep*.class")) {
            for (Path file : files) {
                if (!file.getFileName().toString().startsWith("FirstUseSweepTest")) {
                    Files.copy(file, in.resolve(file.getFileName()));
                }
            }
        }
        rewritten = temp.resolve("out");
        Run instrument = java(List.of("-jar", ChildJvms.agentJar(), "instrument", "--verbose",
                temp.resolve("in").toString(), rewritten.toString()));
        assertEquals(0, instrument.exitCode, instrument.output);
        assertTrue(instrument.output.contains("Open.site() (1 open-coded)"), instrument.output);
        assertTrue(instrument.output.contains("Stacked.site() (1 stack-style, 0 pooled)"), instrument.output);
        assertTrue(instrument.output.contains("Looped.site() (0 stack-style, 1 pooled)"), instrument.output);
        assertTrue(instrument.output.contains("Lazy.site() (1 lazy)"), instrument.output);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "agent, -Xint, open", "agent, -Xint, stacked", "agent, -Xint, looped", "agent, -Xint, lazy",
        "agent, default, open", "agent, default, stacked", "agent, default, looped", "agent, default, lazy",
        "agent, -Xcomp, open", "agent, -Xcomp, stacked", "agent, -Xcomp, looped", "agent, -Xcomp, lazy",
        "build, -Xint, open", "build, -Xint, stacked", "build, -Xint, looped", "build, -Xint, lazy",
        "build, default, open", "build, default, stacked", "build, default, looped", "build, default, lazy",
        "build, -Xcomp, open", "build, -Xcomp, stacked", "build, -Xcomp, looped", "build, -Xcomp, lazy",
    })
    void theFirstUseAtTheStacksEndLeavesTheRuntimeWorking(String mode, String flag, String strategy) throws Exception {
        boolean agent = mode.equals("agent");
        List<String> command = new ArrayList<>();
        if (!flag.equals("default")) {
            command.add(flag);
        }
        command.add("-Xlog:class+load=info:stdout");
        String runtime = ThisJvm.codeSource(Defer.class).toString();
        if (agent) {
            command.add("-javaagent:" + ChildJvms.agentJar());
            command.add("-cp");
            command.add(runtime + File.pathSeparator + ThisJvm.codeSource(FirstUseSweep.class));
        } else {
            command.add("-cp");
            command.add(rewritten + File.pathSeparator + runtime);
        }
        command.add(FirstUseSweep.class.getName());
        command.add(strategy);
        long start = System.nanoTime();
        Run run = java(command);
        String where = mode + " " + flag + " " + strategy;
        Matcher sweep = Pattern.compile("(?m)^deepest=\\d+ attempts=\\d+ returned=(\\w+) thrown=\\{(.*)\\} ran=(\\d+)$")
                .matcher(run.output);
        assertTrue(sweep.find(), where + ": no figures: " + run.output);
        System.out.println("FirstUseSweepTest: " + where + ": " + sweep.group() + ", JPLIS assertion lines "
                + run.assertions().size() + ", " + (System.nanoTime() - start) / 1_000_000 + " ms");
        List<String> failures = new ArrayList<>();
        if (run.exitCode != 0) {
            failures.add("exit code " + run.exitCode);
        }
        if (!sweep.group(1).equals("true")) {
            failures.add("no call returned");
        }
        for (String thrown : sweep.group(2).split(", ")) {
            if (!thrown.isEmpty() && !thrown.startsWith(StackOverflowError.class.getName() + "=")) {
                failures.add("a failed first use threw " + thrown);
            }
        }
        if (!sweep.group(3).equals("1")) {
            failures.add("the call that returned ran " + sweep.group(3) + " deferred calls, not 1");
        }
        if (!run.output.contains("\nlater=" + LATER + "\n")) {
            failures.add("@Defers calls on the main thread afterwards");
        }
        if (!run.output.contains("\nlater-other-thread=" + LATER + "\n")) {
            failures.add("@Defers calls on another thread afterwards");
        }
        for (String loaded : run.assertions()) {
            if (loaded.startsWith("dev.defer.") && !NAMED_BY_REWRITTEN_CODE.contains(loaded)) {
                failures.add("a JPLIS assertion line: the runtime loaded " + loaded + " with no stack left");
            }
        }
        if (!agent && !run.assertions().isEmpty()) {
            failures.add("JPLIS assertion lines without the agent");
        }
        assertEquals(List.of(), failures, where + ":\n" + run.outputWithoutClassLoads());
    }

    /** What one child JVM printed, stdout and stderr merged. */
    private static final class Run {
        private static final Pattern LOADED = Pattern.compile("^\\[[^\\]]*\\]\\[class,load\\] (\\S+) ");
        final int exitCode;
        final String output;

        Run(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
        }

        /**
         * Per JPLIS assertion line, the class whose transformation failed: the JVM logs the class's load
         * after the transformer returns, so it is the next class load line ("?" when there is none).
         */
        List<String> assertions() {
            List<String> classes = new ArrayList<>();
            String[] lines = output.split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].startsWith(ASSERTION)) {
                    String loaded = "?";
                    for (int j = i + 1; j < lines.length && loaded.equals("?"); j++) {
                        Matcher m = LOADED.matcher(lines[j]);
                        if (m.find()) {
                            loaded = m.group(1);
                        }
                    }
                    classes.add(loaded);
                }
            }
            return classes;
        }

        String outputWithoutClassLoads() {
            StringBuilder kept = new StringBuilder();
            for (String line : output.split("\n")) {
                if (!LOADED.matcher(line).find()) {
                    kept.append(line).append('\n');
                }
            }
            return kept + "classes after JPLIS assertion lines: " + new TreeSet<>(assertions());
        }
    }

    private static Run java(List<String> arguments) throws Exception {
        ChildJvms.Output output = ChildJvms.java(arguments);
        return new Run(output.exitCode(), output.text());
    }
}
