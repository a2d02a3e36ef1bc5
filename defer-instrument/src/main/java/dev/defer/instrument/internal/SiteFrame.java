package dev.defer.instrument.internal;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * The stack map frame the verifier holds at one instruction, for a branch that a rewrite adds there: the
 * nearest frame before it in the code, run forward over the straight-line code in between. In a class with
 * stack map frames every branch target has a frame, so the code from that frame to the instruction runs in
 * order, and its types are the verifier's own (a frame's declared type, never a merge this class would have to
 * guess). Returns null, and the caller keeps a rewrite without a branch, for whatever it cannot state exactly:
 * an unconditional jump in between, an uninitialised object, an array element of unknown type, a subroutine.
 */
final class SiteFrame {
    /** A value whose type this class does not know exactly. */
    private static final BasicValue UNKNOWN = new BasicValue(Type.getObjectType("java/lang/Object"));

    /** The frame's locals, as {@link FrameNode#local} lists them. */
    final List<Object> locals;
    /** The frame's operand stack, bottom first, as {@link FrameNode#stack} lists it. */
    final List<Object> stack;

    private SiteFrame(List<Object> locals, List<Object> stack) {
        this.locals = locals;
        this.stack = stack;
    }

    /**
     * The frame before {@code insn} runs.
     *
     * @param owner the internal name of the method's class
     * @param method the method, its frames expanded ({@code ClassReader.EXPAND_FRAMES}), not yet rewritten
     * @param insn an instruction of the method
     * @return the frame, or null when it cannot be stated exactly
     */
    static SiteFrame before(String owner, MethodNode method, AbstractInsnNode insn) {
        AbstractInsnNode start = insn.getPrevious();
        while (start != null && !(start instanceof FrameNode)) {
            start = start.getPrevious();
        }
        try {
            Frame<BasicValue> frame = start == null ? entry(owner, method) : declared(method, (FrameNode) start);
            if (frame == null) {
                return null;
            }
            Typed interpreter = new Typed();
            for (AbstractInsnNode i = start == null ? method.instructions.getFirst() : start; i != insn;
                    i = i.getNext()) {
                if (i.getOpcode() < 0) {
                    continue;
                }
                if (endsStraightLine(i.getOpcode())) {
                    return null;
                }
                BasicValue created = initialised(frame, i);
                frame.execute(i, interpreter);
                if (created != null) {
                    replace(frame, created, new BasicValue(created.getType()));
                }
            }
            return toFrameNode(frame);
        } catch (AnalyzerException | RuntimeException e) {
            // Code this pass does not follow (the verifier would reject some of it anyway): no branch there.
            return null;
        }
    }

    private static boolean endsStraightLine(int opcode) {
        return opcode == Opcodes.GOTO || opcode == Opcodes.JSR || opcode == Opcodes.RET
                || opcode == Opcodes.TABLESWITCH || opcode == Opcodes.LOOKUPSWITCH || opcode == Opcodes.ATHROW
                || (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN);
    }

    /** The frame at the method's entry: its receiver and parameters (a constructor's is uninitialised: null). */
    private static Frame<BasicValue> entry(String owner, MethodNode method) {
        if (method.name.equals("<init>")) {
            return null;
        }
        Frame<BasicValue> frame = empty(method);
        int slot = 0;
        if ((method.access & Opcodes.ACC_STATIC) == 0) {
            frame.setLocal(slot++, new BasicValue(Type.getObjectType(owner)));
        }
        for (Type parameter : Type.getArgumentTypes(method.desc)) {
            slot = set(frame, slot, Frames.typeOf(parameter));
        }
        return frame;
    }

    private static Frame<BasicValue> declared(MethodNode method, FrameNode declared) {
        Frame<BasicValue> frame = empty(method);
        int slot = 0;
        for (Object local : declared.local == null ? List.of() : declared.local) {
            slot = set(frame, slot, local);
            if (slot < 0) {
                return null;
            }
        }
        for (Object value : declared.stack == null ? List.of() : declared.stack) {
            BasicValue v = valueOf(value);
            if (v == null) {
                return null;
            }
            frame.push(v);
        }
        return frame;
    }

    private static Frame<BasicValue> empty(MethodNode method) {
        Frame<BasicValue> frame = new Frame<>(method.maxLocals, Math.max(method.maxStack, 1));
        for (int i = 0; i < method.maxLocals; i++) {
            frame.setLocal(i, BasicValue.UNINITIALIZED_VALUE);
        }
        return frame;
    }

    /** Sets the local at {@code slot} to a frame entry's type: the next slot, or -1 for an uninitialised one. */
    private static int set(Frame<BasicValue> frame, int slot, Object type) {
        BasicValue value = valueOf(type);
        if (value == null) {
            return -1;
        }
        frame.setLocal(slot, value);
        return slot + value.getSize();
    }

