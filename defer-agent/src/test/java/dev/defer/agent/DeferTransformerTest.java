package dev.defer.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

class DeferTransformerTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private DeferTransformer transformer(String options) {
        return new DeferTransformer(AgentOptions.parse(options), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String log() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static byte[] bytesOf(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    /** {@code test.Sample} with {@code @Defers void work()} or, when abstract, a method with no body. */
    private static byte[] sample(boolean abstractMethod) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, "test/Sample", null, "java/lang/Object", null);
        MethodVisitor method = writer.visitMethod(Opcodes.ACC_PUBLIC | (abstractMethod ? Opcodes.ACC_ABSTRACT : 0),
                "work", "()V", null, null);
        method.visitAnnotation("Ldev/defer/Defers;", true).visitEnd();
        if (!abstractMethod) {
            method.visitCode();
            method.visitInsn(Opcodes.RETURN);
            method.visitMaxs(0, 1);
        }
        method.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    @Test
    void aClassWithoutDefersHasItsPanicCallsReplacedAndNothingElse() {
        DeferTransformer transformer = transformer("verbose");
        byte[] original = TestClasses.panicking("test/Check", Opcodes.V17, true);
        byte[] rewritten = transformer.transform(getClass().getClassLoader(), "test/Check", null, null, original);
        assertNotNull(rewritten, log());
        assertEquals(java.util.List.of("invokestatic dev/defer/Defer.recover",
                "invokedynamic panic dev/defer/internal/DeferSupport.panicSite"), TestClasses.calls(rewritten));
        assertTrue(transformer.instrumenter().isRewritten(rewritten));
        assertEquals("defer-agent: rewrote test.Check: 1 Defer.panic call site (the Panic's trace starts at the"
                + " caller)" + System.lineSeparator(), log());
        // Loading the rewritten bytes again (a retransformation, a class rewritten at build time) changes nothing.
        assertNull(transformer.transform(getClass().getClassLoader(), "test/Check", null, null, rewritten));
    }

    @Test
    void aClassNamingDeferWithoutPanicCallsIsReturnedUnchanged() {
        DeferTransformer transformer = transformer("verbose");
        // It names dev/defer/Defer and holds "panic" as a string: parsed, and left as it is.
        assertNull(transformer.transform(getClass().getClassLoader(), "test/Check", null, null,
                TestClasses.panicking("test/Check", Opcodes.V17, false)));
        assertEquals("", log());
    }

    @Test
    void panicCallsOfClassFilesBeforeJava7AndOfTheApiItselfAreLeftAlone() {
        DeferTransformer transformer = transformer("verbose");
        // Version 50 cannot hold invokedynamic: its Panic traces are trimmed when first read.
        assertNull(transformer.transform(getClass().getClassLoader(), "test/Check", null, null,
                TestClasses.panicking("test/Check", Opcodes.V1_6, true)));
        assertNull(transformer.transform(getClass().getClassLoader(), "dev/defer/Check", null, null,
                TestClasses.panicking("dev/defer/Check", Opcodes.V17, true)));
        assertEquals("", log());
    }

    @Test
    void classesWithoutDefersAreLeftAlone() throws IOException {
        DeferTransformer transformer = transformer("verbose");
        assertNull(transformer.transform(getClass().getClassLoader(), "dev/defer/agent/DeferTransformerTest", null,
                null, bytesOf(DeferTransformerTest.class)));
        assertEquals("", log());
    }

    @Test
    void bootstrapClassesAndTheRuntimeAreNeverTouched() {
        DeferTransformer transformer = transformer("all=java:dev");
        assertNull(transformer.transform(null, "test/Sample", null, null, sample(false)));
        assertNull(transformer.transform(getClass().getClassLoader(), "dev/defer/internal/Sample", null, null,
                sample(false)));
        assertNull(transformer.transform(getClass().getClassLoader(), "dev/defer/agent/Sample", null, null,
                sample(false)));
        assertNull(transformer.transform(getClass().getClassLoader(), "dev/defer/instrument/Sample", null, null,
                sample(false)));
        // Other dev/defer/ packages (the examples, the tests) are classes like any other.
        assertNotNull(transformer.transform(getClass().getClassLoader(), "dev/defer/examples/Sample", null, null,
                sample(false)));
        assertNotNull(transformer.transform(getClass().getClassLoader(), "dev/defer/internalx/Sample", null, null,
                sample(false)));
    }

    @Test
    void verboseNamesEachRewrittenMethodAndDumpWritesTheClass(@TempDir Path dump) {
        DeferTransformer transformer = transformer("verbose,dump=" + dump);
        byte[] rewritten = transformer.transform(getClass().getClassLoader(), "test/Sample", null, null, sample(false));
        assertNotNull(rewritten);
        assertEquals("defer-agent: rewrote test.Sample.work()" + System.lineSeparator(), log());
        assertTrue(Files.exists(dump.resolve("test/Sample.class")));
        // Loading the same bytes again, e.g. after build-time rewriting, changes nothing.
        assertNull(transformer.transform(getClass().getClassLoader(), "test/Sample", null, null, rewritten));
    }

    @Test
    void unrewritableClassIsReportedAndLeftUnchanged() {
        DeferTransformer transformer = transformer("");
        assertNull(transformer.transform(getClass().getClassLoader(), "test/Sample", null, null, sample(true)));
        String log = log();
        assertTrue(log.startsWith("defer-agent: cannot rewrite test.Sample, left unchanged"), log);
        assertTrue(log.contains("work()V: it has no body"), log);
    }

    @Test
    void verboseWarnsOfEachMisplacedDeferOnceAtLoad() {
        DeferTransformer transformer = transformer("verbose");
        // A class without @Defers is not rewritten, but its misplaced call is found all the same.
        assertNull(transformer.transform(getClass().getClassLoader(), "test/Plain", null, null,
                TestClasses.misuseOnly("test/Plain", 7)));
        assertEquals("defer-agent: warning: Defer.defer can never succeed in test.Plain.run (Plain.java:7): the method"
                + " is not @Defers; annotate it (or its class) with @dev.defer.Defers" + System.lineSeparator(), log());
        err.reset();
        assertNotNull(transformer.transform(getClass().getClassLoader(), "test/Good", null, null,
                TestClasses.sample("test/Good", 12)));
        String log = log();
        assertTrue(log.contains("defer-agent: warning: Defer.defer can never succeed in test.Good.misuse (Good.java:12)"),
                log);
        assertTrue(log.contains("defer-agent: rewrote test.Good.work()"), log);
    }

    @Test
    void withoutVerboseNoClassIsScanned() {
        DeferTransformer transformer = transformer("");
        assertNull(transformer.transform(getClass().getClassLoader(), "test/Plain", null, null,
                TestClasses.misuseOnly("test/Plain", 7)));
        assertEquals("", log());
    }

    /** {@code test/Big}: thousands of constants of every kind, then {@code @Defers} on one method only. */
    private static byte[] bigClass(boolean defers) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "test/Big", null, "java/lang/Object", null);
        for (int i = 0; i < 5000; i++) {
            writer.newConst((long) i);
            writer.newConst((double) i);
            writer.newConst("text " + i);
            writer.newMethod("test/Other", "m" + i, "()V", false);
        }
        MethodVisitor method = writer.visitMethod(Opcodes.ACC_STATIC, "work", "()V", null, null);
        if (defers) {
            method.visitAnnotation("Ldev/defer/Defers;", true).visitEnd();
        }
        method.visitCode();
        method.visitInsn(Opcodes.RETURN);
        method.visitMaxs(0, 0);
        method.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    @Test
    void aMethodAnnotationAfterALargeConstantPoolIsFound() {
        DeferTransformer transformer = transformer("verbose");
        assertNotNull(transformer.transform(getClass().getClassLoader(), "test/Big", null, null, bigClass(true)));
        assertEquals("defer-agent: rewrote test.Big.work()" + System.lineSeparator(), log());
        err.reset();
        assertNull(transformer.transform(getClass().getClassLoader(), "test/Big", null, null, bigClass(false)));
        assertEquals("", log());
    }

    @Test
    void warmUpLoadsTheScanToo() {
        WarmUp.run(new dev.defer.instrument.Instrumenter(), new dev.defer.instrument.MisuseScanner());
        WarmUp.run(new dev.defer.instrument.Instrumenter(), null);
    }

    @Test
    void aClassHoldingTheMarkerNameAsAStringIsRewrittenOnce() {
        DeferTransformer transformer = transformer("verbose");
        byte[] logged = TestClasses.withString(TestClasses.sample("test/Logged", 0), "dev.defer.Rewritten");
        byte[] rewritten = transformer.transform(getClass().getClassLoader(), "test/Logged", null, null, logged);
        assertNotNull(rewritten, log());
        assertEquals("defer-agent: rewrote test.Logged.work()" + System.lineSeparator(), log());
        assertNull(transformer.transform(getClass().getClassLoader(), "test/Logged", null, null, rewritten),
                "the rewritten class carries the marker attribute");
    }
}
