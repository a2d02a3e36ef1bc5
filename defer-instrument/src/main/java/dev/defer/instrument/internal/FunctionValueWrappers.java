package dev.defer.instrument.internal;

import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Kotlin passes a function value ({@code val g: () -> Unit}) to {@code Defer.defer(g)} through a wrapper of
 * the calling class, {@code f$lambda$1(Function0 $tmp0)}, that calls {@code $tmp0.invoke()} and drops the value;
 * Java's {@code Defer.defer(g)} with a {@code Deferred} value runs {@code g} itself. The wrapper's frame would
 * make {@code g} look like a helper of the deferred call, so {@code recover()} in {@code g} would return null
 * where Go's {@code defer g()} and Java recover. The rewrite binds such a site to {@code FunctionN.invoke}
 * itself, with the value as its receiver, as javac binds {@code g::invoke}.
 *
 * <p>A lambda the user wrote, {@code Defer.defer { g() }}, has the same code, and in it {@code g} is a helper
 * (Go: {@code defer func(){ g() }()}). kotlinc names the wrapper's parameter {@code $tmp0} (a temporary) and a
 * lambda's captured variable {@code $} and the variable's name; a site is rebound only when the wrapper's
 * parameter is {@code $tmp0} and the calling method has no variable of its own named {@code tmp0}.
 */
final class FunctionValueWrappers {
    private static final String FUNCTION_PREFIX = "kotlin/jvm/functions/Function";
    private static final String TEMPORARY = "$tmp0";

    private FunctionValueWrappers() {
    }

    /**
     * @param wrapper the method a {@code Deferred} lambda call site of the class binds, or null
     * @param caller the method holding the call site
     * @return {@code FunctionN.invoke} as an interface handle when {@code wrapper} is Kotlin's wrapper of a
     *     function value, else null
     */
    static Handle invokedFunction(MethodNode wrapper, MethodNode caller) {
        if (wrapper == null || (wrapper.access & Opcodes.ACC_STATIC) == 0 || !wrapper.name.contains("$lambda$")
                || Type.getReturnType(wrapper.desc) != Type.VOID_TYPE || !namesTemporary(wrapper)
                || hasLocal(caller, TEMPORARY.substring(1))) {
            return null;
        }
        Type[] parameters = Type.getArgumentTypes(wrapper.desc);
        int arity = parameters.length - 1;
        String function = FUNCTION_PREFIX + arity;
        if (arity < 0 || !parameters[0].equals(Type.getObjectType(function))) {
            return null;
        }
        for (int i = 1; i < parameters.length; i++) {
            if (parameters[i].getSort() != Type.OBJECT && parameters[i].getSort() != Type.ARRAY) {
                return null;
            }
        }
        String invoke = "(" + "Ljava/lang/Object;".repeat(arity) + ")Ljava/lang/Object;";
        int loaded = 0;
        boolean called = false;
        boolean dropped = false;
        for (AbstractInsnNode insn = wrapper.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            int opcode = insn.getOpcode();
            if (opcode < 0) {
                continue;
            }
            if (!called && opcode == Opcodes.ALOAD && ((VarInsnNode) insn).var == loaded && loaded <= arity) {
                loaded++;
            } else if (!called && loaded == arity + 1 && opcode == Opcodes.INVOKEINTERFACE
                    && isInvoke((MethodInsnNode) insn, function, invoke)) {
                called = true;
            } else if (called && !dropped && opcode == Opcodes.POP) {
                dropped = true;
            } else if (dropped && opcode == Opcodes.RETURN && onlyLabelsAfter(insn)) {
                return new Handle(Opcodes.H_INVOKEINTERFACE, function, "invoke", invoke, true);
            } else {
                return null;
            }
        }
        return null;
    }

    private static boolean isInvoke(MethodInsnNode call, String function, String descriptor) {
        return call.owner.equals(function) && call.name.equals("invoke") && call.desc.equals(descriptor);
    }

    private static boolean namesTemporary(MethodNode wrapper) {
        if (wrapper.localVariables == null) {
            return false;
        }
        for (LocalVariableNode local : wrapper.localVariables) {
            if (local.index == 0 && local.name.equals(TEMPORARY)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasLocal(MethodNode method, String name) {
        if (method.localVariables != null) {
            for (LocalVariableNode local : method.localVariables) {
                if (local.name.equals(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean onlyLabelsAfter(AbstractInsnNode insn) {
        for (AbstractInsnNode next = insn.getNext(); next != null; next = next.getNext()) {
            if (next.getOpcode() >= 0) {
                return false;
            }
        }
        return true;
    }
}
