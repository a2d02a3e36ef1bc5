package dev.defer.instrument.internal;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * The names and descriptors of {@code dev.defer.internal.DeferSupport}, the one runtime class that
 * rewritten code calls. They are the ABI between this rewrite and the runtime: keep them in step with
 * that class, whose {@code ABI_VERSION} is {@link #VERSION}.
 */
final class RuntimeAbi {
    static final int VERSION = 7;

    static final String SUPPORT = "dev/defer/internal/DeferSupport";
    static final String INVOCATION = "dev/defer/internal/Invocation";
    static final String INVOCATION_DESCRIPTOR = "L" + INVOCATION + ";";

    static final String ENTER = "enter";
    static final String ENTER_DESCRIPTOR = "(Ljava/lang/Class;Ljava/lang/String;)" + INVOCATION_DESCRIPTOR;

    static final String DEFER = "defer";
    /** The runtime's defer for a top-level site: a stack-style record. */
    static final String DEFER_STACKED = "deferStacked";
    /** The runtime's defer for a loop site: a pooled record. */
    static final String DEFER_POOLED = "deferPooled";

    /** The public API class whose {@code defer} calls are replaced. */
    static final String API = "dev/defer/Defer";

    private RuntimeAbi() {
    }

    /**
     * The runtime's {@code defer} descriptor for a public {@code Defer.defer} descriptor: the same
     * arguments, then the invocation.
     */
    static String deferDescriptor(String apiDescriptor) {
        return apiDescriptor.replace(")V", INVOCATION_DESCRIPTOR + ")V");
    }

    /** Whether an instruction is a call of one of the public {@code Defer.defer} methods. */
    static boolean isApiDefer(AbstractInsnNode insn) {
        if (!(insn instanceof MethodInsnNode)) {
            return false;
        }
        MethodInsnNode call = (MethodInsnNode) insn;
        return isApiDefer(call.getOpcode(), call.owner, call.name, call.desc);
    }

    /** Whether an instruction is one of the {@code xRETURN}s. */
    static boolean isReturn(AbstractInsnNode insn) {
        return insn.getOpcode() >= Opcodes.IRETURN && insn.getOpcode() <= Opcodes.RETURN;
    }

    /**
     * Appends {@code ldc Owner.class; ldc "name(desc)"; invokestatic DeferSupport.<entry>}, which leaves the
     * invocation on the stack.
     *
     * @param entry {@link #ENTER}
     */
    static void addEnter(InsnList code, String owner, MethodNode method, String entry) {
        code.add(new LdcInsnNode(Type.getObjectType(owner)));
        code.add(new LdcInsnNode(method.name + method.desc));
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, SUPPORT, entry, ENTER_DESCRIPTOR, false));
    }

    /** The runtime hands references back as Object: appends the cast to the return type, which setResult checked. */
    static void addResultCast(InsnList code, Type returnType) {
        int sort = returnType.getSort();
        if ((sort == Type.OBJECT || sort == Type.ARRAY) && !returnType.getInternalName().equals("java/lang/Object")) {
            code.add(new TypeInsnNode(Opcodes.CHECKCAST, returnType.getInternalName()));
        }
    }

    /** Whether an instruction calls the static API method {@code Defer.<name>} (result, setResult, recover...). */
    static boolean isApiCall(AbstractInsnNode insn, String name) {
        if (insn.getOpcode() != Opcodes.INVOKESTATIC) {
            return false;
        }
        MethodInsnNode call = (MethodInsnNode) insn;
        return call.owner.equals(API) && call.name.equals(name);
    }

    /** Whether an instruction calls one of the public {@code Defer.defer} methods. */
    static boolean isApiDefer(int opcode, String owner, String name, String descriptor) {
        return opcode == Opcodes.INVOKESTATIC && owner.equals(API) && name.equals(DEFER)
                && (descriptor.equals("(Ldev/defer/Deferred;)V")
                        || descriptor.equals("(Ldev/defer/Deferred1;Ljava/lang/Object;)V")
                        || descriptor.equals("(Ldev/defer/Deferred2;Ljava/lang/Object;Ljava/lang/Object;)V"));
    }

    /** The suffix of the exit and panic methods for a return type: Void, Int, Long, Float, Double or Object. */
    static String kind(Type returnType) {
        switch (returnType.getSort()) {
            case Type.VOID:
                return "Void";
            case Type.BOOLEAN:
            case Type.BYTE:
            case Type.CHAR:
            case Type.SHORT:
            case Type.INT:
                return "Int";
            case Type.LONG:
                return "Long";
            case Type.FLOAT:
                return "Float";
            case Type.DOUBLE:
                return "Double";
            default:
                return "Object";
        }
    }

    /** The type the runtime's exit and panic methods return for a return type (int for byte, etc.). */
    static Type erased(Type returnType) {
        switch (returnType.getSort()) {
            case Type.BOOLEAN:
            case Type.BYTE:
            case Type.CHAR:
            case Type.SHORT:
                return Type.INT_TYPE;
            case Type.ARRAY:
            case Type.OBJECT:
                return Type.getType(Object.class);
            default:
                return returnType;
        }
    }

    /** {@code exitInt(I Invocation)I} and the like: the value of {@code return}, then the invocation. */
    static String exitDescriptor(Type returnType) {
        Type erased = erased(returnType);
        String value = returnType.getSort() == Type.VOID ? "" : erased.getDescriptor();
        return "(" + value + INVOCATION_DESCRIPTOR + ")" + erased.getDescriptor();
    }

    /** {@code finish(Throwable, Invocation, int kind)}: runs the calls for a panic, then throws or returns the boxed result. */
    static final String FINISH_DESCRIPTOR = "(Ljava/lang/Throwable;" + INVOCATION_DESCRIPTOR + "I)Ljava/lang/Object;";

    /**
     * Appends {@code ldc KIND; invokestatic DeferSupport.finish}, the unboxing or cast of its result and the
     * return: the whole panic path of a handler, with the throwable and the invocation on the stack.
     */
    static void addFinishAndReturn(InsnList code, Type returnType) {
        code.add(new LdcInsnNode(resultKind(returnType)));
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, SUPPORT, "finish", FINISH_DESCRIPTOR, false));
        String box;
        String unbox;
        switch (erased(returnType).getSort()) {
            case Type.VOID:
                code.add(new InsnNode(Opcodes.POP));
                code.add(new InsnNode(Opcodes.RETURN));
                return;
            case Type.INT:
                box = "java/lang/Integer";
                unbox = "intValue";
                break;
            case Type.LONG:
                box = "java/lang/Long";
                unbox = "longValue";
                break;
            case Type.FLOAT:
                box = "java/lang/Float";
                unbox = "floatValue";
                break;
            case Type.DOUBLE:
                box = "java/lang/Double";
                unbox = "doubleValue";
                break;
            default:
                addResultCast(code, returnType);
                code.add(new InsnNode(Opcodes.ARETURN));
                return;
        }
        code.add(new TypeInsnNode(Opcodes.CHECKCAST, box));
        code.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, box, unbox, "()" + erased(returnType).getDescriptor(), false));
        code.add(new InsnNode(returnType.getOpcode(Opcodes.IRETURN)));
    }

    /** DeferSupport's VOID_RESULT ... OBJECT_RESULT (0 to 5) for a return type. */
    static int resultKind(Type returnType) {
        switch (erased(returnType).getSort()) {
            case Type.VOID:
                return 0;
            case Type.INT:
                return 1;
            case Type.LONG:
                return 2;
            case Type.FLOAT:
                return 3;
            case Type.DOUBLE:
                return 4;
            default:
                return 5;
        }
    }


    /**
     * The runtime's conversion of a {@code Defer.setResult} value for an inline copy of a deferred lambda:
     * {@code resultInt(Object, Class, String)I} and the like ({@code resultNarrow} for boolean, byte, char and
     * short), {@code resultObject} with the return type first.
     *
     * @param returnType the method's declared return type
     */
    static String resultConversion(Type returnType) {
        int sort = returnType.getSort();
        return sort == Type.BOOLEAN || sort == Type.BYTE || sort == Type.CHAR || sort == Type.SHORT
                ? "resultNarrow" : "result" + kind(returnType);
    }
}
