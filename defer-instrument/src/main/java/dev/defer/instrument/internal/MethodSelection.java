package dev.defer.instrument.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Which methods of a class the rewrite takes: the one rule shared by {@link ClassRewriter} and the misuse scan,
 * so that "rewritten" and "not misuse" can never disagree.
 */
public final class MethodSelection {
    static final String DEFERS_DESCRIPTOR = "Ldev/defer/Defers;";
    private static final String CONTINUATION = "Lkotlin/coroutines/Continuation;";
    private static final String SUSPEND_IMPL = "$suspendImpl";

    private final boolean all;
    private final boolean typeLevel;
    /** Name + descriptor of each method of the class that a lambda call site binds; only for {@code all=}. */
    private final Set<String> lambdaBodies;
    /** Name + descriptor of each compiler-made lambda body ({@link #compilerLambdaBodies}); only for a type-level {@code @Defers}. */
    private final Set<String> compilerLambdaBodies;
    /** Name + descriptor of each {@code f$suspendImpl} whose {@code f} the rewrite takes ({@link #suspendImpls}). */
    private final Set<String> suspendImpls;

    /**
     * @param node the class, read with its annotations
     * @param all whether the class is in an {@code all=} package (every method with a body is taken)
     */
    public MethodSelection(ClassNode node, boolean all) {
        this.all = all;
        this.typeLevel = hasDefers(node.visibleAnnotations) || hasDefers(node.invisibleAnnotations);
        this.lambdaBodies = all ? lambdaBodies(node) : Set.of();
        this.compilerLambdaBodies = typeLevel ? compilerLambdaBodies(node) : Set.of();
        this.suspendImpls = suspendImpls(node);
    }

    /**
     * kotlinc compiles an {@code open} suspend function (or one with a body in an interface) to a method
     * {@code f} that only calls a static synthetic {@code f$suspendImpl(Owner, args, Continuation)}, which
     * holds the body and its state machine. It copies {@code f}'s annotations there, but a type-level
     * {@code @Defers} does not cover a synthetic method: the body's {@code Defer.defer} calls are {@code f}'s,
     * so {@code f$suspendImpl} is taken with {@code f}. (Rewriting {@code f} too only wraps its completion
     * once more, with no deferred call of its own.)
     */
    private Set<String> suspendImpls(ClassNode node) {
        Set<String> impls = new HashSet<>();
        for (MethodNode impl : node.methods) {
            if (!impl.name.endsWith(SUSPEND_IMPL) || (impl.access & Opcodes.ACC_STATIC) == 0
                    || !isSuspendFunction(impl) || !impl.desc.startsWith("(L" + node.name + ";")) {
                continue;
            }
            String name = impl.name.substring(0, impl.name.length() - SUSPEND_IMPL.length());
            String desc = "(" + impl.desc.substring(node.name.length() + 3);
            for (MethodNode twin : node.methods) {
                if (twin.name.equals(name) && twin.desc.equals(desc) && isSelected(twin)) {
                    impls.add(impl.name + impl.desc);
                }
            }
        }
        return impls;
    }

    /**
     * @param method a method of the class
     * @return whether it carries {@code @Defers} itself
     */
    public static boolean isAnnotated(MethodNode method) {
        return hasDefers(method.visibleAnnotations) || hasDefers(method.invisibleAnnotations);
    }

    /**
     * @param method a method of the class
     * @return whether the rewrite takes it (an annotated constructor is not taken: it is an error of its own)
     */
    public boolean isSelected(MethodNode method) {
        if (isInitializer(method)) {
            return false;
        }
        // suspendImpls is null while the constructor computes it from the other rules.
        return isAnnotated(method) || all && isEligibleForAll(method) || suspendImpls != null
                && suspendImpls.contains(method.name + method.desc)
                || typeLevel && isEligibleForType(method) && !compilerLambdaBodies.contains(method.name + method.desc);
    }

    /**
     * @param method a method
     * @return whether it is a constructor or a static initialiser
     */
    public static boolean isInitializer(MethodNode method) {
        return method.name.equals("<init>") || method.name.equals("<clinit>");
    }

