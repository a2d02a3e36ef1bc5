package dev.defer.instrument.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Open-coded defers (Go 1.14): for a method whose defer sites are all top-level, at most eight, the
 * deferred calls live in the frame's own locals with a bit mask, and run inline at the method's one
 * exit block; the runtime is not touched on the normal path at all. Only when the body panics, or an
 * inline deferred call throws, does the handler hand the calls still pending to a runtime invocation,
 * which runs them with the full panic and recover rules.
 *
 * <pre>
 *   mask = 0; fn0..fnN = null; result = zero                       // new locals, after all others
 *   body, with Defer.defer(f, a) at site k:  fn_k = f; a_k = a; mask |= 1 &lt;&lt; k
 *         and every return e:               result = e; goto EXIT
 *   EXIT:    for k = N..0: if (mask has k) { mask &amp;= ~(1 &lt;&lt; k); fn_k.run(a_k) }   // covered by HANDLER
 *            return result
 *   HANDLER: invocation = enterLate(); hand over each k still in mask, oldest first; slot = result;
 *            return panicX(thrown, invocation)
 * </pre>
 *
 * <p>Site indices follow the control flow (a site that can reach another comes first), so "last
 * registered first" is "highest bit first". A method qualifies only when the rewrite can see that no
 * deferred call and no code of the body reads or writes the result slot ({@link InlineSafety}), and
 * when every {@code return} leaves nothing on the stack but its value.
 */
final class OpenCodedRewriter {
    /** Go's limit: more sites than this, and the method uses runtime records. */
    static final int MAX_SITES = 8;

    private final String owner;
    private final boolean withFrames;
    private final MethodNode method;
    private final List<MethodInsnNode> sites;
    private final Type returnType;
    private final DeferredLambdas lambdas;
    /** Per site in {@link #sites} order: the lambda whose body the exit calls directly, or null. */
    private final DeferredLambda[] direct;
    /** Frames of the original code that hold a direct lambda's object on the stack, with its depth. */
    private final Map<FrameNode, Integer> framesHoldingLambdas;

    private OpenCodedRewriter(String owner, boolean withFrames, MethodNode method, List<MethodInsnNode> sites,
            DeferredLambdas lambdas, DeferredLambda[] direct, Map<FrameNode, Integer> framesHoldingLambdas) {
        this.owner = owner;
        this.withFrames = withFrames;
        this.method = method;
        this.sites = sites;
        this.returnType = Type.getReturnType(method.desc);
        this.lambdas = lambdas;
        this.direct = direct;
        this.framesHoldingLambdas = framesHoldingLambdas;
    }

