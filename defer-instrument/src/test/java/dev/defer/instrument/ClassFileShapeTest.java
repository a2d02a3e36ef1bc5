package dev.defer.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.instrument.targets.LoopShapes;
import dev.defer.instrument.targets.OpenCodedShapes;
import dev.defer.instrument.targets.Shapes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/** What the rewrite keeps and adds in the class file itself (rules S13 and S15). */
class ClassFileShapeTest {
    private static ClassNode read(byte[] classFile) {
        ClassNode node = new ClassNode();
        new ClassReader(classFile).accept(node, 0);
        return node;
    }

    private static MethodNode method(ClassNode node, String name) {
        return node.methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
    }

    @Test
    void lineNumbersAndLocalVariablesSurvive() throws Exception {
        ClassNode before = read(RewriteTestSupport.bytesOf(Shapes.class));
        ClassNode after = read(RewriteTestSupport.rewrite(Shapes.class));
        for (MethodNode original : before.methods) {
            MethodNode rewritten = method(after, original.name);
            // An open-coded method may expand its deferred lambdas at its exit: their own lines and locals
            // come after the method's, which stay as they were.
            List<Integer> lambdaLines = new ArrayList<>();
            List<String> lambdaLocals = new ArrayList<>();
            for (MethodNode lambda : before.methods) {
                if (lambda.name.startsWith("lambda$" + original.name + "$")) {
                    lambdaLines.addAll(lines(lambda));
                    lambda.localVariables.forEach(v -> lambdaLocals.add(v.name + " " + v.desc));
                }
            }
            List<Integer> lines = lines(rewritten);
            assertEquals(lines(original), lines.subList(0, lines(original).size()), original.name + " line numbers");
            assertTrue(lambdaLines.containsAll(lines.subList(lines(original).size(), lines.size())),
                    original.name + " added lines " + lines + " are its lambdas' " + lambdaLines);
            List<String> locals = locals(rewritten);
            assertEquals(locals(original), locals.subList(0, locals(original).size()), original.name + " local variables");
            for (String added : locals.subList(locals(original).size(), locals.size())) {
                assertTrue(lambdaLocals.contains(added.substring(added.indexOf(' ') + 1)),
                        original.name + " added local " + added + " is one of its lambdas' " + lambdaLocals);
            }
        }
    }

    private static List<Integer> lines(MethodNode method) {
        List<Integer> lines = new ArrayList<>();
        for (AbstractInsnNode insn : method.instructions) {
            if (insn instanceof LineNumberNode) {
                lines.add(((LineNumberNode) insn).line);
            }
        }
        return lines;
    }

    private static List<String> locals(MethodNode method) {
        return method.localVariables == null ? List.of() : method.localVariables.stream()
                .map(v -> v.index + " " + v.name + " " + v.desc).collect(Collectors.toList());
    }

    @Test
    void reflectionSeesNoNewMember() throws Exception {
        ClassNode before = read(RewriteTestSupport.bytesOf(Shapes.class));
        ClassNode after = read(RewriteTestSupport.rewrite(Shapes.class));
        assertEquals(before.interfaces, after.interfaces);
        assertEquals(before.fields.stream().map(f -> f.name + f.desc).collect(Collectors.toList()),
                after.fields.stream().map(f -> f.name + f.desc).collect(Collectors.toList()));
        assertEquals(before.methods.stream().map(m -> m.name + m.desc + m.access).collect(Collectors.toList()),
                after.methods.stream().map(m -> m.name + m.desc + m.access).collect(Collectors.toList()));
    }

    @Test
    void noExitSequenceLiesInAnExceptionRange() throws Exception {
        int checked = 0;
        for (Class<?> target : List.of(Shapes.class, LoopShapes.class, OpenCodedShapes.class)) {
        ClassNode after = read(RewriteTestSupport.rewrite(target));
        for (MethodNode method : after.methods) {
            for (AbstractInsnNode insn : method.instructions) {
                if (insn.getOpcode() == Opcodes.INVOKESTATIC
                        && ((org.objectweb.asm.tree.MethodInsnNode) insn).name.startsWith("exit")) {
                    checked++;
                    int index = method.instructions.indexOf(insn);
                    for (TryCatchBlockNode block : method.tryCatchBlocks) {
                        boolean covered = method.instructions.indexOf(block.start) <= index
                                && index < method.instructions.indexOf(block.end);
                        assertFalse(covered, method.name + ": an exit call is inside a range handled at "
                                + method.instructions.indexOf(block.handler));
                    }
                }
            }
        }
        }
        // Open-coded methods have no exit call; the others have one per return.
        assertTrue(checked >= 5, "exit calls seen: " + checked);
    }

    @Test
    void everyRewrittenMethodHasOneCatchAllHandlerLast() throws Exception {
        ClassNode after = read(RewriteTestSupport.rewrite(Shapes.class));
        MethodNode method = method(after, "tryCatchFinally");
        TryCatchBlockNode last = method.tryCatchBlocks.get(method.tryCatchBlocks.size() - 1);
        assertNull(last.type);
        LabelNode handler = last.handler;
        assertTrue(method.tryCatchBlocks.stream().filter(b -> b.handler == handler).allMatch(b -> b.type == null));
        // The body's own handlers come first, so they catch first.
        assertEquals("java/lang/IllegalArgumentException", method.tryCatchBlocks.get(0).type);
    }

    @Test
    void aRewrittenClassIsNotRewrittenAgain() throws Exception {
        byte[] once = RewriteTestSupport.rewrite(Shapes.class);
        Instrumenter instrumenter = new Instrumenter();
        assertFalse(instrumenter.mayNeedRewrite("dev/defer/instrument/targets/Shapes", once));
        assertNull(instrumenter.instrument(once));
        assertTrue(instrumenter.mayNeedRewrite("dev/defer/instrument/targets/Shapes",
                RewriteTestSupport.bytesOf(Shapes.class)));
    }

    @Test
    void classesWithoutDefersAreNotParsedOrChanged() throws Exception {
        Instrumenter instrumenter = new Instrumenter();
        byte[] plain = RewriteTestSupport.bytesOf(ClassFileShapeTest.class);
        assertFalse(instrumenter.mayNeedRewrite("dev/defer/instrument/ClassFileShapeTest", plain));
        assertNull(instrumenter.instrument(plain));
    }

    @Test
    void allModeRewritesEveryMethodOfMatchingPackagesOnly() throws Exception {
        byte[] plain = RewriteTestSupport.bytesOf(ClassFileShapeTest.class);
        Instrumenter all = new Instrumenter(List.of("dev.defer.instrument"));
        assertTrue(all.mayNeedRewrite("dev/defer/instrument/ClassFileShapeTest", plain));
        Instrumenter.Result result = all.instrument(plain);
        assertNotNull(result);
        assertTrue(result.methods().contains("lineNumbersAndLocalVariablesSurvive()V"), result.methods().toString());
        assertFalse(result.methods().stream().anyMatch(m -> m.startsWith("<init>")), "constructors are never rewritten");
        assertEquals("", RewriteTestSupport.verify(result.classFile()));

        assertFalse(new Instrumenter(List.of("dev.defer.instrumentation")).mayNeedRewrite(
                "dev/defer/instrument/ClassFileShapeTest", plain), "a prefix matches whole package names");
        assertTrue(new Instrumenter(List.of("dev.defer.instrument.ClassFileShapeTest")).mayNeedRewrite(
                "dev/defer/instrument/ClassFileShapeTest", plain), "a prefix may name a class");
    }
}
