package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.internal.DeferSupport;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The records' normal return runs its deferred calls in a run loop small enough for C2 to inline into the
 * rewritten method (issue 13 item 1): the full {@code DeferSupport.finish}, with the panic's bookkeeping, is
 * too big to inline, and calling it cost a loop defer about a fifth of its time. C2 inlines a hot callee of at
 * most {@code -XX:FreqInlineSize} bytes of bytecode (325 by default on JDK 17 and 25); this guards the size and
 * that the exits call the small loop.
 */
class RunLoopInliningTest {
    private static final String SMALL_RUN_LOOP = "finish(Ldev/defer/internal/Invocation;)Ljava/lang/Object;";
    private static final int FREQ_INLINE_SIZE = 325;

    @Test
    void theNormalReturnsRunLoopFitsC2sInliningLimit() throws IOException {
        Map<String, Integer> sizes = new HashMap<>();
        Map<String, List<String>> calls = new HashMap<>();
        read(sizes, calls);
        Integer size = sizes.get(SMALL_RUN_LOOP);
        assertNotNull(size, "DeferSupport has no " + SMALL_RUN_LOOP + ": the normal return's run loop, which the"
                + " exits call so that C2 can inline it (the three-argument finish is too big)");
        assertTrue(size <= FREQ_INLINE_SIZE, "DeferSupport." + SMALL_RUN_LOOP + " has " + size + " bytes of"
                + " bytecode, more than C2 inlines (" + FREQ_INLINE_SIZE + "): move a rare case into a helper");
        for (String exit : List.of("exitVoid(Ldev/defer/internal/Invocation;)V",
                "exitObject(Ljava/lang/Object;Ldev/defer/internal/Invocation;)Ljava/lang/Object;",
                "leave(JLdev/defer/internal/Invocation;)J")) {
            List<String> called = calls.get(exit);
            assertNotNull(called, "DeferSupport." + exit + " is missing");
            assertTrue(called.contains(SMALL_RUN_LOOP), "DeferSupport." + exit + " calls " + called
                    + ", not the small run loop " + SMALL_RUN_LOOP);
        }
        assertEquals(1, calls.get("exitVoid(Ldev/defer/internal/Invocation;)V").stream()
                .filter(c -> c.startsWith("finish(")).count(), "exitVoid calls one run loop");
    }

    /** Each method's bytecode size (the end of its parameters' local variable ranges) and the methods it calls. */
    private static void read(Map<String, Integer> sizes, Map<String, List<String>> calls) throws IOException {
        String resource = DeferSupport.class.getName().replace('.', '/') + ".class";
        try (InputStream in = DeferSupport.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            // Through a ClassWriter, which resolves the labels' offsets as it writes the code.
            new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9, new ClassWriter(0)) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                        String[] exceptions) {
                    String key = name + descriptor;
                    List<String> called = new ArrayList<>();
                    calls.put(key, called);
                    return new MethodVisitor(Opcodes.ASM9,
                            super.visitMethod(access, name, descriptor, signature, exceptions)) {
                        @Override
                        public void visitMethodInsn(int opcode, String owner, String callee, String desc,
                                boolean isInterface) {
                            super.visitMethodInsn(opcode, owner, callee, desc, isInterface);
                            if (owner.equals("dev/defer/internal/DeferSupport")) {
                                called.add(callee + desc);
                            }
                        }

                        @Override
                        public void visitLocalVariable(String local, String desc, String sig, Label start, Label end,
                                int index) {
                            super.visitLocalVariable(local, desc, sig, start, end, index);
                            // A parameter's range ends at the code's end: javac's full debug information is on.
                            sizes.merge(key, end.getOffset(), Math::max);
                        }
                    };
                }
            }, 0);
        }
        assertTrue(sizes.containsKey("exitVoid(Ldev/defer/internal/Invocation;)V"),
                "DeferSupport was compiled without local variable tables: the sizes cannot be read");
    }
}
