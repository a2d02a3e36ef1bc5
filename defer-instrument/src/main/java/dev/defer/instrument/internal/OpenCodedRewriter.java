package dev.defer.instrument.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

/**
 * Open-coded defers (Go 1.14): for a method whose defer sites are all top-level, at most eight, the
 * deferred calls live in the frame's own locals with a bit mask, and run inline at the method's one
 * exit block; the runtime is not touched on the normal path at all. Only when the body panics, or an
 * inline deferred call throws, does the handler hand the calls still pending to a runtime invocation,
 * which runs them with the full panic and recover rules; a fatal panic (a {@code VirtualMachineError},
 * which nothing recovers) runs them inline instead, in this frame, as a {@code finally} block would.
 *
 * <pre>
 *   mask = 0; fn0..fnN = null; result = zero                          // new locals, after all others
 *   VirtualMachineError.class; DeferSupport.ABI_VERSION               // resolved once, then constants
 *   body, with Defer.defer(f, a) at site k:  fn_k = f; a_k = a; mask |= 1 &lt;&lt; k
 *         and every return e:               result = e; goto EXIT
 *   EXIT:    panic = null      // panic: a body slot, dead from here on (else a new local, null from the start)
 *   INLINE:  for k = N..0: if (mask has k) { mask &amp;= ~(1 &lt;&lt; k); fn_k.run(a_k) }   // covered by HANDLER
 *            if (panic != null) throw panic; return result
 *   HANDLER: (t) if (panic != null) t = replacePanic(t, panic)     // S9; see appendHandler
 *   FIRST:   (t, the body's throws) if (t is a VirtualMachineError) { panic = t; goto INLINE }
 *            panic = t; calls = {fn_k, a_k... for each k in mask}  // direct lambdas made here
 *            invocation = handOverAll(mask | arities, calls, result, Owner.class, "name(desc)")
 *                                                                    // a throw up to here: HANDLER
 *            return unbox(finish(panic, invocation, KIND))           // the run loop: one runtime frame
 * </pre>
 *
 * <p>Site indices follow the control flow (a site that can reach another comes first), so "last
 * registered first" is "highest bit first". A method qualifies ({@link OpenCodingPlan}) only when the
 * rewrite can see every read and write of the result slot ({@link InlineSafety}): none, or only in the body
 * of a deferred lambda of the class, which the exit then expands ({@link InlineExpansion}) with the slot
 * in a local; and when every {@code return} leaves nothing on the stack but its value.
 */
final class OpenCodedRewriter {
    /** The panics that cannot be recovered (S8): their deferred calls run inline, in the method's frame. */
    static final String FATAL = "java/lang/VirtualMachineError";
    private static final String THROWABLE = "java/lang/Throwable";

    /** Go's limit: more sites than this, and the method uses runtime records. */
    static final int MAX_SITES = 8;

    private final String owner;
    private final boolean withFrames;
    private final MethodNode method;
    private final List<MethodInsnNode> sites;
    private final Type returnType;
    private final DeferredLambdas lambdas;
    /** Per site in {@link #sites} order: the lambda whose body the exit expands, or null. */
    private final DeferredLambda[] direct;
    /** Frames of the original code that hold a direct lambda's object on the stack, with its depth. */
    private final Map<FrameNode, Integer> framesHoldingLambdas;
    private final boolean isVoid;
    private final Type slotType;

    // The new locals, set by allocateLocals: slot numbers, -1 where a site has none.
    private int first;
    private int mask;
    private int[] functions;
    private int[][] captures;
    private int[] firstArguments;
    private int[] secondArguments;
    private int result;
    /**
     * The panic in flight while the handler runs: a fatal one ({@code VirtualMachineError}) that the exit
     * block's inline calls run for, or the one handed to the runtime; null on the normal path.
     */
    private int panic;
    /** Whether {@link #panic} is a slot of the body's, rather than a new local. */
    private boolean sharedPanic;
    /** One past the last new local: where the expansions' locals start. */
    private int localsEnd;
    /** The frame types of the new locals, in slot order. */
    private final List<Object> localTypes = new ArrayList<>();

