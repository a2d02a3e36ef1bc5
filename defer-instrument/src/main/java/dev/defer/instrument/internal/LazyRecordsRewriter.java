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
import org.objectweb.asm.tree.FieldInsnNode;
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
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Lazy records (ABI 7): a method that defers in a loop, every deferred call one the agent can see (a lambda or
 * method reference created at the site, passing the open-coding screen, as the body does). The local that records
 * keep the invocation in holds nothing, the first deferred call, or, from the second defer on, the invocation:
 *
 * <pre>
 *   state = null; DeferSupport.ABI_VERSION                       // the runtime initialised at the first call
 *   try {
 *       ...body, with Defer.defer(f, ...) replaced by
 *          if (state instanceof Invocation) DeferSupport.deferPooled(f, ..., (Invocation) state);
 *          else state = DeferSupport.deferLazy(f, ..., state, Owner.class, "name(desc)");...
 *       return DeferSupport.exitLazyX(value, state);             // at every return, in place
 *   } catch (Throwable t) {
 *       return unbox(DeferSupport.finish(t, DeferSupport.handOverLazy(t, state, Owner.class, "name(desc)"), KIND));
 *   }
 * </pre>
 *
 * <p>An invocation that defers once never enters the runtime: its call runs at the exit, where the screen
 * makes that safe, as for an open-coded method (no result slot is read or written, {@code Defer::recover} is
 * not the call). The method gains no local over records (the interpreted frame's size is issue 9's), and the
 * exits, the handler and their exception ranges are laid out as {@link MethodRewriter}'s records.
 */
final class LazyRecordsRewriter {
    static final String DEFER_LAZY = "deferLazy";
    private static final String OBJECT = "java/lang/Object";
    private static final String NAMING = "Ljava/lang/Object;Ljava/lang/Class;Ljava/lang/String;)";

    private LazyRecordsRewriter() {
    }

    /**
     * Whether a method's defers may be lazy records: every site's deferred call is created at the site by a
     * lambda factory whose target passes the screen, the body passes it too, and a site defers a call without
     * arguments (the only kind the local holds).
     */
    static boolean qualifies(InlineSafety safety, MethodNode method, List<MethodInsnNode> sites,
            Frame<SourceValue>[] frames) {
        if (frames == null || sites.isEmpty()) {
            return false;
        }
        Set<AbstractInsnNode> siteLambdas = new HashSet<>();
        boolean withoutArguments = false;
        for (MethodInsnNode site : sites) {
            // A call with arguments is always a record: a method with only those would enter at its first defer.
            withoutArguments |= Type.getArgumentTypes(site.desc).length == 1;
            Frame<SourceValue> frame = frames[method.instructions.indexOf(site)];
            if (frame == null) {
                return false;
            }
            SourceValue function = frame.getStack(frame.getStackSize() - Type.getArgumentTypes(site.desc).length);
            if (function.insns.size() != 1 || !(function.insns.iterator().next() instanceof InvokeDynamicInsnNode)) {
                return false;
            }
            InvokeDynamicInsnNode indy = (InvokeDynamicInsnNode) function.insns.iterator().next();
            Handle implementation = InlineSafety.lambdaImplementation(indy);
            if (implementation == null || !safety.isSafeTarget(implementation)) {
                return false;
            }
            siteLambdas.add(indy);
        }
        return withoutArguments && safety.isSafeBody(method, siteLambdas);
    }

