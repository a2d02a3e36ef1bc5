package dev.defer.instrument.internal;

import java.util.HashMap;
import java.util.Map;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Kotlin compiles a function reference whose function returns a value ({@code Defer.defer(::load)}, with
 * {@code load(): Int}) into a synthetic forwarder of the class ({@code f$load}) that calls the function and
 * drops the value, and binds the forwarder to {@code Deferred}; javac binds the function itself. The
 * forwarder's frame would make the function look like a helper of the deferred call, so its
 * {@code recover()} would return null where Go's {@code defer load()} and Java's recover. The rewrite binds
 * such a site to the forwarder's target directly ({@code LambdaMetafactory} drops a value returned to a
 * {@code void} interface method), so Kotlin behaves as Java. The forwarder of {@code Defer::recover} is left
 * to {@link DeferredLambdas}, which gives it Go's {@code defer recover()} meaning. A function value passed as
 * a {@code Deferred} is bound to its {@code invoke} the same way ({@link FunctionValueWrappers}).
 */
final class KotlinForwarders {
    private static final String DEFERRED_PREFIX = "dev/defer/Deferred";

    private KotlinForwarders() {
    }

    /** Rebinds each {@code Deferred} lambda call site of the class whose body is a synthetic forwarder. */
    static void bindTargets(ClassNode node) {
        Map<String, MethodNode> methods = new HashMap<>();
        for (MethodNode method : node.methods) {
            methods.put(method.name + method.desc, method);
        }
        for (MethodNode method : node.methods) {
            for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
                if (!(insn instanceof InvokeDynamicInsnNode)) {
                    continue;
                }
                InvokeDynamicInsnNode indy = (InvokeDynamicInsnNode) insn;
                Handle implementation = InlineSafety.lambdaImplementation(indy);
                if (implementation == null || !implementation.getOwner().equals(node.name)
                        || !Type.getReturnType(indy.desc).getInternalName().startsWith(DEFERRED_PREFIX)) {
                    continue;
                }
                MethodNode body = methods.get(implementation.getName() + implementation.getDesc());
                Handle target = forwardedTarget(body);
                if (target == null) {
                    target = FunctionValueWrappers.invokedFunction(body, method);
                }
                if (target != null) {
                    indy.bsmArgs[1] = target;
                }
            }
        }
    }

    /**
     * The method a synthetic static forwarder calls, as a handle, when its body only passes its parameters
     * on in order (the first as the receiver of an instance call), calls, drops any value and returns, and
     * its name is Kotlin's for an adapted reference: the caller's, then {@code $}, then the target's.
     */
    static Handle forwardedTarget(MethodNode forwarder) {
        if (forwarder == null || (forwarder.access & (Opcodes.ACC_SYNTHETIC | Opcodes.ACC_STATIC))
                != (Opcodes.ACC_SYNTHETIC | Opcodes.ACC_STATIC)
                || Type.getReturnType(forwarder.desc) != Type.VOID_TYPE
                || DeferredLambdas.isRecoverForwarder(forwarder)) {
            return null;
        }
        Type[] parameters = Type.getArgumentTypes(forwarder.desc);
        int loaded = 0;
        int slot = 0;
        MethodInsnNode call = null;
        boolean dropped = false;
        for (AbstractInsnNode insn = forwarder.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            int opcode = insn.getOpcode();
            if (opcode < 0) {
                continue;
            }
            if (call == null && insn instanceof VarInsnNode && loaded < parameters.length
                    && opcode == parameters[loaded].getOpcode(Opcodes.ILOAD) && ((VarInsnNode) insn).var == slot) {
                slot += parameters[loaded].getSize();
                loaded++;
            } else if (call == null && insn instanceof MethodInsnNode && opcode != Opcodes.INVOKESPECIAL
                    && loaded == parameters.length) {
                call = (MethodInsnNode) insn;
            } else if (call != null && !dropped && (opcode == Opcodes.POP || opcode == Opcodes.POP2)) {
                dropped = true;
            } else if (call != null && opcode == Opcodes.RETURN && onlyLabelsAfter(insn)) {
                // Kotlin names the forwarder after the caller and the target (g$f); javac's and ECJ's lambda
                // bodies (lambda$g$0, lambda$0) may have the same code, but are deferred functions of their
                // own whose call of f makes f a helper, as in Go.
                return forwarder.name.startsWith("lambda$") || !forwarder.name.endsWith("$" + call.name)
                        ? null : handleIfForwarded(call, parameters);
            } else {
                return null;
            }
        }
        return null;
    }

    private static boolean onlyLabelsAfter(AbstractInsnNode insn) {
        for (AbstractInsnNode next = insn.getNext(); next != null; next = next.getNext()) {
            if (next.getOpcode() >= 0) {
                return false;
            }
        }
        return true;
    }

    private static Handle handleIfForwarded(MethodInsnNode call, Type[] parameters) {
        Type[] arguments = Type.getArgumentTypes(call.desc);
        boolean isStatic = call.getOpcode() == Opcodes.INVOKESTATIC;
        int offset = isStatic ? 0 : 1;
        if (parameters.length != arguments.length + offset
                || !isStatic && !parameters[0].equals(Type.getObjectType(call.owner))) {
            return null;
        }
        for (int i = 0; i < arguments.length; i++) {
            if (!arguments[i].equals(parameters[i + offset])) {
                return null;
            }
        }
        int tag = isStatic ? Opcodes.H_INVOKESTATIC
                : call.getOpcode() == Opcodes.INVOKEINTERFACE ? Opcodes.H_INVOKEINTERFACE : Opcodes.H_INVOKEVIRTUAL;
        return new Handle(tag, call.owner, call.name, call.desc, call.itf);
    }
}