    OpenCodedRewriter(String owner, boolean withFrames, MethodNode method, List<MethodInsnNode> sites,
            DeferredLambdas lambdas, DeferredLambda[] direct, Map<FrameNode, Integer> framesHoldingLambdas) {
        this.owner = owner;
        this.withFrames = withFrames;
        this.method = method;
        this.sites = sites;
        this.returnType = Type.getReturnType(method.desc);
        this.lambdas = lambdas;
        this.direct = direct;
        this.framesHoldingLambdas = framesHoldingLambdas;
        this.isVoid = returnType.getSort() == Type.VOID;
        this.slotType = RuntimeAbi.erased(returnType);
    }

    /** Rewrites the method in place. */
    void rewrite() {
        InsnList code = method.instructions;
        allocateLocals();
        LabelNode bodyStart = new LabelNode();
        LabelNode bodyEnd = new LabelNode();
        LabelNode exit = new LabelNode();
        LabelNode inlineExit = new LabelNode();
        LabelNode bodyHandler = new LabelNode();
        LabelNode inlineStart = new LabelNode();
        LabelNode inlineEnd = new LabelNode();
        LabelNode handler = new LabelNode();
        InsnList prologue = prologue(bodyStart);
        redirectReturns(code, exit);
        registerSites(code);
        if (withFrames) {
            Frames.addToAll(code, first, localTypes);
        }
        code.add(bodyEnd);
        LabelNode rethrow = new LabelNode();
        LabelNode handOverStart = new LabelNode();
        LabelNode handOverEnd = new LabelNode();
        int expansionsEnd = appendExit(code, exit, inlineExit, inlineStart, inlineEnd, rethrow);
        appendHandler(code, handler, bodyHandler, inlineExit, handOverStart, handOverEnd);
        code.add(rethrow);
        addFrame(code);
        code.add(new VarInsnNode(Opcodes.ALOAD, panic));
        code.add(new InsnNode(Opcodes.ATHROW));
        code.insert(prologue);

        method.tryCatchBlocks.add(new TryCatchBlockNode(bodyStart, bodyEnd, bodyHandler, null));
        method.tryCatchBlocks.add(new TryCatchBlockNode(inlineStart, inlineEnd, handler, null));
        method.tryCatchBlocks.add(new TryCatchBlockNode(handOverStart, handOverEnd, handler, null));
        method.maxLocals = expansionsEnd;
        // The hand-over pushes handOverAll's seven words, or the array twice, an index and the captured values;
        // an interface call at the exit three references (the expansions count their own).
        method.maxStack = Math.max(method.maxStack + 1, Math.max(7, 4 + maxCaptureSize()));
    }

    /**
     * New locals after all others: the mask, then per site its function (or a direct lambda's captured
     * values) and arguments, then the result slot.
     */
    private void allocateLocals() {
        int size = sites.size();
        first = method.maxLocals;
        mask = first;
        functions = new int[size];
        captures = new int[size][];
        firstArguments = new int[size];
        secondArguments = new int[size];
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
        result = next;
        if (!isVoid) {
            localTypes.add(Frames.typeOf(slotType));
            next += slotType.getSize();
        }
        // Interpreted, every local is a word of every frame: the panic shares a slot of the body's own, which is
        // dead once the exit block runs (not an instance method's this: the lambdas' expansions may need it).
        boolean isStatic = (method.access & Opcodes.ACC_STATIC) != 0;
        sharedPanic = first >= (isStatic ? 1 : 2);
        if (sharedPanic) {
            panic = first - 1;
        } else {
            panic = next++;
            localTypes.add(THROWABLE);
        }
        localsEnd = next;
    }