    /** Rewrites the method in place (see the class comment). */
    static void rewrite(String owner, boolean withFrames, MethodNode method) {
        Type returnType = Type.getReturnType(method.desc);
        int slot = method.maxLocals;
        InsnList code = method.instructions;
        String name = method.name + method.desc;

        LabelNode bodyStart = new LabelNode();
        InsnList prologue = new InsnList();
        prologue.add(new InsnNode(Opcodes.ACONST_NULL));
        prologue.add(new VarInsnNode(Opcodes.ASTORE, slot));
        // Initialises the runtime (its first-use rehearsal) now, with stack to spare, as enter does for records.
        prologue.add(new FieldInsnNode(Opcodes.GETSTATIC, RuntimeAbi.SUPPORT, "ABI_VERSION", "I"));
        prologue.add(new InsnNode(Opcodes.POP));
        prologue.add(bodyStart);

        // The verifier's frames at the sites, read from the code as it was.
        Map<AbstractInsnNode, SiteFrame> siteFrames = new HashMap<>();
        for (AbstractInsnNode insn = code.getFirst(); withFrames && insn != null; insn = insn.getNext()) {
            if (RuntimeAbi.isApiDefer(insn)) {
                siteFrames.put(insn, SiteFrame.before(owner, method, insn));
            }
        }
        List<LabelNode[]> exits = new ArrayList<>();
        for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
            if (RuntimeAbi.isReturn(insn)) {
                exits.add(rewriteReturn(code, insn, returnType, slot));
            } else if (RuntimeAbi.isApiDefer(insn)) {
                MethodInsnNode call = (MethodInsnNode) insn;
                SiteFrame frame = siteFrames.get(call);
                insn = !withFrames || frame != null ? rewriteDeferSite(code, call, slot, owner, name, frame)
                        : rewriteDeferCall(code, call, slot, owner, name);
            }
        }
        if (withFrames) {
            Frames.addToAll(code, slot, List.of(OBJECT));
        }

