package dev.defer.instrument;

import dev.defer.instrument.internal.ClassScan;
import dev.defer.instrument.internal.KotlinInlining;
import dev.defer.instrument.internal.MethodSelection;
import dev.defer.instrument.internal.SourceMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Finds the calls of {@code Defer.defer} that can never succeed (rule S13), in the class file alone, before the
 * program runs: a call in a method that the {@link Instrumenter} does not rewrite (a method that is not
 * {@code @Defers}, a lambda body, a constructor, a static initialiser) always throws
 * {@code IllegalStateException} when it is reached, and so does {@code Defer::defer} used as a method reference.
 * Go's compiler rejects a misplaced {@code defer}; this scan lets a build do the same.
 *
 * <p>Works on bytes alone, never loads a class, and agrees with the {@link Instrumenter} built with the same
 * {@code all=} prefixes on which methods are rewritten. Thread-safe.
 */
public final class MisuseScanner {
    private static final String DEFER_OWNER = "dev/defer/Defer";
    private static final String DEFER_METHOD = "defer";

    private final Predicate<String> rewriteAll;

    /** A scanner that agrees with {@code new Instrumenter()}. */
    public MisuseScanner() {
        this(List.of());
    }

    /**
     * A scanner that agrees with {@code new Instrumenter(allPrefixes)}: in those packages every method is
     * rewritten, lambda bodies included, so none of their calls is misuse.
     *
     * @param allPrefixes package or class name prefixes, dotted
     */
    public MisuseScanner(List<String> allPrefixes) {
        this.rewriteAll = Instrumenter.prefixMatcher(allPrefixes);
    }

    /**
     * Whether a class file may hold misuse, judged without parsing it: its bytes name {@code dev/defer/Defer}.
     *
     * @param classFile the class file
     * @return false when {@link #scan} would certainly find nothing
     */
    public boolean mayHaveMisuse(byte[] classFile) {
        return ClassScan.mentionsDeferApi(classFile);
    }

