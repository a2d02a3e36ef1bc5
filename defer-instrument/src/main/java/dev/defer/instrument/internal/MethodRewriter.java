package dev.defer.instrument.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Rewrites one method body so that it runs as a {@code @Defers} invocation:
 *
 * <pre>
 *   invocation = DeferSupport.enter(Owner.class, "name(desc)")   // a new local, after all others
 *   try {                                                        // every range below excludes the exits
 *       ...body, with Defer.defer(f) replaced by DeferSupport.deferStacked(f, invocation) at a
 *          top-level site, DeferSupport.deferPooled(f, invocation) at a loop site...
 *       return DeferSupport.exitX(value, invocation);            // at every return, in place
 *   } catch (Throwable t) {
 *       return unbox(DeferSupport.finish(t, invocation, KIND));  // throws unless a deferred call recovered
 *   }
 * </pre>
 *
 * <p>Each exit sequence stays where its {@code return} was, so line numbers, local variable ranges and
 * the existing stack map frames stay valid; the only new branch target is the handler, whose frame
 * declares nothing but the invocation. Every exception range, the user's and the new one, is split so
 * that no exit sequence lies in it: an exception thrown by a deferred call during a {@code return} is
 * not caught by a {@code catch} of the body, just as in Go.
 */
final class MethodRewriter {
    private final ClassNode owner;
    private final Supplier<InlineSafety> safety;
    private final boolean withFrames;
    private final DeferredLambdas lambdas;

    /**
     * @param owner the class that declares the method
     * @param safety the open-coding screen, which must read the class's methods as they were before any
     *     was rewritten: a rewritten method calls the runtime, which the screen would take for unknown code
     * @param withFrames whether the class file carries stack map frames (version 50 and up; a version 50
     *     class is written without them, and the JVM verifies it by type inference)
     * @param lambdas what the class's deferred lambdas get once every method is rewritten
     */
    MethodRewriter(ClassNode owner, Supplier<InlineSafety> safety, boolean withFrames, DeferredLambdas lambdas) {
        this.owner = owner;
        this.safety = safety;
        this.withFrames = withFrames;
        this.lambdas = lambdas;
    }

