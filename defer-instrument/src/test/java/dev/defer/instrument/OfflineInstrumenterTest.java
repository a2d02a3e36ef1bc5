package dev.defer.instrument;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.instrument.targets.MisuseShapes;
import dev.defer.instrument.targets.OpenCodedShapes;
import dev.defer.instrument.targets.Shapes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/** Build-time rewriting of class folders and jars: what is taken, what is skipped, idempotency, errors. */
class OfflineInstrumenterTest {
    private static final String SHAPES = "dev/defer/instrument/targets/Shapes.class";
    private static final String OPEN = "dev/defer/instrument/targets/OpenCodedShapes.class";
    private static final String VERSIONED = "META-INF/versions/21/" + SHAPES;
    private static final String NOT_VERSIONED = "META-INF/extra/" + SHAPES;
    private static final String MISUSE = "dev/defer/instrument/targets/MisuseShapes.class";
    private static final String BROKEN = "dev/defer/instrument/UnrewritableTest$AbstractDefers.class";
    private static final String PLAIN = "dev/defer/instrument/OfflineInstrumenterTest.class";

    @TempDir
    Path temp;

    private static byte[] moduleInfo() {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V9, Opcodes.ACC_MODULE, "module-info", null, null, null);
        writer.visitModule("test.module", 0, null).visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** Path in the folder or jar to content. */
    private static Map<String, byte[]> tree(boolean withProblems) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nMulti-Release: true\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        files.put("module-info.class", moduleInfo());
        files.put(SHAPES, RewriteTestSupport.bytesOf(Shapes.class));
        files.put(OPEN, RewriteTestSupport.bytesOf(OpenCodedShapes.class));
        files.put(PLAIN, RewriteTestSupport.bytesOf(OfflineInstrumenterTest.class));
        files.put(VERSIONED, RewriteTestSupport.bytesOf(Shapes.class));
        files.put("META-INF/versions/21/module-info.class", moduleInfo());
        files.put(NOT_VERSIONED, RewriteTestSupport.bytesOf(Shapes.class));
        files.put("dev/defer/instrument/targets/notes.txt", "not a class".getBytes(StandardCharsets.UTF_8));
        if (withProblems) {
            files.put(MISUSE, RewriteTestSupport.bytesOf(MisuseShapes.class));
            files.put(BROKEN, RewriteTestSupport.bytesOf(UnrewritableTest.AbstractDefers.class));
        }
        return files;
    }

    private Path folder(String name, Map<String, byte[]> files) throws IOException {
        Path root = temp.resolve(name);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path target = root.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, file.getValue());
        }
        return root;
    }

    private Path jar(String name, Map<String, byte[]> files) throws IOException {
        Path jar = temp.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                ZipEntry entry = new ZipEntry(file.getKey());
                entry.setLastModifiedTime(FileTime.fromMillis(1_000_000_000_000L));
                zip.putNextEntry(entry);
                zip.write(file.getValue());
                zip.closeEntry();
            }
        }
        return jar;
    }

    private static Map<String, byte[]> read(Path jar) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                try (InputStream in = zip.getInputStream(entry)) {
                    files.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        return files;
    }

    private static void assertRewrittenAndSound(byte[] classFile) {
        assertTrue(new Instrumenter().isRewritten(classFile));
        assertEquals("", RewriteTestSupport.verify(classFile));
    }

    @Test
    void whichPathsAreClassesToRewrite() {
        assertTrue(OfflineInstrumenter.isClassToRewrite("com/example/App.class"));
        assertTrue(OfflineInstrumenter.isClassToRewrite("App.class"));
        assertTrue(OfflineInstrumenter.isClassToRewrite("META-INF/versions/9/com/example/App.class"));
        assertFalse(OfflineInstrumenter.isClassToRewrite("module-info.class"));
        assertFalse(OfflineInstrumenter.isClassToRewrite("META-INF/versions/9/module-info.class"));
        assertFalse(OfflineInstrumenter.isClassToRewrite("META-INF/versions/x/com/example/App.class"));
        assertFalse(OfflineInstrumenter.isClassToRewrite("META-INF/com/example/App.class"));
        assertFalse(OfflineInstrumenter.isClassToRewrite("com/example/App.java"));
        assertTrue(OfflineInstrumenter.isClassToRewrite("com/example/Amodule-info.class"));
    }

    @Test
    void folderInPlaceRewritesClassesAndVersionedClassesAndSkipsModuleInfo() throws IOException {
        Map<String, byte[]> files = tree(false);
        Path root = folder("classes", files);
        OfflineInstrumenter.Report report = new OfflineInstrumenter().rewriteDirectory(root, root);

        assertEquals(List.of(), report.failures());
        assertEquals(List.of(), report.misuse());
        assertEquals(List.of("META-INF/versions/21/module-info.class", "module-info.class"), report.skipped());
        List<String> rewritten = new ArrayList<>();
        report.rewritten().forEach(c -> rewritten.add(c.path()));
        assertEquals(List.of(VERSIONED, OPEN, SHAPES), rewritten);
        assertEquals(4, report.classes());
        assertEquals(0, report.alreadyRewritten());
        assertTrue(report.rewrittenMethods() > 10, report.summary());

        assertRewrittenAndSound(Files.readAllBytes(root.resolve(SHAPES)));
        assertRewrittenAndSound(Files.readAllBytes(root.resolve(OPEN)));
        assertRewrittenAndSound(Files.readAllBytes(root.resolve(VERSIONED)));
        for (String unchanged : List.of("module-info.class", PLAIN, NOT_VERSIONED, "META-INF/MANIFEST.MF",
                "dev/defer/instrument/targets/notes.txt")) {
            assertArrayEquals(files.get(unchanged), Files.readAllBytes(root.resolve(unchanged)), unchanged);
        }
        try (var stream = Files.walk(root)) {
            assertTrue(stream.noneMatch(p -> p.toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void aSecondRunChangesNothing() throws IOException {
        Path root = folder("classes", tree(false));
        new OfflineInstrumenter().rewriteDirectory(root, root);
        byte[] once = Files.readAllBytes(root.resolve(SHAPES));
        FileTime time = Files.getLastModifiedTime(root.resolve(SHAPES));

        OfflineInstrumenter.Report again = new OfflineInstrumenter().rewriteDirectory(root, root);
        assertEquals(List.of(), again.rewritten());
        assertEquals(3, again.alreadyRewritten());
        assertArrayEquals(once, Files.readAllBytes(root.resolve(SHAPES)));
        assertEquals(time, Files.getLastModifiedTime(root.resolve(SHAPES)), "not even written again");
        // And the agent's instrumenter, at class load, leaves such a class alone.
        assertFalse(new Instrumenter().mayNeedRewrite("dev/defer/instrument/targets/Shapes", once));
        assertNull(assertDoesNotThrowInstrument(once));
    }

    private static Instrumenter.Result assertDoesNotThrowInstrument(byte[] classFile) {
        try {
            return new Instrumenter().instrument(classFile);
        } catch (InstrumentationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void folderToAnotherFolderCopiesEverythingAndLeavesTheSourceAlone() throws IOException {
        Map<String, byte[]> files = tree(false);
        Path in = folder("in", files);
        Path out = temp.resolve("out/classes");
        OfflineInstrumenter.Report report = new OfflineInstrumenter().rewriteDirectory(in, out);
        assertEquals(3, report.rewritten().size());
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            assertArrayEquals(file.getValue(), Files.readAllBytes(in.resolve(file.getKey())), file.getKey());
            assertTrue(Files.exists(out.resolve(file.getKey())), file.getKey());
        }
        assertRewrittenAndSound(Files.readAllBytes(out.resolve(SHAPES)));
        assertArrayEquals(files.get(PLAIN), Files.readAllBytes(out.resolve(PLAIN)));
        assertThrows(IllegalArgumentException.class,
                () -> new OfflineInstrumenter().rewriteDirectory(in, in.resolve("nested")));
    }

    @Test
    void jarKeepsEntryOrderAndTimesAndRewritesClasses() throws IOException {
        Map<String, byte[]> files = tree(false);
        Path in = jar("app.jar", files);
        Path out = temp.resolve("out/app.jar");
        OfflineInstrumenter.Report report = new OfflineInstrumenter().rewriteJar(in, out);
        assertEquals(3, report.rewritten().size());
        Map<String, byte[]> written = read(out);
        assertEquals(new ArrayList<>(files.keySet()), new ArrayList<>(written.keySet()));
        assertRewrittenAndSound(written.get(SHAPES));
        assertRewrittenAndSound(written.get(VERSIONED));
        assertArrayEquals(files.get("module-info.class"), written.get("module-info.class"));
        assertArrayEquals(files.get(NOT_VERSIONED), written.get(NOT_VERSIONED));
        try (ZipFile zip = new ZipFile(out.toFile())) {
            assertEquals(1_000_000_000_000L, zip.getEntry(SHAPES).getLastModifiedTime().toMillis());
        }
        assertArrayEquals(files.get(SHAPES), read(in).get(SHAPES), "the input jar is left alone");

        // In place, twice: the second run finds everything rewritten already.
        new OfflineInstrumenter().rewriteJar(in, in);
        OfflineInstrumenter.Report again = new OfflineInstrumenter().rewriteJar(in, in);
        assertEquals(0, again.rewritten().size());
        assertEquals(3, again.alreadyRewritten());
        assertArrayEquals(written.get(SHAPES), read(in).get(SHAPES));
    }

    @Test
    void aJarWithDosTimesOnlyGainsNoExtraField() throws IOException {
        Path in = temp.resolve("dos.jar");
        long time = java.time.LocalDateTime.of(2020, 2, 2, 10, 30, 0).atZone(java.time.ZoneId.systemDefault())
                .toInstant().toEpochMilli();
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(in))) {
            ZipEntry entry = new ZipEntry(SHAPES);
            entry.setTime(time);
            zip.putNextEntry(entry);
            zip.write(RewriteTestSupport.bytesOf(Shapes.class));
            zip.closeEntry();
        }
        Path out = temp.resolve("dos-out.jar");
        assertEquals(1, new OfflineInstrumenter().rewriteJar(in, out).rewritten().size());
        try (ZipFile zip = new ZipFile(out.toFile())) {
            ZipEntry entry = zip.getEntry(SHAPES);
            assertNull(entry.getExtra());
            assertEquals(time, entry.getTime());
        }
    }

    @Test
    void aSignedJarLosesItsSignatureWhenAClassChanges() throws IOException {
        Map<String, byte[]> files = tree(false);
        files.put("META-INF/SIGNER.SF", "Signature-Version: 1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        files.put("META-INF/SIGNER.RSA", new byte[] {1, 2, 3});
        Path in = jar("signed.jar", files);
        Path out = temp.resolve("unsigned.jar");
        OfflineInstrumenter.Report report = new OfflineInstrumenter().rewriteJar(in, out);
        assertEquals(1, report.warnings().size(), report.warnings().toString());
        assertTrue(report.warnings().get(0).contains("sign the jar after the rewrite"));
        Map<String, byte[]> written = read(out);
        assertFalse(written.containsKey("META-INF/SIGNER.SF"));
        assertFalse(written.containsKey("META-INF/SIGNER.RSA"));
        assertTrue(written.containsKey("META-INF/MANIFEST.MF"));
    }

    /** Every file under the folder, by path, with its content. */
    private static Map<String, byte[]> contents(Path root) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (var stream = Files.walk(root)) {
            for (Path file : (Iterable<Path>) stream.filter(Files::isRegularFile).sorted()::iterator) {
                files.put(root.relativize(file).toString().replace(java.io.File.separatorChar, '/'),
                        Files.readAllBytes(file));
            }
        }
        return files;
    }

    private static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (Map.Entry<String, byte[]> file : expected.entrySet()) {
            assertArrayEquals(file.getValue(), actual.get(file.getKey()), file.getKey());
        }
    }

    @Test
    void aFailedCheckWritesNothingAtAll() throws IOException {
        Map<String, byte[]> files = tree(true);
        Path root = folder("classes", files);
        Path jar = jar("app.jar", files);
        byte[] jarBytes = Files.readAllBytes(jar);
        FileTime jarTime = Files.getLastModifiedTime(jar);
        List<OfflineInstrumenter.Report> reports = List.of(
                new OfflineInstrumenter().rewriteDirectory(root, root),
                new OfflineInstrumenter().rewriteDirectory(root, temp.resolve("out")),
                new OfflineInstrumenter().rewriteJar(jar, jar),
                new OfflineInstrumenter().rewriteJar(jar, temp.resolve("out.jar")));
        for (OfflineInstrumenter.Report report : reports) {
            assertFalse(report.written(), report.summary());
            assertEquals(1, report.failures().size(), report.failures().toString());
            String failure = report.failures().get(0);
            assertTrue(failure.startsWith("cannot rewrite dev.defer.instrument.UnrewritableTest$AbstractDefers"),
                    failure);
            assertTrue(failure.contains("compute()I: it has no body"), failure);
            assertEquals(5, report.misuse().size(), report.misuse().toString());
            assertTrue(report.misuse().stream().allMatch(f -> f.className().endsWith("MisuseShapes")));
            // What a rewrite would change is still reported, as check() reports it.
            assertEquals(4, report.rewritten().size());
            assertTrue(report.summary().contains("5 misplaced Defer.defer calls, 1 class that cannot be rewritten"),
                    report.summary());
            assertTrue(report.summary().endsWith("; nothing written, since the checks failed"), report.summary());
        }
        assertSameFiles(files, contents(root));
        assertArrayEquals(jarBytes, Files.readAllBytes(jar), "the jar is as it was");
        assertEquals(jarTime, Files.getLastModifiedTime(jar), "not even written again");
        assertFalse(Files.exists(temp.resolve("out")), "no output folder");
        assertFalse(Files.exists(temp.resolve("out.jar")), "no output jar");
    }

    @Test
    void misuseAloneBlocksTheRewriteUnlessAllowed() throws IOException {
        Map<String, byte[]> files = tree(false);
        files.put(MISUSE, RewriteTestSupport.bytesOf(MisuseShapes.class));
        Path root = folder("classes", files);
        OfflineInstrumenter.Report refused = new OfflineInstrumenter().rewriteDirectory(root, root);
        assertFalse(refused.written());
        assertEquals(List.of(), refused.failures());
        assertEquals(5, refused.misuse().size());
        assertSameFiles(files, contents(root));

        OfflineInstrumenter.Report allowed = new OfflineInstrumenter().rewriteDirectory(root, root, true);
        assertTrue(allowed.written());
        assertEquals(refused.misuse(), allowed.misuse());
        assertRewrittenAndSound(Files.readAllBytes(root.resolve(MISUSE)));
        assertRewrittenAndSound(Files.readAllBytes(root.resolve(SHAPES)));

        // Rewritten already, the classes are still scanned: the misuse is still there, and they are listed.
        OfflineInstrumenter.Report again = new OfflineInstrumenter().rewriteDirectory(root, root, true);
        assertEquals(allowed.misuse(), again.misuse());
        assertEquals(List.of(VERSIONED, MISUSE, OPEN, SHAPES), again.alreadyRewrittenClasses());
        assertEquals("dev.defer.instrument.targets.Shapes", OfflineInstrumenter.classNameOf(VERSIONED));

        // A class that cannot be rewritten blocks the rewrite whatever the misuse setting.
        files.put(BROKEN, RewriteTestSupport.bytesOf(UnrewritableTest.AbstractDefers.class));
        Path jar = jar("app.jar", files);
        byte[] jarBytes = Files.readAllBytes(jar);
        assertFalse(new OfflineInstrumenter().rewriteJar(jar, jar, true).written());
        assertArrayEquals(jarBytes, Files.readAllBytes(jar));
    }

    @Test
    void checkWritesNothingAndFindsWhatARewriteWould() throws IOException {
        Map<String, byte[]> files = tree(true);
        Path root = folder("classes", files);
        Path jar = jar("app.jar", files);
        for (Path in : List.of(root, jar)) {
            OfflineInstrumenter.Report report = new OfflineInstrumenter().check(in);
            assertEquals(5, report.misuse().size());
            assertEquals(1, report.failures().size());
            assertEquals(4, report.rewritten().size());
        }
        assertArrayEquals(files.get(SHAPES), Files.readAllBytes(root.resolve(SHAPES)));
        assertArrayEquals(files.get(SHAPES), read(jar).get(SHAPES));
    }

    @Test
    void aDamagedClassFileIsAFailureNamingItsPath() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] damaged = RewriteTestSupport.bytesOf(Shapes.class);
        damaged = java.util.Arrays.copyOf(damaged, damaged.length / 2);
        files.put(SHAPES, damaged);
        Path root = folder("classes", files);
        OfflineInstrumenter.Report report = new OfflineInstrumenter().rewriteDirectory(root, root);
        assertEquals(1, report.failures().size(), report.failures().toString());
        assertTrue(report.failures().get(0).startsWith(SHAPES + ": "), report.failures().get(0));
    }

    @Test
    void aMissingFolderIsAnIoError() {
        assertThrows(IOException.class, () -> new OfflineInstrumenter().rewriteDirectory(temp.resolve("none"),
                temp.resolve("none")));
    }

}
