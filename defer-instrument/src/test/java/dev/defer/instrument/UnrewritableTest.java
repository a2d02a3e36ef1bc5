package dev.defer.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defers;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** Methods that cannot be rewritten: the error names the class, the method, the reason and the fix. */
class UnrewritableTest {
    /** An interface whose abstract method carries @Defers: there is no body to rewrite. */
    interface AbstractDefers {
        @Defers
        int compute();

        @Defers
        default int fine() {
            return 1;
        }
    }

    @Test
    void abstractMethodIsReportedAndTheClassLeftWhole() {
        InstrumentationException e = assertThrows(InstrumentationException.class,
                () -> new Instrumenter().instrument(RewriteTestSupport.bytesOf(AbstractDefers.class)));
        assertEquals(AbstractDefers.class.getName(), e.className());
        assertTrue(e.getMessage().contains("UnrewritableTest$AbstractDefers"), e.getMessage());
        assertTrue(e.getMessage().contains("compute()I"), e.getMessage());
        assertTrue(e.getMessage().contains("no body"), e.getMessage());
        assertTrue(e.getMessage().contains("annotate an implementation"), e.getMessage());
        assertTrue(e.getMessage().contains("left unchanged"), e.getMessage());
    }

    @Test
    void annotatedConstructorIsReported() {
        byte[] classFile = generated(Opcodes.V17, "<init>", false);
        InstrumentationException e = assertThrows(InstrumentationException.class,
                () -> new Instrumenter().instrument(classFile));
        assertTrue(e.getMessage().contains("test.Generated"), e.getMessage());
        assertTrue(e.getMessage().contains("<init>()V"), e.getMessage());
        assertTrue(e.getMessage().contains("constructors and static initialisers are not rewritten"), e.getMessage());
    }

    @Test
    void subroutinesAreReported() {
        byte[] classFile = generated(Opcodes.V1_5, "work", true);
        InstrumentationException e = assertThrows(InstrumentationException.class,
                () -> new Instrumenter().instrument(classFile));
        assertTrue(e.getMessage().contains("work()V"), e.getMessage());
        assertTrue(e.getMessage().contains("jsr/ret"), e.getMessage());
        assertTrue(e.getMessage().contains("recompile"), e.getMessage());
    }

    @Test
    void tooOldClassFilesAreReported() {
        byte[] classFile = generated(Opcodes.V1_4, "work", false);
        InstrumentationException e = assertThrows(InstrumentationException.class,
                () -> new Instrumenter().instrument(classFile));
        assertTrue(e.getMessage().contains("test.Generated"), e.getMessage());
        assertTrue(e.getMessage().contains("version 48"), e.getMessage());
    }

    @Test
    void versionFiftyClassesAreRewrittenWithoutFrames() throws Exception {
        Instrumenter.Result result = new Instrumenter().instrument(generated(Opcodes.V1_6, "work", false));
        assertEquals(java.util.List.of("work()V"), result.methods());
        assertEquals("", RewriteTestSupport.verify(result.classFile()));
    }

