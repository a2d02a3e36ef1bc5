package dev.defer.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program in a JVM of its own, started as README.md says: {@code java -jar target/defer-sample-app.jar} (the
 * rewritten jar, no agent) in the rewritten run, {@code java -javaagent:... -cp ... dev.defer.sample.Main} (the
 * classes as compiled) in the agent run.
 */
class MainProcessTest {
    @TempDir
    Path dir;

    @Test
    void theDemonstrationRunsInItsOwnJvm() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if ("rewritten".equals(System.getProperty("sample.mode"))) {
            command.add("-jar");
            command.add(System.getProperty("sample.jar"));
        } else {
            List<String> agents = ModeTest.agentArguments();
            assertEquals(1, agents.size(), "the agent run has the defer agent only: " + agents);
            command.add(agents.get(0));
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(Main.class.getName());
        }
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the demonstration did not end within 60 s: " + command);
        String printed = Files.readString(out);
        String errors = Files.readString(err);

        assertEquals(0, process.exitValue(), command + "\n" + printed + errors);
        List<String> lines = printed.lines().toList();
        assertEquals(List.of("POST /import -> 200", "  imported 2 movements from 1 files", "GET /stock -> 200",
                "  bolt-m6=40", "  nut-m6=25", "POST /import -> 500"), lines.subList(0, 6), printed);
        assertEquals(List.of("GET /stock -> 200", "  bolt-m6=40", "  nut-m6=25"), lines.subList(7, 10), printed);
        // The recovered panic is logged with its stack trace, through the rewritten handler's own line.
        assertTrue(errors.contains("WARNING: POST /import failed"), errors);
        assertTrue(errors.contains("at dev.defer.sample.StockServer.handle(StockServer.java:"), errors);
    }
}
