package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The shape of the records' runtime code that keeps a compiled recursive method's frame at half its
 * {@code try}/{@code finally} twin's (issue 9, item 3; {@link DefaultStackDepthTest} measures the depth itself):
 * the entry and the normal return's run loop are methods of {@code OutOfLine}, a {@code Throwable} subclass, so
 * that C2 keeps them calls; {@code DeferSupport.enter} and the exits call them; and a {@code defer}'s fast path
 * tests the call and the room only, the top folded into the room by {@code Invocation.topMask}, so that C2
 * compiles one uncommon trap for it rather than two.
 */
class OutOfLineCallsTest {
    private static final String OUT_OF_LINE = "dev/defer/internal/OutOfLine";
    private static final String INVOCATION = "Ldev/defer/internal/Invocation;";

    @Test
    void theEntryAndTheRunLoopAreMethodsOfAThrowableSubclassWithoutInitialiser() throws IOException {
        ClassInfo outOfLine = read(OUT_OF_LINE);
        assertEquals("java/lang/Throwable", outOfLine.superName, "OutOfLine must extend Throwable: C2 does not"
                + " inline a Throwable's methods into code it is inlining (PrintInlining: 'exception method')");
        assertFalse(outOfLine.calls.containsKey("<clinit>()V"), "OutOfLine must have no static initialiser: rewritten"
                + " code touches it before the runtime is prepared (FirstUse)");
        assertTrue(outOfLine.calls.containsKey("enter(Ljava/lang/Class;Ljava/lang/String;)" + INVOCATION),
                "OutOfLine has no enter: " + outOfLine.calls.keySet());
        assertTrue(outOfLine.calls.containsKey("finish(" + INVOCATION + ")Ljava/lang/Object;"),
                "OutOfLine has no run loop named finish (Recovery knows a run loop's frame by that name): "
                        + outOfLine.calls.keySet());
    }

    @Test
    void theEntryAndTheExitsCallThem() throws IOException {
        ClassInfo support = read(DeferSupport.class.getName().replace('.', '/'));
        assertCalls(support, "enter(Ljava/lang/Class;Ljava/lang/String;)" + INVOCATION,
                OUT_OF_LINE + ".enter(Ljava/lang/Class;Ljava/lang/String;)" + INVOCATION);
        for (String exit : List.of("exitVoid(" + INVOCATION + ")V",
                "exitObject(Ljava/lang/Object;" + INVOCATION + ")Ljava/lang/Object;",
                "leave(J" + INVOCATION + ")J")) {
            assertCalls(support, exit, OUT_OF_LINE + ".finish(" + INVOCATION + ")Ljava/lang/Object;");
        }
    }

    @Test
    void aDefersFastPathTestsTheCallAndTheRoomOnly() throws IOException {
        ClassInfo support = read(DeferSupport.class.getName().replace('.', '/'));
        List<String> variants = new ArrayList<>();
        for (Map.Entry<String, List<String>> method : support.calls.entrySet()) {
            if (method.getKey().startsWith("deferStacked(")) {
                variants.add(method.getKey());
                assertEquals(2, (int) support.conditionalJumps.get(method.getKey()), method.getKey()
                        + " must test the call for null and the room, nothing else: each test C2 never sees taken"
                        + " is an uncommon trap that keeps the inlining frames' values in the compiled frame");
                assertFalse(support.fieldsRead.get(method.getKey()).contains("dev/defer/internal/DeferThread.top"),
                        method.getKey() + " reads the thread's top: fold the test into Invocation.topMask");
                assertTrue(support.fieldsRead.get(method.getKey()).contains("dev/defer/internal/Invocation.topMask"),
                        method.getKey() + " does not read Invocation.topMask");
            }
        }
        assertEquals(3, variants.size(), "deferStacked with 0, 1 and 2 arguments: " + variants);
    }

    private static void assertCalls(ClassInfo info, String method, String callee) {
        List<String> called = info.calls.get(method);
        assertNotNull(called, method + " is missing");
        assertTrue(called.contains(callee), method + " calls " + called + ", not " + callee);
    }

    /** What the test reads of a runtime class: its superclass, and per method its calls, jumps and fields read. */
    private static final class ClassInfo {
        String superName;
        final Map<String, List<String>> calls = new HashMap<>();
        final Map<String, Integer> conditionalJumps = new HashMap<>();
        final Map<String, List<String>> fieldsRead = new HashMap<>();
    }

    private static ClassInfo read(String internalName) throws IOException {
        ClassInfo info = new ClassInfo();
        try (InputStream in = DeferSupport.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
            assertNotNull(in, internalName + ".class is not on the class path");
            new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public void visit(int version, int access, String name, String signature, String superName,
                        String[] interfaces) {
                    info.superName = superName;
                }

                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                        String[] exceptions) {
                    String key = name + descriptor;
                    List<String> called = new ArrayList<>();
                    List<String> read = new ArrayList<>();
                    info.calls.put(key, called);
                    info.fieldsRead.put(key, read);
                    info.conditionalJumps.put(key, 0);
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int opcode, String owner, String callee, String desc,
                                boolean isInterface) {
                            called.add(owner + "." + callee + desc);
                            if (owner.equals(internalName)) {
                                called.add(callee + desc);
                            }
                        }

                        @Override
                        public void visitJumpInsn(int opcode, Label label) {
                            if (opcode != Opcodes.GOTO) {
                                info.conditionalJumps.merge(key, 1, Integer::sum);
                            }
                        }

                        @Override
                        public void visitFieldInsn(int opcode, String owner, String field, String desc) {
                            if (opcode == Opcodes.GETFIELD || opcode == Opcodes.GETSTATIC) {
                                read.add(owner + "." + field);
                            }
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG);
        }
        return info;
    }
}