    @Test
    void malformedClassFilesAreReportedNotThrownRaw() {
        InstrumentationException e = assertThrows(InstrumentationException.class,
                () -> new Instrumenter(java.util.List.of("x")).instrument(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
        assertTrue(e.getMessage().startsWith("cannot rewrite a class"), e.getMessage());
    }

    /** A class {@code test.Generated} with one @Defers method, built with ASM since javac would refuse it. */
    /**
     * A suspend function whose code is not a shape kotlinc writes (here: it reads a state machine's label
     * without kotlinc's preamble): the rewrite cannot tell a resumption from a first entry, so it refuses.
     */
    @Test
    void suspendFunctionOfAnUnknownShapeIsRefusedWithTheReasonAndTheFix() {
        InstrumentationException e = assertThrows(InstrumentationException.class,
                () -> new Instrumenter().instrument(suspendFunction(true, false, true)));
        assertEquals("test.Suspending", e.className());
        assertTrue(e.getMessage().contains("load(Lkotlin/coroutines/Continuation;)Ljava/lang/Object;"), e.getMessage());
        assertTrue(e.getMessage().contains("suspend function"), e.getMessage());
        assertTrue(e.getMessage().contains("state machine"), e.getMessage());
        assertTrue(e.getMessage().contains("defer in a regular function"), e.getMessage());
        assertTrue(e.getMessage().contains("left unchanged"), e.getMessage());
    }

    @Test
    void suspendFunctionOfADefersTypeOfAnUnknownShapeIsRefused() {
        InstrumentationException e = assertThrows(InstrumentationException.class,
                () -> new Instrumenter().instrument(suspendFunction(false, true, true)));
        assertTrue(e.getMessage().contains("suspend function"), e.getMessage());
    }

    /** A suspend function without a state machine (it never suspends) gets the coroutine rewrite. */
    @Test
    void suspendFunctionWithoutStateMachineIsRewrittenForTheCoroutine() throws InstrumentationException {
        Instrumenter.Result result = new Instrumenter().instrument(suspendFunction(true, false, false));
        assertEquals(java.util.List.of("load(Lkotlin/coroutines/Continuation;)Ljava/lang/Object; (0 on the coroutine)"),
                result.methods());
    }

    @Test
    void allModeLeavesSuspendFunctionsAlone() throws InstrumentationException {
        Instrumenter.Result result = new Instrumenter(java.util.List.of("test")).instrument(suspendFunction(false, false, false));
        assertEquals(java.util.List.of("plain()Ljava/lang/Object;"), result.methods().stream()
                .map(m -> m.replaceAll(" .*", "")).collect(java.util.stream.Collectors.toList()));
    }

    private static byte[] suspendFunction(boolean annotateMethod, boolean annotateType, boolean readsLabel) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "test/Suspending", null, "java/lang/Object", null);
        if (annotateType) {
            writer.visitAnnotation("Ldev/defer/Defers;", true).visitEnd();
        }
        for (String name : new String[] {"load", "plain"}) {
            String desc = name.equals("load") ? "(Lkotlin/coroutines/Continuation;)Ljava/lang/Object;" : "()Ljava/lang/Object;";
            MethodVisitor method = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, name, desc, null, null);
            if (annotateMethod && name.equals("load")) {
                method.visitAnnotation("Ldev/defer/Defers;", true).visitEnd();
            }
            method.visitCode();
            if (readsLabel && name.equals("load")) {
                method.visitVarInsn(Opcodes.ALOAD, 0);
                method.visitTypeInsn(Opcodes.CHECKCAST, "test/Suspending$load$1");
                method.visitFieldInsn(Opcodes.GETFIELD, "test/Suspending$load$1", "label", "I");
                method.visitInsn(Opcodes.POP);
            }
            method.visitInsn(Opcodes.ACONST_NULL);
            method.visitInsn(Opcodes.ARETURN);
            method.visitMaxs(1, 1);
            method.visitEnd();
        }
        writer.visitEnd();
        return writer.toByteArray();
    }

    private static byte[] generated(int version, String name, boolean subroutine) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(version, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "test/Generated", null, "java/lang/Object", null);
        MethodVisitor method = writer.visitMethod(Opcodes.ACC_PUBLIC, name, "()V", null, null);
        method.visitAnnotation("Ldev/defer/Defers;", true).visitEnd();
        method.visitCode();
        if (name.equals("<init>")) {
            method.visitVarInsn(Opcodes.ALOAD, 0);
            method.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        }
        if (subroutine) {
            Label sub = new Label();
            Label end = new Label();
            method.visitJumpInsn(Opcodes.JSR, sub);
            method.visitJumpInsn(Opcodes.GOTO, end);
            method.visitLabel(sub);
            method.visitVarInsn(Opcodes.ASTORE, 1);
            method.visitVarInsn(Opcodes.RET, 1);
            method.visitLabel(end);
        }
        method.visitInsn(Opcodes.RETURN);
        method.visitMaxs(1, 2);
        method.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }
}
