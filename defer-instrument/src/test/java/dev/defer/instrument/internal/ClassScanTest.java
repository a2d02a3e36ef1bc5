package dev.defer.instrument.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

    private static byte[] platformClass(String name) throws IOException {
        try (InputStream in = Object.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}
