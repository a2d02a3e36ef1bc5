package dev.defer.agentprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import dev.defer.testsupport.ThisJvm;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A modular application: a named module that {@code requires dev.defer} (the runtime jar's automatic module name),
 * run with {@code -m} on the module path, rewritten by the agent and, without it, at build time. The rewritten
 * classes call the runtime's {@code dev.defer.internal} package and link its bootstrap methods from inside the named
 * module, which the class-path tests never do.
 */
class ModulePathTest {
    private static final String MODULE_INFO = "module app { requires dev.defer; }\n";

    /**
     * Top-level and loop defers, last-in-first-out; a panic that a deferred call recovers, setting the result; the
     * panic's trace, which starts at the line that panicked.
     */
    private static final String MAIN = """
            package app;

            import dev.defer.Defer;
            import dev.defer.Defers;
            import dev.defer.Panic;

            public class Main {
                static final StringBuilder LOG = new StringBuilder();

                @Defers
                static int post(int n) {
                    Defer.defer(() -> LOG.append("a"));
                    for (int i = 0; i < n; i++) {
                        int k = i;
                        Defer.defer(() -> LOG.append(k));
                    }
                    Defer.defer(() -> {
                        if (Defer.recover() != null) {
                            Defer.setResult(-1);
                        }
                    });
                    if (n > 2) {
                        throw Defer.panic("big");
                    }
                    return n;
                }

                @Defers
                static void fail() {
                    Defer.defer(() -> LOG.append("f"));
                    throw Defer.panic("unrecovered");
                }

                public static void main(String[] args) {
                    System.out.println(post(2) + " " + LOG);
                    LOG.setLength(0);
                    System.out.println(post(3) + " " + LOG);
                    LOG.setLength(0);
                    try {
                        fail();
                    } catch (Panic p) {
                        StackTraceElement first = p.getStackTrace()[0];
                        System.out.println(LOG + " " + p.value() + " at " + first.getMethodName() + ":"
                                + first.getLineNumber());
                    }
                }
            }
            """;

    /** What {@link #MAIN} prints when rewritten. */
    private static final String EXPECTED = "2 10a\n-1 210a\nf unrecovered at fail:"
            + lineOf("panic(\"unrecovered\")") + "\n";

    /** The line of {@link #MAIN} that holds {@code text}, from 1. */
    private static int lineOf(String text) {
        return MAIN.substring(0, MAIN.indexOf(text)).split("\n", -1).length;
    }

    @TempDir
    static Path dir;
    private static Path runtime;
    private static Path modules;

    @BeforeAll
    static void compileTheModule() throws Exception {
        runtime = runtimeJar(dir);
        Path sources = dir.resolve("src/app");
        Files.createDirectories(sources.resolve("app"));
        Files.writeString(sources.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(sources.resolve("app/Main.java"), MAIN);
        modules = dir.resolve("modules");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "--release", "17", "-g", "--module-path", runtime.toString(),
                "-d", modules.resolve("app").toString(), sources.resolve("module-info.java").toString(),
                sources.resolve("app/Main.java").toString());
        assertEquals(0, status, "the module compiles against the runtime jar");
    }

    @Test
    void theAgentRewritesANamedModule() throws Exception {
        ChildJvm run = ChildJvm.java("-javaagent:" + ChildJvm.agentJar(),
                "--module-path", modules + java.io.File.pathSeparator + runtime, "-m", "app/app.Main");
        assertEquals(0, run.exitCode, run.err);
        assertEquals(EXPECTED, run.out.replace("\r\n", "\n"));
        assertEquals("", run.err);
    }

    @Test
    void aModuleRewrittenAtBuildTimeRunsWithoutTheAgent() throws Exception {
        Path rewritten = dir.resolve("rewritten");
        ChildJvm instrument = ChildJvm.java("-jar", ChildJvm.agentJar().toString(), "instrument",
                modules.resolve("app").toString(), rewritten.resolve("app").toString());
        assertEquals(0, instrument.exitCode, instrument.out + instrument.err);
        ChildJvm run = ChildJvm.java("--module-path", rewritten + java.io.File.pathSeparator + runtime,
                "-m", "app/app.Main");
        assertEquals(0, run.exitCode, run.err);
        assertEquals(EXPECTED, run.out.replace("\r\n", "\n"));
        ChildJvm unchanged = ChildJvm.java("--module-path", modules + java.io.File.pathSeparator + runtime,
                "-m", "app/app.Main");
        assertNotEquals(0, unchanged.exitCode, "without the agent or the rewrite, Defer.defer throws (S13)");
        assertTrue(unchanged.err.contains("IllegalStateException"), unchanged.err);
    }

    /**
     * docs/agent.md's limit of {@code -agentlib:instrument=}, which a module-path application does not resolve
     * {@code java.instrument} for, and its fix.
     */
    @Test
    void agentlibNeedsJavaInstrumentAddedOnTheModulePath() throws Exception {
        String path = modules + java.io.File.pathSeparator + runtime;
        ChildJvm stopped = ChildJvm.java("-agentlib:instrument=" + ChildJvm.agentJar(), "--module-path", path,
                "-m", "app/app.Main");
        assertNotEquals(0, stopped.exitCode);
        assertTrue((stopped.out + stopped.err).contains("processing of -javaagent failed"), stopped.err);
        ChildJvm added = ChildJvm.java("-agentlib:instrument=" + ChildJvm.agentJar(), "--add-modules",
                "java.instrument", "--module-path", path, "-m", "app/app.Main");
        assertEquals(0, added.exitCode, added.err);
        assertEquals(EXPECTED, added.out.replace("\r\n", "\n"));
    }

    /**
     * The runtime as users get it: its jar, whose manifest names the automatic module {@code dev.defer}. Inside the
     * reactor the tests may see the class folder instead, which the module path cannot take as a module; then the
     * jar is made from it with the same manifest entry.
     */
    private static Path runtimeJar(Path dir) throws Exception {
        Path location = ThisJvm.codeSource(Defer.class);
        if (Files.isRegularFile(location)) {
            return location;
        }
        Path jar = dir.resolve("defer-runtime.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Automatic-Module-Name"), "dev.defer");
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest);
                Stream<Path> files = Files.walk(location)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(location.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
