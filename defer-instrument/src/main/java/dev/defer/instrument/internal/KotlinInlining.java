package dev.defer.instrument.internal;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Kotlin's inline functions, recognised in bytecode without loading a class or reading {@code kotlin.Metadata}:
 * kotlinc gives every inline function, in its own body and wherever it copies that body into a caller, a marker
 * local {@code $i$f$<name>} whose range is the inlined body (the debugger's and the coroutine transformer's
 * sign, emitted whatever the debug options). In the declaration the marker is stored before the body's first
 * line; at a call site the caller's own line (the call) comes first.
 */
public final class KotlinInlining {
    private static final String INLINE_FUNCTION_MARKER = "$i$f$";

    private KotlinInlining() {
    }

    /**
     * Whether a method is the declaration of a Kotlin {@code inline fun}: Kotlin callers never call it, they copy
     * its body, deferred calls included, into themselves.
     *
     * @param method a method, read with its local variable table
     * @return whether it carries its own inline marker from its first line on
     */
    public static boolean isInlineFunction(MethodNode method) {
        return ownMarker(method) != null;
    }

    private static LocalVariableNode ownMarker(MethodNode method) {
        if (method.localVariables == null) {
            return null;
        }
        for (LocalVariableNode local : method.localVariables) {
            if (local.name.equals(INLINE_FUNCTION_MARKER + method.name) && startsBeforeAnyLine(method, local.start)) {
                return local;
            }
        }
        return null;
    }

    private static boolean startsBeforeAnyLine(MethodNode method, LabelNode start) {
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn == start) {
                return true;
            }
            if (insn instanceof LineNumberNode) {
                return false;
            }
        }
        return false;
    }

    /**
     * The inline functions whose bodies kotlinc copied into a method, each with the instructions it covers.
     * The declaration's own marker is left out.
     *
     * @param method a method, read with its local variable table
     * @return the inlined calls, outermost first where they nest; empty when there is none
     */
    public static List<InlinedCall> inlinedCalls(MethodNode method) {
        if (method.localVariables == null) {
            return List.of();
        }
        LocalVariableNode own = ownMarker(method);
        List<InlinedCall> calls = new ArrayList<>();
        for (LocalVariableNode local : method.localVariables) {
            if (local != own && local.name.startsWith(INLINE_FUNCTION_MARKER)) {
                calls.add(new InlinedCall(local.name.substring(INLINE_FUNCTION_MARKER.length()),
                        method.instructions.indexOf(local.start), method.instructions.indexOf(local.end)));
            }
        }
        calls.sort((a, b) -> a.start != b.start ? Integer.compare(a.start, b.start) : Integer.compare(b.end, a.end));
        return calls;
    }

    /**
     * The outermost inlined call that holds an instruction: the inline function that the method's own source
     * calls, whatever it inlined in turn.
     *
     * @param calls {@link #inlinedCalls} of the method
     * @param index the instruction's index in the method's instruction list
     * @return the call, or null when the instruction is the method's own code
     */
    public static InlinedCall enclosing(List<InlinedCall> calls, int index) {
        for (InlinedCall call : calls) {
            if (call.start <= index && index < call.end) {
                return call;
            }
        }
        return null;
    }

    /** One inline function's body, copied into a method. */
    public static final class InlinedCall {
        private final String function;
        private final int start;
        private final int end;

        InlinedCall(String function, int start, int end) {
            this.function = function;
            this.start = start;
            this.end = end;
        }

        /**
         * @return the inline function's name, as Kotlin spells it in the marker
         */
        public String function() {
            return function;
        }
    }
}
