package dev.defer.instrument.internal;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Decides, from the class's own bytecode, whether code may run with no runtime invocation behind it:
 * an open-coded deferred call runs inline at {@code return}, where {@code Defer.result()} and
 * {@code Defer.setResult()} would find no slot. A deferred call's code is safe when it cannot reach those
 * two calls: it calls the platform's classes ({@code java.}, {@code javax.}, {@code jdk.}, {@code sun.},
 * {@code com.sun.}) but none that runs code handed to it (a {@code Runnable}, a {@code Callable}, a
 * {@code java.util.function} object, reflection, method handles), and methods of its own class that
 * cannot be overridden and are safe in turn (lambda bodies included). Anything else, a call into another
 * application class included, counts as unsafe: the method then keeps runtime records, which are always
 * correct. The body is screened for direct slot access, through its own class's methods too.
 */
final class InlineSafety {
    private static final int MAX_DEPTH = 8;
    private static final String LAMBDA_METAFACTORY = "java/lang/invoke/LambdaMetafactory";

    private final ClassNode owner;

    InlineSafety(ClassNode owner) {
        this.owner = owner;
    }

    /** Whether a deferred call whose code is {@code implementation} may run inline. */
    boolean isSafeTarget(Handle implementation) {
        if (implementation.getOwner().equals(RuntimeAbi.API)) {
            // Defer::recover as the deferred call itself needs the runtime's frame (Go's recover.go test5).
            return false;
        }
        if (isPlatform(implementation.getOwner())) {
            return true;
        }
        if (implementation.getOwner().equals(owner.name)) {
            MethodNode target = find(implementation.getName(), implementation.getDesc());
            if (target != null && DeferredLambdas.isRecoverForwarder(target)) {
                // Kotlin's forwarder for Defer::recover: the same need of the runtime's frame.
                return false;
            }
        }
        return implementation.getOwner().equals(owner.name)
                && isSafeMethod(implementation.getName(), implementation.getDesc(), new HashSet<>(), 0, true);
    }

    /**
     * Whether a deferred lambda's body may be called, or copied, by an open-coded exit: the strict screen,
     * except that the body itself may call {@code Defer.result()}, {@code setResult()} and {@code recover()},
     * which the copy replaces ({@link InlineVariant}). What it calls must still stay clear of them.
     */
    boolean isSafeDirectBody(String name, String descriptor) {
        MethodNode method = find(name, descriptor);
        if (method == null || method.instructions.size() == 0) {
            return false;
        }
        Set<String> visited = new HashSet<>();
        visited.add(name + descriptor);
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (touchesResult(insn)) {
                continue;
            }
            if (!isSafeInstruction(insn, visited, 0, true)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the body of a method to open-code never reads or writes the result slot itself, nor through
     * the methods and lambdas of its own class. Calls into other classes are not followed: what the body
     * reaches only through them is a documented limit (README, "Known limits").
     */
    boolean isSafeBody(MethodNode body, Set<AbstractInsnNode> deferSiteLambdas) {
        Set<String> visited = new HashSet<>();
        visited.add(body.name + body.desc);
        for (AbstractInsnNode insn = body.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof InvokeDynamicInsnNode && deferSiteLambdas.contains(insn)) {
                continue;
            }
            if (!isSafeInstruction(insn, visited, 0, false)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param strict true for a deferred call's code, which may call nothing it cannot see; false for the
     *     body, whose calls into other classes are not followed
     */
    private boolean isSafeMethod(String name, String descriptor, Set<String> visited, int depth, boolean strict) {
        if (!visited.add(name + descriptor)) {
            return true;
        }
        MethodNode method = find(name, descriptor);
        if (method == null || method.instructions.size() == 0 || depth > MAX_DEPTH) {
            return false;
        }
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (!isSafeInstruction(insn, visited, depth, strict)) {
                return false;
            }
        }
        return true;
    }

    private boolean isSafeInstruction(AbstractInsnNode insn, Set<String> visited, int depth, boolean strict) {
        if (insn instanceof MethodInsnNode) {
            MethodInsnNode call = (MethodInsnNode) insn;
            if (touchesResult(call)) {
                return false;
            } else if (call.owner.equals(owner.name)) {
                if (strict && isOverridable(call)) {
                    // An override in a subclass is code this class does not show.
                    return false;
                }
                return isSafeMethod(call.name, call.desc, visited, depth + 1, strict);
            } else if (call.owner.equals(RuntimeAbi.API)) {
                return true;
            } else if (isPlatform(call.owner)) {
                return !strict || !runsHandedCode(call);
            }
            return !strict;
        } else if (insn instanceof InvokeDynamicInsnNode) {
            Handle implementation = lambdaImplementation((InvokeDynamicInsnNode) insn);
            if (implementation == null || isPlatform(implementation.getOwner())) {
                return true;
            }
            if (implementation.getOwner().equals(owner.name)) {
                return isSafeMethod(implementation.getName(), implementation.getDesc(), visited, depth + 1, strict);
            }
            return !strict;
        }
        return true;
    }

    /** Whether a call of this class's own may reach an override: a virtual call of a non-private, non-final method. */
    private boolean isOverridable(MethodInsnNode call) {
        if (call.getOpcode() == Opcodes.INVOKESTATIC || call.getOpcode() == Opcodes.INVOKESPECIAL
                || (owner.access & Opcodes.ACC_FINAL) != 0) {
            return false;
        }
        MethodNode target = find(call.name, call.desc);
        return target == null || (target.access & (Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL)) == 0;
    }

    /** A platform call that runs code handed to it: a callback, reflection, a method handle. */
    private static boolean runsHandedCode(MethodInsnNode call) {
        if (isCallbackType(call.owner) || call.owner.startsWith("java/lang/reflect/")
                || call.owner.startsWith("java/lang/invoke/")) {
            return true;
        }
        for (Type parameter : Type.getArgumentTypes(call.desc)) {
            if (parameter.getSort() == Type.OBJECT && isCallbackType(parameter.getInternalName())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isCallbackType(String internalName) {
        return internalName.equals("java/lang/Runnable") || internalName.equals("java/util/concurrent/Callable")
                || internalName.startsWith("java/util/function/");
    }

    private MethodNode find(String name, String descriptor) {
        for (MethodNode method : owner.methods) {
            if (method.name.equals(name) && method.desc.equals(descriptor)) {
                return method;
            }
        }
        return null;
    }

    static boolean touchesResult(AbstractInsnNode insn) {
        return RuntimeAbi.isApiCall(insn, "result") || RuntimeAbi.isApiCall(insn, "setResult");
    }

    /** The method a lambda's or method reference's invokedynamic binds, or null for other bootstraps. */
    static Handle lambdaImplementation(InvokeDynamicInsnNode indy) {
        if (indy.bsm.getOwner().equals(LAMBDA_METAFACTORY) && indy.bsmArgs.length >= 2
                && indy.bsmArgs[1] instanceof Handle) {
            return (Handle) indy.bsmArgs[1];
        }
        return null;
    }

    static boolean isPlatform(String internalName) {
        return internalName.startsWith("java/") || internalName.startsWith("javax/")
                || internalName.startsWith("jdk/") || internalName.startsWith("sun/")
                || internalName.startsWith("com/sun/");
    }
}
