package dev.defer.agentprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The agent jar as a user runs it: a separate JVM, its options, its manifest and its shading. */
class AgentProcessTest {
    @Test
    void withTheAgentDeferredCallsRunAndMisuseNamesTheMethod() throws Exception {
        ChildJvm child = ChildJvm.run("", AgentFixture.class);
        assertEquals(0, child.exitCode, child.err);
        String[] lines = child.out.split("\\R");
        assertEquals("body ran", lines[0]);
        assertEquals("deferred ran", lines[1]);
        assertEquals("result", lines[2]);
        assertTrue(lines[3].startsWith("misuse: Defer.defer called in dev.defer.agentprocess.AgentFixture.misuse"
                + " (AgentFixture.java:"), lines[3]);
        assertTrue(lines[3].contains("annotate the method (or its class) with @dev.defer.Defers"), lines[3]);
        assertFalse(lines[3].contains("-javaagent"), "the agent is running: the fix must not ask for it");
        assertEquals("", child.err);
    }

    /**
     * The start-up recipe of docs/agent.md: the same agent attached through the JVM's instrument library, which
     * implies no {@code --add-modules java.instrument} and so keeps the CDS archive's module graph in use
     * (the JVM logs "optimized module handling: enabled"; with {@code -javaagent} it is disabled).
     */
    @Test
    void attachedAsAgentlibInstrumentTheAgentWorksWithItsOptionsAndKeepsTheArchivedModuleGraph() throws Exception {
        ChildJvm child = ChildJvm.java("-Xlog:cds=info:stderr", "-agentlib:instrument=" + ChildJvm.agentJar() + "=verbose",
                "-cp", System.getProperty("java.class.path"), AgentFixture.class.getName());
        assertEquals(0, child.exitCode, child.err);
        String[] lines = child.out.split("\\R");
        assertEquals("body ran", lines[0]);
        assertEquals("deferred ran", lines[1]);
        assertEquals("result", lines[2]);
        assertTrue(child.err.contains("defer-agent: rewrote dev.defer.agentprocess.AgentFixture."), child.err);
        if (child.err.contains("optimized module handling")) {
            // Reported only by a JVM with a CDS archive of its own (the JDK's default one, -Xshare:auto).
            assertTrue(child.err.contains("optimized module handling: enabled"), child.err);
        }
    }

    @Test
    void withoutTheAgentTheErrorSaysToStartIt() throws Exception {
        ChildJvm child = ChildJvm.run(null, AgentFixture.class);
        // The @Defers method was not rewritten, so its own first statement, Defer.defer, fails.
        assertEquals("", child.out);
        assertEquals(1, child.exitCode);
        assertTrue(child.err.contains("Defer.defer called in dev.defer.agentprocess.AgentFixture.work"), child.err);
        assertTrue(child.err.contains("annotated @Defers, but the agent is not running: start the JVM with"
                + " -javaagent:"), child.err);
        // AgentFixture comes from target/test-classes: the build may have stopped before the plugin's rewrite.
        assertTrue(child.err.contains("test-classes, a Maven build's output directory: if defer-maven-plugin is"
                + " configured, mvn compile and exec:java stop before process-test-classes, where its instrument-test"
                + " goal rewrites that directory (instrument-jar rewrites only the packaged jar): run mvn"
                + " process-test-classes exec:java, run the packaged jar, or start the JVM with the agent (for tests,"
                + " the plugin's prepare-agent goal)"), child.err);
    }