    private static BasicValue valueOf(Object type) {
        if (type instanceof String) {
            return new BasicValue(Type.getObjectType((String) type));
        }
        if (type == Opcodes.TOP) {
            return BasicValue.UNINITIALIZED_VALUE;
        } else if (type == Opcodes.INTEGER) {
            return BasicValue.INT_VALUE;
        } else if (type == Opcodes.FLOAT) {
            return BasicValue.FLOAT_VALUE;
        } else if (type == Opcodes.LONG) {
            return BasicValue.LONG_VALUE;
        } else if (type == Opcodes.DOUBLE) {
            return BasicValue.DOUBLE_VALUE;
        } else if (type == Opcodes.NULL) {
            return new BasicValue(BasicInterpreter.NULL_TYPE);
        }
        // UNINITIALIZED_THIS, or a LabelNode: an object whose constructor has not run.
        return null;
    }

    /** The value a constructor call initialises (the object of a {@code new}), or null. */
    private static BasicValue initialised(Frame<BasicValue> frame, AbstractInsnNode insn) {
        if (insn.getOpcode() != Opcodes.INVOKESPECIAL || !((MethodInsnNode) insn).name.equals("<init>")) {
            return null;
        }
        int arguments = Type.getArgumentTypes(((MethodInsnNode) insn).desc).length;
        BasicValue receiver = frame.getStack(frame.getStackSize() - 1 - arguments);
        return receiver instanceof Uninitialised ? receiver : null;
    }

    /** After its constructor ran, every copy of a {@code new}'s object is an initialised one. */
    private static void replace(Frame<BasicValue> frame, BasicValue old, BasicValue now) {
        for (int i = 0; i < frame.getLocals(); i++) {
            if (frame.getLocal(i) == old) {
                frame.setLocal(i, now);
            }
        }
        for (int i = 0; i < frame.getStackSize(); i++) {
            if (frame.getStack(i) == old) {
                frame.setStack(i, now);
            }
        }
    }

    private static SiteFrame toFrameNode(Frame<BasicValue> frame) {
        List<Object> locals = new ArrayList<>();
        int lastUsed = 0;
        for (int i = 0; i < frame.getLocals(); i++) {
            BasicValue value = frame.getLocal(i);
            Object type = typeOf(value);
            if (type == null) {
                return null;
            }
            locals.add(type);
            if (type != Opcodes.TOP) {
                lastUsed = locals.size();
            }
            i += value.getSize() - 1;
        }
        List<Object> stack = new ArrayList<>();
        for (int i = 0; i < frame.getStackSize(); i++) {
            Object type = typeOf(frame.getStack(i));
            if (type == null || type == Opcodes.TOP) {
                return null;
            }
            stack.add(type);
        }
        return new SiteFrame(new ArrayList<>(locals.subList(0, lastUsed)), stack);
    }

    private static Object typeOf(BasicValue value) {
        if (value == UNKNOWN || value instanceof Uninitialised || value == BasicValue.RETURNADDRESS_VALUE) {
            return null;
        }
        Type type = value.getType();
        if (type == null) {
            return Opcodes.TOP;
        }
        if (type.equals(BasicInterpreter.NULL_TYPE)) {
            return Opcodes.NULL;
        }
        return Frames.typeOf(type);
    }

    /** An object a {@code new} made, before its constructor runs. */
    private static final class Uninitialised extends BasicValue {
        Uninitialised(Type type) {
            super(type);
        }

        @Override
        public boolean equals(Object other) {
            return other == this;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    /** BasicInterpreter with exact reference types: the verifier's, where straight-line code states them. */
    private static final class Typed extends BasicInterpreter {
        Typed() {
            super(Opcodes.ASM9);
        }

        @Override
        public BasicValue newValue(Type type) {
            if (type != null && (type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY)) {
                return new BasicValue(type);
            }
            return super.newValue(type);
        }

        @Override
        public BasicValue newOperation(AbstractInsnNode insn) throws AnalyzerException {
            BasicValue value = super.newOperation(insn);
            return insn.getOpcode() == Opcodes.NEW ? new Uninitialised(value.getType()) : value;
        }

        @Override
        public BasicValue binaryOperation(AbstractInsnNode insn, BasicValue array, BasicValue index)
                throws AnalyzerException {
            if (insn.getOpcode() == Opcodes.AALOAD) {
                Type type = array.getType();
                return type != null && type.getSort() == Type.ARRAY && array != UNKNOWN
                        ? newValue(Type.getType(type.getDescriptor().substring(1))) : UNKNOWN;
            }
            return super.binaryOperation(insn, array, index);
        }

        @Override
        public BasicValue merge(BasicValue value1, BasicValue value2) {
            // Never called on straight-line code; a merge would be a guess.
            return value1.equals(value2) ? value1 : UNKNOWN;
        }
    }
}
