package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code Defer.panic} call sites of rewritten classes link to a hidden class defined from a template in the
 * runtime; where it cannot be defined (here: a runtime without the template), they link to {@code Defer.panic}
 * itself, whose panics start at the caller when their trace is read, and say so once on standard error. A site
 * first run near a stack overflow throws the overflow, and links when it runs again with more stack.
 */
class PanicSiteLinkingTest {
    private static final String TEMPLATE = "dev/defer/internal/PanicFromCaller.class";
    private static final String WARNING = "defer: Defer.panic call sites link to Defer.panic itself";
    private static final String MAIN = PanicFallbackMain.class.getName();

    @TempDir
    Path dir;

    @Test
    void withTheTemplateThePrintedTraceStartsAtTheCaller() throws Exception {
        String out = run(runtime(), "-Xlog:class+load=info");
        assertFalse(out.contains(WARNING), out);
        // Defined once, as a hidden class, for both sites; never loaded as the template's own class.
        assertEquals(1, out.split("dev\\.defer\\.internal\\.PanicFromCaller/0x", -1).length - 1, out);
        assertFalse(out.contains("dev.defer.internal.PanicFromCaller source:"), out);
        assertTrue(out.contains("panic: first | printed at " + MAIN + ".first(PanicFallbackMain.java:")
                && out.contains("| read " + MAIN + ".first"), out);
        assertTrue(out.contains("panic: second | printed at " + MAIN + ".second(PanicFallbackMain.java:"), out);
    }

    @Test
    void withoutTheTemplateSitesLinkToDeferPanicAndSaySoOnce() throws Exception {
        Path runtime = runtime();
        Path stripped = dir.resolve("runtime-without-template" + (Files.isDirectory(runtime) ? "" : ".jar"));
        if (Files.isDirectory(runtime)) {
            copyTree(runtime, stripped);
        } else {
            copyJar(runtime, stripped);
        }

        String out = run(stripped);
        assertEquals(1, out.split(WARNING, -1).length - 1, out);
        assertTrue(out.contains("(java.io.IOException: no resource PanicFromCaller.class next to"
                + " dev.defer.internal.PanicSites)"), out);
        // The panics are the same; only a trace printed before it was read still starts in Defer.panic.
        assertTrue(out.contains("panic: first | printed at dev.defer.Panic.fromCallerOf(")
                && out.contains("| read " + MAIN + ".first"), out);
        assertTrue(out.contains("panic: second | printed at dev.defer.Panic.fromCallerOf(")
                && out.contains("| read " + MAIN + ".second"), out);
    }

    @Test
    void aSiteFirstRunNearAStackOverflowLinksLater() throws Exception {
        String agentJar = Jvm.agentJar().orElse(null);
        Assumptions.assumeTrue(agentJar != null, "the tests do not run under -javaagent:defer-agent.jar");
        Jvm.Result result = Jvm.run(agentJar, PanicOverflowMain.class);
        String out = result.output;
        assertEquals(0, result.exitCode, out);
        // Only stack overflows near it (how many depends on the compilers: often one, at times none), nothing the
        // JVM would record against the site or a class for good; then the hidden path at every site.
        assertTrue(out.matches("(?s).*near the overflow: panicked true, thrown \\{(java.lang.StackOverflowError=\\d+)?}.*"),
                out);
        String main = PanicOverflowMain.class.getName();
        assertEquals(2, out.split("site: panic: site at " + main + ".site\\R", -1).length - 1, out);
        assertEquals(2, out.split("later: panic: later at " + main + ".later\\R", -1).length - 1, out);
    }

    private static Path runtime() throws Exception {
        return Path.of(Defer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private String run(Path runtime, String... options) throws Exception {
        String agentJar = Jvm.agentJar().orElse(null);
        Assumptions.assumeTrue(agentJar != null, "the tests do not run under -javaagent:defer-agent.jar");
        Path tests = Path.of(PanicFallbackMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-javaagent:" + agentJar));
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", runtime + File.pathSeparator + tests, MAIN));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the child JVM did not end");
        assertEquals(0, process.exitValue(), out);
        return out;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = from.relativize(file).toString().replace(File.separatorChar, '/');
                if (!name.equals(TEMPLATE)) {
                    Path target = to.resolve(from.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target);
                    }
                }
            }
        }
    }

    private static void copyJar(Path from, Path to) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(from));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (!entry.getName().equals(TEMPLATE)) {
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
    }
}
