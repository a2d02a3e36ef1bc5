package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The Go programs under {@code src/test/resources/go/} and the output each printed when it was run with
 * Go 1.19 ({@code NAME.out} beside {@code NAME.go}). Java twins compare their own output with the
 * recorded one; {@link GoRecordingsTest} runs the programs again when {@code go} is on the PATH.
 */
final class Go {
    private Go() {
    }

    /** The lines {@code go/NAME.go} printed, as recorded in {@code go/NAME.out}. */
    static List<String> recorded(String program) {
        String resource = "/go/" + program + ".out";
        try (InputStream in = Go.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The trace of one case of {@code go/rules.go}, as recorded in {@code go/rules.out}. */
    static String rule(String name) {
        for (String line : recorded("rules")) {
            if (line.startsWith(name + ": ")) {
                return line.substring(name.length() + 2);
            }
        }
        throw new IllegalStateException("no case " + name + " in go/rules.out");
    }

    /**
     * Asserts that a Java twin's trace equals both the expectation written in the test and the trace the
     * Go case printed.
     */
    static void assertRule(String name, String expected, String actualJava) {
        assertEquals(expected, rule(name), "the test's expectation must be what Go printed for " + name);
        assertEquals(expected, actualJava, "the Java twin of Go case " + name);
    }

    /** Same, for a whole program's output. */
    static void assertProgram(String program, List<String> expected, List<String> actualJava) {
        assertEquals(expected, recorded(program), "the test's expectation must be what go/" + program + ".go printed");
        assertEquals(expected, actualJava, "the Java twin of go/" + program + ".go");
    }

    /** The {@code go} command on the PATH, if any. */
    static Optional<Path> command() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "go");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs {@code go run NAME.go} and returns the lines it printed on stdout. */
    static List<String> run(Path go, String program) throws IOException, InterruptedException {
        URL source = Go.class.getResource("/go/" + program + ".go");
        if (source == null) {
            throw new IllegalStateException("missing resource /go/" + program + ".go");
        }
        Path file;
        try {
            file = Path.of(source.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path work = Files.createTempDirectory("defer-go-");
        ProcessBuilder builder = new ProcessBuilder(go.toString(), "run", file.toString())
                .directory(work.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("go run " + program + " did not end");
        }
        assertEquals(0, process.exitValue(), "exit code of go run " + program);
        String text = new String(out, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