    @Test
    void outsideABuildDirectoryTheErrorDoesNotBlameTheBuild() throws Exception {
        Path classes = Files.createTempDirectory("fixture");
        try {
            Path source = Path.of(AgentFixture.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path packageDir = classes.resolve("dev/defer/agentprocess");
            Files.createDirectories(packageDir);
            try (Stream<Path> fixture = Files.list(source.resolve("dev/defer/agentprocess"))) {
                for (Path file : (Iterable<Path>) fixture::iterator) {
                    if (file.getFileName().toString().startsWith("AgentFixture")) {
                        Files.copy(file, packageDir.resolve(file.getFileName()));
                    }
                }
            }
            // The copy comes first on the class path, so AgentFixture is loaded from a folder outside any build.
            ChildJvm child = ChildJvm.java("-cp", classes + File.pathSeparator + System.getProperty("java.class.path"),
                    AgentFixture.class.getName());
            assertEquals(1, child.exitCode, child.err);
            assertTrue(child.err.contains("annotated @Defers, but the agent is not running"), child.err);
            assertFalse(child.err.contains("process-classes") || child.err.contains("output directory"), child.err);
        } finally {
            try (Stream<Path> files = Files.walk(classes)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void verboseListsRewrittenMethods() throws Exception {
        ChildJvm child = ChildJvm.run("verbose", AgentFixture.class);
        assertEquals(0, child.exitCode, child.err);
        // In Java terms (the name and the parameter types, not the JVM's descriptor), then the strategy, which
        // the first line explains once.
        String newline = System.lineSeparator();
        assertTrue(child.err.startsWith("defer-agent: active; a rewritten method with Defer.defer calls ends with"
                + " how it keeps them: (N open-coded) in its own locals"), child.err);
        assertTrue(child.err.contains("defer-agent: rewrote dev.defer.agentprocess.AgentFixture.work() (1 open-coded)"
                + newline), child.err);
        assertTrue(child.err.contains("defer-agent: rewrote dev.defer.agentprocess.AgentFixture.exitingThread()"
                + " (1 open-coded)" + newline), child.err);
        assertFalse(child.err.contains("rewrote dev.defer.agentprocess.AgentFixture.misuse"),
                "misuse() is not @Defers: " + child.err);
        // ... and verbose finds its Defer.defer at class load, before it runs and throws.
        assertTrue(child.err.contains("defer-agent: warning: Defer.defer can never succeed in"
                + " dev.defer.agentprocess.AgentFixture.misuse (AgentFixture.java:20): the method is not @Defers;"),
                child.err);
    }

    @Test
    void badOptionsStopTheJvmWithOneLineAndStatusOne() throws Exception {
        for (String options : new String[] {"verbos", "verbose,dump="}) {
            ChildJvm child = ChildJvm.run(options, AgentFixture.class);
            // Not the abort of a premain that throws: status 134, "FATAL ERROR in native method", native frames.
            assertEquals(1, child.exitCode, child.err);
            assertEquals("", child.out, "the application did not start");
            String[] lines = child.err.split("\\R");
            assertEquals(1, lines.length, child.err);
            String expected = options.equals("verbos") ? "defer-agent: unknown option 'verbos' in the agent options"
                    + " 'verbos';" : "defer-agent: option 'dump=' needs a folder after 'dump=' in the agent options"
                    + " 'verbose,dump=';";
            assertTrue(lines[0].startsWith(expected), lines[0]);
            assertTrue(lines[0].endsWith(" write the valid ones, comma-separated: verbose, dump=DIR,"
                    + " all=PREFIX[:PREFIX...]"), lines[0]);
        }
    }

    @Test
    void badOptionsOfAnAttachedAgentLeaveTheApplicationRunning() throws Exception {
        ChildJvm child = ChildJvm.java("-Djdk.attach.allowAttachSelf=true", "-cp",
                System.getProperty("java.class.path"), AttachFixture.class.getName(), ChildJvm.agentJar().toString(),
                "verbos");
        assertEquals(0, child.exitCode, child.err);
        assertTrue(child.out.startsWith("refused: "), child.out);
        assertTrue(child.out.endsWith("still running" + System.lineSeparator()), child.out);
        assertTrue(child.err.contains("defer-agent: unknown option 'verbos' in the agent options 'verbos';"),
                child.err);
    }

    @Test
    void goexitLeavingAThreadEndsItSilently() throws Exception {
        ChildJvm child = ChildJvm.run("", AgentFixture.class, "goexit");
        assertEquals(0, child.exitCode, child.err);
        assertTrue(child.out.contains("goexit deferred ran" + System.lineSeparator() + "thread ended"), child.out);
        assertEquals("", child.err, "no stack trace for a Goexit");
    }

    @Test
    void agentJarIsAnAgentWithAsmRelocated() throws IOException {
        try (JarFile jar = new JarFile(ChildJvm.agentJar().toFile())) {
            Manifest manifest = jar.getManifest();
            assertEquals("dev.defer.agent.DeferAgent", manifest.getMainAttributes().getValue("Premain-Class"));
            assertEquals("dev.defer.agent.DeferAgent", manifest.getMainAttributes().getValue("Agent-Class"));
            assertEquals("dev.defer.agent.Main", manifest.getMainAttributes().getValue("Main-Class"));
            int relocated = 0;
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements();) {
                String name = entries.nextElement().getName();
                assertFalse(name.startsWith("org/objectweb/"), "unrelocated ASM class " + name);
                assertFalse(name.startsWith("dev/defer/internal/"), "the runtime belongs to the application: " + name);
                if (name.startsWith("dev/defer/agent/internal/asm/")) {
                    relocated++;
                }
            }
            assertTrue(relocated > 50, "relocated ASM classes: " + relocated);
        }
    }
}
