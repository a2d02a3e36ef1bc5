package dev.defer.agentprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent jar as a command line tool, run as a user runs it ({@code java -jar defer-agent.jar}, shaded ASM
 * and all): the classes it rewrites then run without the agent.
 */
class CommandLineTest {
    @TempDir
    Path temp;

    /** AgentFixture's class files, copied out of this module's test classes into a folder of their own. */
    private Path fixtureClasses() throws IOException {
        Path source = Paths.get(AgentFixture.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .resolve("dev/defer/agentprocess");
        Path target = Files.createDirectories(temp.resolve("in/dev/defer/agentprocess"));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(source, "AgentFixture*.class")) {
            for (Path file : files) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        return temp.resolve("in");
    }

    @Test
    void instrumentedClassesRunWithoutTheAgent() throws Exception {
        Path in = fixtureClasses();
        Path out = temp.resolve("out");
        String jar = ChildJvm.agentJar().toString();

        ChildJvm check = ChildJvm.java("-jar", jar, "check", in.toString());
        assertEquals(1, check.exitCode, check.err);
        assertTrue(check.err.contains("defer-agent: error: Defer.defer can never succeed in"
                + " dev.defer.agentprocess.AgentFixture.misuse (AgentFixture.java:20)"), check.err);

        ChildJvm strict = ChildJvm.java("-jar", jar, "instrument", in.toString(), out.toString());
        assertEquals(1, strict.exitCode, "AgentFixture.misuse is misuse: " + strict.err);
        ChildJvm instrument = ChildJvm.java("-jar", jar, "instrument", "--verbose", "--allow-misuse", in.toString(),
                out.toString());
        assertEquals(0, instrument.exitCode, instrument.err);
        assertTrue(instrument.out.startsWith("defer-agent: a rewritten method with Defer.defer calls ends with how"
                + " it keeps them: "), instrument.out);
        assertTrue(instrument.out.contains("defer-agent: rewrote dev.defer.agentprocess.AgentFixture.work()"
                + " (1 open-coded)" + System.lineSeparator()), instrument.out);

        // No -javaagent: the rewritten classes first on the class path, the runtime after them.
        ChildJvm child = ChildJvm.java("-cp", out + File.pathSeparator + System.getProperty("java.class.path"),
                AgentFixture.class.getName());
        assertEquals(0, child.exitCode, child.err);
        String[] lines = child.out.split("\\R");
        assertEquals("body ran", lines[0]);
        assertEquals("deferred ran", lines[1]);
        assertEquals("result", lines[2]);
        assertTrue(lines[3].startsWith("misuse: Defer.defer called in dev.defer.agentprocess.AgentFixture.misuse"),
                lines[3]);

        ChildJvm usage = ChildJvm.java("-jar", jar, "check");
        assertEquals(2, usage.exitCode);
        assertTrue(usage.err.contains("usage: java -jar defer-agent.jar instrument"), usage.err);
    }

    @Test
    void aPanicOfAnInstrumentedClassPrintedAsACauseStartsAtTheCaller() throws Exception {
        Class<?> main = dev.defer.validation.PanicFallbackMain.class;
        Path source = Paths.get(main.getProtectionDomain().getCodeSource().getLocation().getPath())
                .resolve("dev/defer/validation");
        Path in = Files.createDirectories(temp.resolve("panics/dev/defer/validation"));
        Files.copy(source.resolve("PanicFallbackMain.class"), in.resolve("PanicFallbackMain.class"));
        Path out = temp.resolve("panics-out");
        ChildJvm instrument = ChildJvm.java("-jar", ChildJvm.agentJar().toString(), "instrument",
                temp.resolve("panics").toString(), out.toString());
        assertEquals(0, instrument.exitCode, instrument.err);

        // No -javaagent: the Defer.panic sites were linked to the hidden class by the build-time rewrite alone.
        ChildJvm child = ChildJvm.java("-cp", out + File.pathSeparator + System.getProperty("java.class.path"),
                main.getName());
        assertEquals(0, child.exitCode, child.err);
        assertTrue(child.out.contains("panic: first | printed at " + main.getName() + ".first(PanicFallbackMain.java:"),
                child.out);
        assertTrue(child.out.contains("panic: second | printed at " + main.getName() + ".second(PanicFallbackMain.java:"),
                child.out);
    }

    @Test
    void versionIsTheProjectVersion() throws Exception {
        String expected = System.getProperty("defer.version");
        assertTrue(expected != null && !expected.isEmpty(), "the pom passes -Ddefer.version");
        ChildJvm version = ChildJvm.java("-jar", ChildJvm.agentJar().toString(), "--version");
        assertEquals(0, version.exitCode, version.err);
        assertEquals("defer-agent " + expected + System.lineSeparator(), version.out);
        assertEquals("", version.err);
    }

    @Test
    void theOutputJarGetsWhatTheUmaskGivesAndAJarReplacedKeepsItsMode() throws Exception {
        Assumptions.assumeTrue(Files.getFileAttributeView(temp, PosixFileAttributeView.class) != null
                && Files.isExecutable(Paths.get("/bin/sh")), "needs POSIX permissions and /bin/sh");
        Path in = temp.resolve("app.jar");
        Path classes = fixtureClasses().resolve("dev/defer/agentprocess");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(in));
                DirectoryStream<Path> files = Files.newDirectoryStream(classes)) {
            for (Path file : files) {
                zip.putNextEntry(new ZipEntry("dev/defer/agentprocess/" + file.getFileName()));
                zip.write(Files.readAllBytes(file));
                zip.closeEntry();
            }
        }
        Files.setPosixFilePermissions(in, PosixFilePermissions.fromString("rw-------"));
        String jar = ChildJvm.agentJar().toString();
        // A new jar: as the umask makes it (Files.createTempFile's 0600 used to survive into it).
        for (String[] umask : new String[][] {{"022", "rw-r--r--"}, {"002", "rw-rw-r--"}}) {
            Path out = temp.resolve("out-" + umask[0] + ".jar");
            ChildJvm instrument = ChildJvm.javaWithUmask(umask[0], "-jar", jar, "instrument", "--allow-misuse",
                    in.toString(), out.toString());
            assertEquals(0, instrument.exitCode, instrument.err);
            assertEquals(umask[1], PosixFilePermissions.toString(Files.getPosixFilePermissions(out)),
                    "umask " + umask[0]);
        }
        // In place: the jar keeps its own mode whatever the umask.
        Files.setPosixFilePermissions(in, PosixFilePermissions.fromString("rw-r-----"));
        ChildJvm inPlace = ChildJvm.javaWithUmask("077", "-jar", jar, "instrument", "--allow-misuse", in.toString(),
                in.toString());
        assertEquals(0, inPlace.exitCode, inPlace.err);
        assertTrue(inPlace.out.contains(": 1 class file read: 2 methods rewritten in 1 class"), inPlace.out);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(in)));
    }
}
