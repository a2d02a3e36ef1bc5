package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.defer.Defer;
import dev.defer.Defers;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * S15 Transparency: line numbers and local variable tables survive (stack traces point at user lines,
 * debuggers show user variables), and no field, method or interface is added that reflection would see.
 */
class S15TransparencyTest {
    private static final String FILE = "S15TransparencyTest.java";

    static class Target {
        @Defers
        static void throwsInBody(int n) {
            Defer.defer(() -> { });
            for (int i = 0; i < n; i++) {
                Defer.defer(() -> { });
            }
            throw new IllegalStateException("body"); // @line throwsInBody
        }

        @Defers
        static int throwsLater(int n) {
            int sum = 0;
            Defer.defer(() -> { });
            for (int i = 0; i < n; i++) {
                sum += i;
            }
            if (sum > 3) {
                return sum / (n - n); // @line throwsLater
            }
            return sum;
        }

        @Defers
        static void throwsInDeferredCall() {
            Defer.defer(() -> {
                throw new IllegalStateException("deferred"); // @line throwsInDeferredCall
            });
        }

        @Defers
        static int callsThrowingCallee() {
            Defer.defer(() -> { });
            return callee(); // @line callsThrowingCallee
        }

        static int callee() {
            throw new UnsupportedOperationException("callee"); // @line callee
        }

        @Defers
        static int[] linesSeenInside() {
            int first = new Throwable().getStackTrace()[0].getLineNumber(); // @line inside1
            Defer.defer(() -> { });
            int second = new Throwable().getStackTrace()[0].getLineNumber(); // @line inside2
            Defer.defer(() -> { });
            callee2();
            int third = new Throwable().getStackTrace()[0].getLineNumber(); // @line inside3
            return new int[] {first, second, third};
        }

        @Defers
        static void callee2() {
            Defer.defer(() -> { });
        }

        /** Helpful NullPointerException messages name variables from the local variable table. */
        @Defers
        static int parameterName(String text) {
            Defer.defer(() -> { });
            return text.length();
        }

        @Defers
        static int localName(long wide, double otherWide, String given) {
            long sum = wide + (long) otherWide;
            Defer.defer(() -> { });
            String local = given;
            Defer.defer(v -> { }, sum);
            return local.length() + (int) sum;
        }

        @Defers
        int instanceLocalName(int[] values, double scale) {
            Defer.defer(() -> { });
            int[] copy = values;
            double scaled = scale * 2;
            return copy.length + (int) scaled;
        }

        /** A method whose body is mostly code after the deferred calls and in a nested try. */
        @Defers
        static String locals(int count, String prefix) {
            StringBuilder builder = new StringBuilder(prefix);
            Defer.defer(() -> builder.setLength(builder.length()));
            for (int index = 0; index < count; index++) {
                try {
                    long squared = (long) index * index;
                    builder.append(squared);
                } catch (RuntimeException caught) {
                    builder.append(caught.getMessage());
                }
            }
            return builder.toString();
        }
    }

    /** Fields, methods of every shape, interfaces: none may be added by the rewrite. */
    @Defers
    static class Reflected implements Comparable<Reflected>, Runnable {
        private int field;
        static final String CONSTANT = "c";

        Reflected() {
        }

        int value() {
            Defer.defer(() -> field++);
            return field;
        }

        static long wide(long a, double b) {
            Defer.defer(() -> { });
            return a + (long) b;
        }

        synchronized void sync() {
            Defer.defer(() -> { });
        }

        @Override
        public int compareTo(Reflected o) {
            return 0;
        }

        @Override
        public void run() {
            Defer.defer(() -> { });
        }
    }

    static class PartlyReflected {
        private String name = "p";

        @Defers
        String annotated(String suffix) {
            Defer.defer(() -> name = name + suffix);
            return name;
        }

        String plain() {
            return name;
        }
    }

    interface ReflectedInterface {
        @Defers
        default int twice(int x) {
            Defer.defer(() -> { });
            return 2 * x;
        }

        @Defers
        static int thrice(int x) {
            Defer.defer(() -> { });
            return 3 * x;
        }
    }

    // ---- line numbers ----

