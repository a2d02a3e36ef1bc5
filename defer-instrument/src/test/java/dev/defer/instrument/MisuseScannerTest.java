package dev.defer.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.instrument.targets.MisuseShapes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** The build-time form of rule S13: every Defer.defer that can never succeed, with its class, method and line. */
class MisuseScannerTest {
    private static final Path SOURCE = Path.of("src/test/java/dev/defer/instrument/targets/MisuseShapes.java");

    /** The marked lines of the target's source: method name (or its prefix, for lambdas) to line number. */
    private static Map<String, Integer> markedLines() throws IOException {
        Map<String, Integer> lines = new LinkedHashMap<>();
        Pattern marker = Pattern.compile("// MISUSE (\\S+)");
        List<String> source = Files.readAllLines(SOURCE);
        for (int i = 0; i < source.size(); i++) {
            Matcher m = marker.matcher(source.get(i));
            if (m.find()) {
                lines.put(m.group(1), i + 1);
            }
        }
        return lines;
    }

    private static String methodKey(MisuseScanner.Finding finding) {
        String name = finding.methodName();
        return name.startsWith("lambda$") ? name.substring(0, name.lastIndexOf('$') + 1) : name;
    }

    @Test
    void everyMisplacedCallIsFoundWithItsLine() throws IOException {
        Map<String, Integer> expected = markedLines();
        List<MisuseScanner.Finding> findings = new MisuseScanner().scan(RewriteTestSupport.bytesOf(MisuseShapes.class));
        Map<String, Integer> found = new LinkedHashMap<>();
        for (MisuseScanner.Finding finding : findings) {
            assertEquals(MisuseShapes.class.getName(), finding.className());
            assertEquals("MisuseShapes.java", finding.sourceFile());
            found.put(methodKey(finding), finding.line());
        }
        expected.remove("lambda$method$"); // in the nested class, scanned below
        assertEquals(expected, found, findings.stream().map(Object::toString).collect(Collectors.joining("\n")));
    }

    @Test
    void locationReadsLikeAStackTraceAndTheReasonSaysTheFix() throws IOException {
        int line = markedLines().get("helper");
        MisuseScanner.Finding helper = new MisuseScanner().scan(RewriteTestSupport.bytesOf(MisuseShapes.class)).stream()
                .filter(f -> f.methodName().equals("helper")).findFirst().orElseThrow();
        assertEquals("dev.defer.instrument.targets.MisuseShapes.helper (MisuseShapes.java:" + line + ")",
                helper.location());
        assertEquals("()V", helper.methodDescriptor());
        assertTrue(helper.reason().contains("annotate it (or its class) with @dev.defer.Defers"), helper.reason());
        assertEquals(helper.location() + ": " + helper.reason(), helper.toString());

        Map<String, String> reasons = new MisuseScanner().scan(RewriteTestSupport.bytesOf(MisuseShapes.class)).stream()
                .collect(Collectors.toMap(MisuseScannerTest::methodKey, MisuseScanner.Finding::reason));
        assertTrue(reasons.get("<init>").startsWith("constructors are never rewritten"), reasons.get("<init>"));
        assertTrue(reasons.get("<clinit>").startsWith("static initialisers are never rewritten"));
        assertTrue(reasons.get("lambda$fine$").startsWith("a lambda body is a method of its own"));
        assertTrue(reasons.get("reference").startsWith("Defer::defer as a method reference"));
    }

    @Test
    void aDefersTypeCoversItsMethodsButNotItsLambdas() throws IOException {
        List<MisuseScanner.Finding> findings = new MisuseScanner()
                .scan(RewriteTestSupport.bytesOf(MisuseShapes.Covered.class));
        assertEquals(1, findings.size(), findings.toString());
        MisuseScanner.Finding lambda = findings.get(0);
        assertEquals(MisuseShapes.Covered.class.getName(), lambda.className());
        assertTrue(lambda.methodName().startsWith("lambda$method$"), lambda.methodName());
        assertEquals(markedLines().get("lambda$method$"), lambda.line());
        // The nested class names the outer source file, as its stack traces do.
        assertTrue(lambda.location().endsWith("(MisuseShapes.java:" + lambda.line() + ")"), lambda.location());
    }

    @Test
    void allModeRewritesLambdaBodiesSoTheyAreNoMisuse() {
        byte[] covered = RewriteTestSupport.bytesOf(MisuseShapes.Covered.class);
        assertTrue(new MisuseScanner(List.of("dev.defer.instrument.targets")).scan(covered).isEmpty());
        assertEquals(1, new MisuseScanner(List.of("dev.defer.other")).scan(covered).size());
    }

    @Test
    void classesThatNeverNameDeferAreNotParsed() {
        MisuseScanner scanner = new MisuseScanner();
        byte[] unrelated = RewriteTestSupport.bytesOf(MisuseShapes.Unrelated.class);
        assertFalse(scanner.mayHaveMisuse(unrelated));
        assertTrue(scanner.scan(unrelated).isEmpty());
        // Garbage without the name is ruled out before any parsing; garbage with it is an error.
        assertTrue(scanner.scan(new byte[] {1, 2, 3}).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> scanner.scan("xx dev/defer/Defer xx".getBytes()));
    }

    @Test
    void theRewriteAgreesWithTheScan() throws InstrumentationException {
        // What the scan calls fine is rewritten, and the rewritten class has the same misuse, no more.
        byte[] original = RewriteTestSupport.bytesOf(MisuseShapes.class);
        Instrumenter.Result result = new Instrumenter().instrument(original);
        assertNotNull(result);
        assertEquals(List.of("fine", "reference", "results"), result.methods().stream()
                .map(m -> m.substring(0, m.indexOf('('))).sorted().collect(Collectors.toList()));
        assertEquals(new MisuseScanner().scan(original), new MisuseScanner().scan(result.classFile()));
    }

    @Test
    void noLineNumbersAndNoSourceFileReadAsAStackTraceWould() {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "test/Bare", null, "java/lang/Object", null);
        MethodVisitor method = writer.visitMethod(Opcodes.ACC_STATIC, "work", "()V", null, null);
        method.visitCode();
        method.visitInsn(Opcodes.ACONST_NULL);
        method.visitMethodInsn(Opcodes.INVOKESTATIC, "dev/defer/Defer", "defer", "(Ldev/defer/Deferred;)V", false);
        method.visitInsn(Opcodes.RETURN);
        method.visitMaxs(0, 0);
        method.visitEnd();
        writer.visitEnd();
        List<MisuseScanner.Finding> findings = new MisuseScanner().scan(writer.toByteArray());
        assertEquals(1, findings.size());
        assertEquals(-1, findings.get(0).line());
        assertEquals("test.Bare.work (Unknown Source)", findings.get(0).location());
    }
}
