package dev.defer.instrument.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Rewrites the {@code @Defers} methods of one class, all or none: the first method that cannot be
 * rewritten leaves the whole class as it was. A method that open-coding takes past the JVM's 64 KiB code
 * limit keeps runtime records instead; only one that is too large even so leaves the class as it was.
 * Its {@code Defer.panic} calls become {@code invokedynamic} ({@link PanicCallSites}), except in a method
 * that this takes past the limit, which keeps {@code invokestatic} (and the lazily trimmed trace). A class without
 * {@code @Defers} methods is rewritten for its {@code Defer.panic} calls alone, when its class file (Java 7 or
 * newer) can hold {@code invokedynamic}.
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
        return rewrite(classFile, rewritten, new int[1]);
    }

    /**
     * Rewrites a class.
     *
     * @param classFile the class file
     * @param rewritten receives the name and descriptor of each rewritten method
     * @param panicSites receives, in its first element, how many {@code Defer.panic} calls became
     *     {@code invokedynamic}
     * @return the new class file, or null when no method needs the rewrite and no {@code Defer.panic} call was
     *     replaced
     * @throws UnrewritableClassException naming the class, the method and the reason
     */
    public byte[] rewrite(byte[] classFile, List<String> rewritten, int[] panicSites) {
        ClassReader reader = new ClassReader(classFile);
        String className = reader.getClassName();
        boolean all = rewriteAll.test(className);
        // An older class file cannot hold invokedynamic: its Panic traces are trimmed lazily (Panic.getStackTrace).
        boolean panics = ClassScan.mayCallPanic(classFile);
        if (!all && !panics && !ClassScan.mentionsDefers(classFile)) {
            return null;
        }
        ClassNode node = new ClassNode();
        reader.accept(node, ClassReader.EXPAND_FRAMES);
        MethodSelection selection = new MethodSelection(node, all);

        List<MethodNode> selected = selected(node, selection);
        List<String> problems = new ArrayList<>();
        for (MethodNode method : node.methods) {
            if (MethodSelection.isAnnotated(method) && MethodSelection.isInitializer(method)) {
                problems.add(method.name + method.desc + ": constructors and static initialisers are not rewritten;"
                        + " move the code that defers into a @Defers method");
            }
        }
        for (MethodNode method : node.methods) {
            if (MethodSelection.isAnnotated(method) && KotlinInlining.isInlineFunction(method)) {
                problems.add(method.name + method.desc + ": a Kotlin inline function is copied into each caller,"
                        + " so its deferred calls would run when the caller returns, and throw in a caller that is"
                        + " not @Defers; @Defers is not supported on inline functions: remove it (an inline"
                        + " helper may call Defer.defer if every function that calls it is @Defers), or drop"
                        + " 'inline'");
            }
        }
        if (selected.isEmpty() && problems.isEmpty() && !(panics && PanicCallSites.any(node))) {
            return null;
        }
        int version = node.version & 0xFFFF;
        if (version < OLDEST_VERSION) {
            // Selected methods, or else an annotated constructor (problems name it first), or panic calls alone.
            String method = !selected.isEmpty() ? selected.get(0).name + selected.get(0).desc
                    : !problems.isEmpty() ? problems.get(0).substring(0, problems.get(0).indexOf(':'))
                    : "its Defer.panic calls";
            throw new UnrewritableClassException(className, method,
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
        Set<String> recordsOnly = new HashSet<>();
        Set<String> staticPanics = new HashSet<>();
        while (true) {
            List<String> strategies = new ArrayList<>();
            Set<String> openCoded = new HashSet<>();
            Set<String> panicMethods = new HashSet<>();
            try {
                int[] sites = new int[1];
                byte[] result = attempt(node, version, pristineSafety, recordsOnly, problems, strategies, openCoded,
                        staticPanics, panicMethods, sites);
                if (strategies.isEmpty() && sites[0] == 0) {
                    // Panic calls only, and every one kept invokestatic (64 KiB): nothing changed.
                    return null;
                }
                rewritten.addAll(strategies);
                panicSites[0] = sites[0];
                return result;
            } catch (MethodTooLargeException e) {
                String method = e.getMethodName() + e.getDescriptor();
                if (panicMethods.contains(method) && staticPanics.add(method)) {
                    // Two bytes more per Defer.panic: the method keeps invokestatic, before it loses open-coding.
                    node = new ClassNode();
                    reader.accept(node, ClassReader.EXPAND_FRAMES);
                    continue;
                }
                if (!openCoded.contains(method)) {
                    throw new UnrewritableClassException(className, method, "its rewritten code would be "
                            + e.getCodeSize() + " bytes, over the JVM's limit of 65535, even with runtime records"
                            + " (the smallest rewrite); split the method into smaller ones");
                }
                // Open-coding copies the deferred calls into the exit and the handler; records add a few
                // bytes per site and per return, so they may fit where it did not. Everything is redone
                // from the class file, since a rewrite changes the class's lambdas too.
                recordsOnly.add(method);
                node = new ClassNode();
                reader.accept(node, ClassReader.EXPAND_FRAMES);
            }
        }
    }

    /**
     * Rewrites every selected method of {@code node}, in place, and writes the class.
     *
     * @param recordsOnly the methods (name and descriptor) that must keep runtime records, never open-coded
     * @param initializerProblems the annotated constructors and static initialisers, reported with the rest
     * @param strategies receives each rewritten method with its strategy
     * @param openCoded receives the methods open-coded
     * @param staticPanics the methods whose {@code Defer.panic} calls stay {@code invokestatic}
     * @param panicMethods receives the methods whose {@code Defer.panic} calls became {@code invokedynamic}
     * @param panicSites receives, in its first element, how many calls became {@code invokedynamic}
     * @throws MethodTooLargeException when a rewritten method is over the JVM's code limit
     */
    private byte[] attempt(ClassNode node, int version, Supplier<InlineSafety> pristineSafety, Set<String> recordsOnly,
            List<String> initializerProblems, List<String> strategies, Set<String> openCoded,
            Set<String> staticPanics, Set<String> panicMethods, int[] panicSites) {
        String className = node.name;
        MethodSelection selection = new MethodSelection(node, rewriteAll.test(className));
        List<MethodNode> selected = selected(node, selection);
        if (selected.isEmpty() && initializerProblems.isEmpty()) {
            // Defer.panic calls alone: nothing else of the class changes.
            panicSites[0] = PanicCallSites.rewrite(node, staticPanics, panicMethods);
            return write(node, className, List.of());
        }
        KotlinForwarders.bindTargets(node);
        List<String> problems = new ArrayList<>(initializerProblems);
        DeferredLambdas lambdas = new DeferredLambdas(node, selection);
        MethodRewriter methodRewriter = new MethodRewriter(node, pristineSafety, version >= Opcodes.V1_7, lambdas);
        for (MethodNode method : selected) {
            String key = method.name + method.desc;
            try {
                if (MethodSelection.isSuspendFunction(method)) {
                    // Its frame ends at every suspension: the deferred calls live with the coroutine.
                    strategies.add(key + SuspendRewriter.rewrite(className, method, version >= Opcodes.V1_7));
                    continue;
                }
                if (version < Opcodes.V1_7) {
                    // Written without frames, a version 50 class is verified by type inference instead.
                    stripFrames(method);
                }
                boolean mayOpenCode = !recordsOnly.contains(key);
                String strategy = methodRewriter.rewrite(method, mayOpenCode);
                if (strategy.endsWith(" open-coded)")) {
                    openCoded.add(key);
                } else if (!mayOpenCode) {
                    strategy = strategy.substring(0, strategy.length() - 1) + "; open-coding would exceed"
                            + " the 64 KiB code limit)";
                }
                strategies.add(key + strategy);
            } catch (UnrewritableMethodException e) {
                problems.add(key + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new UnrewritableClassException(className, problems);
        }
        lambdas.finish();
        if (version >= Opcodes.V1_7) {
            panicSites[0] = PanicCallSites.rewrite(node, staticPanics, panicMethods);
        }
        return write(node, className, strategies);
    }

    /** Marks the class as rewritten and writes it. */
    private static byte[] write(ClassNode node, String className, List<String> strategies) {
        node.attrs = node.attrs == null ? new ArrayList<>() : node.attrs;
        node.attrs.add(new RewrittenMarker());
        ClassWriter writer = new ClassWriter(0);
        try {
            node.accept(writer);
            return writer.toByteArray();
        } catch (MethodTooLargeException e) {
            throw e;
        } catch (RuntimeException e) {
            // ClassTooLargeException among others: the class stays as it was.
            throw new UnrewritableClassException(className, strategies.isEmpty() ? "Defer.panic call sites"
                    : String.join(", ", strategies),
                    "the rewritten class cannot be written (" + e + "); split the class or its methods");
        }
    }

    private static List<MethodNode> selected(ClassNode node, MethodSelection selection) {
        List<MethodNode> selected = new ArrayList<>();
        for (MethodNode method : node.methods) {
            if (selection.isSelected(method)) {
                selected.add(method);
            }
        }
        return selected;
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
