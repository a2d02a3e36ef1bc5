package dev.defer.instrument.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A class without {@code @Defers} is rewritten for its {@code Defer.panic} calls alone: each becomes the
 * {@code invokedynamic} of {@link PanicCallSites}, except in a method that the 2 extra bytes per call take past the
 * 64 KiB code limit, which keeps {@code invokestatic}; a class with no call left to replace comes back as null.
 */
class PanicOnlyRewriteTest {
    /** Code of {@code fill} nops, then {@code return Defer.panic("x")}: {@code fill + 6} bytes. */
    private static void panicMethod(ClassWriter writer, String name, int fill) {
        MethodVisitor method = writer.visitMethod(Opcodes.ACC_STATIC, name, "()Ljava/lang/RuntimeException;", null,
                null);
        method.visitCode();
        for (int i = 0; i < fill; i++) {
            method.visitInsn(Opcodes.NOP);
        }
        method.visitLdcInsn("x");
        method.visitMethodInsn(Opcodes.INVOKESTATIC, "dev/defer/Defer", "panic",
                "(Ljava/lang/Object;)Ljava/lang/RuntimeException;", false);
        method.visitInsn(Opcodes.ARETURN);
        method.visitMaxs(1, 0);
        method.visitEnd();
    }

    private static byte[] checks(boolean small, boolean full) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "test/Checks", null, "java/lang/Object", null);
        if (small) {
            panicMethod(writer, "small", 0);
        }
        if (full) {
            // 65,534 bytes: the 5-byte invokedynamic would make it 65,536, one over the limit.
            panicMethod(writer, "full", 65_528);
        }
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** Each method's calls of {@code panic}: {@code name:invokestatic} or {@code name:invokedynamic BOOTSTRAP}. */
    private static List<String> panicCalls(byte[] classFile) {
        List<String> calls = new ArrayList<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String method, String descriptor, String signature,
                    String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
                        calls.add(method + ":invokestatic " + owner + "." + name);
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String name, String desc, Handle bootstrap, Object... args) {
                        calls.add(method + ":invokedynamic " + bootstrap.getName());
                    }
                };
            }
        }, 0);
        return calls;
    }

    private static byte[] rewrite(byte[] classFile, List<String> methods, int[] sites) {
        return new ClassRewriter(name -> false).rewrite(classFile, methods, sites);
    }

    @Test
    void onlyThePanicCallsChangeAndTheClassIsMarked() {
        List<String> methods = new ArrayList<>();
        int[] sites = new int[1];
        byte[] rewritten = rewrite(checks(true, false), methods, sites);
        assertNotNull(rewritten);
        assertEquals(List.of(), methods, "no method is rewritten as a @Defers method");
        assertEquals(1, sites[0]);
        assertEquals(List.of("small:invokedynamic panicSite"), panicCalls(rewritten));
        assertTrue(ClassScan.isRewritten(rewritten));
        assertTrue(ClassScan.mayNeedRewrite(checks(true, false)));
    }

    @Test
    void aMethodTheCallsWouldTakePastTheCodeLimitKeepsInvokestatic() {
        int[] sites = new int[1];
        byte[] rewritten = rewrite(checks(true, true), new ArrayList<>(), sites);
        assertNotNull(rewritten);
        assertEquals(1, sites[0]);
        assertEquals(List.of("small:invokedynamic panicSite", "full:invokestatic dev/defer/Defer.panic"),
                panicCalls(rewritten));

        assertNull(rewrite(checks(false, true), new ArrayList<>(), sites), "nothing left to replace");
    }

    @Test
    void aClassFileOlderThanJava7IsNotACandidate() {
        byte[] old = checks(true, false);
        old[7] = 50;
        assertFalse(ClassScan.mayNeedRewrite(old));
        assertNull(rewrite(old, new ArrayList<>(), new int[1]));
    }
}
