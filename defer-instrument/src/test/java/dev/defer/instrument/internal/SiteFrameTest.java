package dev.defer.instrument.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Lazy-record sites in shapes javac does not write, for the frames of the fast path's branch ({@link SiteFrame}):
 * a value below the call's argument that is read after the call, and an object whose constructor has not run yet
 * (its frame is not stated: that site keeps the single {@code deferLazy} call). The JVM verifies the rewritten
 * class when it defines it, and runs each loop.
 */
class SiteFrameTest {
    private static final String NAME = "test/SiteShapes";
    private static final Handle METAFACTORY = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/LambdaMetafactory",
            "metafactory", "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
                    + "Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;Ljava/lang/invoke/MethodType;)"
                    + "Ljava/lang/invoke/CallSite;", false);

    /** {@code static int NAME(int n)}: n loop defers of {@code bump}, with {@code below} written around each site. */
    private static void loop(ClassWriter writer, String name, boolean uninitialised) {
        MethodVisitor m = writer.visitMethod(Opcodes.ACC_STATIC, name, "(I)I", null, null);
        m.visitAnnotation("Ldev/defer/Defers;", true).visitEnd();
        m.visitCode();
        m.visitInsn(Opcodes.ICONST_0);
        m.visitVarInsn(Opcodes.ISTORE, 1);
        Label head = new Label();
        Label end = new Label();
        m.visitLabel(head);
        m.visitVarInsn(Opcodes.ILOAD, 1);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitJumpInsn(Opcodes.IF_ICMPGE, end);
        if (uninitialised) {
            m.visitTypeInsn(Opcodes.NEW, "java/lang/StringBuilder");
            m.visitInsn(Opcodes.DUP);
        } else {
            m.visitLdcInsn("below");
        }
        m.visitInvokeDynamicInsn("run", "()Ldev/defer/Deferred;", METAFACTORY, Type.getType("()V"),
                new Handle(Opcodes.H_INVOKESTATIC, NAME, "bump", "()V", false), Type.getType("()V"));
        m.visitMethodInsn(Opcodes.INVOKESTATIC, "dev/defer/Defer", "defer", "(Ldev/defer/Deferred;)V", false);
        if (uninitialised) {
            m.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/StringBuilder", "<init>", "()V", false);
            m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/StringBuilder", "length", "()I", false);
        } else {
            m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/String", "length", "()I", false);
        }
        m.visitInsn(Opcodes.POP);
        m.visitIincInsn(1, 1);
        m.visitJumpInsn(Opcodes.GOTO, head);
        m.visitLabel(end);
        m.visitVarInsn(Opcodes.ILOAD, 0);
        m.visitInsn(Opcodes.IRETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
    }

    private static byte[] shapes() {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, NAME, null, "java/lang/Object", null);
        writer.visitField(Opcodes.ACC_STATIC, "count", "I", null, null).visitEnd();
        MethodVisitor bump = writer.visitMethod(Opcodes.ACC_STATIC, "bump", "()V", null, null);
        bump.visitCode();
        bump.visitFieldInsn(Opcodes.GETSTATIC, NAME, "count", "I");
        bump.visitInsn(Opcodes.ICONST_1);
        bump.visitInsn(Opcodes.IADD);
        bump.visitFieldInsn(Opcodes.PUTSTATIC, NAME, "count", "I");
        bump.visitInsn(Opcodes.RETURN);
        bump.visitMaxs(0, 0);
        bump.visitEnd();
        loop(writer, "valueBelow", false);
        loop(writer, "uninitialisedBelow", true);
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** Whether the rewritten method tests the local at its site: the fast path's branch. */
    private static boolean hasFastPath(byte[] classFile, String method) {
        ClassNode node = new ClassNode();
        new ClassReader(classFile).accept(node, 0);
        for (MethodNode m : node.methods) {
            if (m.name.equals(method)) {
                for (AbstractInsnNode insn : m.instructions) {
                    if (insn.getOpcode() == Opcodes.INSTANCEOF) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Test
    void aValueBelowTheSiteIsInTheFramesAndAnUninitialisedOneKeepsTheCall() throws Exception {
        List<String> rewritten = new ArrayList<>();
        byte[] classFile = new ClassRewriter(name -> false).rewrite(shapes(), rewritten, new int[1]);
        assertEquals(2, rewritten.size(), rewritten.toString());
        assertTrue(rewritten.stream().allMatch(r -> r.contains("lazy")), rewritten.toString());
        assertTrue(hasFastPath(classFile, "valueBelow"), "valueBelow's site has no fast path");
        assertTrue(!hasFastPath(classFile, "uninitialisedBelow"),
                "uninitialisedBelow's site got a branch, whose frames cannot name the object of its new");

        Class<?> type = new ClassLoader(SiteFrameTest.class.getClassLoader()) {
            Class<?> define() {
                return defineClass(NAME.replace('/', '.'), classFile, 0, classFile.length);
            }
        }.define();
        Method valueBelow = type.getDeclaredMethod("valueBelow", int.class);
        Method uninitialisedBelow = type.getDeclaredMethod("uninitialisedBelow", int.class);
        valueBelow.setAccessible(true);
        uninitialisedBelow.setAccessible(true);
        assertEquals(5, valueBelow.invoke(null, 5));
        assertEquals(3, uninitialisedBelow.invoke(null, 3));
        java.lang.reflect.Field count = type.getDeclaredField("count");
        count.setAccessible(true);
        assertEquals(8, count.getInt(null), "every deferred call ran once");
    }
}
