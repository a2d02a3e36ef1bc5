package dev.defer.instrument.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Whether a method's defers can be open-coded ({@link OpenCodedRewriter}), and how: which sites keep the
 * deferred call's object and which expand a lambda of the class ({@link DeferredLambda}), in which order
 * the bits go, and which stack map frames must forget a lambda object the rewrite no longer creates.
 */
final class OpenCodingPlan {
    private OpenCodingPlan() {
    }

    /**
     * Plans the open-coding of a method, or returns null when it does not qualify.
     *
     * @param safety the screen, reading the class as it was before any method was rewritten
     * @param sites the method's Defer.defer calls, none of them on a cycle
     * @param frames the method's frames from a {@code SourceInterpreter} analysis, or null if it failed
     * @param deferredLambdas the sites whose deferred call is a lambda of the class ({@link DeferredLambda})
     */
    static OpenCodedRewriter plan(ClassNode owner, InlineSafety safety, DeferredLambdas lambdas, boolean withFrames,
            MethodNode method, List<MethodInsnNode> sites, ControlFlow flow, Frame<SourceValue>[] frames,
            Map<MethodInsnNode, DeferredLambda> deferredLambdas) {
        if (sites.isEmpty() || sites.size() > OpenCodedRewriter.MAX_SITES || frames == null) {
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
            DeferredLambda lambda = deferredLambdas.get(site);
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
}
