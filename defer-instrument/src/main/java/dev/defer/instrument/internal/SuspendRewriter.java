package dev.defer.instrument.internal;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Rewrites a Kotlin {@code suspend fun} as kotlinc compiles it, so that its deferred calls belong to the
 * coroutine and run once, when the function completes (docs/kotlin.md, "suspend functions"):
 *
 * <pre>
 *   first = false                                           // a new local, after all others
 *   // state machine: kotlinc's preamble tells a resumption (its continuation K, label flagged) from a first entry
 *   if (!($completion instanceof K) || ...) {
 *       $completion = (Continuation) DeferSupport.enterSuspend($completion, Owner.class, "f(desc)")  // added
 *       first = true                                        // added
 *       k = new K(this, $completion)                        // K's completion is now the frame
 *   }
 *   try {                                                    // every range excludes the exits
 *       ...body, Defer.defer(f) -> DeferSupport.deferSuspend(f, k)...
 *       return DeferSupport.exitSuspend(value, k, first)     // runs the calls only for a first entry's value
 *   } catch (Throwable t) {
 *       return DeferSupport.panicSuspend(t, k, first)       // a resumed entry's: rethrown to Kotlin
 *   }
 * </pre>
 *
 * A function without a state machine (no suspension, or only tail calls) runs its body once per call: it
 * wraps {@code $completion} at entry and passes it where {@code k} is passed above, with {@code true} for
 * {@code first}. Each existing frame only gains {@code first}; the only new branch target is the handler,
 * whose frame declares only the continuation local and {@code first}.
 */
final class SuspendRewriter {
    private static final String CONTINUATION = "kotlin/coroutines/Continuation";
    static final String ENTER_SUSPEND = "enterSuspend";
    static final String DEFER_SUSPEND = "deferSuspend";

    private final String owner;
    private final MethodNode method;
    /** The {@code $completion} parameter's slot. */
    private final int completion;

    private SuspendRewriter(String owner, MethodNode method) {
        this.owner = owner;
        this.method = method;
        int slot = (method.access & Opcodes.ACC_STATIC) != 0 ? 0 : 1;
        Type[] parameters = Type.getArgumentTypes(method.desc);
        for (int i = 0; i < parameters.length - 1; i++) {
            slot += parameters[i].getSize();
        }
        this.completion = slot;
    }

    /**
     * Rewrites a suspend function in place.
     *
     * @param owner the declaring class's internal name
     * @param method a method with {@link MethodSelection#isSuspendFunction}'s shape, read with expanded frames
     * @param withFrames whether the class file carries stack map frames (kotlinc's always do)
     * @return how its defer sites are kept, for the agent's verbose output
     * @throws UnrewritableMethodException when its code is not a shape kotlinc writes
     */
    static String rewrite(String owner, MethodNode method, boolean withFrames) {
        if (!withFrames) {
            throw new SuspendRewriter(owner, method).unsupported("its class file predates Java 7");
        }
        return new SuspendRewriter(owner, method).rewrite();
    }