        LabelNode bodyEnd = new LabelNode();
        LabelNode handler = new LabelNode();
        code.add(bodyEnd);
        code.add(handler);
        if (withFrames) {
            List<Object> locals = Frames.withLocals(List.of(), slot, List.of(OBJECT));
            code.add(new FrameNode(Opcodes.F_NEW, locals.size(), locals.toArray(), 1, new Object[] {"java/lang/Throwable"}));
        }
        // finish(t, handOverLazy(t, state, Owner.class, "m(desc)"), KIND): finish is the one runtime frame below a call.
        code.add(new InsnNode(Opcodes.DUP));
        code.add(new VarInsnNode(Opcodes.ALOAD, slot));
        code.add(new LdcInsnNode(Type.getObjectType(owner)));
        code.add(new LdcInsnNode(name));
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RuntimeAbi.SUPPORT, "handOverLazy",
                "(Ljava/lang/Throwable;Ljava/lang/Object;Ljava/lang/Class;Ljava/lang/String;)"
                        + RuntimeAbi.INVOCATION_DESCRIPTOR, false));
        RuntimeAbi.addFinishAndReturn(code, returnType);
        code.insert(prologue);

        method.tryCatchBlocks.add(new TryCatchBlockNode(bodyStart, bodyEnd, handler, null));
        method.tryCatchBlocks = ExceptionRanges.excluding(code, method.tryCatchBlocks, exits);
        method.maxLocals = slot + 1;
        // A site pushes the local, the class and the method above the call's arguments; the handler five.
        method.maxStack = Math.max(method.maxStack + 3, 5);
    }

    /** Replaces {@code xRETURN} by {@code state; exitLazyX; [checkcast]; xRETURN}, bracketed by labels. */
    private static LabelNode[] rewriteReturn(InsnList code, AbstractInsnNode ret, Type returnType, int slot) {
        LabelNode start = new LabelNode();
        LabelNode end = new LabelNode();
        Type erased = RuntimeAbi.erased(returnType);
        String value = returnType.getSort() == Type.VOID ? "" : erased.getDescriptor();
        InsnList exit = new InsnList();
        exit.add(start);
        exit.add(new VarInsnNode(Opcodes.ALOAD, slot));
        exit.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RuntimeAbi.SUPPORT, "exitLazy" + RuntimeAbi.kind(returnType),
                "(" + value + "Ljava/lang/Object;)" + erased.getDescriptor(), false));
        RuntimeAbi.addResultCast(exit, returnType);
        code.insertBefore(ret, exit);
        code.insert(ret, end);
        return new LabelNode[] {start, end};
    }

    /**
     * {@code Defer.defer(f, ...)} becomes the registration's fast path, written at the site so that it does not
     * depend on C2 inlining a runtime method whose own compiled code holds the slow path (the runtime's entry at
     * the second defer: on JDK 17 a call made 100 times counts as hot, C2 inlines it into {@code deferLazy},
     * and {@code deferLazy}, compiled too big to inline, became a call at every loop defer):
     *
     * <pre>
     *   if (state instanceof Invocation) DeferSupport.deferPooled(f, ..., (Invocation) state);
     *   else state = DeferSupport.deferLazy(f, ..., state, Owner.class, "m(desc)");
     * </pre>
     *
     * @param frame the verifier's frame at the site, without the new local; null for a class without frames
     * @return the last instruction of the site's code
     */
    private static AbstractInsnNode rewriteDeferSite(InsnList code, MethodInsnNode call, int slot, String owner,
            String name, SiteFrame frame) {
        int arguments = Type.getArgumentTypes(call.desc).length;
        LabelNode slow = new LabelNode();
        LabelNode done = new LabelNode();
        InsnList fast = new InsnList();
        fast.add(new VarInsnNode(Opcodes.ALOAD, slot));
        fast.add(new TypeInsnNode(Opcodes.INSTANCEOF, RuntimeAbi.INVOCATION));
        fast.add(new JumpInsnNode(Opcodes.IFEQ, slow));
        fast.add(new VarInsnNode(Opcodes.ALOAD, slot));
        fast.add(new TypeInsnNode(Opcodes.CHECKCAST, RuntimeAbi.INVOCATION));
        fast.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RuntimeAbi.SUPPORT, RuntimeAbi.DEFER_POOLED,
                RuntimeAbi.deferDescriptor(call.desc), false));
        fast.add(new JumpInsnNode(Opcodes.GOTO, done));
        fast.add(slow);
        if (frame != null) {
            // Frames.addToAll adds the local to these frames, as to the method's own.
            fast.add(new FrameNode(Opcodes.F_NEW, frame.locals.size(), frame.locals.toArray(), frame.stack.size(),
                    frame.stack.toArray()));
        }
        code.insertBefore(call, fast);
        AbstractInsnNode store = rewriteDeferCall(code, call, slot, owner, name);
        code.insert(store, done);
        if (frame != null && !frameFollows(done)) {
            List<Object> after = frame.stack.subList(0, frame.stack.size() - arguments);
            code.insert(done, new FrameNode(Opcodes.F_NEW, frame.locals.size(), frame.locals.toArray(), after.size(),
                    after.toArray()));
            return done.getNext();
        }
        return done;
    }

    /**
     * Whether the code after a label declares a frame before its next instruction: that frame holds at the label
     * too (the same state flows in), and a second one at the same offset is not allowed.
     */
    private static boolean frameFollows(LabelNode label) {
        for (AbstractInsnNode insn = label.getNext(); insn != null; insn = insn.getNext()) {
            if (insn instanceof FrameNode) {
                return true;
            }
            if (insn.getOpcode() >= 0) {
                return false;
            }
        }
        return false;
    }

    /** {@code Defer.defer(f, ...)} becomes {@code state = DeferSupport.deferLazy(f, ..., state, Owner.class, "m(desc)")}. */
    private static AbstractInsnNode rewriteDeferCall(InsnList code, MethodInsnNode call, int slot, String owner,
            String name) {
        InsnList before = new InsnList();
        before.add(new VarInsnNode(Opcodes.ALOAD, slot));
        before.add(new LdcInsnNode(Type.getObjectType(owner)));
        before.add(new LdcInsnNode(name));
        code.insertBefore(call, before);
        call.owner = RuntimeAbi.SUPPORT;
        call.name = DEFER_LAZY;
        call.desc = call.desc.replace(")V", NAMING + "L" + OBJECT + ";");
        VarInsnNode store = new VarInsnNode(Opcodes.ASTORE, slot);
        code.insert(call, store);
        return store;
    }
}
