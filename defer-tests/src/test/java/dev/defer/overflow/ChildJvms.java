package dev.defer.overflow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.testsupport.ThisJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the overflow tests share to run a child JVM: the JVM itself, the class folders and the agent jar. */
final class ChildJvms {
    private ChildJvms() {
    }

    /** What one child JVM printed, stdout and stderr merged, line ends as {@code \n}. */
    record Output(int exitCode, String text) {
    }

    /** Runs this JVM's {@code java} with {@code arguments}, waiting at most five minutes. */
    static Output java(List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the child JVM did not end: " + command);
        return new Output(process.exitValue(), output.replace("\r\n", "\n"));
    }

    /** The agent jar this JVM runs under, from its own -javaagent argument. */
    static String agentJar() {
        return ThisJvm.agentJar().map(Path::toString).orElseThrow(
                () -> new IllegalStateException("the overflow tests must run under -javaagent:.../defer-agent.jar"));
    }
}