    private static boolean hasBody(MethodNode method) {
        return (method.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
    }

    /**
     * {@code all=} takes every method the source declares, lambda bodies included, and leaves the other
     * synthetic methods alone: bridges and accessors only delegate, and code that other tools inject
     * (JaCoCo's {@code $jacocoInit}, marked synthetic as the JVM specification asks of generated code) is
     * not the application's: rewriting it would only make every probe call enter the runtime.
     */
    private boolean isEligibleForAll(MethodNode method) {
        return hasBody(method) && !isSuspendFunction(method) && ((method.access & Opcodes.ACC_SYNTHETIC) == 0
                || lambdaBodies.contains(method.name + method.desc));
    }

    /**
     * Whether a method is a Kotlin suspend function as compiled: a state machine that takes a
     * {@code kotlin.coroutines.Continuation} last and returns {@code Object}, returning the
     * {@code COROUTINE_SUSPENDED} marker at each suspension. Its frame ends at every suspension, not when
     * the function completes, so it gets a rewrite of its own ({@link SuspendRewriter}) when annotated (or
     * in an annotated type); {@code all=} leaves it alone.
     *
     * @param method a method
     * @return whether it has the shape of a compiled suspend function
     */
    public static boolean isSuspendFunction(MethodNode method) {
        return method.desc.endsWith(CONTINUATION + ")Ljava/lang/Object;");
    }

    /**
     * {@code @Defers} on a type covers the methods written in it, not compiler-generated ones, nor Kotlin's
     * inline functions: their deferred calls belong to the functions they are copied into (an explicit
     * {@code @Defers} on one is refused by ClassRewriter; {@code all=}, a test mode, takes every method).
     */
    private static boolean isEligibleForType(MethodNode method) {
        return hasBody(method) && (method.access & (Opcodes.ACC_SYNTHETIC | Opcodes.ACC_BRIDGE)) == 0
                && !KotlinInlining.isInlineFunction(method);
    }

    /** The methods of the class that a {@code LambdaMetafactory} call site in the class itself binds. */
    private static Set<String> lambdaBodies(ClassNode node) {
        Set<String> bodies = new HashSet<>();
        for (MethodNode method : node.methods) {
            for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
                if (insn instanceof InvokeDynamicInsnNode) {
                    Handle body = InlineSafety.lambdaImplementation((InvokeDynamicInsnNode) insn);
                    if (body != null && body.getOwner().equals(node.name)) {
                        bodies.add(body.getName() + body.getDesc());
                    }
                }
            }
        }
        return bodies;
    }

    /**
     * The lambda bodies a compiler made, which a type-level {@code @Defers} does not cover (a lambda is
     * not a method the user wrote; a {@code Defer.defer} in it is misuse, as in Java): the methods of the
     * class that a {@code LambdaMetafactory} call site of the class binds, that no instruction of the class
     * calls, and that are synthetic (javac's {@code lambda$f$0}, ECJ's {@code lambda$0}) or private and
     * named as Kotlin names its lambda bodies ({@code f$lambda$0}, not synthetic). A method the user wrote
     * and binds by a method reference ({@code this::onPanic}) is not synthetic and has no such name: the
     * type's {@code @Defers} still covers it.
     */
    static Set<String> compilerLambdaBodies(ClassNode node) {
        Set<String> called = new HashSet<>();
        for (MethodNode method : node.methods) {
            for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
                if (insn instanceof MethodInsnNode && ((MethodInsnNode) insn).owner.equals(node.name)) {
                    called.add(((MethodInsnNode) insn).name + ((MethodInsnNode) insn).desc);
                }
            }
        }
        Set<String> bound = lambdaBodies(node);
        Set<String> bodies = new HashSet<>();
        for (MethodNode method : node.methods) {
            String key = method.name + method.desc;
            if (bound.contains(key) && !called.contains(key) && isCompilerMadeLambda(method)) {
                bodies.add(key);
            }
        }
        return bodies;
    }

    private static boolean isCompilerMadeLambda(MethodNode method) {
        return (method.access & Opcodes.ACC_SYNTHETIC) != 0
                || (method.access & Opcodes.ACC_PRIVATE) != 0 && method.name.contains("$lambda$");
    }

    private static boolean hasDefers(List<AnnotationNode> annotations) {
        if (annotations != null) {
            for (AnnotationNode annotation : annotations) {
                if (annotation.desc.equals(DEFERS_DESCRIPTOR)) {
                    return true;
                }
            }
        }
        return false;
    }
}
