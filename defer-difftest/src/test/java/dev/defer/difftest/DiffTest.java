package dev.defer.difftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Differential test against Go: random programs ({@link Program}), each printed as Go and as a
 * {@code @Defers} Java class, run by both; their traces must be equal line by line.
 *
 * <p>{@code difftest.seed} (default 1) and {@code difftest.count} (default 2000) choose the programs:
 * program {@code i} is generated from seed {@code difftest.seed + i}, so any one is reproducible alone
 * ({@code -Ddifftest.seed=S -Ddifftest.count=1}). A mismatch is shrunk and written to
 * {@code src/test/resources/regressions/}, which {@link #regressions()} replays on every run.
 */
class DiffTest {
    /**
     * Seeds whose programs differ from Go because of a known runtime defect, described in
     * KNOWN-MISMATCHES.md; the batch skips them and says so. Empty when every program agrees.
     */
    static final Set<Long> KNOWN = Set.of();

    private static Runner runner() {
        Path go = Runner.goCommand().orElse(null);
        Assumptions.assumeTrue(go != null, "go is not on the PATH: the differential test needs Go (.ci/run installs golang-go)");
        return new Runner(go);
    }

    @Test
    void batch() throws IOException {
        Runner runner = runner();
        long seed = Long.getLong("difftest.seed", 1);
        int count = Integer.getInteger("difftest.count", 2000);
        int batchSize = Integer.getInteger("difftest.batch", 500);
        List<Long> skipped = new ArrayList<>();
        List<String> reports = new ArrayList<>();
        int programs = 0;
        int statements = 0;
        int escaped = 0;
        int recovered = 0;
        int repanicked = 0;
        long lines = 0;
        long start = System.nanoTime();
        List<Program> batch = new ArrayList<>();
        for (long s = seed; s < seed + count; s++) {
            if (KNOWN.contains(s)) {
                skipped.add(s);
                continue;
            }
            batch.add(Program.generate(s));
            if (batch.size() == batchSize || s == seed + count - 1) {
                for (Runner.Result r : runner.run(batch)) {
                    programs++;
                    statements += ((Program) r.program()).size();
                    lines += r.go().size();
                    if (!r.go().isEmpty() && r.go().get(r.go().size() - 1).startsWith("escaped:")) {
                        escaped++;
                    }
                    if (r.go().stream().anyMatch(l -> l.matches("(s\\d+|h\\d+ rec) \\d+"))) {
                        recovered++;
                    }
                    if (r.go().stream().anyMatch(l -> l.contains(" re "))) {
                        repanicked++;
                    }
                    if (!r.matches()) {
                        reports.add(report(runner, (Program) r.program(), r));
                    }
                }
                batch.clear();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("difftest: %d programs (seeds %d..%d, %d statements), %d mismatches, %.1f s%n", programs, seed,
                seed + count - 1, statements, reports.size(), seconds);
        System.out.printf("difftest: %d trace lines; programs where a recover() returned a value: %d, re-panicked: %d,"
                + " ended by a panic: %d%n", lines, recovered, repanicked, escaped);
        System.out.println("difftest: excluded as known mismatches (KNOWN-MISMATCHES.md): "
                + (KNOWN.isEmpty() ? "none" : KNOWN.stream().sorted().map(String::valueOf).collect(Collectors.joining(", ")))
                + (skipped.isEmpty() ? "" : " (skipped here: " + skipped + ")"));
        reports.forEach(System.out::println);
        assertTrue(reports.isEmpty(), reports.size() + " programs differ from Go; shrunk copies written to "
                + regressionDir() + "\n" + String.join("\n", reports));
    }

    /** Shrinks a mismatch, writes it as a regression file, and returns a report. */
    private static String report(Runner runner, Program p, Runner.Result original) throws IOException {
        Program small = runner.shrink(p);
        Runner.Result r = runner.run(List.of(small)).get(0);
        Path file = Regression.write(regressionDir(), small, r);
        return "seed " + p.seed + " differs from Go (" + p.size() + " statements, shrunk to " + small.size()
                + ", written to " + file + "):\n" + small.go() + "\n" + small.java() + "\n" + Runner.diff(r)
                + "\nunshrunk:\n" + Runner.diff(original);
    }

    static Path regressionDir() {
        return Path.of("src", "test", "resources", "regressions").toAbsolutePath();
    }

    /**
     * Every shrunk program under {@code regressions/} (the copies on the test class path) runs again and
     * must agree with Go; files named {@code known-*} are programs of KNOWN-MISMATCHES.md, replayed and
     * reported but not asserted.
     */
    @Test
    void regressions() throws IOException, URISyntaxException {
        Runner runner = runner();
        URL dir = DiffTest.class.getResource("/regressions");
        if (dir == null) {
            System.out.println("difftest regressions: none");
            return;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of(dir.toURI()))) {
            files = list.filter(f -> f.toString().endsWith(".txt")).sorted().collect(Collectors.toList());
        }
        List<Regression> cases = new ArrayList<>();
        for (Path f : files) {
            cases.add(Regression.read(f));
        }
        if (cases.isEmpty()) {
            System.out.println("difftest regressions: none");
            return;
        }
        List<String> failures = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        for (Runner.Result r : runner.run(cases)) {
            Regression c = (Regression) r.program();
            names.add(c.file());
            boolean known = c.file().startsWith("known-");
            if (known) {
                System.out.println("difftest regressions: " + c.file() + (r.matches() ? " now agrees with Go: the defect is"
                        + " fixed; rename it without known- and drop it from KNOWN-MISMATCHES.md" : " still differs (known)"));
            } else if (!r.matches()) {
                failures.add(c.file() + ":\n" + Runner.diff(r));
            }
        }
        System.out.println("difftest regressions: " + names.size() + " replayed " + names);
        assertEquals(List.of(), failures, "regression programs that differ from Go");
    }
}