    /**
     * Scans a class file.
     *
     * @param classFile the class file
     * @return each call of {@code Defer.defer} that can never succeed, in the order of the class's methods and
     *     their code; empty when there is none
     * @throws IllegalArgumentException when the bytes are not a class file that ASM can read
     */
    public List<Finding> scan(byte[] classFile) {
        if (!mayHaveMisuse(classFile)) {
            return List.of();
        }
        ClassNode node = new ClassNode();
        try {
            new ClassReader(classFile).accept(node, ClassReader.SKIP_FRAMES);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot read a class file: " + e, e);
        }
        MethodSelection selection = new MethodSelection(node, rewriteAll.test(node.name));
        SourceMap lines = SourceMap.parse(node.sourceDebug);
        List<Finding> findings = new ArrayList<>();
        for (MethodNode method : node.methods) {
            // An inline function's own body is never what runs in Kotlin: callers copy it, and each copy is
            // judged where it lands, in the caller.
            boolean rewritten = selection.isSelected(method) || KotlinInlining.isInlineFunction(method);
            List<KotlinInlining.InlinedCall> inlined = null;
            int line = -1;
            for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
                if (insn instanceof LineNumberNode) {
                    line = ((LineNumberNode) insn).line;
                } else if (!rewritten && isDeferCall(insn)) {
                    inlined = inlined != null ? inlined : KotlinInlining.inlinedCalls(method);
                    KotlinInlining.InlinedCall call = KotlinInlining.enclosing(inlined, method.instructions.indexOf(insn));
                    String reason = call == null ? reasonOutside(node, method)
                            : reasonInlined(call.function(), lines.origin(line));
                    findings.add(new Finding(node, method, ownLine(lines, line), reason));
                } else if (referencesDefer(insn)) {
                    findings.add(new Finding(node, method, ownLine(lines, line), "Defer::defer as a method"
                            + " reference is never rewritten, so calling it always throws; call Defer.defer(...)"
                            + " directly in the body of a @Defers method"));
                }
            }
        }
        return findings;
    }

    /** A line of the class's own source file: Kotlin's inlined code is reported at the call that inlined it. */
    private static int ownLine(SourceMap lines, int line) {
        SourceMap.Location call = line < 0 || lines.origin(line) == null ? null : lines.callSite(line);
        return call != null ? call.line() : line;
    }

    private static String reasonInlined(String function, SourceMap.Location origin) {
        return "the inline function " + function + (origin == null ? "" : " (" + origin + ")") + " calls"
                + " Defer.defer, and Kotlin copies that call into this function, which is not @Defers, so it always"
                + " throws; annotate this function (or its class) with @dev.defer.Defers, as every function that"
                + " calls " + function + " must be, and its deferred calls run when this function returns";
    }

    private static boolean isDeferCall(AbstractInsnNode insn) {
        if (insn.getOpcode() != Opcodes.INVOKESTATIC) {
            return false;
        }
        MethodInsnNode call = (MethodInsnNode) insn;
        return call.owner.equals(DEFER_OWNER) && call.name.equals(DEFER_METHOD);
    }

    private static boolean referencesDefer(AbstractInsnNode insn) {
        if (insn instanceof InvokeDynamicInsnNode) {
            for (Object argument : ((InvokeDynamicInsnNode) insn).bsmArgs) {
                if (isDeferHandle(argument)) {
                    return true;
                }
            }
        } else if (insn instanceof LdcInsnNode) {
            return isDeferHandle(((LdcInsnNode) insn).cst);
        }
        return false;
    }

    private static boolean isDeferHandle(Object constant) {
        if (!(constant instanceof Handle)) {
            return false;
        }
        Handle handle = (Handle) constant;
        return handle.getOwner().equals(DEFER_OWNER) && handle.getName().equals(DEFER_METHOD);
    }

    private static String reasonOutside(ClassNode owner, MethodNode method) {
        if (isKotlinSuspendLambda(owner)) {
            return KOTLIN_SUSPEND_LAMBDA;
        }
        if (!method.name.startsWith("lambda$") && method.name.contains("$lambda$")
                || (owner.access & Opcodes.ACC_SYNTHETIC) != 0) {
            return KOTLIN_LAMBDA;
        }
        if (method.name.startsWith("lambda$")) {
            return "a lambda body is a method of its own, never rewritten; call Defer.defer in the enclosing @Defers"
                    + " method instead, as Go's defer belongs to the function that runs it";
        }
        if (method.name.equals("<init>")) {
            return "constructors are never rewritten; move the code that defers into a @Defers method";
        }
        if (method.name.equals("<clinit>")) {
            return "static initialisers are never rewritten; move the code that defers into a @Defers method";
        }
        if ((method.access & (Opcodes.ACC_SYNTHETIC | Opcodes.ACC_BRIDGE)) != 0) {
            return "a compiler-generated method, which @Defers on its class does not cover; call Defer.defer in"
                    + " a @Defers method";
        }
        return "the method is not @Defers; annotate it (or its class) with @dev.defer.Defers";
    }

    /** The fix for a Kotlin lambda: the same words as the runtime's S13 error ({@code dev.defer.internal.Misuse}). */
    static final String KOTLIN_LAMBDA = "a Kotlin lambda (or function reference) is compiled to a method or a class"
            + " of its own, never rewritten, and @Defers cannot be written on it; call Defer.defer in the enclosing"
            + " @Defers function instead (a lambda passed to an inline function, such as forEach, is part of the"
            + " function and may defer)";
    /** The fix for a Kotlin suspend lambda. */
    static final String KOTLIN_SUSPEND_LAMBDA = "a Kotlin suspend lambda is a class of its own whose invokeSuspend"
            + " returns at each suspension, so it can be neither annotated nor rewritten; call Defer.defer in a"
            + " @Defers function (a suspend one too) that the lambda calls, or use try/finally";

    /** Whether a class is a Kotlin suspend lambda: it extends one of the coroutine library's lambda bases. */
    private static boolean isKotlinSuspendLambda(ClassNode owner) {
        return "kotlin/coroutines/jvm/internal/SuspendLambda".equals(owner.superName)
                || "kotlin/coroutines/jvm/internal/RestrictedSuspendLambda".equals(owner.superName);
    }

    /** One call of {@code Defer.defer} that can never succeed. */
    public static final class Finding {
        private final String className;
        private final String methodName;
        private final String methodDescriptor;
        private final String sourceFile;
        private final int line;
        private final String reason;

        Finding(ClassNode owner, MethodNode method, int line, String reason) {
            this.className = owner.name.replace('/', '.');
            this.methodName = method.name;
            this.methodDescriptor = method.desc;
            this.sourceFile = owner.sourceFile;
            this.line = line;
            this.reason = reason;
        }

        /**
         * @return the class's binary name, e.g. {@code com.example.App$Inner}
         */
        public String className() {
            return className;
        }

        /**
         * @return the method's name as in the class file, e.g. {@code lambda$main$0} or {@code <init>}
         */
        public String methodName() {
            return methodName;
        }

        /**
         * @return the method's descriptor, e.g. {@code ()V}
         */
        public String methodDescriptor() {
            return methodDescriptor;
        }

        /**
         * @return the source file named by the class, e.g. {@code App.java}, or null when it was compiled
         *     without it
         */
        public String sourceFile() {
            return sourceFile;
        }

        /**
         * @return the source line of the call, or -1 when the class has no line numbers
         */
        public int line() {
            return line;
        }

        /**
         * @return why the call cannot succeed, and the fix
         */
        public String reason() {
            return reason;
        }

        /**
         * @return where the call is, as a stack trace shows it: {@code com.example.App.main (App.java:12)}
         */
        public String location() {
            String file = sourceFile == null ? "Unknown Source" : line >= 0 ? sourceFile + ":" + line : sourceFile;
            return className + "." + methodName + " (" + file + ")";
        }

        /**
         * @return {@code location: reason}
         */
        @Override
        public String toString() {
            return location() + ": " + reason;
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof Finding)) {
                return false;
            }
            Finding that = (Finding) other;
            return className.equals(that.className) && methodName.equals(that.methodName)
                    && methodDescriptor.equals(that.methodDescriptor) && Objects.equals(sourceFile, that.sourceFile)
                    && line == that.line && reason.equals(that.reason);
        }

        @Override
        public int hashCode() {
            return Objects.hash(className, methodName, methodDescriptor, line);
        }
    }
}
