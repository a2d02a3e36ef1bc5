package dev.defer.maven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.instrument.Instrumenter;
import dev.defer.instrument.VerboseText;
import dev.defer.maven.fixtures.Bad;
import dev.defer.maven.fixtures.Good;
import dev.defer.maven.fixtures.Logged;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** The goals' work on a class folder, without Maven around it (the integration tests under src/it add Maven). */
class ClassFolderRewriteTest {
    @TempDir
    Path classes;

    private final RecordingLog log = new RecordingLog();

    private void copy(Class<?> type) throws IOException {
        String path = type.getName().replace('.', '/') + ".class";
        Path target = classes.resolve(path);
        Files.createDirectories(target.getParent());
        try (InputStream in = type.getResourceAsStream("/" + path)) {
            Files.write(target, in.readAllBytes());
        }
    }

    private byte[] read(Class<?> type) throws IOException {
        return Files.readAllBytes(classes.resolve(type.getName().replace('.', '/') + ".class"));
    }

    @Test
    void rewritesInPlaceAndLogsASummary() throws Exception {
        copy(Good.class);
        new ClassFolderRewrite(log, true, false).run(classes.toFile());
        assertTrue(new Instrumenter().isRewritten(read(Good.class)));
        assertTrue(log.has("info", "1 class file read: 1 method rewritten in 1 class"), log.toString());
        assertTrue(log.has("debug", "defer: rewrote dev.defer.maven.fixtures.Good.f1()"), log.toString());

        log.lines.clear();
        new ClassFolderRewrite(log, true, true).run(classes.toFile());
        assertTrue(log.has("info", "0 methods rewritten in 0 classes, 1 class rewritten already"), log.toString());
        assertTrue(log.has("info", "defer: skipped dev.defer.maven.fixtures.Good: already rewritten"), log.toString());
    }

    @Test
    void aClassHoldingTheMarkerNameAsAStringIsRewritten() throws Exception {
        copy(Logged.class);
        new ClassFolderRewrite(log, true, false).run(classes.toFile());
        assertTrue(log.has("info", "1 class file read: 1 method rewritten in 1 class, 0 classes rewritten already"),
                log.toString());
        assertTrue(new Instrumenter().isRewritten(read(Logged.class)));
        log.lines.clear();
        new ClassFolderRewrite(log, true, false).run(classes.toFile());
        assertTrue(log.has("info", "0 methods rewritten in 0 classes, 1 class rewritten already"), log.toString());
    }

    @Test
    void verboseLogsEachMethodAtInfo() throws Exception {
        copy(Good.class);
        new ClassFolderRewrite(log, true, true).run(classes.toFile());
        assertTrue(log.has("info", "defer: rewrote dev.defer.maven.fixtures.Good.f1()"), log.toString());
        int legend = log.lines.indexOf("info: defer: " + VerboseText.STRATEGIES);
        assertTrue(legend >= 0 && log.lines.get(legend + 1).startsWith("info: defer: rewrote "), log.toString());
    }

    @Test
    void misuseFailsTheBuildWithClassMethodFileAndLine() throws Exception {
        copy(Good.class);
        copy(Bad.class);
        byte[] good = read(Good.class);
        byte[] bad = read(Bad.class);
        MojoFailureException e = assertThrows(MojoFailureException.class,
                () -> new ClassFolderRewrite(log, true, false).run(classes.toFile()));
        String message = e.getMessage();
        assertTrue(message.startsWith("defer: 1 call of Defer.defer in " + classes + " can never succeed"), message);
        assertTrue(message.contains("  dev.defer.maven.fixtures.Bad.helper (Bad.java:8): the method is not @Defers;"),
                message);
        assertTrue(message.contains("-Ddefer.failOnMisuse=false"), message);
        assertTrue(log.has("error", "defer: Defer.defer can never succeed in dev.defer.maven.fixtures.Bad.helper"
                + " (Bad.java:8)"), log.toString());
        assertTrue(message.contains("Nothing was rewritten."), message);
        assertTrue(log.has("error", "defer: nothing in " + classes + " was rewritten"), log.toString());
        // All or nothing: the classes are as the compiler wrote them, so that a fixed build starts from them.
        assertArrayEquals(good, read(Good.class));
        assertArrayEquals(bad, read(Bad.class));
    }

