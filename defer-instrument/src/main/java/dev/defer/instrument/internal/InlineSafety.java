package dev.defer.instrument.internal;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.Handle;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Decides, from the class's own bytecode, whether code may run with no runtime invocation behind it:
 * an open-coded deferred call runs inline at {@code return}, where {@code Defer.result()} and
 * {@code Defer.setResult()} would find no slot. Code is safe when it cannot reach those two calls:
 * it calls only the platform's classes ({@code java.}, {@code javax.}, {@code jdk.}, {@code sun.},
 * {@code com.sun.}) and methods of its own class that are safe in turn (lambda bodies included).
 * Anything else, a call into another application class included, counts as unsafe: the method then
 * keeps runtime records, which are always correct.
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
        return implementation.getOwner().equals(owner.name)
                && isSafeMethod(implementation.getName(), implementation.getDesc(), new HashSet<>(), 0);
    }

    /** Whether the body of a method to open-code never reads or writes the result slot itself. */
    boolean isSafeBody(MethodNode body, Set<AbstractInsnNode> deferSiteLambdas) {
        for (AbstractInsnNode insn = body.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof MethodInsnNode && touchesResult((MethodInsnNode) insn)) {
                return false;
            }
            if (insn instanceof InvokeDynamicInsnNode && !deferSiteLambdas.contains(insn)) {
                Handle implementation = lambdaImplementation((InvokeDynamicInsnNode) insn);
                if (implementation != null && implementation.getOwner().equals(owner.name)
                        && !isSafeMethod(implementation.getName(), implementation.getDesc(), new HashSet<>(), 0)) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean isSafeMethod(String name, String descriptor, Set<String> visited, int depth) {
        if (!visited.add(name + descriptor)) {
            return true;
        }
        MethodNode method = find(name, descriptor);
        if (method == null || method.instructions.size() == 0 || depth > MAX_DEPTH) {
            return false;
        }
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof MethodInsnNode) {
                MethodInsnNode call = (MethodInsnNode) insn;
                if (touchesResult(call)) {
                    return false;
                } else if (call.owner.equals(owner.name)) {
                    if (!isSafeMethod(call.name, call.desc, visited, depth + 1)) {
                        return false;
                    }
                } else if (!isPlatform(call.owner) && !call.owner.equals(RuntimeAbi.API)) {
                    return false;
                }
            } else if (insn instanceof InvokeDynamicInsnNode) {
                Handle implementation = lambdaImplementation((InvokeDynamicInsnNode) insn);
                if (implementation != null && !isPlatform(implementation.getOwner())
                        && !(implementation.getOwner().equals(owner.name)
                                && isSafeMethod(implementation.getName(), implementation.getDesc(), visited, depth + 1))) {
                    return false;
                }
            }
        }
        return true;
    }

    private MethodNode find(String name, String descriptor) {
        for (MethodNode method : owner.methods) {
            if (method.name.equals(name) && method.desc.equals(descriptor)) {
                return method;
            }
        }
        return null;
    }

    private static boolean touchesResult(MethodInsnNode call) {
        return call.owner.equals(RuntimeAbi.API) && (call.name.equals("result") || call.name.equals("setResult"));
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
