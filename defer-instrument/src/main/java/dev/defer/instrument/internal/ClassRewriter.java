package dev.defer.instrument.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Rewrites the {@code @Defers} methods of one class, all or none: the first method that cannot be
 * rewritten leaves the whole class as it was.
 */
public final class ClassRewriter {
    static final String DEFERS_DESCRIPTOR = MethodSelection.DEFERS_DESCRIPTOR;

    /** The oldest class file version whose code may load a class constant (Java 5). */
    private static final int OLDEST_VERSION = Opcodes.V1_5;

    private final Predicate<String> rewriteAll;

    /**
     * @param rewriteAll which classes (by internal name) to treat as if every method were {@code @Defers}
     */
    public ClassRewriter(Predicate<String> rewriteAll) {
        this.rewriteAll = rewriteAll;
    }

    /**
     * Rewrites a class.
     *
     * @param classFile the class file
     * @param rewritten receives the name and descriptor of each rewritten method
     * @return the new class file, or null when no method needs the rewrite
     * @throws UnrewritableClassException naming the class, the method and the reason
     */
    public byte[] rewrite(byte[] classFile, List<String> rewritten) {
        ClassReader reader = new ClassReader(classFile);
        String className = reader.getClassName();
        boolean all = rewriteAll.test(className);
        if (!all && !ClassScan.mentionsDefers(classFile)) {
            return null;
        }
        ClassNode node = new ClassNode();
        reader.accept(node, ClassReader.EXPAND_FRAMES);
        MethodSelection selection = new MethodSelection(node, all);

        List<MethodNode> selected = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (MethodNode method : node.methods) {
            if (MethodSelection.isAnnotated(method) && MethodSelection.isInitializer(method)) {
                problems.add(method.name + method.desc + ": constructors and static initialisers are not rewritten;"
                        + " move the code that defers into a @Defers method");
            } else if (selection.isSelected(method) && MethodSelection.isSuspendFunction(method)) {
                problems.add(method.name + method.desc + ": a Kotlin suspend function returns at each suspension,"
                        + " so its deferred calls would run at the first one; @Defers is not supported on suspend"
                        + " functions: defer in a regular function that the suspend function calls, or use"
                        + " try/finally");
            } else if (selection.isSelected(method)) {
                selected.add(method);
            }
        }
        if (selected.isEmpty() && problems.isEmpty()) {
            return null;
        }
        int version = node.version & 0xFFFF;
        if (version < OLDEST_VERSION) {
            throw new UnrewritableClassException(className, selected.get(0).name + selected.get(0).desc,
                    "its class file version " + version + " predates Java 5; recompile it with --release 8 or newer");
        }
        InlineSafety[] safety = new InlineSafety[1];
        Supplier<InlineSafety> pristineSafety = () -> {
            if (safety[0] == null) {
                // Parsed again, untouched: methods rewritten earlier in this loop must not change the
                // verdict on the ones after them.
                ClassNode pristine = new ClassNode();
                reader.accept(pristine, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
                safety[0] = new InlineSafety(pristine);
            }
            return safety[0];
        };
        DeferredLambdas lambdas = new DeferredLambdas(node, selection);
        MethodRewriter methodRewriter = new MethodRewriter(node, pristineSafety, version >= Opcodes.V1_7, lambdas);
        for (MethodNode method : selected) {
            try {
                if (version < Opcodes.V1_7) {
                    // Written without frames, a version 50 class is verified by type inference instead.
                    stripFrames(method);
                }
                String strategy = methodRewriter.rewrite(method);
                rewritten.add(method.name + method.desc + strategy);
            } catch (UnrewritableMethodException e) {
                problems.add(method.name + method.desc + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new UnrewritableClassException(className, problems);
        }
        lambdas.finish();
        node.attrs = node.attrs == null ? new ArrayList<>() : node.attrs;
        node.attrs.add(new RewrittenMarker());
        ClassWriter writer = new ClassWriter(0);
        try {
            node.accept(writer);
            return writer.toByteArray();
        } catch (RuntimeException e) {
            // MethodTooLargeException and ClassTooLargeException among others: the class stays as it was.
            throw new UnrewritableClassException(className, String.join(", ", rewritten),
                    "the rewritten class cannot be written (" + e + "); split the method into smaller ones");
        }
    }

    private static void stripFrames(MethodNode method) {
        org.objectweb.asm.tree.AbstractInsnNode insn = method.instructions.getFirst();
        while (insn != null) {
            org.objectweb.asm.tree.AbstractInsnNode next = insn.getNext();
            if (insn instanceof org.objectweb.asm.tree.FrameNode) {
                method.instructions.remove(insn);
            }
            insn = next;
        }
    }
}