    /**
     * Plans the open-coding of a method, or returns null when it does not qualify.
     *
     * @param safety the screen, reading the class as it was before any method was rewritten
     * @param sites the method's Defer.defer calls, none of them on a cycle
     * @param frames the method's frames from a {@code SourceInterpreter} analysis, or null if it failed
     */
    static OpenCodedRewriter plan(ClassNode owner, InlineSafety safety, DeferredLambdas lambdas, boolean withFrames,
            MethodNode method, List<MethodInsnNode> sites, ControlFlow flow, Frame<SourceValue>[] frames) {
        if (sites.isEmpty() || sites.size() > MAX_SITES || frames == null) {
            return null;
        }
        boolean isVoid = Type.getReturnType(method.desc).getSort() == Type.VOID;
        Set<AbstractInsnNode> siteLambdas = new HashSet<>();
        Map<MethodInsnNode, DeferredLambda> directAt = new HashMap<>();
        Map<FrameNode, Integer> holding = new HashMap<>();
        for (MethodInsnNode site : sites) {
            Frame<SourceValue> frame = frames[method.instructions.indexOf(site)];
            if (frame == null) {
                return null;
            }
            int arguments = Type.getArgumentTypes(site.desc).length;
            int position = frame.getStackSize() - arguments;
            SourceValue function = frame.getStack(position);
            if (function.insns.size() != 1 || !(function.insns.iterator().next() instanceof InvokeDynamicInsnNode)) {
                return null;
            }
            InvokeDynamicInsnNode indy = (InvokeDynamicInsnNode) function.insns.iterator().next();
            DeferredLambda lambda = withFrames ? lambdas.at(method, frames, site) : null;
            if (lambda != null && lambda.isExpandable() && safety.isSafeDirectBody(lambda.body.name, lambda.body.desc)
                    && !(isVoid && InlineExpansion.usesResult(lambda.body))) {
                directAt.put(site, lambda);
                holding.putAll(framesHolding(method, frames, indy, position));
            } else {
                Handle implementation = InlineSafety.lambdaImplementation(indy);
                if (implementation == null || !safety.isSafeTarget(implementation)) {
                    return null;
                }
            }
            siteLambdas.add(indy);
        }
        if (!safety.isSafeBody(method, siteLambdas)) {
            return null;
        }
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (RuntimeAbi.isReturn(insn)) {
                Frame<SourceValue> frame = frames[method.instructions.indexOf(insn)];
                if (frame != null && frame.getStackSize() != (isVoid ? 0 : 1)) {
                    return null;
                }
            }
        }
        List<MethodInsnNode> ordered = inFlowOrder(sites, flow);
        DeferredLambda[] direct = new DeferredLambda[ordered.size()];
        for (int k = 0; k < ordered.size(); k++) {
            direct[k] = directAt.get(ordered.get(k));
        }
        return new OpenCodedRewriter(owner.name, withFrames, method, ordered, lambdas, direct, holding);
    }

    /** The stack map frames of the code that hold the lambda object, which the rewrite no longer creates there. */
    private static Map<FrameNode, Integer> framesHolding(MethodNode method, Frame<SourceValue>[] frames,
            InvokeDynamicInsnNode indy, int position) {
        Map<FrameNode, Integer> holding = new HashMap<>();
        for (int i = 0; i < frames.length; i++) {
            AbstractInsnNode insn = method.instructions.get(i);
            Frame<SourceValue> frame = frames[i];
            if (insn instanceof FrameNode && frame != null && frame.getStackSize() > position
                    && frame.getStack(position).insns.contains(indy)) {
                holding.put((FrameNode) insn, position);
            }
        }
        return holding;
    }

    /** Sorts the sites so that a site that can reach another comes before it. */
    private static List<MethodInsnNode> inFlowOrder(List<MethodInsnNode> sites, ControlFlow flow) {
        List<MethodInsnNode> remaining = new ArrayList<>(sites);
        List<MethodInsnNode> ordered = new ArrayList<>();
        while (!remaining.isEmpty()) {
            for (MethodInsnNode candidate : remaining) {
                boolean reachedByAnother = false;
                for (MethodInsnNode other : remaining) {
                    if (other != candidate && flow.reaches(other, candidate)) {
                        reachedByAnother = true;
                        break;
                    }
                }
                if (!reachedByAnother) {
                    ordered.add(candidate);
                    remaining.remove(candidate);
                    break;
                }
            }
        }
        return ordered;
    }

    /** Rewrites the method in place. */
    void rewrite() {
        InsnList code = method.instructions;
        int first = method.maxLocals;
        int mask = first;
        int size = sites.size();
        int[] functions = new int[size];
        int[][] captures = new int[size][];
        int[] firstArguments = new int[size];
        int[] secondArguments = new int[size];
        List<Object> localTypes = new ArrayList<>();
        int next = first + 1;
        localTypes.add(Opcodes.INTEGER);
        for (int k = 0; k < size; k++) {
            int arity = arity(k);
            functions[k] = -1;
            if (direct[k] == null) {
                functions[k] = next++;
                localTypes.add("java/lang/Object");
            } else {
                Type[] types = direct[k].captures();
                captures[k] = new int[types.length];
                for (int j = 0; j < types.length; j++) {
                    captures[k][j] = next;
                    next += types[j].getSize();
                    localTypes.add(Frames.typeOf(types[j]));
                }
            }
            firstArguments[k] = arity >= 1 ? next++ : -1;
            if (arity >= 1) {
                localTypes.add("java/lang/Object");
            }
            secondArguments[k] = arity >= 2 ? next++ : -1;
            if (arity >= 2) {
                localTypes.add("java/lang/Object");
            }
        }
        boolean isVoid = returnType.getSort() == Type.VOID;
        Type slotType = RuntimeAbi.erased(returnType);
        int result = next;
        if (!isVoid) {
            localTypes.add(Frames.typeOf(slotType));
            next += slotType.getSize();
        }

        LabelNode bodyStart = new LabelNode();
        InsnList prologue = new InsnList();
        prologue.add(new InsnNode(Opcodes.ICONST_0));
        prologue.add(new VarInsnNode(Opcodes.ISTORE, mask));
        for (int k = 0; k < size; k++) {
            storeNull(prologue, functions[k]);
            if (direct[k] != null) {
                Type[] types = direct[k].captures();
                for (int j = 0; j < types.length; j++) {
                    prologue.add(zero(types[j]));
                    prologue.add(new VarInsnNode(types[j].getOpcode(Opcodes.ISTORE), captures[k][j]));
                }
            }
            storeNull(prologue, firstArguments[k]);
            storeNull(prologue, secondArguments[k]);
        }
        if (!isVoid) {
            prologue.add(zero(slotType));
            prologue.add(new VarInsnNode(slotType.getOpcode(Opcodes.ISTORE), result));
        }
        prologue.add(bodyStart);

        LabelNode exit = new LabelNode();
        for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
            if (RuntimeAbi.isReturn(insn)) {
                InsnList jump = new InsnList();
                if (!isVoid) {
                    jump.add(new VarInsnNode(slotType.getOpcode(Opcodes.ISTORE), result));
                }
                jump.add(new JumpInsnNode(Opcodes.GOTO, exit));
                AbstractInsnNode last = jump.getLast();
                code.insertBefore(insn, jump);
                code.remove(insn);
                insn = last;
            }
        }
        // The object of a direct lambda is never made on this path: its captured values go to locals.
        for (Map.Entry<FrameNode, Integer> holding : framesHoldingLambdas.entrySet()) {
            List<Object> stack = new ArrayList<>(holding.getKey().stack);
            stack.remove((int) holding.getValue());
            holding.getKey().stack = stack;
        }
        for (int k = 0; k < size; k++) {
            MethodInsnNode site = sites.get(k);
            if (direct[k] != null) {
                InsnList store = new InsnList();
                Type[] types = direct[k].captures();
                for (int j = types.length - 1; j >= 0; j--) {
                    store.add(new VarInsnNode(types[j].getOpcode(Opcodes.ISTORE), captures[k][j]));
                }
                code.insertBefore(direct[k].indy, store);
                code.remove(direct[k].indy);
            }
            InsnList register = new InsnList();
            if (secondArguments[k] >= 0) {
                register.add(new VarInsnNode(Opcodes.ASTORE, secondArguments[k]));
            }
            if (firstArguments[k] >= 0) {
                register.add(new VarInsnNode(Opcodes.ASTORE, firstArguments[k]));
            }
            if (direct[k] == null) {
                register.add(new InsnNode(Opcodes.DUP));
                register.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RuntimeAbi.SUPPORT, "checkDeferred",
                        "(Ljava/lang/Object;)V", false));
                register.add(new VarInsnNode(Opcodes.ASTORE, functions[k]));
            }
            register.add(new VarInsnNode(Opcodes.ILOAD, mask));
            register.add(new LdcInsnNode(1 << k));
            register.add(new InsnNode(Opcodes.IOR));
            register.add(new VarInsnNode(Opcodes.ISTORE, mask));
            code.insertBefore(site, register);
            code.remove(site);
        }
        if (withFrames) {
            Frames.addToAll(code, first, localTypes);
        }

        LabelNode bodyEnd = new LabelNode();
        LabelNode inlineStart = new LabelNode();
        LabelNode inlineEnd = new LabelNode();
        LabelNode returnLabel = new LabelNode();
        LabelNode handler = new LabelNode();
        List<Object> exitLocals = Frames.withLocals(List.of(), first, localTypes);
        int expansionsEnd = next;
        code.add(bodyEnd);
        code.add(exit);
        addFrame(code, first, localTypes);
        code.add(new VarInsnNode(Opcodes.ILOAD, mask));
        code.add(new JumpInsnNode(Opcodes.IFEQ, returnLabel));
        code.add(inlineStart);
        for (int k = size - 1; k >= 0; k--) {
            LabelNode skip = k == 0 ? returnLabel : new LabelNode();
            int bit = 1 << k;
            code.add(new VarInsnNode(Opcodes.ILOAD, mask));
            code.add(new LdcInsnNode(bit));
            code.add(new InsnNode(Opcodes.IAND));
            code.add(new JumpInsnNode(Opcodes.IFEQ, skip));
            code.add(new VarInsnNode(Opcodes.ILOAD, mask));
            code.add(new LdcInsnNode(~bit));
            code.add(new InsnNode(Opcodes.IAND));
            code.add(new VarInsnNode(Opcodes.ISTORE, mask));
            if (direct[k] == null) {
                addInterfaceCall(code, k, functions[k], firstArguments[k], secondArguments[k]);
            } else {
                expansionsEnd = Math.max(expansionsEnd, addExpansion(code, k, captures[k], firstArguments[k],
                        secondArguments[k], isVoid ? null : slotType, result, exitLocals, next));
            }
            if (k == 0) {
                code.add(inlineEnd);
            }
            code.add(skip);
            addFrame(code, first, localTypes);
        }
        if (!isVoid) {
            code.add(new VarInsnNode(slotType.getOpcode(Opcodes.ILOAD), result));
            RuntimeAbi.addResultCast(code, returnType);
        }
        code.add(new InsnNode(returnType.getOpcode(Opcodes.IRETURN)));

        code.add(handler);
        addFrame(code, first, localTypes, "java/lang/Throwable");
        RuntimeAbi.addEnter(code, owner, method, "enterLate");
        for (int k = 0; k < size; k++) {
            LabelNode skip = null;
            if (direct[k] != null) {
                // The object is made only here, for the runtime, and only if the site ran.
                skip = new LabelNode();
                code.add(new VarInsnNode(Opcodes.ILOAD, mask));
                code.add(new LdcInsnNode(1 << k));
                code.add(new InsnNode(Opcodes.IAND));
                code.add(new JumpInsnNode(Opcodes.IFEQ, skip));
            }
            code.add(new InsnNode(Opcodes.DUP));
            code.add(new VarInsnNode(Opcodes.ILOAD, mask));
            code.add(new LdcInsnNode(1 << k));
            code.add(new LdcInsnNode(arity(k)));
            if (direct[k] == null) {
                code.add(new VarInsnNode(Opcodes.ALOAD, functions[k]));
            } else {
                loadCaptures(code, k, captures[k]);
                InvokeDynamicInsnNode indy = direct[k].indy;
                code.add(new InvokeDynamicInsnNode(indy.name, indy.desc, indy.bsm, indy.bsmArgs));
            }
            loadOrNull(code, firstArguments[k]);
            loadOrNull(code, secondArguments[k]);
            code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RuntimeAbi.SUPPORT, "handOver",
                    "(" + RuntimeAbi.INVOCATION_DESCRIPTOR + "IIILjava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;)V",
                    false));
            if (skip != null) {
                code.add(skip);
                addFrame(code, first, localTypes, "java/lang/Throwable", RuntimeAbi.INVOCATION);
            }
        }
        if (!isVoid) {
            code.add(new InsnNode(Opcodes.DUP));
            code.add(new VarInsnNode(slotType.getOpcode(Opcodes.ILOAD), result));
            code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RuntimeAbi.SUPPORT, "slot",
                    "(" + RuntimeAbi.INVOCATION_DESCRIPTOR + slotType.getDescriptor() + ")V", false));
        }
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RuntimeAbi.SUPPORT, "panic" + RuntimeAbi.kind(returnType),
                RuntimeAbi.panicDescriptor(returnType), false));
        RuntimeAbi.addResultCast(code, returnType);
        code.add(new InsnNode(returnType.getOpcode(Opcodes.IRETURN)));
        code.insert(prologue);

        method.tryCatchBlocks.add(new TryCatchBlockNode(bodyStart, bodyEnd, handler, null));
        method.tryCatchBlocks.add(new TryCatchBlockNode(inlineStart, inlineEnd, handler, null));
        method.maxLocals = expansionsEnd;
        // The handler's hand-over pushes: throwable, invocation twice, mask, bit, arity, the captured values
        // or the function, two references; an inline call pushes the captured values, two references, the slot.
        method.maxStack = Math.max(method.maxStack + 1, 10 + slotType.getSize() + maxCaptureSize());
    }

    private int arity(int k) {
        return Type.getArgumentTypes(sites.get(k).desc).length - 1;
    }

    private int maxCaptureSize() {
        int max = 0;
        for (DeferredLambda lambda : direct) {
            if (lambda != null) {
                int sum = 0;
                for (Type type : lambda.captures()) {
                    sum += type.getSize();
                }
                max = Math.max(max, sum);
            }
        }
        return max;
    }

    /** {@code ((Deferred1) fn).run(a)}: the object stored by the site. */
    private void addInterfaceCall(InsnList code, int k, int function, int firstArgument, int secondArgument) {
        String type = Type.getArgumentTypes(sites.get(k).desc)[0].getInternalName();
        code.add(new VarInsnNode(Opcodes.ALOAD, function));
        code.add(new TypeInsnNode(Opcodes.CHECKCAST, type));
        String runDescriptor = "()V";
        if (firstArgument >= 0) {
            code.add(new VarInsnNode(Opcodes.ALOAD, firstArgument));
            runDescriptor = "(Ljava/lang/Object;)V";
        }
        if (secondArgument >= 0) {
            code.add(new VarInsnNode(Opcodes.ALOAD, secondArgument));
            runDescriptor = "(Ljava/lang/Object;Ljava/lang/Object;)V";
        }
        code.add(new MethodInsnNode(Opcodes.INVOKEINTERFACE, type, "run", runDescriptor, true));
    }

    /** The body of a direct lambda, expanded with the values its site stored; returns the first free local above. */
    private int addExpansion(InsnList code, int k, int[] captureLocals, int firstArgument, int secondArgument,
            Type slot, int result, List<Object> exitLocals, int base) {
        int[] argumentLocals = arity(k) == 0 ? new int[0]
                : arity(k) == 1 ? new int[] {firstArgument} : new int[] {firstArgument, secondArgument};
        InlineExpansion expansion = new InlineExpansion(lambdas.owner(), method, direct[k], slot, result, exitLocals,
                withFrames);
        lambdas.runByRuntimeOnly(direct[k]);
        return expansion.append(code, base, captureLocals, argumentLocals);
    }

    private void loadCaptures(InsnList code, int k, int[] captureLocals) {
        Type[] types = direct[k].captures();
        for (int j = 0; j < types.length; j++) {
            code.add(new VarInsnNode(types[j].getOpcode(Opcodes.ILOAD), captureLocals[j]));
        }
    }

    private void addFrame(InsnList code, int first, List<Object> localTypes, Object... stack) {
        if (withFrames) {
            List<Object> locals = Frames.withLocals(List.of(), first, localTypes);
            code.add(new FrameNode(Opcodes.F_NEW, locals.size(), locals.toArray(), stack.length, stack));
        }
    }

    private static void storeNull(InsnList code, int local) {
        if (local >= 0) {
            code.add(new InsnNode(Opcodes.ACONST_NULL));
            code.add(new VarInsnNode(Opcodes.ASTORE, local));
        }
    }

    private static void loadOrNull(InsnList code, int local) {
        code.add(local >= 0 ? new VarInsnNode(Opcodes.ALOAD, local) : new InsnNode(Opcodes.ACONST_NULL));
    }

    private static AbstractInsnNode zero(Type type) {
        switch (type.getSort()) {
            case Type.BOOLEAN:
            case Type.BYTE:
            case Type.CHAR:
            case Type.SHORT:
            case Type.INT:
                return new InsnNode(Opcodes.ICONST_0);
            case Type.LONG:
                return new InsnNode(Opcodes.LCONST_0);
            case Type.FLOAT:
                return new InsnNode(Opcodes.FCONST_0);
            case Type.DOUBLE:
                return new InsnNode(Opcodes.DCONST_0);
            default:
                return new InsnNode(Opcodes.ACONST_NULL);
        }
    }
}
