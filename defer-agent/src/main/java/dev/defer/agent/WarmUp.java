package dev.defer.agent;

import dev.defer.instrument.InstrumentationException;
import dev.defer.instrument.Instrumenter;
import dev.defer.instrument.MisuseScanner;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Runs the rewrite once on a generated class, before the transformer is registered, so that the classes it uses
 * (the rewrite and the shaded ASM) are loaded up front and not while an application class loads.
 */
final class WarmUp {
    private WarmUp() {
    }

    /**
     * @param instrumenter the transformer's rewrite
     * @param scanner the transformer's misuse scan (verbose mode), or null when it does not scan
     */
    static void run(Instrumenter instrumenter, MisuseScanner scanner) {
        try {
            byte[] sample = sampleClass();
            if (instrumenter.instrument(sample) == null) {
                throw new IllegalStateException("defer-agent: the warm-up rewrite produced nothing");
            }
            if (scanner != null && scanner.scan(sample).size() != 1) {
                throw new IllegalStateException("defer-agent: the warm-up scan did not find its one misuse");
            }
        } catch (InstrumentationException e) {
            throw new IllegalStateException("defer-agent: the warm-up rewrite failed", e);
        }
    }

    /**
     * {@code @Defers static int sample(int x) { return x > 0 ? x : -x; }} and
     * {@code static void misuse() { Defer.defer(null); }}, the misuse that the scan must find.
     */
    private static byte[] sampleClass() {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String type1, String type2) {
                return "java/lang/Object";
            }
        };
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "dev/defer/warmup/Sample", null,
                "java/lang/Object", null);
        MethodVisitor method = writer.visitMethod(Opcodes.ACC_STATIC, "sample", "(I)I", null, null);
        method.visitAnnotation("Ldev/defer/Defers;", true).visitEnd();
        method.visitCode();
        Label negative = new Label();
        method.visitVarInsn(Opcodes.ILOAD, 0);
        method.visitJumpInsn(Opcodes.IFLE, negative);
        method.visitVarInsn(Opcodes.ILOAD, 0);
        method.visitInsn(Opcodes.IRETURN);
        method.visitLabel(negative);
        method.visitVarInsn(Opcodes.ILOAD, 0);
        method.visitInsn(Opcodes.INEG);
        method.visitInsn(Opcodes.IRETURN);
        method.visitMaxs(0, 0);
        method.visitEnd();
        MethodVisitor misuse = writer.visitMethod(Opcodes.ACC_STATIC, "misuse", "()V", null, null);
        misuse.visitCode();
        Label line = new Label();
        misuse.visitLabel(line);
        misuse.visitLineNumber(1, line);
        misuse.visitInsn(Opcodes.ACONST_NULL);
        misuse.visitMethodInsn(Opcodes.INVOKESTATIC, "dev/defer/Defer", "defer", "(Ldev/defer/Deferred;)V", false);
        misuse.visitInsn(Opcodes.RETURN);
        misuse.visitMaxs(0, 0);
        misuse.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }
}
