package dev.defer.agentprocess;

import dev.defer.testsupport.ThisJvm;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a JVM on this test's class path, with or without the agent, and collects what it prints. */
final class ChildJvm {
    final int exitCode;
    final String out;
    final String err;

    private ChildJvm(int exitCode, String out, String err) {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    /** The agent jar this test JVM runs under, read from its own -javaagent argument. */
    static Path agentJar() {
        return ThisJvm.agentJar()
                .orElseThrow(() -> new IllegalStateException("the tests must run under -javaagent:.../defer-agent.jar"));
    }

    static ChildJvm run(String agentOptions, Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        if (agentOptions != null) {
            command.add("-javaagent:" + agentJar() + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return start(command);
    }

    /** Runs {@code java} with exactly these arguments. */
    static ChildJvm java(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(args));
        return start(command);
    }

    /** Runs {@code java} with these arguments from {@code /bin/sh} after {@code umask MASK}. */
    static ChildJvm javaWithUmask(String mask, String... args) throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder("umask ").append(mask).append(" && exec \"$0\" \"$@\"");
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", script.toString(),
                Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(args));
        return start(command);
    }

    private static ChildJvm start(List<String> command) throws IOException, InterruptedException {
        File out = File.createTempFile("child", ".out");
        File err = File.createTempFile("child", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("child JVM did not finish: " + command);
            }
            return new ChildJvm(process.exitValue(),
                    java.nio.file.Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    java.nio.file.Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } finally {
            out.delete();
            err.delete();
        }
    }
}
