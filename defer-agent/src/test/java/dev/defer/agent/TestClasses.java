package dev.defer.agent;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** Class files made with ASM for the agent's tests (this module does not depend on the runtime). */
final class TestClasses {
    private TestClasses() {
    }

    /**
     * {@code test/Good} from {@code Good.java}: {@code @Defers static int work() { return 1; }} and, when
     * {@code misuseLine > 0}, {@code static void misuse() { Defer.defer(null); }} with the call on that line.
     */
    static byte[] sample(String internalName, int misuseLine) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, internalName, null, "java/lang/Object", null);
        writer.visitSource(internalName.substring(internalName.lastIndexOf('/') + 1) + ".java", null);
        MethodVisitor work = writer.visitMethod(Opcodes.ACC_STATIC, "work", "()I", null, null);
        work.visitAnnotation("Ldev/defer/Defers;", true).visitEnd();
        work.visitCode();
        work.visitInsn(Opcodes.ICONST_1);
        work.visitInsn(Opcodes.IRETURN);
        work.visitMaxs(0, 0);
        work.visitEnd();
        if (misuseLine > 0) {
            MethodVisitor misuse = writer.visitMethod(Opcodes.ACC_STATIC, "misuse", "()V", null, null);
            misuse.visitCode();
            Label line = new Label();
            misuse.visitLabel(line);
            misuse.visitLineNumber(misuseLine, line);
            misuse.visitInsn(Opcodes.ACONST_NULL);
            misuse.visitMethodInsn(Opcodes.INVOKESTATIC, "dev/defer/Defer", "defer", "(Ldev/defer/Deferred;)V", false);
            misuse.visitInsn(Opcodes.RETURN);
            misuse.visitMaxs(0, 0);
            misuse.visitEnd();
        }
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** A class with only a misplaced call and no {@code @Defers} anywhere. */
    static byte[] misuseOnly(String internalName, int line) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, internalName, null, "java/lang/Object", null);
        writer.visitSource(internalName.substring(internalName.lastIndexOf('/') + 1) + ".java", null);
        MethodVisitor misuse = writer.visitMethod(Opcodes.ACC_STATIC, "run", "()V", null, null);
        misuse.visitCode();
        Label label = new Label();
        misuse.visitLabel(label);
        misuse.visitLineNumber(line, label);
        misuse.visitInsn(Opcodes.ACONST_NULL);
        misuse.visitMethodInsn(Opcodes.INVOKESTATIC, "dev/defer/Defer", "defer", "(Ldev/defer/Deferred;)V", false);
        misuse.visitInsn(Opcodes.RETURN);
        misuse.visitMaxs(0, 0);
        misuse.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    /**
     * The class file with one more string constant in its constant pool, as a class that logs it would have:
     * {@code withString(sample, "dev.defer.Rewritten")} holds the rewrite marker's name, but not the marker.
     */
    static byte[] withString(byte[] classFile, String constant) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(writer, 0);
        writer.newConst(constant);
        return writer.toByteArray();
    }

    /**
     * {@code test.Check}, no {@code @Defers}, of class file {@code version}: {@code static RuntimeException check()
     * { Defer.recover(); return Defer.panic("bad"); }}, or without the panic call (a {@code "panic"} string instead).
     */
    static byte[] panicking(String internalName, int version, boolean panicCall) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(version, Opcodes.ACC_PUBLIC, internalName, null, "java/lang/Object", null);
        MethodVisitor method = writer.visitMethod(Opcodes.ACC_STATIC, "check", "()Ljava/lang/RuntimeException;",
                null, null);
        method.visitCode();
        method.visitMethodInsn(Opcodes.INVOKESTATIC, "dev/defer/Defer", "recover", "()Ljava/lang/Object;", false);
        method.visitInsn(Opcodes.POP);
        method.visitLdcInsn(panicCall ? "bad" : "panic");
        if (panicCall) {
            method.visitMethodInsn(Opcodes.INVOKESTATIC, "dev/defer/Defer", "panic",
                    "(Ljava/lang/Object;)Ljava/lang/RuntimeException;", false);
        } else {
            method.visitInsn(Opcodes.POP);
            method.visitInsn(Opcodes.ACONST_NULL);
        }
        method.visitInsn(Opcodes.ARETURN);
        method.visitMaxs(0, 0);
        method.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** The opcodes of {@code check}'s calls: INVOKESTATIC or INVOKEDYNAMIC, with the owner or bootstrap name. */
    static List<String> calls(byte[] classFile) {
        List<String> calls = new ArrayList<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
                        calls.add("invokestatic " + owner + "." + name);
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String name, String desc, Handle bootstrap,
                            Object... arguments) {
                        calls.add("invokedynamic " + name + " " + bootstrap.getOwner() + "." + bootstrap.getName());
                    }
                };
            }
        }, 0);
        return calls;
    }
}