    @Test
    void withoutFailOnMisuseItIsAWarning() throws Exception {
        copy(Bad.class);
        new ClassFolderRewrite(log, false, false).run(classes.toFile());
        assertTrue(log.has("warn", "defer: Defer.defer can never succeed in dev.defer.maven.fixtures.Bad.helper"
                + " (Bad.java:8)"), log.toString());
        assertFalse(log.has("error", ""), log.toString());
    }

    @Test
    void aClassThatCannotBeRewrittenFailsTheBuildWhateverFailOnMisuse() throws Exception {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, "test/Abstract", null, "java/lang/Object",
                null);
        MethodVisitor method = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, "work", "()V", null, null);
        method.visitAnnotation("Ldev/defer/Defers;", false).visitEnd();
        method.visitEnd();
        writer.visitEnd();
        Files.createDirectories(classes.resolve("test"));
        Files.write(classes.resolve("test/Abstract.class"), writer.toByteArray());
        MojoFailureException e = assertThrows(MojoFailureException.class,
                () -> new ClassFolderRewrite(log, false, false).run(classes.toFile()));
        assertTrue(e.getMessage().startsWith("defer: 1 class in " + classes + " cannot be rewritten"), e.getMessage());
        assertTrue(e.getMessage().contains("cannot rewrite test.Abstract, left unchanged"), e.getMessage());
        assertTrue(e.getMessage().contains("work()V: it has no body"), e.getMessage());
        assertTrue(e.getMessage().contains("so nothing was rewritten"), e.getMessage());
    }

    @Test
    void aClassThatCannotBeRewrittenLeavesTheOthersAsTheyWere() throws Exception {
        copy(Good.class);
        byte[] good = read(Good.class);
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, "test/Abstract", null, "java/lang/Object",
                null);
        writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, "work", "()V", null, null)
                .visitAnnotation("Ldev/defer/Defers;", false).visitEnd();
        writer.visitEnd();
        Files.createDirectories(classes.resolve("test"));
        Files.write(classes.resolve("test/Abstract.class"), writer.toByteArray());
        assertThrows(MojoFailureException.class, () -> new ClassFolderRewrite(log, false, false).run(classes.toFile()));
        assertArrayEquals(good, read(Good.class));
    }

    @Test
    void rewrittenClassesKeepTheirPermissions() throws Exception {
        Assumptions.assumeTrue(Files.getFileAttributeView(classes, PosixFileAttributeView.class) != null,
                "the file system has no POSIX permissions");
        copy(Good.class);
        Path good = classes.resolve(Good.class.getName().replace('.', '/') + ".class");
        // What javac writes under a umask of 022: a service running as another user must still read it.
        Files.setPosixFilePermissions(good, PosixFilePermissions.fromString("rw-r--r--"));
        new ClassFolderRewrite(log, true, false).run(classes.toFile());
        assertTrue(new Instrumenter().isRewritten(read(Good.class)));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(good)));
    }

    @Test
    void aMissingFolderIsNothingToDo() throws MojoExecutionException, MojoFailureException {
        new ClassFolderRewrite(log, true, false).run(classes.resolve("none").toFile());
        assertTrue(log.has("info", "no classes to rewrite"), log.toString());
    }

    /** Keeps what a goal logs, level by level. */
    static final class RecordingLog implements Log {
        final List<String> lines = new ArrayList<>();

        boolean has(String level, String text) {
            return lines.stream().anyMatch(l -> l.startsWith(level + ": ") && l.contains(text));
        }

        @Override
        public String toString() {
            return String.join("\n", lines);
        }

        private void add(String level, CharSequence content, Throwable error) {
            lines.add(level + ": " + (content == null ? "" : content) + (error == null ? "" : " " + error));
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public void debug(CharSequence content) {
            add("debug", content, null);
        }

        @Override
        public void debug(CharSequence content, Throwable error) {
            add("debug", content, error);
        }

        @Override
        public void debug(Throwable error) {
            add("debug", null, error);
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public void info(CharSequence content) {
            add("info", content, null);
        }

        @Override
        public void info(CharSequence content, Throwable error) {
            add("info", content, error);
        }

        @Override
        public void info(Throwable error) {
            add("info", null, error);
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public void warn(CharSequence content) {
            add("warn", content, null);
        }

        @Override
        public void warn(CharSequence content, Throwable error) {
            add("warn", content, error);
        }

        @Override
        public void warn(Throwable error) {
            add("warn", null, error);
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        public void error(CharSequence content) {
            add("error", content, null);
        }

        @Override
        public void error(CharSequence content, Throwable error) {
            add("error", content, error);
        }

        @Override
        public void error(Throwable error) {
            add("error", null, error);
        }
    }
}
