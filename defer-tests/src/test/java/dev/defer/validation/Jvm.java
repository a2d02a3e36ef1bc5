package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import dev.defer.testsupport.ThisJvm;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Child JVMs, with or without the agent, on the class path of the runtime and the test classes. */
final class Jvm {
    private Jvm() {
    }

    /** What a child JVM printed (stdout and stderr merged) and its exit code. */
    static final class Result {
        final String output;
        final int exitCode;

        Result(String output, int exitCode) {
            this.output = output;
            this.exitCode = exitCode;
        }
    }

    /** The agent jar this JVM runs under, from its -javaagent: argument. */
    static Optional<String> agentJar() {
        return ThisJvm.agentJar().map(Path::toString);
    }

    /**
     * Runs {@code mainClass} in a new JVM.
     *
     * @param javaagent the -javaagent argument's value (jar and options), or null for none
     */
    static Result run(String javaagent, Class<?> mainClass, String... args) throws Exception {
        return run(javaagent, List.of(), mainClass, args);
    }

    /**
     * Runs {@code mainClass} in a new JVM with these options (no {@code -Xss} unless given: the default thread
     * stack).
     *
     * @param javaagent the -javaagent argument's value (jar and options), or null for none
     * @param options the JVM's options, before the class path
     */
    static Result run(String javaagent, List<String> options, Class<?> mainClass, String... args) throws Exception {
        Path runtime = Path.of(Defer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path tests = Path.of(mainClass.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (javaagent != null) {
            command.add("-javaagent:" + javaagent);
        }
        command.addAll(options);
        command.add("-cp");
        command.add(runtime + File.pathSeparator + tests);
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the child JVM did not end");
        return new Result(out, process.exitValue());
    }
}
