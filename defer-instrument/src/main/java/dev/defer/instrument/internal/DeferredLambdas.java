package dev.defer.instrument.internal;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * What the rewrite of one class does to the bodies of its deferred lambdas ({@link DeferredLambda}), once
 * every method is rewritten: in each body that only the runtime runs (a record holds its object, or an
 * open-coded exit expands a copy of its code and hands the object to the runtime only on the panic path), it replaces {@code Defer.recover()} by {@code DeferSupport.recoverInDeferredCall()},
 * which trusts that its caller is the deferred call itself and skips the stack walk.
 */
final class DeferredLambdas {
    static final String RECOVER_IN_DEFERRED_CALL = "recoverInDeferredCall";
    static final String RECOVER_AS_DEFERRED_CALL = "recoverAsDeferredCall";

    private final ClassNode owner;
    private final MethodSelection selection;
    /** Counted before any method is rewritten: a rewrite adds references (an open-coded handler's copies). */
    private final DeferredLambda.References references;
    private final Set<MethodNode> runByRuntimeOnly = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Bodies that only forward to {@code Defer.recover()}: Kotlin's adapter for {@code Defer::recover}. */
    private final Set<MethodNode> recoverForwarders = Collections.newSetFromMap(new IdentityHashMap<>());

    DeferredLambdas(ClassNode owner, MethodSelection selection) {
        this.owner = owner;
        this.selection = selection;
        this.references = new DeferredLambda.References(owner);
    }

    /**
     * The lambda deferred at a site, or null; a body that the rewrite takes as a method of its own
     * ({@code all=}) is left alone.
     */
    DeferredLambda at(MethodNode method, Frame<SourceValue>[] frames, MethodInsnNode site) {
        DeferredLambda lambda = DeferredLambda.at(owner, references, method, frames, site);
        if (lambda == null || selection.isSelected(lambda.body)) {
            return null;
        }
        if (isRecoverForwarder(lambda.body)) {
            recoverForwarders.add(lambda.body);
        }
        return lambda;
    }

    /** Notes that only the runtime runs this lambda's body: a record holds it, or an open-coded exit calls a copy. */
    void runByRuntimeOnly(DeferredLambda lambda) {
        runByRuntimeOnly.add(lambda.body);
    }

    /** The class being rewritten. */
    ClassNode owner() {
        return owner;
    }

    /**
     * Whether a deferred lambda's body only calls {@code Defer.recover()} and drops its value: what Kotlin
     * makes of {@code Defer.defer(Defer::recover)} (javac binds {@code Defer.recover} itself). Such a body
     * is not a deferred function that calls {@code recover()}: it is {@code recover()} deferred, which Go's
     * rule treats otherwise ({@code defer recover()} is a no-op for the panic that runs it). A lambda
     * {@code () -> Defer.recover()} compiles to the same instructions and is a deferred function that
     * calls recover(): Kotlin's forwarder differs by being synthetic (a Kotlin lambda body is not) and by
     * its name, the calling function's and the target's ({@code f$recover}; javac's and ECJ's synthetic
     * lambda bodies are named {@code lambda$...$N}).
     */
    static boolean isRecoverForwarder(MethodNode body) {
        if ((body.access & Opcodes.ACC_SYNTHETIC) == 0 || !body.name.endsWith("$recover")) {
            return false;
        }
        int[] expected = {Opcodes.INVOKESTATIC, Opcodes.POP, Opcodes.RETURN};
        int i = 0;
        for (AbstractInsnNode insn = body.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() < 0) {
                continue;
            }
            if (i == expected.length || insn.getOpcode() != expected[i]
                    || i == 0 && !RuntimeAbi.isApiCall(insn, "recover")) {
                return false;
            }
            i++;
        }
        return i == expected.length;
    }

    /**
     * Points the runtime-only bodies' recover() at the runtime's fast path, and recover() forwarders at
     * the runtime's entry for a deferred recover().
     */
    void finish() {
        for (MethodNode body : recoverForwarders) {
            for (AbstractInsnNode insn = body.instructions.getFirst(); insn != null; insn = insn.getNext()) {
                if (RuntimeAbi.isApiCall(insn, "recover")) {
                    MethodInsnNode call = (MethodInsnNode) insn;
                    call.owner = RuntimeAbi.SUPPORT;
                    call.name = RECOVER_AS_DEFERRED_CALL;
                }
            }
        }
        runByRuntimeOnly.removeAll(recoverForwarders);
        for (MethodNode body : runByRuntimeOnly) {
            for (AbstractInsnNode insn = body.instructions.getFirst(); insn != null; insn = insn.getNext()) {
                if (RuntimeAbi.isApiCall(insn, "recover")) {
                    MethodInsnNode call = (MethodInsnNode) insn;
                    call.owner = RuntimeAbi.SUPPORT;
                    call.name = RECOVER_IN_DEFERRED_CALL;
                }
            }
        }
    }
}