    private String rewrite() {
        InsnList code = method.instructions;
        for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() == Opcodes.JSR || insn.getOpcode() == Opcodes.RET) {
                throw unsupported("it uses jsr/ret");
            }
            if (insn.getOpcode() == Opcodes.ASTORE && ((VarInsnNode) insn).var == completion) {
                throw unsupported("it assigns its $completion parameter");
            }
        }
        TypeInsnNode preamble = stateMachineTest(code);
        int continuation;
        String continuationType;
        // A state machine's first entry sets a new local: its exits run the deferred calls when it completes
        // without suspending, a resumed entry's never do. Without a state machine every entry is the first.
        int first = preamble == null ? -1 : method.maxLocals;
        LabelNode bodyStart = new LabelNode();
        InsnList wrap = enterSuspend();
        if (preamble == null) {
            continuation = completion;
            continuationType = CONTINUATION;
            wrap.add(bodyStart);
            code.insert(wrap);
        } else {
            continuationType = preamble.desc;
            AbstractInsnNode creation = creation(code, continuationType);
            VarInsnNode store = storeAfter(creation, continuationType);
            continuation = store.var;
            checkContinuationLocal(code, store, continuation, continuationType);
            wrap.add(new InsnNode(Opcodes.ICONST_1));
            wrap.add(new VarInsnNode(Opcodes.ISTORE, first));
            code.insertBefore(creation, wrap);
            code.insert(store, bodyStart);
            Frames.addToAll(code, first, List.of(Opcodes.INTEGER));
            InsnList prologue = new InsnList();
            prologue.add(new InsnNode(Opcodes.ICONST_0));
            prologue.add(new VarInsnNode(Opcodes.ISTORE, first));
            code.insert(prologue);
            method.maxLocals = first + 1;
        }

        int sites = 0;
        List<LabelNode[]> exits = new ArrayList<>();
        boolean inBody = false;
        for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
            inBody |= insn == bodyStart;
            if (RuntimeAbi.isApiDefer(insn)) {
                if (!inBody) {
                    throw unsupported("Defer.defer comes before its continuation is set up");
                }
                MethodInsnNode call = (MethodInsnNode) insn;
                code.insertBefore(call, new VarInsnNode(Opcodes.ALOAD, continuation));
                call.owner = RuntimeAbi.SUPPORT;
                call.name = DEFER_SUSPEND;
                call.desc = call.desc.replace(")V", "Ljava/lang/Object;)V");
                sites++;
            } else if (insn.getOpcode() == Opcodes.ARETURN) {
                if (!inBody) {
                    throw unsupported("it returns before its continuation is set up");
                }
                exits.add(exit(code, insn, continuation, first));
            } else if (RuntimeAbi.isReturn(insn)) {
                throw unsupported("it returns a primitive");
            }
        }

        LabelNode bodyEnd = new LabelNode();
        LabelNode handler = new LabelNode();
        code.add(bodyEnd);
        code.add(handler);
        List<Object> locals = Frames.withLocals(List.of(), continuation, List.of(continuationType));
        if (first >= 0) {
            locals = Frames.withLocals(locals, first, List.of(Opcodes.INTEGER));
        }
        code.add(new FrameNode(Opcodes.F_NEW, locals.size(), locals.toArray(), 1, new Object[] {"java/lang/Throwable"}));
        code.add(new VarInsnNode(Opcodes.ALOAD, continuation));
        code.add(firstEntry(first));
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RuntimeAbi.SUPPORT, "panicSuspend",
                "(Ljava/lang/Throwable;Ljava/lang/Object;Z)Ljava/lang/Object;", false));
        code.add(new InsnNode(Opcodes.ARETURN));
        method.tryCatchBlocks.add(new TryCatchBlockNode(bodyStart, bodyEnd, handler, null));
        method.tryCatchBlocks = ExceptionRanges.excluding(code, method.tryCatchBlocks, exits);
        // enterSuspend pushes three values; an exit two above the body's own, a defer site one.
        method.maxStack = Math.max(method.maxStack + 2, 3);
        return " (" + sites + " on the coroutine)";
    }

    /** {@code $completion = (Continuation) DeferSupport.enterSuspend($completion, Owner.class, "f(desc)")}. */
    private InsnList enterSuspend() {
        InsnList wrap = new InsnList();
        wrap.add(new VarInsnNode(Opcodes.ALOAD, completion));
        wrap.add(new LdcInsnNode(Type.getObjectType(owner)));
        wrap.add(new LdcInsnNode(method.name + method.desc));
        wrap.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RuntimeAbi.SUPPORT, ENTER_SUSPEND,
                "(Ljava/lang/Object;Ljava/lang/Class;Ljava/lang/String;)Ljava/lang/Object;", false));
        wrap.add(new TypeInsnNode(Opcodes.CHECKCAST, CONTINUATION));
        wrap.add(new VarInsnNode(Opcodes.ASTORE, completion));
        return wrap;
    }

    /** Replaces {@code ARETURN} by {@code k; first; exitSuspend; ARETURN}, bracketed by labels. */
    private static LabelNode[] exit(InsnList code, AbstractInsnNode ret, int continuation, int first) {
        LabelNode start = new LabelNode();
        LabelNode end = new LabelNode();
        InsnList exit = new InsnList();
        exit.add(start);
        exit.add(new VarInsnNode(Opcodes.ALOAD, continuation));
        exit.add(firstEntry(first));
        exit.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RuntimeAbi.SUPPORT, "exitSuspend",
                "(Ljava/lang/Object;Ljava/lang/Object;Z)Ljava/lang/Object;", false));
        code.insertBefore(ret, exit);
        code.insert(ret, end);
        return new LabelNode[] {start, end};
    }

    /** Loads whether this run is the first entry: the flag, or true for a function without a state machine. */
    private static AbstractInsnNode firstEntry(int first) {
        return first < 0 ? new InsnNode(Opcodes.ICONST_1) : new VarInsnNode(Opcodes.ILOAD, first);
    }

    /**
     * kotlinc's state machine starts with {@code aload $completion; instanceof K; ifeq NEW}: returns the
     * {@code instanceof}, or null when the function has no state machine.
     */
    private TypeInsnNode stateMachineTest(InsnList code) {
        AbstractInsnNode first = real(code.getFirst());
        AbstractInsnNode second = first == null ? null : real(first.getNext());
        AbstractInsnNode third = second == null ? null : real(second.getNext());
        if (first != null && first.getOpcode() == Opcodes.ALOAD && ((VarInsnNode) first).var == completion
                && second != null && second.getOpcode() == Opcodes.INSTANCEOF
                && third != null && third.getOpcode() == Opcodes.IFEQ) {
            return (TypeInsnNode) second;
        }
        for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
            // A state machine keeps its state in its continuation's "label": taking one for a function
            // without would wrap its completion again at every resumption.
            if ((insn.getOpcode() == Opcodes.GETFIELD || insn.getOpcode() == Opcodes.PUTFIELD)
                    && ((FieldInsnNode) insn).name.equals("label") && ((FieldInsnNode) insn).desc.equals("I")) {
                throw unsupported("its state machine does not start as kotlinc's does");
            }
        }
        return null;
    }

    /** The {@code new K} of the first-entry path. */
    private AbstractInsnNode creation(InsnList code, String continuationType) {
        for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() == Opcodes.NEW && ((TypeInsnNode) insn).desc.equals(continuationType)) {
                return insn;
            }
        }
        throw unsupported("it never creates its continuation " + continuationType);
    }

    /** The {@code astore k} right after K's constructor call. */
    private VarInsnNode storeAfter(AbstractInsnNode creation, String continuationType) {
        for (AbstractInsnNode insn = creation.getNext(); insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() == Opcodes.INVOKESPECIAL && ((MethodInsnNode) insn).owner.equals(continuationType)
                    && ((MethodInsnNode) insn).name.equals("<init>")) {
                AbstractInsnNode store = real(insn.getNext());
                if (store != null && store.getOpcode() == Opcodes.ASTORE) {
                    return (VarInsnNode) store;
                }
                break;
            }
        }
        throw unsupported("its continuation " + continuationType + " is not kept in a local");
    }

    /**
     * The continuation local must hold K wherever the body runs: it is stored only by the preamble, and
     * every frame after the preamble declares it.
     */
    private void checkContinuationLocal(InsnList code, VarInsnNode store, int slot, String type) {
        boolean after = false;
        for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
            if (after && insn.getOpcode() == Opcodes.ASTORE && ((VarInsnNode) insn).var == slot) {
                throw unsupported("its continuation local is assigned in its body");
            }
            after |= insn == store;
            if (after && insn instanceof FrameNode && !type.equals(localAt((FrameNode) insn, slot))) {
                throw unsupported("its continuation local is not live through its body");
            }
            if (!after && insn instanceof JumpInsnNode && insn.getOpcode() != Opcodes.GOTO
                    && insn.getOpcode() != Opcodes.IFEQ) {
                throw unsupported("its preamble is not kotlinc's");
            }
        }
    }

    private static Object localAt(FrameNode frame, int slot) {
        int used = 0;
        for (Object local : frame.local) {
            if (used == slot) {
                return local;
            }
            used += local == Opcodes.LONG || local == Opcodes.DOUBLE ? 2 : 1;
        }
        return null;
    }

    private static AbstractInsnNode real(AbstractInsnNode insn) {
        while (insn != null && insn.getOpcode() < 0) {
            insn = insn.getNext();
        }
        return insn;
    }

    private UnrewritableMethodException unsupported(String why) {
        return new UnrewritableMethodException("a Kotlin suspend function is rewritten only as kotlinc compiles"
                + " it, and " + why + "; defer in a regular function that the suspend function calls, or use"
                + " try/finally");
    }
}
