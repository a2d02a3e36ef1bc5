package dev.defer.instrument.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * A deferred call written as a lambda of the rewritten class, whose body the rewrite may therefore call
 * and copy: {@code Defer.defer(() -> ...)} compiles to an {@code invokedynamic} of the
 * {@code LambdaMetafactory} bound to a private synthetic method of the class ({@code lambda$m$0}), and the
 * lambda object goes straight into the {@code Defer.defer} call.
 *
 * <p>Two facts make such a lambda special. Its body runs only as that deferred call: nothing else
 * references the method (checked over the whole class) and nothing else sees the object (checked on the
 * method's data flow). So an open-coded method can call the body directly with the captured values
 * instead of creating the object (Go keeps a closure's captured variables in the frame the same way), and
 * a {@code Defer.recover()} written in the body is called by the deferred call itself, which the runtime
 * then need not check with a stack walk.
 */
final class DeferredLambda {
    private static final String LAMBDA_METAFACTORY = "java/lang/invoke/LambdaMetafactory";

    final InvokeDynamicInsnNode indy;
    final MethodNode body;
    private final String ownerName;

    private DeferredLambda(InvokeDynamicInsnNode indy, MethodNode body, String ownerName) {
        this.indy = indy;
        this.body = body;
        this.ownerName = ownerName;
    }

    /** Whether the body is an instance method: the first captured value is then {@code this}. */
    boolean isInstance() {
        return (body.access & Opcodes.ACC_STATIC) == 0;
    }

    /**
     * Whether the body can be expanded inline ({@link InlineExpansion}): small, free of {@code Defer.defer}
     * (which fails in a lambda, and must keep failing there, with the lambda named), and every
     * {@code return} leaves an empty stack, as javac writes it, so that it can become a jump. A
     * {@code recover()} forwarder is not: expanded, its call would come from the method itself and be taken
     * for a call in a deferred function's body.
     */
    boolean isExpandable() {
        if (DeferredLambdas.isRecoverForwarder(body)) {
            return false;
        }
        int size = 0;
        for (AbstractInsnNode insn = body.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() >= 0 && ++size > InlineExpansion.MAX_INSTRUCTIONS || RuntimeAbi.isApiDefer(insn)) {
                return false;
            }
        }
        Frame<BasicValue>[] frames;
        try {
            frames = new Analyzer<>(new BasicInterpreter()).analyze(ownerName, body);
        } catch (AnalyzerException e) {
            return false;
        }
        for (int i = 0; i < frames.length; i++) {
            if (body.instructions.get(i).getOpcode() == Opcodes.RETURN && frames[i] != null
                    && frames[i].getStackSize() != 0) {
                return false;
            }
        }
        return true;
    }

    /** The captured values' types: the {@code invokedynamic}'s arguments. */
    Type[] captures() {
        return Type.getArgumentTypes(indy.desc);
    }

    /** References to each method of a class from its code and constants, counted once per class. */
    static final class References {
        private final Map<String, Integer> counts = new HashMap<>();

        References(ClassNode owner) {
            for (MethodNode method : owner.methods) {
                for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
                    if (insn instanceof MethodInsnNode) {
                        MethodInsnNode call = (MethodInsnNode) insn;
                        count(owner.name, call.owner, call.name, call.desc);
                    } else if (insn instanceof InvokeDynamicInsnNode) {
                        InvokeDynamicInsnNode indy = (InvokeDynamicInsnNode) insn;
                        countConstant(owner.name, indy.bsm);
                        for (Object argument : indy.bsmArgs) {
                            countConstant(owner.name, argument);
                        }
                    } else if (insn instanceof LdcInsnNode) {
                        countConstant(owner.name, ((LdcInsnNode) insn).cst);
                    }
                }
            }
        }

        private void countConstant(String className, Object constant) {
            if (constant instanceof Handle) {
                Handle handle = (Handle) constant;
                count(className, handle.getOwner(), handle.getName(), handle.getDesc());
            } else if (constant instanceof ConstantDynamic) {
                ConstantDynamic dynamic = (ConstantDynamic) constant;
                countConstant(className, dynamic.getBootstrapMethod());
                for (int i = 0; i < dynamic.getBootstrapMethodArgumentCount(); i++) {
                    countConstant(className, dynamic.getBootstrapMethodArgument(i));
                }
            }
        }

        private void count(String className, String owner, String name, String descriptor) {
            if (owner.equals(className)) {
                counts.merge(name + descriptor, 1, Integer::sum);
            }
        }

        boolean isReferencedOnce(MethodNode method) {
            return counts.getOrDefault(method.name + method.desc, 0) == 1;
        }
    }

    /**
     * The lambda deferred at {@code site}, or null when the deferred call is anything else: a method
     * reference, a lambda object that is stored, passed elsewhere or copied, or a body that another
     * instruction of the class references.
     *
     * @param owner the class as the rewrite reads it (the body is taken from it)
     * @param references the class's references, counted before any rewrite
     * @param frames the method's frames from a {@code SourceInterpreter} analysis
     */
    static DeferredLambda at(ClassNode owner, References references, MethodNode method,
            Frame<SourceValue>[] frames, MethodInsnNode site) {
        Frame<SourceValue> siteFrame = frames[method.instructions.indexOf(site)];
        if (siteFrame == null) {
            return null;
        }
        int position = siteFrame.getStackSize() - Type.getArgumentTypes(site.desc).length;
        SourceValue function = siteFrame.getStack(position);
        if (function.insns.size() != 1 || !(function.insns.iterator().next() instanceof InvokeDynamicInsnNode)) {
            return null;
        }
        InvokeDynamicInsnNode indy = (InvokeDynamicInsnNode) function.insns.iterator().next();
        MethodNode body = body(owner, indy);
        if (body == null || !references.isReferencedOnce(body) || !fits(owner, indy, body, site)
                || !flowsOnlyInto(method, frames, indy, position, site)) {
            return null;
        }
        return new DeferredLambda(indy, body, owner.name);
    }

    /**
     * Whether the body takes the captured values as they are and the deferred call's arguments as
     * references, as javac writes it, so that a direct call passes what the lambda object would.
     */
    private static boolean fits(ClassNode owner, InvokeDynamicInsnNode indy, MethodNode body, MethodInsnNode site) {
        Type[] captured = Type.getArgumentTypes(indy.desc);
        Type[] parameters = Type.getArgumentTypes(body.desc);
        int receiver = (body.access & Opcodes.ACC_STATIC) == 0 ? 1 : 0;
        int arguments = Type.getArgumentTypes(site.desc).length - 1;
        if (receiver == 1 && (captured.length == 0 || !captured[0].equals(Type.getObjectType(owner.name)))) {
            return false;
        }
        if (captured.length - receiver + arguments != parameters.length) {
            return false;
        }
        for (int i = receiver; i < captured.length; i++) {
            if (!captured[i].equals(parameters[i - receiver])) {
                return false;
            }
        }
        for (int i = parameters.length - arguments; i < parameters.length; i++) {
            int sort = parameters[i].getSort();
            if (sort != Type.OBJECT && sort != Type.ARRAY) {
                return false;
            }
        }
        return true;
    }

    /** The private synthetic void method of the class that a LambdaMetafactory call site binds, if any. */
    private static MethodNode body(ClassNode owner, InvokeDynamicInsnNode indy) {
        if (!indy.bsm.getOwner().equals(LAMBDA_METAFACTORY) || indy.bsmArgs.length < 3
                || !(indy.bsmArgs[1] instanceof Handle)) {
            return null;
        }
        Handle handle = (Handle) indy.bsmArgs[1];
        if (!handle.getOwner().equals(owner.name)) {
            return null;
        }
        int kind = handle.getTag();
        if (kind != Opcodes.H_INVOKESTATIC && kind != Opcodes.H_INVOKESPECIAL && kind != Opcodes.H_INVOKEVIRTUAL
                && kind != Opcodes.H_INVOKEINTERFACE) {
            return null;
        }
        for (MethodNode method : owner.methods) {
            if (method.name.equals(handle.getName()) && method.desc.equals(handle.getDesc())) {
                int required = Opcodes.ACC_PRIVATE | Opcodes.ACC_SYNTHETIC;
                boolean isStatic = (method.access & Opcodes.ACC_STATIC) != 0;
                boolean fits = (method.access & required) == required
                        && (method.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0
                        && Type.getReturnType(method.desc) == Type.VOID_TYPE
                        && isStatic == (kind == Opcodes.H_INVOKESTATIC)
                        && method.instructions.size() > 0;
                return fits ? method : null;
            }
        }
        return null;
    }

    /**
     * Whether the object the {@code invokedynamic} creates reaches nothing but the deferral. The analysis
     * tracks the stack entry it pushed: at every instruction that holds it, each normal successor must
     * hold it at the same depth (an instruction that consumed it would have replaced it), except at the
     * site itself; a {@code dup} or {@code swap} that could copy it disqualifies. Exception edges drop the
     * stack, so they cannot leak it.
     */
    private static boolean flowsOnlyInto(MethodNode method, Frame<SourceValue>[] frames, InvokeDynamicInsnNode indy,
            int position, MethodInsnNode site) {
        for (int i = 0; i < frames.length; i++) {
            AbstractInsnNode insn = method.instructions.get(i);
            if (insn == site || !holds(frames[i], indy, position)) {
                continue;
            }
            if (copyWindow(insn.getOpcode()) > frames[i].getStackSize() - 1 - position) {
                return false;
            }
            List<Integer> successors = new ArrayList<>(2);
            ControlFlow.addNormalEdges(method.instructions, i, successors);
            for (int next : successors) {
                if (!holds(frames[next], indy, position)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean holds(Frame<SourceValue> frame, AbstractInsnNode indy, int position) {
        return frame != null && frame.getStackSize() > position && frame.getStack(position).insns.contains(indy);
    }

    /** How many entries below the top (counting from 1) a stack-copying instruction may copy or move. */
    private static int copyWindow(int opcode) {
        switch (opcode) {
            case Opcodes.DUP:
                return 1;
            case Opcodes.DUP_X1:
            case Opcodes.DUP2:
            case Opcodes.SWAP:
                return 2;
            case Opcodes.DUP_X2:
            case Opcodes.DUP2_X1:
                return 3;
            case Opcodes.DUP2_X2:
                return 4;
            default:
                return 0;
        }
    }
}