    /** Sets every new local before the body, so that each frame of the body may declare them. */
    private InsnList prologue(LabelNode bodyStart) {
        InsnList prologue = new InsnList();
        prologue.add(new InsnNode(Opcodes.ICONST_0));
        prologue.add(new VarInsnNode(Opcodes.ISTORE, mask));
        for (int k = 0; k < sites.size(); k++) {
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
        if (!sharedPanic) {
            storeNull(prologue, panic);
        }
        // Resolved at the first call, where there is stack to spare, so that the handler never loads a class
        // during a stack overflow: the class its first test names, and the runtime (whose first use
        // rehearses a panic). Both are constants once resolved, which the compilers drop.
        prologue.add(new LdcInsnNode(Type.getObjectType(FATAL)));
        prologue.add(new InsnNode(Opcodes.POP));
        prologue.add(new FieldInsnNode(Opcodes.GETSTATIC, RuntimeAbi.SUPPORT, "ABI_VERSION", "I"));
        prologue.add(new InsnNode(Opcodes.POP));
        prologue.add(bodyStart);
        return prologue;
    }

    /** Every {@code return e} becomes {@code result = e; goto EXIT}. */
    private void redirectReturns(InsnList code, LabelNode exit) {
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
    }

    /** Each {@code Defer.defer} stores what the exit needs and sets its bit. */
    private void registerSites(InsnList code) {
        // The object of a direct lambda is never made on this path: its captured values go to locals.
        for (Map.Entry<FrameNode, Integer> holding : framesHoldingLambdas.entrySet()) {
            List<Object> stack = new ArrayList<>(holding.getKey().stack);
            stack.remove((int) holding.getValue());
            holding.getKey().stack = stack;
        }
        for (int k = 0; k < sites.size(); k++) {
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
    }

    /**
     * The exit block: each registered call, highest bit first, clearing its bit before it runs; then the
     * return of the result slot. The returns enter at {@code exit}, where a shared panic slot still holds a
     * value of the body and is set to null; the handler enters after that, at {@code inlineExit}.
     *
     * @return the first local above the expansions' locals
     */
    private int appendExit(InsnList code, LabelNode exit, LabelNode inlineExit, LabelNode inlineStart,
            LabelNode inlineEnd, LabelNode rethrow) {
        LabelNode returnLabel = new LabelNode();
        List<Object> exitLocals = exitLocals();
        int expansionsEnd = localsEnd;
        code.add(exit);
        if (sharedPanic) {
            addBodyFrame(code);
            code.add(new InsnNode(Opcodes.ACONST_NULL));
            code.add(new VarInsnNode(Opcodes.ASTORE, panic));
        }
        code.add(inlineExit);
        addFrame(code);
        code.add(new VarInsnNode(Opcodes.ILOAD, mask));
        code.add(new JumpInsnNode(Opcodes.IFEQ, returnLabel));
        code.add(inlineStart);
        for (int k = sites.size() - 1; k >= 0; k--) {
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
                addInterfaceCall(code, k);
            } else {
                expansionsEnd = Math.max(expansionsEnd, addExpansion(code, k, exitLocals));
            }
            if (k == 0) {
                code.add(inlineEnd);
            }
            code.add(skip);
            addFrame(code);
        }
        // The inline calls ran for a fatal panic: it goes on.
        code.add(new VarInsnNode(Opcodes.ALOAD, panic));
        code.add(new JumpInsnNode(Opcodes.IFNONNULL, rethrow));
        if (!isVoid) {
            code.add(new VarInsnNode(slotType.getOpcode(Opcodes.ILOAD), result));
            RuntimeAbi.addResultCast(code, returnType);
        }
        code.add(new InsnNode(returnType.getOpcode(Opcodes.IRETURN)));
        return expansionsEnd;
    }

    /**
     * The handler, for a throw from the body, from an inline call or from the hand-over below.
     *
     * <p>A fatal panic ({@code VirtualMachineError}: a stack overflow, an out-of-memory error) cannot be
     * recovered (S8), so the pending calls run inline, in this frame, as at a normal exit, and the panic is
     * rethrown after them: no call, no object and no class load stands between the overflow and the deferred
     * calls, as none does for a {@code finally} block. Any other panic goes to the runtime: one call hands the
     * calls still registered to a runtime invocation, with the result slot, and a second, which nothing of the
     * handler outlives, runs the panic with the full recover rules. A throwable from a deferred call replaces
     * the panic (S9); should the hand-over itself fail, its throwable replaces the panic and the calls run
     * inline.
     *
     * <p>{@code handler} covers the inline calls and the hand-over, where the panic slot holds null or the
     * panic; the body's throws go to {@code first}, which knows there is no panic yet and does not read
     * the slot (a shared one holds a value of the body there).
     */
    private void appendHandler(InsnList code, LabelNode handler, LabelNode first, LabelNode exit,
            LabelNode handOverStart, LabelNode handOverEnd) {
        LabelNode stayInline = new LabelNode();
        LabelNode toRuntime = new LabelNode();
        code.add(handler);
        addFrame(code, THROWABLE);
        // panic == null: the first throwable of this invocation.
        code.add(new VarInsnNode(Opcodes.ALOAD, panic));
        code.add(new JumpInsnNode(Opcodes.IFNULL, first));
        // A fatal panic's inline call threw: a fatal replacement stays inline, any other goes to the runtime.
        // Any other panic in flight means the hand-over failed: the calls run inline from now on.
        code.add(new VarInsnNode(Opcodes.ALOAD, panic));
        code.add(new TypeInsnNode(Opcodes.INSTANCEOF, FATAL));
        code.add(new JumpInsnNode(Opcodes.IFEQ, stayInline));
        addReplace(code);
        code.add(new JumpInsnNode(Opcodes.GOTO, first));
        code.add(stayInline);
        addFrame(code, THROWABLE);
        addReplace(code);
        code.add(new VarInsnNode(Opcodes.ASTORE, panic));
        code.add(new JumpInsnNode(Opcodes.GOTO, exit));
        code.add(first);
        addBodyFrame(code, THROWABLE);
        code.add(new InsnNode(Opcodes.DUP));
        code.add(new TypeInsnNode(Opcodes.INSTANCEOF, FATAL));
        code.add(new JumpInsnNode(Opcodes.IFEQ, toRuntime));
        code.add(new VarInsnNode(Opcodes.ASTORE, panic));
        code.add(new JumpInsnNode(Opcodes.GOTO, exit));
        code.add(toRuntime);
        addBodyFrame(code, THROWABLE);
        code.add(new VarInsnNode(Opcodes.ASTORE, panic));
        code.add(handOverStart);
        // One call hands over every pending call, so that only the throwable (in its local) is live across a
        // call of the handler: each value live across a call takes a slot of the compiled frame.
        code.add(new VarInsnNode(Opcodes.ILOAD, mask));
        int arities = arities();
        if (arities != 0) {
            code.add(new LdcInsnNode(arities));
            code.add(new InsnNode(Opcodes.IOR));
        }
        code.add(new LdcInsnNode(callsLength()));
        code.add(new TypeInsnNode(Opcodes.ANEWARRAY, "java/lang/Object"));
        int at = 0;
        for (int k = 0; k < sites.size(); k++) {
            LabelNode skip = new LabelNode();
            code.add(new VarInsnNode(Opcodes.ILOAD, mask));
            code.add(new LdcInsnNode(1 << k));
            code.add(new InsnNode(Opcodes.IAND));
            code.add(new JumpInsnNode(Opcodes.IFEQ, skip));
            addStore(code, at, direct[k] == null ? null : direct[k].indy, functions[k], k);
            if (firstArguments[k] >= 0) {
                addStore(code, at + 1, null, firstArguments[k], k);
            }
            if (secondArguments[k] >= 0) {
                addStore(code, at + 2, null, secondArguments[k], k);
            }
            code.add(skip);
            addFrame(code, Opcodes.INTEGER, "[Ljava/lang/Object;");
            at += 1 + arity(k);
        }
        addSlotArguments(code);
        code.add(new LdcInsnNode(Type.getObjectType(owner)));
        code.add(new LdcInsnNode(method.name + method.desc));
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RuntimeAbi.SUPPORT, "handOverAll",
                "(I[Ljava/lang/Object;JLjava/lang/Object;Ljava/lang/Class;Ljava/lang/String;)"
                        + RuntimeAbi.INVOCATION_DESCRIPTOR, false));
        // The runtime's panic is not covered: the calls are the runtime's now.
        code.add(handOverEnd);
        code.add(new VarInsnNode(Opcodes.ALOAD, panic));
        code.add(new InsnNode(Opcodes.SWAP));
        RuntimeAbi.addFinishAndReturn(code, returnType);
    }

    /** [calls] -> [calls] with calls[at] = the local's value, or a direct lambda's object made from its captures. */
    private void addStore(InsnList code, int at, InvokeDynamicInsnNode indy, int local, int k) {
        code.add(new InsnNode(Opcodes.DUP));
        code.add(new LdcInsnNode(at));
        if (indy != null) {
            // The object is made only here, for the runtime, and only if the site ran.
            loadCaptures(code, k);
            code.add(new InvokeDynamicInsnNode(indy.name, indy.desc, indy.bsm, indy.bsmArgs));
        } else {
            code.add(new VarInsnNode(Opcodes.ALOAD, local));
        }
        code.add(new InsnNode(Opcodes.AASTORE));
    }

    /** Each site's arity in bits 8 + 2k and 9 + 2k, as handOverAll reads them beside the mask. */
    private int arities() {
        int arities = 0;
        for (int k = 0; k < sites.size(); k++) {
            arities |= arity(k) << (8 + 2 * k);
        }
        return arities;
    }

    /** The length of handOverAll's array: per site, the call and its arguments. */
    private int callsLength() {
        int length = 0;
        for (int k = 0; k < sites.size(); k++) {
            length += 1 + arity(k);
        }
        return length;
    }

    /** handOverAll's result slot arguments: the primitive slot as a long of its bits, then the reference slot. */
    private void addSlotArguments(InsnList code) {
        switch (slotType.getSort()) {
            case Type.INT:
                code.add(new VarInsnNode(Opcodes.ILOAD, result));
                code.add(new InsnNode(Opcodes.I2L));
                break;
            case Type.LONG:
                code.add(new VarInsnNode(Opcodes.LLOAD, result));
                break;
            case Type.FLOAT:
                code.add(new VarInsnNode(Opcodes.FLOAD, result));
                code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/Float", "floatToRawIntBits", "(F)I", false));
                code.add(new InsnNode(Opcodes.I2L));
                break;
            case Type.DOUBLE:
                code.add(new VarInsnNode(Opcodes.DLOAD, result));
                code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/Double", "doubleToRawLongBits", "(D)J",
                        false));
                break;
            default:
                code.add(new InsnNode(Opcodes.LCONST_0));
        }
        if (slotType.getSort() == Type.OBJECT) {
            code.add(new VarInsnNode(Opcodes.ALOAD, result));
        } else {
            code.add(new InsnNode(Opcodes.ACONST_NULL));
        }
    }

    /** [thrown] -> [thrown], keeping the panic in flight as its suppressed exception (S9). */
    private void addReplace(InsnList code) {
        code.add(new VarInsnNode(Opcodes.ALOAD, panic));
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RuntimeAbi.SUPPORT, "replacePanic",
                "(Ljava/lang/Throwable;Ljava/lang/Throwable;)Ljava/lang/Throwable;", false));
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
    private void addInterfaceCall(InsnList code, int k) {
        int function = functions[k];
        int firstArgument = firstArguments[k];
        int secondArgument = secondArguments[k];
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
    private int addExpansion(InsnList code, int k, List<Object> exitLocals) {
        int[] argumentLocals = arity(k) == 0 ? new int[0]
                : arity(k) == 1 ? new int[] {firstArguments[k]} : new int[] {firstArguments[k], secondArguments[k]};
        InlineExpansion expansion = new InlineExpansion(lambdas.owner(), method, direct[k], isVoid ? null : slotType,
                result, exitLocals, withFrames);
        lambdas.runByRuntimeOnly(direct[k]);
        // Every expansion starts its locals right above the method's new ones: they never live at once.
        return expansion.append(code, localsEnd, captures[k], argumentLocals);
    }

    private void loadCaptures(InsnList code, int k) {
        Type[] types = direct[k].captures();
        for (int j = 0; j < types.length; j++) {
            code.add(new VarInsnNode(types[j].getOpcode(Opcodes.ILOAD), captures[k][j]));
        }
    }

    /**
     * A frame that declares only the new locals and the panic slot (the exit and the handler are reached from
     * anywhere), for the code after the exit's entry, where the panic slot holds null or the panic.
     */
    private void addFrame(InsnList code, Object... stack) {
        if (withFrames) {
            List<Object> locals = exitLocals();
            code.add(new FrameNode(Opcodes.F_NEW, locals.size(), locals.toArray(), stack.length, stack));
        }
    }

    /** A frame that declares only the new locals: where a shared panic slot may still hold a value of the body. */
    private void addBodyFrame(InsnList code, Object... stack) {
        if (withFrames) {
            List<Object> locals = Frames.withLocals(List.of(), first, localTypes);
            code.add(new FrameNode(Opcodes.F_NEW, locals.size(), locals.toArray(), stack.length, stack));
        }
    }

    /** The locals of {@link #addFrame}'s frames: TOP below the new locals, but for a shared panic slot. */
    private List<Object> exitLocals() {
        List<Object> below = new ArrayList<>();
        if (sharedPanic) {
            for (int slot = 0; slot < first; slot++) {
                below.add(slot == panic ? THROWABLE : Opcodes.TOP);
            }
        }
        return Frames.withLocals(below, first, localTypes);
    }

    private static void storeNull(InsnList code, int local) {
        if (local >= 0) {
            code.add(new InsnNode(Opcodes.ACONST_NULL));
            code.add(new VarInsnNode(Opcodes.ASTORE, local));
        }
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
