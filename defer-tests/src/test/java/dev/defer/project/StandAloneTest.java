package dev.defer.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository stands alone: what its documents link to and what its scripts read is inside it, so that a
 * clone has all of it (the contract once lived in a folder beside the repository, and the Go anchors too).
 */
class StandAloneTest {
    /** The tests run in the defer-tests folder. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    private static List<Path> markdownFiles() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(f -> f.toString().endsWith(".md"))
                    .filter(f -> {
                        for (Path part : ROOT.relativize(f)) {
                            if (part.toString().equals("target") || part.toString().startsWith(".")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted().collect(Collectors.toList());
        }
    }

    @Test
    void everyRelativeLinkOfTheDocumentsLeadsToAFileOfTheRepository() throws IOException {
        List<Path> documents = markdownFiles();
        assertTrue(documents.contains(ROOT.resolve("README.md")) && documents.contains(ROOT.resolve(
                "docs/semantics.md")), "the documents are found from " + ROOT + ": " + documents);
        List<String> broken = new ArrayList<>();
        for (Path document : documents) {
            Matcher link = LINK.matcher(Files.readString(document));
            while (link.find()) {
                String target = link.group(1);
                if (target.startsWith("#") || target.matches("^[a-zA-Z][a-zA-Z+.-]*:.*")) {
                    continue;
                }
                Path resolved = document.getParent().resolve(target.replaceAll("#.*", "")).normalize();
                if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
                    broken.add(ROOT.relativize(document) + " -> " + target);
                }
            }
        }
        assertEquals(List.of(), broken, "links outside the repository or to nothing: fix the link or add the file");
    }

    @Test
    void theGoAnchorsThatRunShReadsAreInTheRepositoryAndEachHasItsJavaTwin() throws IOException {
        Matcher folder = Pattern.compile("GO_ANCHORS=\\$\\{GO_ANCHORS:-\\$ROOT/([^}]+)\\}")
                .matcher(Files.readString(ROOT.resolve("benchmarks/run.sh")));
        assertTrue(folder.find(), "benchmarks/run.sh sets GO_ANCHORS inside the repository ($ROOT/...)");
        Path anchors = ROOT.resolve(folder.group(1));
        assertTrue(Files.isRegularFile(anchors.resolve("go.mod")), anchors + "/go.mod");
        String go = Files.readString(anchors.resolve("defer_bench_test.go"));
        String java = Files.readString(
                ROOT.resolve("benchmarks/src/main/java/dev/defer/benchmarks/GoAnchorBenchmark.java"));
        List<String> benchmarks = new ArrayList<>();
        Matcher function = Pattern.compile("func Benchmark(\\w+)\\(b \\*testing\\.B\\)").matcher(go);
        while (function.find()) {
            benchmarks.add(function.group(1));
            Pattern twin = Pattern.compile("@Benchmark\\s+public \\w+ " + function.group(1) + "\\(");
            assertTrue(twin.matcher(java).find(),
                    "GoAnchorBenchmark has no twin of Go's Benchmark" + function.group(1));
        }
        assertEquals(7, benchmarks.size(), "Go's benchmarks: " + benchmarks);
    }
}
