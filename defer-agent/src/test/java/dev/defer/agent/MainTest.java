package dev.defer.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.instrument.Instrumenter;
import dev.defer.instrument.VerboseText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.Opcodes;

/** The command line: java -jar defer-agent.jar instrument IN OUT | check IN. */
class MainTest {
    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path classes(boolean misuse) throws IOException {
        Path root = temp.resolve("classes");
        Files.createDirectories(root.resolve("test"));
        Files.write(root.resolve("test/Good.class"), TestClasses.sample("test/Good", 0));
        Files.writeString(root.resolve("test/readme.txt"), "kept");
        if (misuse) {
            Files.write(root.resolve("test/Bad.class"), TestClasses.misuseOnly("test/Bad", 42));
        }
        return root;
    }

    private Path jarOf(Path folder, String name) throws IOException {
        Path jar = temp.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar));
                var files = Files.walk(folder)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                zip.putNextEntry(new ZipEntry(folder.relativize(file).toString().replace('\\', '/')));
                zip.write(Files.readAllBytes(file));
                zip.closeEntry();
            }
        }
        return jar;
    }

    private static byte[] entry(Path jar, String name) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile()); InputStream in = zip.getInputStream(zip.getEntry(name))) {
            return in.readAllBytes();
        }
    }

    @Test
    void instrumentAFolderIntoAnother() throws IOException {
        Path in = classes(false);
        Path outDir = temp.resolve("out");
        assertEquals(Main.OK, run("instrument", "--verbose", in.toString(), outDir.toString()), err());
        assertTrue(new Instrumenter().isRewritten(Files.readAllBytes(outDir.resolve("test/Good.class"))));
        assertFalse(new Instrumenter().isRewritten(Files.readAllBytes(in.resolve("test/Good.class"))));
        assertEquals("kept", Files.readString(outDir.resolve("test/readme.txt")));
        String[] lines = out().split("\\R");
        assertEquals("defer-agent: " + VerboseText.STRATEGIES, lines[0], "explained once, before the methods");
        assertEquals("defer-agent: rewrote test.Good.work()", lines[1], "no Defer.defer call: no strategy");
        assertTrue(out().contains("defer-agent: instrument " + in + " -> " + outDir + ": 1 class file read: 1 method"
                + " rewritten in 1 class, 0 classes rewritten already, 0 misplaced Defer.defer calls, 0 classes that"
                + " cannot be rewritten"), out());
        assertEquals("", err());
    }

    @Test
    void aClassHoldingTheMarkerNameAsAStringIsRewrittenAndCheckedNotCountedRewrittenAlready() throws IOException {
        Path in = temp.resolve("logged");
        Files.createDirectories(in.resolve("test"));
        Files.write(in.resolve("test/Logged.class"),
                TestClasses.withString(TestClasses.sample("test/Logged", 0), "dev.defer.Rewritten"));
        assertEquals(Main.OK, run("check", in.toString()), err());
        assertTrue(out().contains("1 class file read: 1 method rewritten in 1 class, 0 classes rewritten already"),
                out());
        out.reset();
        Path outDir = temp.resolve("out");
        assertEquals(Main.OK, run("instrument", in.toString(), outDir.toString()), err());
        assertTrue(out().contains("1 class file read: 1 method rewritten in 1 class, 0 classes rewritten already"),
                out());
        assertTrue(new Instrumenter().isRewritten(Files.readAllBytes(outDir.resolve("test/Logged.class"))));
        out.reset();
        assertEquals(Main.OK, run("check", outDir.toString()), err());
        assertTrue(out().contains("0 methods rewritten in 0 classes, 1 class rewritten already"), out());
    }

    @Test
    void instrumentAJarTwiceChangesNothingTheSecondTime() throws IOException {
        Path jar = jarOf(classes(false), "app.jar");
        Path once = temp.resolve("once.jar");
        Path twice = temp.resolve("twice.jar");
        assertEquals(Main.OK, run("instrument", jar.toString(), once.toString()), err());
        assertEquals(Main.OK, run("instrument", once.toString(), twice.toString()), err());
        assertTrue(out().contains("0 methods rewritten in 0 classes, 1 class rewritten already"), out());
        assertArrayEquals(entry(once, "test/Good.class"), entry(twice, "test/Good.class"));
        assertTrue(new Instrumenter().isRewritten(entry(twice, "test/Good.class")));
    }

    @Test
    void instrumentReportsMisuseAndFailsUnlessAllowed() throws IOException {
        Path in = classes(true);
        byte[] good = Files.readAllBytes(in.resolve("test/Good.class"));
        assertEquals(Main.PROBLEMS, run("instrument", in.toString(), temp.resolve("out").toString()));
        assertEquals("defer-agent: error: Defer.defer can never succeed in test.Bad.run (Bad.java:42): the method is"
                + " not @Defers; annotate it (or its class) with @dev.defer.Defers" + System.lineSeparator()
                + "defer-agent: error: nothing written to " + temp.resolve("out") + " (" + in + " is as it was): fix"
                + " the problems above, or pass --allow-misuse" + System.lineSeparator(), err());
        assertFalse(Files.exists(temp.resolve("out")), "nothing written");
        err.reset();
        assertEquals(Main.PROBLEMS, run("instrument", in.toString(), in.toString()));
        assertArrayEquals(good, Files.readAllBytes(in.resolve("test/Good.class")), "IN is as it was");
        err.reset();
        assertEquals(Main.OK, run("instrument", "--allow-misuse", in.toString(), in.toString()));
        assertTrue(err().startsWith("defer-agent: warning: Defer.defer can never succeed in test.Bad.run (Bad.java:42)"),
                err());
        assertTrue(new Instrumenter().isRewritten(Files.readAllBytes(in.resolve("test/Good.class"))));
    }

    @Test
    void instrumentRewritesThePanicCallsOfAClassWithoutDefersAllInOneAndSkipsThemTheSecondTime() throws IOException {
        Path in = temp.resolve("panics");
        Files.createDirectories(in.resolve("test"));
        byte[] old = TestClasses.panicking("test/Old", Opcodes.V1_6, true);
        byte[] named = TestClasses.panicking("test/Named", Opcodes.V17, false);
        Files.write(in.resolve("test/Check.class"), TestClasses.panicking("test/Check", Opcodes.V17, true));
        Files.write(in.resolve("test/Old.class"), old);
        Files.write(in.resolve("test/Named.class"), named);
        Path jar = jarOf(in, "panics.jar");
        Path outJar = temp.resolve("out.jar");
        assertEquals(Main.OK, run("instrument", "--verbose", jar.toString(), outJar.toString()), err());
        assertTrue(out().contains("defer-agent: rewrote test.Check: 1 Defer.panic call site (the Panic's trace starts"
                + " at the caller)"), out());
        // The summary says what a class rewritten with no method was rewritten for.
        assertTrue(out().contains(": 0 methods rewritten in 1 class, 0 classes rewritten already, 0 misplaced"
                + " Defer.defer calls, 0 classes that cannot be rewritten, 1 Defer.panic call site linked so that a"
                + " Panic's trace starts at its caller"), out());
        assertFalse(out().contains("test.Old"), out());
        assertFalse(out().contains("test.Named"), out());
        byte[] check = entry(outJar, "test/Check.class");
        assertEquals(List.of("invokestatic dev/defer/Defer.recover",
                "invokedynamic panic dev/defer/internal/DeferSupport.panicSite"), TestClasses.calls(check));
        assertTrue(new Instrumenter().isRewritten(check));
        // Too old for invokedynamic, or no Defer.panic call: as they were.
        assertArrayEquals(old, entry(outJar, "test/Old.class"));
        assertArrayEquals(named, entry(outJar, "test/Named.class"));

        out.reset();
        assertEquals(Main.OK, run("instrument", "--verbose", outJar.toString(), outJar.toString()), err());
        assertTrue(out().contains("defer-agent: skipped test.Check: already rewritten"), out());
        assertArrayEquals(check, entry(outJar, "test/Check.class"));
    }

    @Test
    void verboseNamesEachClassSkippedAsRewrittenAlready() throws IOException {
        Path in = classes(false);
        assertEquals(Main.OK, run("instrument", in.toString(), in.toString()), err());
        out.reset();
        assertEquals(Main.OK, run("instrument", "--verbose", in.toString(), in.toString()), err());
        assertTrue(out().contains("defer-agent: skipped test.Good: already rewritten"), out());
    }

    @Test
    void checkExitsOneOnMisuseAndZeroOtherwiseAndWritesNothing() throws IOException {
        Path in = classes(true);
        byte[] before = Files.readAllBytes(in.resolve("test/Good.class"));
        assertEquals(Main.PROBLEMS, run("check", in.toString()));
        assertTrue(err().contains("test.Bad.run (Bad.java:42)"), err());
        assertTrue(out().contains("1 misplaced Defer.defer call"), out());
        assertArrayEquals(before, Files.readAllBytes(in.resolve("test/Good.class")));
        assertEquals(Main.PROBLEMS, run("check", jarOf(in, "bad.jar").toString()));

        Files.delete(in.resolve("test/Bad.class"));
        err.reset();
        assertEquals(Main.OK, run("check", in.toString()));
        assertEquals(Main.OK, run("check", jarOf(in, "good.jar").toString()));
        assertEquals("", err());
    }

    @Test
    void checkReportsAClassThatCannotBeRewritten() throws IOException {
        Path root = temp.resolve("classes");
        Files.createDirectories(root);
        byte[] old = TestClasses.sample("test/Old", 0);
        old[7] = 48; // class file version 48 (Java 1.4): too old to rewrite
        Files.write(root.resolve("Old.class"), old);
        assertEquals(Main.PROBLEMS, run("check", root.toString()));
        assertTrue(err().contains("defer-agent: error: cannot rewrite test.Old, left unchanged"), err());
        assertTrue(err().contains("predates Java 5"), err());
    }

    @Test
    void badArgumentsPrintTheUsage() throws IOException {
        for (String[] args : new String[][] {{}, {"frobnicate"}, {"check"}, {"check", "a", "b"}, {"instrument", "a"},
                {"check", "--bogus", "a"}, {"check", "--allow-misuse", "a"}}) {
            err.reset();
            assertEquals(Main.USAGE, run(args), String.join(" ", args));
            assertTrue(err().contains("usage: java -jar defer-agent.jar instrument"), err());
        }
        err.reset();
        assertEquals(Main.USAGE, run("check", temp.resolve("missing").toString()));
        assertTrue(err().contains("does not exist"), err());
        Path folder = classes(false);
        Path file = Files.writeString(temp.resolve("file.jar"), "x");
        assertEquals(Main.USAGE, run("instrument", folder.toString(), file.toString()));
        assertEquals(Main.OK, run("--help"));
        assertTrue(out().contains("usage:"));
        assertTrue(out().contains("java -jar defer-agent.jar --version"), out());
    }

    @Test
    void versionOutsideTheJarSaysItIsUnknown() {
        // These classes come from target/classes, which has no manifest: CommandLineTest runs the jar itself.
        assertEquals(Main.OK, run("--version", "instrument"));
        assertEquals("defer-agent (version unknown: not run from the defer-agent jar, whose manifest records it)"
                + System.lineSeparator(), out());
        assertEquals("", err());
    }
}
