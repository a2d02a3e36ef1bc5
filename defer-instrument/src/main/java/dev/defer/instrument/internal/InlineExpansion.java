package dev.defer.instrument.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * A deferred lambda's body expanded at an open-coded method's exit, as Go's compiler expands an open-coded
 * closure that reads and assigns the named result {@code r} in the frame. The body's code is copied into
 * the method, its locals moved above the method's own, and its parameters set from the values the defer
 * site stored (the captured values, then the deferred call's arguments, cast as the lambda object would):
 *
 * <ul>
 *   <li>{@code Defer.result()} becomes the method's result local, boxed as the runtime boxes it;</li>
 *   <li>{@code Defer.setResult(v)} becomes a store to it, after the runtime's own conversion and check
 *       ({@code DeferSupport.resultX}), so a wrong type fails with the same message; a value written
 *       before the body throws stays, and the method's handler hands it to the runtime;</li>
 *   <li>{@code Defer.recover()} becomes {@code null}: a deferred call run by a normal return is not run by
 *       a panic, so in Go its {@code recover()} returns nil whatever else is panicking;</li>
 *   <li>{@code return} jumps past the expansion.</li>
 * </ul>
 *
 * The class gains no member (S15): the original body stays for the panic path, where the runtime runs the
 * lambda object. Line numbers and local variables of the body are copied, so a stack trace from the
 * expansion names the method and the lambda's line.
 */
final class InlineExpansion {
    /** Bodies up to this many instructions are expanded; larger ones are called (or kept as objects). */
    static final int MAX_INSTRUCTIONS = 120;

    private final ClassNode owner;
    private final MethodNode outer;
    private final DeferredLambda lambda;
    /** The method's result slot type, or null for a void method. */
    private final Type slot;
    private final int resultLocal;
    /** The frame locals at the method's exit block: the expansion's frames start from them. */
    private final List<Object> exitLocals;
    private final boolean withFrames;

    InlineExpansion(ClassNode owner, MethodNode outer, DeferredLambda lambda, Type slot, int resultLocal,
            List<Object> exitLocals, boolean withFrames) {
        this.owner = owner;
        this.outer = outer;
        this.lambda = lambda;
        this.slot = slot;
        this.resultLocal = resultLocal;
        this.exitLocals = exitLocals;
        this.withFrames = withFrames;
    }

    /** Whether a method's code calls {@code Defer.result()} or {@code setResult()} itself. */
    static boolean usesResult(MethodNode body) {
        for (AbstractInsnNode insn = body.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (InlineSafety.touchesResult(insn)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Appends the expansion to the exit block. The caller must follow it with a stack map frame of the exit
     * block's locals (two frames at one offset are not allowed, so the expansion does not write its own).
     *
     * @param code the method's code
     * @param base the first local of the body's locals in the method
     * @param captureLocals the locals holding the captured values, in the invokedynamic's order
     * @param argumentLocals the locals holding the deferred call's arguments
     * @return the first local above the expansion's
     */
    int append(InsnList code, int base, int[] captureLocals, int[] argumentLocals) {
        MethodNode body = lambda.body;
        Type[] captured = lambda.captures();
        Type[] parameters = Type.getArgumentTypes(body.desc);
        int local = base;
        for (int j = 0; j < captured.length; j++) {
            code.add(new VarInsnNode(captured[j].getOpcode(Opcodes.ILOAD), captureLocals[j]));
            code.add(new VarInsnNode(captured[j].getOpcode(Opcodes.ISTORE), local));
            local += captured[j].getSize();
        }
        for (int i = 0; i < argumentLocals.length; i++) {
            Type parameter = parameters[parameters.length - argumentLocals.length + i];
            code.add(new VarInsnNode(Opcodes.ALOAD, argumentLocals[i]));
            if (!parameter.getInternalName().equals("java/lang/Object")) {
                code.add(new TypeInsnNode(Opcodes.CHECKCAST, parameter.getInternalName()));
            }
            code.add(new VarInsnNode(Opcodes.ASTORE, local++));
        }

        Map<LabelNode, LabelNode> labels = new HashMap<>();
        for (AbstractInsnNode insn = body.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof LabelNode) {
                labels.put((LabelNode) insn, new LabelNode());
            }
        }
        LabelNode end = new LabelNode();
        for (AbstractInsnNode insn = body.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            appendCopy(code, insn, labels, base, end);
        }
        // A return jumps here: the caller's next frame, at the same offset, declares the exit block's locals.
        code.add(end);
        for (TryCatchBlockNode block : body.tryCatchBlocks) {
            outer.tryCatchBlocks.add(new TryCatchBlockNode(labels.get(block.start), labels.get(block.end),
                    labels.get(block.handler), block.type));
        }
        if (body.localVariables != null) {
            if (outer.localVariables == null) {
                outer.localVariables = new java.util.ArrayList<>();
            }
            for (LocalVariableNode variable : body.localVariables) {
                outer.localVariables.add(new LocalVariableNode(variable.name, variable.desc, variable.signature,
                        labels.get(variable.start), labels.get(variable.end), variable.index + base));
            }
        }
        // A setResult pushes its class and method name above the value.
        outer.maxStack = Math.max(outer.maxStack, body.maxStack + 3);
        return base + body.maxLocals;
    }

    private void appendCopy(InsnList code, AbstractInsnNode insn, Map<LabelNode, LabelNode> labels, int base,
            LabelNode end) {
        if (RuntimeAbi.isApiCall(insn, "recover")) {
            code.add(new InsnNode(Opcodes.ACONST_NULL));
        } else if (RuntimeAbi.isApiCall(insn, "result")) {
            readResult(code);
        } else if (RuntimeAbi.isApiCall(insn, "setResult")) {
            writeResult(code);
        } else if (insn.getOpcode() == Opcodes.RETURN) {
            code.add(new JumpInsnNode(Opcodes.GOTO, end));
        } else if (insn instanceof FrameNode) {
            if (withFrames) {
                FrameNode frame = (FrameNode) insn.clone(labels);
                frame.local = Frames.withLocals(exitLocals, base, frame.local);
                code.add(frame);
            }
        } else {
            AbstractInsnNode copy = insn.clone(labels);
            if (copy instanceof VarInsnNode) {
                ((VarInsnNode) copy).var += base;
            } else if (copy instanceof IincInsnNode) {
                ((IincInsnNode) copy).var += base;
            }
            code.add(copy);
        }
    }

    /** {@code Defer.result()}: the slot, boxed as the runtime boxes it for the declared return type. */
    private void readResult(InsnList code) {
        code.add(new VarInsnNode(slot.getOpcode(Opcodes.ILOAD), resultLocal));
        Type declared = Type.getReturnType(outer.desc);
        String box = boxClass(declared);
        if (box != null) {
            code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, box, "valueOf",
                    "(" + declared.getDescriptor() + ")L" + box + ";", false));
        }
    }

    /** {@code Defer.setResult(v)}: the runtime converts and checks v as it would for the slot; it is stored. */
    private void writeResult(InsnList code) {
        Type declared = Type.getReturnType(outer.desc);
        String descriptor;
        if (slot.getSort() == Type.OBJECT) {
            code.add(new LdcInsnNode(declared));
            descriptor = "(Ljava/lang/Object;Ljava/lang/Class;Ljava/lang/Class;Ljava/lang/String;)Ljava/lang/Object;";
        } else {
            descriptor = "(Ljava/lang/Object;Ljava/lang/Class;Ljava/lang/String;)" + slot.getDescriptor();
        }
        code.add(new LdcInsnNode(Type.getObjectType(owner.name)));
        code.add(new LdcInsnNode(outer.name + outer.desc));
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RuntimeAbi.SUPPORT, RuntimeAbi.resultConversion(declared),
                descriptor, false));
        code.add(new VarInsnNode(slot.getOpcode(Opcodes.ISTORE), resultLocal));
    }

    private static String boxClass(Type type) {
        switch (type.getSort()) {
            case Type.BOOLEAN:
                return "java/lang/Boolean";
            case Type.BYTE:
                return "java/lang/Byte";
            case Type.CHAR:
                return "java/lang/Character";
            case Type.SHORT:
                return "java/lang/Short";
            case Type.INT:
                return "java/lang/Integer";
            case Type.LONG:
                return "java/lang/Long";
            case Type.FLOAT:
                return "java/lang/Float";
            case Type.DOUBLE:
                return "java/lang/Double";
            default:
                return null;
        }
    }
}