    @Test
    void exceptionInTheBodyPointsAtTheUserLine() {
        try {
            Target.throwsInBody(3); // @line callThrowsInBody
            fail("no exception");
        } catch (IllegalStateException e) {
            StackTraceElement[] frames = e.getStackTrace();
            assertEquals(Target.class.getName(), frames[0].getClassName());
            assertEquals("throwsInBody", frames[0].getMethodName());
            assertEquals(Lines.marked(FILE, "throwsInBody"), frames[0].getLineNumber());
            assertEquals(FILE, frames[0].getFileName());
            assertEquals(S15TransparencyTest.class.getName(), frames[1].getClassName(), "a frame was added");
            assertEquals("exceptionInTheBodyPointsAtTheUserLine", frames[1].getMethodName());
            assertEquals(Lines.marked(FILE, "callThrowsInBody"), frames[1].getLineNumber());
        }
    }

    @Test
    void exceptionLaterInTheBodyPointsAtItsLine() {
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> Target.throwsLater(5));
        assertEquals("throwsLater", e.getStackTrace()[0].getMethodName());
        assertEquals(Lines.marked(FILE, "throwsLater"), e.getStackTrace()[0].getLineNumber());
    }

    /**
     * An open-coded method expands a small deferred lambda at its exit: the frame is then the method's own,
     * at the lambda's line, where the lambda is written. Run by the runtime (the panic path, or records),
     * it is the lambda's frame. Either way the line is the user's.
     */
    @Test
    void exceptionInADeferredCallPointsAtTheLambdaLine() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Target::throwsInDeferredCall);
        String method = e.getStackTrace()[0].getMethodName();
        assertTrue(method.equals("throwsInDeferredCall") || method.startsWith("lambda$throwsInDeferredCall"),
                e.getStackTrace()[0].toString());
        assertEquals(Lines.marked(FILE, "throwsInDeferredCall"), e.getStackTrace()[0].getLineNumber());
    }

    @Test
    void theDefersMethodFrameOfACalleesExceptionPointsAtTheCall() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, Target::callsThrowingCallee);
        StackTraceElement[] frames = e.getStackTrace();
        assertEquals("callee", frames[0].getMethodName());
        assertEquals(Lines.marked(FILE, "callee"), frames[0].getLineNumber());
        assertEquals("callsThrowingCallee", frames[1].getMethodName(), "a frame was added between them");
        assertEquals(Lines.marked(FILE, "callsThrowingCallee"), frames[1].getLineNumber());
    }

    @Test
    void linesSeenInsideTheBodyAreTheSourceLines() {
        int[] seen = Target.linesSeenInside();
        assertEquals(Lines.marked(FILE, "inside1"), seen[0]);
        assertEquals(Lines.marked(FILE, "inside2"), seen[1]);
        assertEquals(Lines.marked(FILE, "inside3"), seen[2]);
    }

    // ---- local variables, as the JVM sees them ----

    @Test
    void parameterNameIsInTheHelpfulNullPointerMessage() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Target.parameterName(null));
        assertTrue(e.getMessage() != null && e.getMessage().contains("\"text\""), e.getMessage());
    }

    @Test
    void localNameAfterWideParametersIsInTheHelpfulNullPointerMessage() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Target.localName(1L, 2.0, null));
        assertTrue(e.getMessage() != null && e.getMessage().contains("\"local\""), e.getMessage());
    }

    @Test
    void instanceMethodLocalNameIsInTheHelpfulNullPointerMessage() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> new Target().instanceLocalName(null, 1.0));
        assertTrue(e.getMessage() != null && e.getMessage().contains("\"copy\""), e.getMessage());
    }

    @Test
    void parameterNamesVisibleToReflection() throws Exception {
        Method m = Target.class.getDeclaredMethod("localName", long.class, double.class, String.class);
        assertEquals(List.of("wide", "otherWide", "given"),
                Arrays.stream(m.getParameters()).map(p -> p.getName()).collect(Collectors.toList()));
        assertTrue(m.isAnnotationPresent(Defers.class));
    }

    @Test
    void localVariableTableOfTheRewrittenClassKeepsEveryUserVariable() throws Exception {
        Path dumped = dumpRewritten(Target.class);
        ClassNode original = read(originalBytes(Target.class));
        ClassNode rewritten = read(Files.readAllBytes(dumped));
        int checked = 0;
        for (MethodNode before : original.methods) {
            if (before.localVariables == null || before.invisibleAnnotations == null && before.visibleAnnotations == null) {
                continue;
            }
            MethodNode after = rewritten.methods.stream()
                    .filter(m -> m.name.equals(before.name) && m.desc.equals(before.desc)).findFirst()
                    .orElseThrow(() -> new AssertionError("method " + before.name + before.desc + " is gone"));
            assertNotNull(after.localVariables, before.name + ": the local variable table was dropped");
            for (LocalVariableNode variable : before.localVariables) {
                List<LocalVariableNode> same = after.localVariables.stream()
                        .filter(v -> v.name.equals(variable.name) && v.desc.equals(variable.desc))
                        .collect(Collectors.toList());
                assertTrue(!same.isEmpty(), before.name + ": variable " + variable.name + " is gone");
                int parameterSlots = (Type.getArgumentsAndReturnSizes(before.desc) >> 2)
                        - ((before.access & Opcodes.ACC_STATIC) != 0 ? 1 : 0);
                if (variable.index < parameterSlots) {
                    assertTrue(same.stream().anyMatch(v -> v.index == variable.index),
                            before.name + ": parameter " + variable.name + " moved");
                }
            }
            for (LocalVariableNode v : after.localVariables) {
                assertSlotUsedAsDeclared(after, v);
            }
            checked++;
        }
        assertTrue(checked >= 8, "too few @Defers methods checked: " + checked);
    }

    /** Within a variable's range, loads and stores of its slot must be of its type. */
    private static void assertSlotUsedAsDeclared(MethodNode method, LocalVariableNode v) {
        char kind = Type.getType(v.desc).getDescriptor().charAt(0);
        boolean inRange = false;
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn == v.start) {
                inRange = true;
            }
            if (insn == v.end) {
                inRange = false;
            }
            if (!inRange) {
                continue;
            }
            if (insn instanceof VarInsnNode && ((VarInsnNode) insn).var == v.index) {
                int op = insn.getOpcode();
                boolean ok;
                switch (kind) {
                    case 'J':
                        ok = op == Opcodes.LLOAD || op == Opcodes.LSTORE;
                        break;
                    case 'D':
                        ok = op == Opcodes.DLOAD || op == Opcodes.DSTORE;
                        break;
                    case 'F':
                        ok = op == Opcodes.FLOAD || op == Opcodes.FSTORE;
                        break;
                    case 'L':
                    case '[':
                        ok = op == Opcodes.ALOAD || op == Opcodes.ASTORE;
                        break;
                    default:
                        ok = op == Opcodes.ILOAD || op == Opcodes.ISTORE;
                }
                assertTrue(ok, method.name + ": slot " + v.index + " of variable " + v.name + " (" + v.desc
                        + ") is used by opcode " + op + " within the variable's range");
            }
            if (insn instanceof IincInsnNode && ((IincInsnNode) insn).var == v.index) {
                assertTrue("IZSBC".indexOf(kind) >= 0, method.name + ": iinc on " + v.name);
            }
        }
    }

    /** Runs a JVM with the agent's dump=DIR option that loads the class, and returns the dumped file. */
    private static Path dumpRewritten(Class<?> type) throws Exception {
        String agentJar = Jvm.agentJar().orElse(null);
        Assumptions.assumeTrue(agentJar != null, "the tests do not run under -javaagent:defer-agent.jar");
        Path dir = Files.createTempDirectory("defer-dump-");
        Jvm.Result result = Jvm.run(agentJar + "=dump=" + dir, LoadClassesMain.class, type.getName());
        assertEquals(0, result.exitCode, result.output);
        Path dumped = dir.resolve(type.getName().replace('.', '/') + ".class");
        assertTrue(Files.exists(dumped), "the agent dumped no " + dumped + "; output: " + result.output);
        return dumped;
    }

    // ---- reflection sees nothing added ----

    @Test
    void defersTypeHasExactlyItsDeclaredMembers() throws Exception {
        assertSameMembers(Reflected.class);
    }

    @Test
    void classWithSomeDefersMethodsHasExactlyItsDeclaredMembers() throws Exception {
        assertSameMembers(PartlyReflected.class);
        assertSameMembers(Target.class);
    }

    @Test
    void interfaceWithDefersMethodsHasExactlyItsDeclaredMembers() throws Exception {
        assertSameMembers(ReflectedInterface.class);
        assertEquals(8, new ReflectedInterface() { }.twice(4));
        assertEquals(9, ReflectedInterface.thrice(3));
    }

    @Test
    void theMembersAreTheOnesWrittenInTheSource() {
        // Independent of javac's class file: the user-visible shape of Reflected.
        assertEquals(Set.of("field", "CONSTANT"), Arrays.stream(Reflected.class.getDeclaredFields())
                .map(f -> f.getName()).collect(Collectors.toSet()));
        assertEquals(Set.of("value", "wide", "sync", "compareTo", "run"), Arrays.stream(Reflected.class.getDeclaredMethods())
                .filter(m -> !m.isSynthetic()).map(Method::getName).collect(Collectors.toSet()));
        assertEquals(List.of(Comparable.class, Runnable.class), Arrays.asList(Reflected.class.getInterfaces()));
        assertEquals(Object.class, Reflected.class.getSuperclass());
    }

    @Test
    void methodModifiersAreUnchanged() throws Exception {
        assertTrue(Modifier.isSynchronized(Reflected.class.getDeclaredMethod("sync").getModifiers()));
        assertTrue(Modifier.isStatic(Reflected.class.getDeclaredMethod("wide", long.class, double.class).getModifiers()));
        ClassNode original = read(originalBytes(Reflected.class));
        for (MethodNode m : original.methods) {
            if (m.name.startsWith("<")) {
                continue;
            }
            Method reflected = Arrays.stream(Reflected.class.getDeclaredMethods())
                    .filter(r -> r.getName().equals(m.name) && Type.getMethodDescriptor(r).equals(m.desc))
                    .findFirst().orElseThrow();
            int mask = Modifier.methodModifiers();
            assertEquals(m.access & mask, reflected.getModifiers() & mask, m.name + m.desc);
        }
    }

    private static void assertSameMembers(Class<?> type) throws IOException {
        ClassNode original = read(originalBytes(type));
        Set<String> fields = new TreeSet<>();
        for (FieldNode f : original.fields) {
            fields.add(f.name + " " + f.desc);
        }
        Set<String> methods = new TreeSet<>();
        Set<String> constructors = new TreeSet<>();
        for (MethodNode m : original.methods) {
            if (m.name.equals("<clinit>")) {
                continue;
            }
            (m.name.equals("<init>") ? constructors : methods).add(m.name + m.desc);
        }
        Set<String> interfaces = new TreeSet<>(original.interfaces);

        assertEquals(fields, Arrays.stream(type.getDeclaredFields())
                .map(f -> f.getName() + " " + Type.getDescriptor(f.getType())).collect(Collectors.toCollection(TreeSet::new)),
                "fields of " + type.getName());
        assertEquals(methods, Arrays.stream(type.getDeclaredMethods())
                .map(m -> m.getName() + Type.getMethodDescriptor(m)).collect(Collectors.toCollection(TreeSet::new)),
                "methods of " + type.getName());
        assertEquals(constructors, Arrays.stream(type.getDeclaredConstructors())
                .map(c -> "<init>" + Type.getConstructorDescriptor(c)).collect(Collectors.toCollection(TreeSet::new)),
                "constructors of " + type.getName());
        assertEquals(interfaces, Arrays.stream(type.getInterfaces())
                .map(Type::getInternalName).collect(Collectors.toCollection(TreeSet::new)),
                "interfaces of " + type.getName());
    }

    /** The class file as javac wrote it: the agent rewrites classes as they load, not on disk. */
    private static byte[] originalBytes(Class<?> type) throws IOException {
        String resource = "/" + type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            return in.readAllBytes();
        }
    }

    private static ClassNode read(byte[] bytes) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, 0);
        return node;
    }
}
