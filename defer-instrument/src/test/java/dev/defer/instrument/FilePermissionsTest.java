package dev.defer.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.instrument.targets.OpenCodedShapes;
import dev.defer.instrument.targets.Shapes;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The permissions of what the build-time rewrite writes: a rewritten class or jar keeps those of the file it
 * replaces or was read from, and a new jar gets what the umask gives, never the 0600 of a temporary file (a
 * service running as another user could not load such classes).
 */
class FilePermissionsTest {
    private static final String SHAPES = "dev/defer/instrument/targets/Shapes.class";
    private static final String OPEN = "dev/defer/instrument/targets/OpenCodedShapes.class";

    @TempDir
    Path temp;

    @BeforeEach
    void posixOnly() {
        Assumptions.assumeTrue(Files.getFileAttributeView(temp, PosixFileAttributeView.class) != null,
                "the file system has no POSIX permissions");
    }

    private static Set<PosixFilePermission> mode(String text) {
        return PosixFilePermissions.fromString(text);
    }

    private static String modeOf(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    /** The permissions a file created now, as any program creates one, gets from the umask. */
    private String umaskMode() throws IOException {
        Path probe = Files.createFile(temp.resolve("probe-" + System.nanoTime()));
        try {
            return modeOf(probe);
        } finally {
            Files.delete(probe);
        }
    }

    private Path classFolder(String name, String shapesMode, String openMode) throws IOException {
        Path root = temp.resolve(name);
        Path shapes = root.resolve(SHAPES);
        Files.createDirectories(shapes.getParent());
        Files.write(shapes, RewriteTestSupport.bytesOf(Shapes.class));
        Files.write(root.resolve(OPEN), RewriteTestSupport.bytesOf(OpenCodedShapes.class));
        Files.setPosixFilePermissions(shapes, mode(shapesMode));
        Files.setPosixFilePermissions(root.resolve(OPEN), mode(openMode));
        return root;
    }

    private Path jar(String name) throws IOException {
        Path jar = temp.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry(SHAPES));
            zip.write(RewriteTestSupport.bytesOf(Shapes.class));
            zip.closeEntry();
        }
        return jar;
    }

    private static void assertRewritten(Path classFile) throws IOException {
        assertTrue(new Instrumenter().isRewritten(Files.readAllBytes(classFile)), classFile + " was not rewritten");
    }

    @Test
    void aFolderRewrittenInPlaceKeepsEachClassFilesPermissions() throws IOException {
        // Two modes a umask of 022 or 077 would not give, one of them read-only.
        Path root = classFolder("classes", "rw-r-----", "r--r--r--");
        OfflineInstrumenter.Report report = new OfflineInstrumenter().rewriteDirectory(root, root);
        assertEquals(2, report.rewritten().size(), report.summary());
        assertRewritten(root.resolve(SHAPES));
        assertRewritten(root.resolve(OPEN));
        assertEquals("rw-r-----", modeOf(root.resolve(SHAPES)));
        assertEquals("r--r--r--", modeOf(root.resolve(OPEN)));
    }

    @Test
    void aFolderRewrittenIntoAnotherKeepsThePermissionsOfTheFilesRead() throws IOException {
        Path in = classFolder("in", "rw-r--r--", "rwxr-x---");
        Path out = temp.resolve("out");
        assertEquals(2, new OfflineInstrumenter().rewriteDirectory(in, out).rewritten().size());
        assertRewritten(out.resolve(SHAPES));
        assertEquals("rw-r--r--", modeOf(out.resolve(SHAPES)));
        assertEquals("rwxr-x---", modeOf(out.resolve(OPEN)));
    }

    @Test
    void aNewJarGetsWhatTheUmaskGives() throws IOException {
        Path in = jar("app.jar");
        Files.setPosixFilePermissions(in, mode("rw-------"));
        Path out = temp.resolve("out/app.jar");
        assertEquals(1, new OfflineInstrumenter().rewriteJar(in, out).rewritten().size());
        assertEquals(umaskMode(), modeOf(out), "a new file: as the umask makes it, not as the input jar is");
    }

    @Test
    void aJarReplacedKeepsItsPermissions() throws IOException {
        Path in = jar("app.jar");
        Files.setPosixFilePermissions(in, mode("rw-r-----"));
        assertEquals(1, new OfflineInstrumenter().rewriteJar(in, in).rewritten().size());
        assertEquals("rw-r-----", modeOf(in), "rewritten in place");

        Path other = jar("other.jar");
        Path existing = jar("existing.jar");
        Files.setPosixFilePermissions(existing, mode("rw-rw-r--"));
        assertEquals(1, new OfflineInstrumenter().rewriteJar(other, existing).rewritten().size());
        assertEquals("rw-rw-r--", modeOf(existing), "an existing output replaced");
    }

    @Test
    void aJarsEntriesKeepTheirUnixModes() throws IOException {
        // As maven-jar-plugin writes a jar: each entry records the mode of the file it was made from.
        Path in = temp.resolve("modes.jar");
        try (FileSystem zip = FileSystems.newFileSystem(in, Map.of("create", "true",
                "enablePosixFileAttributes", "true"))) {
            Path shapes = zip.getPath(SHAPES);
            Files.createDirectories(shapes.getParent());
            Files.write(shapes, RewriteTestSupport.bytesOf(Shapes.class));
            Files.setPosixFilePermissions(shapes, mode("rw-r-----"));
            Path notes = zip.getPath("notes.txt");
            Files.writeString(notes, "not a class");
            Files.setPosixFilePermissions(notes, mode("rwxr-xr-x"));
        }
        Path out = temp.resolve("modes-out.jar");
        assertEquals(1, new OfflineInstrumenter().rewriteJar(in, out).rewritten().size());
        try (FileSystem zip = FileSystems.newFileSystem(out, Map.of("enablePosixFileAttributes", "true"))) {
            assertRewritten(zip.getPath(SHAPES));
            assertEquals("rw-r-----", modeOf(zip.getPath(SHAPES)), "the rewritten class's entry");
            assertEquals("rwxr-xr-x", modeOf(zip.getPath("notes.txt")), "an entry copied as it was");
        }
    }

    @Test
    void aFolderCopiedOntoAFileSystemWithoutPosixPermissionsIsWrittenAllTheSame() throws IOException {
        Path in = classFolder("in", "rw-r-----", "rw-r--r--");
        // A zip file system without enablePosixFileAttributes has no POSIX permissions to give.
        try (FileSystem zip = FileSystems.newFileSystem(temp.resolve("plain.zip"), Map.of("create", "true"))) {
            Path out = zip.getPath("/classes");
            assertEquals(null, Files.getFileAttributeView(out, PosixFileAttributeView.class));
            assertEquals(2, new OfflineInstrumenter().rewriteDirectory(in, out).rewritten().size());
            assertRewritten(out.resolve(SHAPES));
        }
    }
}
