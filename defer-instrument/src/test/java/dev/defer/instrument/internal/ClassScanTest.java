package dev.defer.instrument.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.instrument.InstrumentationException;
import dev.defer.instrument.Instrumenter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** The constant-pool walk agrees with a search of every byte, and is exact about whole entries. */
class ClassScanTest {
    private static byte[] bytesOf(String resource) throws IOException {
        try (InputStream in = ClassScanTest.class.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }

    @Test
    void theWalkFindsWhatTheByteSearchFinds() throws IOException {
        String[] classes = {"/dev/defer/instrument/targets/Shapes.class", "/dev/defer/instrument/targets/LoopShapes.class",
            "/java/lang/String.class", "/java/util/HashMap.class", "/dev/defer/instrument/internal/ClassScan.class"};
        String[] strings = {"Ldev/defer/Defers;", "dev/defer/Defer", "java/lang/Object", "dev.defer.Rewritten", "nothing/Here"};
        int found = 0;
        for (String name : classes) {
            byte[] data = name.startsWith("/java/") ? platformClass(name) : bytesOf(name);
            for (String string : strings) {
                byte[] pattern = string.getBytes(StandardCharsets.US_ASCII);
                boolean walk = ClassScan.contains(data, pattern);
                // The byte search also finds the string inside longer entries; the walk only whole entries.
                assertTrue(!walk || ClassScan.containsAnywhere(data, pattern), name + " " + string);
                found += walk ? 1 : 0;
            }
        }
        assertTrue(found >= 8, "whole entries found: " + found);
        assertTrue(ClassScan.mentionsDefers(bytesOf("/dev/defer/instrument/targets/Shapes.class")));
        assertTrue(ClassScan.mentionsDeferApi(bytesOf("/dev/defer/instrument/targets/Shapes.class")));
        assertFalse(ClassScan.mentionsDefers(platformClass("/java/lang/String.class")));
    }

    @Test
    void aTruncatedOrUnknownConstantPoolFallsBackToTheByteSearch() throws IOException {
        byte[] data = bytesOf("/dev/defer/instrument/targets/Shapes.class");
        byte[] pattern = "Ldev/defer/Defers;".getBytes(StandardCharsets.US_ASCII);
        byte[] truncated = Arrays.copyOf(data, 40);
        assertEquals(ClassScan.containsAnywhere(truncated, pattern), ClassScan.contains(truncated, pattern));
        byte[] unknownTag = data.clone();
        unknownTag[10] = 99;
        assertTrue(ClassScan.contains(unknownTag, pattern), "falls back to the byte search");
    }

    /**
     * A class whose constant pool is large (every kind of entry the walk steps over, Long and Double constants
     * that take two slots each, and more than 64 KiB of entries before the annotation's descriptor), with
     * {@code @Defers} only on one method, as a runtime-visible annotation, and named nowhere else.
     */
    private static byte[] largeClass(boolean defers) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "test/Large", null, "java/lang/Object", null);
        for (int i = 0; i < 6000; i++) {
            writer.newConst((long) i);
            writer.newConst((double) i + 0.5);
            writer.newConst(i);
            writer.newConst("constant number " + i + " of a large pool");
            writer.newField("test/Other" + (i % 7), "f" + i, "J");
        }
        writer.newMethodType("(I)V");
        writer.newHandle(Opcodes.H_INVOKESTATIC, "test/Other", "m", "()V", false);
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
    void aLargeConstantPoolIsWalkedToItsEnd() {
        byte[] with = largeClass(true);
        byte[] without = largeClass(false);
        assertTrue(with.length > 65536 && ((with[8] & 0xFF) << 8 | (with[9] & 0xFF)) > 30000, "large: " + with.length);
        assertTrue(ClassScan.mentionsDefers(with), "@Defers on a method only, after every other constant");
        assertFalse(ClassScan.mentionsDefers(without));
        assertFalse(ClassScan.mentionsDeferApi(with));
        assertFalse(ClassScan.isRewritten(with));
        // The walk answers by itself: its fallback, the byte search, would agree here.
        assertTrue(ClassScan.containsAnywhere(with, "Ldev/defer/Defers;".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void onlyWholeEntriesCount() {
        // A string constant that holds the descriptor inside a longer text does not make a class a candidate.
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "test/Text", null, "java/lang/Object", null);
        writer.newConst("see Ldev/defer/Defers; and dev/defer/Defer.defer");
        writer.visitEnd();
        byte[] data = writer.toByteArray();
        assertFalse(ClassScan.mentionsDefers(data));
        assertFalse(ClassScan.mentionsDeferApi(data));
    }

    /**
     * {@code test/Logged}: {@code @Defers static int work() { return 1; }}, its constant pool holding the marker's
     * name as a string constant (a log message, say), and the marker attribute on the method and the field when
     * {@code memberMarkers}: none of them makes the class rewritten.
     */
    private static byte[] holdingTheMarkerName(boolean memberMarkers) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "test/Logged", null, "java/lang/Object", null);
        writer.visitSource("Logged.java", null);
        org.objectweb.asm.FieldVisitor field = writer.visitField(Opcodes.ACC_STATIC, "note", "Ljava/lang/String;",
                null, null);
        if (memberMarkers) {
            field.visitAttribute(new RewrittenMarker());
        }
        field.visitEnd();
        MethodVisitor method = writer.visitMethod(Opcodes.ACC_STATIC, "work", "()I", null, null);
        method.visitAnnotation("Ldev/defer/Defers;", true).visitEnd();
        if (memberMarkers) {
            method.visitAttribute(new RewrittenMarker());
        }
        method.visitCode();
        method.visitLdcInsn(RewrittenMarker.NAME);
        method.visitFieldInsn(Opcodes.PUTSTATIC, "test/Logged", "note", "Ljava/lang/String;");
        method.visitInsn(Opcodes.ICONST_1);
        method.visitInsn(Opcodes.IRETURN);
        method.visitMaxs(0, 0);
        method.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    @Test
    void theMarkerCountsOnlyAsTheClassAttribute() throws InstrumentationException {
        byte[] logged = holdingTheMarkerName(false);
        assertTrue(ClassScan.contains(logged, RewrittenMarker.NAME.getBytes(StandardCharsets.US_ASCII)),
                "the name is in the constant pool, as the attribute's name would be");
        assertFalse(ClassScan.isRewritten(logged));
        assertFalse(ClassScan.isRewritten(holdingTheMarkerName(true)), "on a method or a field it is no marker");
        Instrumenter instrumenter = new Instrumenter();
        assertTrue(instrumenter.mayNeedRewrite("test/Logged", logged));
        Instrumenter.Result result = instrumenter.instrument(logged);
        assertNotNull(result, "a @Defers class holding the marker's name as a string is rewritten");
        assertEquals(List.of("work()I"), result.methods());
        assertTrue(ClassScan.isRewritten(result.classFile()));
        assertFalse(instrumenter.mayNeedRewrite("test/Logged", result.classFile()));
        assertNull(instrumenter.instrument(result.classFile()), "rewritten once only");
        assertNotNull(instrumenter.instrument(holdingTheMarkerName(true)));
    }

    @Test
    void aRewrittenClassThatCannotBeWalkedIsNotTakenForRewritten() throws IOException, InstrumentationException {
        byte[] rewritten = new Instrumenter().instrument(bytesOf("/dev/defer/instrument/targets/Shapes.class"))
                .classFile();
        assertTrue(ClassScan.isRewritten(rewritten));
        // Cut inside the attribute table: the marker is no longer there to be found.
        assertFalse(ClassScan.isRewritten(Arrays.copyOf(rewritten, rewritten.length - 4)));
        byte[] badLength = rewritten.clone();
        badLength[badLength.length - 6] = (byte) 0x80; // the marker's length, now negative: the walk gives up
        assertFalse(ClassScan.isRewritten(badLength));
    }

    private static byte[] platformClass(String name) throws IOException {
        try (InputStream in = Object.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}
