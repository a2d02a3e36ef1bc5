package dev.defer.instrument.internal;

import java.util.Set;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Replaces each {@code invokestatic Defer.panic(Object)} of a class (Java 7 or newer; with {@code @Defers} methods
 * or not) by an {@code invokedynamic} of the
 * same descriptor, bootstrapped by {@code DeferSupport.panicSite} (ABI 6), which links it to a method of a hidden
 * class: the JVM leaves that frame out of the {@code Panic}'s trace, which so starts at the caller however it is
 * printed. The instruction is replaced in place (5 bytes for 3), so line numbers, local variable tables and
 * stack map frames stay as they were.
 */
final class PanicCallSites {
    static final String BOOTSTRAP_NAME = "panicSite";
    static final String BOOTSTRAP_DESCRIPTOR = "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;"
            + "Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;";
    static final String PANIC_DESCRIPTOR = "(Ljava/lang/Object;)Ljava/lang/RuntimeException;";

    private PanicCallSites() {
    }

    /**
     * Replaces the {@code Defer.panic} calls of every method of {@code node} but those in {@code keepStatic}.
     *
     * @param keepStatic methods (name and descriptor) that keep {@code invokestatic}: too large otherwise
     * @param replaced receives the methods where calls were replaced
     * @return how many calls were replaced
     */
    static int rewrite(ClassNode node, Set<String> keepStatic, Set<String> replaced) {
        Handle bootstrap = new Handle(Opcodes.H_INVOKESTATIC, RuntimeAbi.SUPPORT, BOOTSTRAP_NAME,
                BOOTSTRAP_DESCRIPTOR, false);
        int count = 0;
        for (MethodNode method : node.methods) {
            String key = method.name + method.desc;
            if (method.instructions == null || keepStatic.contains(key)) {
                continue;
            }
            for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
                if (isPanic(insn)) {
                    InvokeDynamicInsnNode site = new InvokeDynamicInsnNode("panic", PANIC_DESCRIPTOR, bootstrap);
                    method.instructions.set(insn, site);
                    insn = site;
                    replaced.add(key);
                    count++;
                }
            }
        }
        return count;
    }

    /** Whether a method of {@code node} calls {@code Defer.panic(Object)}. */
    static boolean any(ClassNode node) {
        for (MethodNode method : node.methods) {
            if (method.instructions == null) {
                continue;
            }
            for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
                if (isPanic(insn)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isPanic(AbstractInsnNode insn) {
        if (insn.getOpcode() != Opcodes.INVOKESTATIC) {
            return false;
        }
        MethodInsnNode call = (MethodInsnNode) insn;
        return call.owner.equals(RuntimeAbi.API) && call.name.equals("panic") && call.desc.equals(PANIC_DESCRIPTOR)
                && !call.itf;
    }
}
