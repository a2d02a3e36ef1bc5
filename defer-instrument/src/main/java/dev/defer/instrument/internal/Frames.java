package dev.defer.instrument.internal;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;

/** Stack map frame locals, as ASM's expanded frames list them: a long or double is one entry, two slots. */
final class Frames {
    private Frames() {
    }

    /**
     * The frame's locals with {@code added} placed from slot {@code first} on, padding with TOP.
     *
     * @param locals the frame's locals, none at or beyond {@code first}
     * @param first the first slot of the added locals
     * @param added the types of the added locals, in slot order
     */
    static List<Object> withLocals(List<Object> locals, int first, List<Object> added) {
        List<Object> result = new ArrayList<>(locals == null ? List.of() : locals);
        int used = 0;
        for (Object local : result) {
            used += local == Opcodes.LONG || local == Opcodes.DOUBLE ? 2 : 1;
        }
        for (; used < first; used++) {
            result.add(Opcodes.TOP);
        }
        result.addAll(added);
        return result;
    }

    /**
     * Gives every existing frame of the code the added locals: they are set before any branch target and
     * keep their types, so each frame may declare them.
     */
    static void addToAll(InsnList code, int first, List<Object> added) {
        for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof FrameNode) {
                FrameNode frame = (FrameNode) insn;
                if (frame.type != Opcodes.F_NEW) {
                    throw new IllegalStateException("frames must be read with ClassReader.EXPAND_FRAMES");
                }
                frame.local = withLocals(frame.local, first, added);
            }
        }
    }

    /** A value type as a frame declares it: INTEGER for int and narrower, an internal name for references. */
    static Object typeOf(Type type) {
        switch (type.getSort()) {
            case Type.BOOLEAN:
            case Type.BYTE:
            case Type.CHAR:
            case Type.SHORT:
            case Type.INT:
                return Opcodes.INTEGER;
            case Type.LONG:
                return Opcodes.LONG;
            case Type.FLOAT:
                return Opcodes.FLOAT;
            case Type.DOUBLE:
                return Opcodes.DOUBLE;
            default:
                return type.getInternalName();
        }
    }
}