    /**
     * Rewrites {@code method} in place, open-coding its defers when it qualifies.
     *
     * @param mayOpenCode false to keep runtime records even where open-coding qualifies (it would take the
     *     method past the JVM's code limit)
     * @return how the method's defer sites are kept, for the agent's verbose output
     * @throws UnrewritableMethodException when the method's bytecode cannot be rewritten
     */
    String rewrite(MethodNode method, boolean mayOpenCode) {
        checkRewritable(method);
        List<MethodInsnNode> sites = new ArrayList<>();
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (RuntimeAbi.isApiDefer(insn)) {
                sites.add((MethodInsnNode) insn);
            }
        }
        ControlFlow flow = sites.isEmpty() ? null : new ControlFlow(method);
        Set<AbstractInsnNode> loopSites = new HashSet<>();
        for (MethodInsnNode site : sites) {
            if (flow.isOnCycle(site)) {
                loopSites.add(site);
            }
        }
        Frame<SourceValue>[] frames = sites.isEmpty() ? null : analyze(method);
        Map<MethodInsnNode, DeferredLambda> deferredLambdas = new HashMap<>();
        if (frames != null && withFrames) {
            for (MethodInsnNode site : sites) {
                DeferredLambda lambda = lambdas.at(method, frames, site);
                if (lambda != null) {
                    deferredLambdas.put(site, lambda);
                }
            }
        }
        if (mayOpenCode && !sites.isEmpty() && loopSites.isEmpty()) {
            OpenCodedRewriter openCoded = OpenCodingPlan.plan(owner, safety.get(), lambdas, withFrames, method,
                    sites, flow, frames, deferredLambdas);
            if (openCoded != null) {
                openCoded.rewrite();
                return " (" + sites.size() + " open-coded)";
            }
        }
        if (mayOpenCode && !loopSites.isEmpty() && LazyRecordsRewriter.qualifies(safety.get(), method, sites, frames)) {
            // The first deferred call may run at the exit, outside the runtime: its lambda is not runtime-only.
            LazyRecordsRewriter.rewrite(owner.name, withFrames, method);
            return " (" + sites.size() + " lazy)";
        }
        for (DeferredLambda lambda : deferredLambdas.values()) {
            // A record holds the object: only the runtime calls the body.
            lambdas.runByRuntimeOnly(lambda);
        }
        rewriteWithRecords(method, loopSites);
        if (sites.isEmpty()) {
            return "";
        }
        return " (" + (sites.size() - loopSites.size()) + " stack-style, " + loopSites.size() + " pooled)";
    }

    private Frame<SourceValue>[] analyze(MethodNode method) {
        try {
            return new Analyzer<>(new SourceInterpreter()).analyze(owner.name, method);
        } catch (AnalyzerException e) {
            // The rewrite itself needs no analysis: such a method keeps runtime records and the stack walk.
            return null;
        }
    }

    private void rewriteWithRecords(MethodNode method, Set<AbstractInsnNode> loopSites) {
        Type returnType = Type.getReturnType(method.desc);
        int slot = method.maxLocals;
        InsnList code = method.instructions;

        LabelNode bodyStart = new LabelNode();
        InsnList prologue = new InsnList();
        RuntimeAbi.addEnter(prologue, owner.name, method, RuntimeAbi.ENTER);
        prologue.add(new VarInsnNode(Opcodes.ASTORE, slot));
        prologue.add(bodyStart);

        List<LabelNode[]> exits = new ArrayList<>();
        for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
            if (RuntimeAbi.isReturn(insn)) {
                exits.add(rewriteReturn(code, insn, returnType, slot));
            } else if (RuntimeAbi.isApiDefer(insn)) {
                rewriteDeferCall(code, (MethodInsnNode) insn, slot, loopSites.contains(insn));
            }
        }
        if (withFrames) {
            Frames.addToAll(code, slot, List.of(RuntimeAbi.INVOCATION));
        }

        LabelNode bodyEnd = new LabelNode();
        LabelNode handler = new LabelNode();
        code.add(bodyEnd);
        code.add(handler);
        if (withFrames) {
            code.add(handlerFrame(slot));
        }
        code.add(new VarInsnNode(Opcodes.ALOAD, slot));
        RuntimeAbi.addFinishAndReturn(code, returnType);
        code.insert(prologue);

        method.tryCatchBlocks.add(new TryCatchBlockNode(bodyStart, bodyEnd, handler, null));
        method.tryCatchBlocks = ExceptionRanges.excluding(code, method.tryCatchBlocks, exits);
        method.maxLocals = slot + 1;
        // The exits and defer calls push the invocation above what the body had; enter pushes two constants, the handler the throwable, the invocation and the result kind.
        method.maxStack = Math.max(method.maxStack + 1, 3);
    }

    private static void checkRewritable(MethodNode method) {
        if (method.instructions.size() == 0) {
            throw new UnrewritableMethodException("it has no body (abstract or native): annotate an"
                    + " implementation instead");
        }
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() == Opcodes.JSR || insn.getOpcode() == Opcodes.RET) {
                throw new UnrewritableMethodException("it uses jsr/ret subroutines (class files older than"
                        + " Java 6): recompile the class with a current javac");
            }
        }
    }

    /** Replaces {@code xRETURN} by {@code invocation; exitX; [checkcast]; xRETURN}, bracketed by labels. */
    private LabelNode[] rewriteReturn(InsnList code, AbstractInsnNode ret, Type returnType, int slot) {
        LabelNode start = new LabelNode();
        LabelNode end = new LabelNode();
        InsnList exit = new InsnList();
        exit.add(start);
        exit.add(new VarInsnNode(Opcodes.ALOAD, slot));
        exit.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RuntimeAbi.SUPPORT, "exit" + RuntimeAbi.kind(returnType),
                RuntimeAbi.exitDescriptor(returnType), false));
        RuntimeAbi.addResultCast(exit, returnType);
        code.insertBefore(ret, exit);
        code.insert(ret, end);
        return new LabelNode[] {start, end};
    }

    private static void rewriteDeferCall(InsnList code, MethodInsnNode call, int slot, boolean loopSite) {
        code.insertBefore(call, new VarInsnNode(Opcodes.ALOAD, slot));
        call.owner = RuntimeAbi.SUPPORT;
        call.name = loopSite ? RuntimeAbi.DEFER_POOLED : RuntimeAbi.DEFER_STACKED;
        call.desc = RuntimeAbi.deferDescriptor(call.desc);
    }

    /** The handler may be reached from anywhere in the body: it relies on the invocation local alone. */
    private static FrameNode handlerFrame(int slot) {
        List<Object> locals = Frames.withLocals(List.of(), slot, List.of(RuntimeAbi.INVOCATION));
        return new FrameNode(Opcodes.F_NEW, locals.size(), locals.toArray(), 1, new Object[] {"java/lang/Throwable"});
    }
}
