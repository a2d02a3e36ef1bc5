package dev.defer.instrument.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * The control-flow graph of a method at instruction granularity, with exception edges, built once per
 * method. It answers the question of issue 3's loop analysis: does an instruction lie on a cycle? A
 * {@code Defer.defer} site on a cycle may run many times in one invocation (a loop site, Go's heap
 * defer); any other site runs at most once (a top-level site).
 */
final class ControlFlow {
    private final InsnList code;
    /** successors[i]: the instructions control may reach right after instruction i. */
    private final int[][] successors;

    ControlFlow(MethodNode method) {
        this.code = method.instructions;
        int size = code.size();
        List<List<Integer>> edges = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            edges.add(new ArrayList<>(2));
        }
        for (int i = 0; i < size; i++) {
            addNormalEdges(code, i, edges.get(i));
        }
        for (TryCatchBlockNode block : method.tryCatchBlocks) {
            int handler = code.indexOf(block.handler);
            for (int i = code.indexOf(block.start), end = code.indexOf(block.end); i < end; i++) {
                if (code.get(i).getOpcode() >= 0) {
                    edges.get(i).add(handler);
                }
            }
        }
        successors = new int[size][];
        for (int i = 0; i < size; i++) {
            successors[i] = edges.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /**
     * Adds the indices of the instructions control may reach from instruction {@code index} without an
     * exception: jump targets, switch cases and the next instruction.
     */
    static void addNormalEdges(InsnList code, int index, List<Integer> out) {
        AbstractInsnNode insn = code.get(index);
        int opcode = insn.getOpcode();
        if (insn instanceof JumpInsnNode) {
            out.add(code.indexOf(((JumpInsnNode) insn).label));
            if (opcode != Opcodes.GOTO && opcode != Opcodes.JSR) {
                addNext(code, index, out);
            }
        } else if (insn instanceof TableSwitchInsnNode) {
            TableSwitchInsnNode table = (TableSwitchInsnNode) insn;
            out.add(code.indexOf(table.dflt));
            table.labels.forEach(label -> out.add(code.indexOf(label)));
        } else if (insn instanceof LookupSwitchInsnNode) {
            LookupSwitchInsnNode lookup = (LookupSwitchInsnNode) insn;
            out.add(code.indexOf(lookup.dflt));
            lookup.labels.forEach(label -> out.add(code.indexOf(label)));
        } else if (!RuntimeAbi.isReturn(insn) && opcode != Opcodes.ATHROW
                && opcode != Opcodes.RET) {
            addNext(code, index, out);
        }
    }

    private static void addNext(InsnList code, int index, List<Integer> out) {
        if (index + 1 < code.size()) {
            out.add(index + 1);
        }
    }

    /** Whether control can leave {@code insn} and come back to it: it lies on a cycle. */
    boolean isOnCycle(AbstractInsnNode insn) {
        int start = code.indexOf(insn);
        return reachesFrom(successors[start], start);
    }

    /** Whether control can go from {@code from} to {@code to}. */
    boolean reaches(AbstractInsnNode from, AbstractInsnNode to) {
        return reachesFrom(new int[] {code.indexOf(from)}, code.indexOf(to));
    }

    /** A breadth-first search from {@code starts}: is {@code target} among the instructions reached? */
    private boolean reachesFrom(int[] starts, int target) {
        BitSet seen = new BitSet(successors.length);
        ArrayDeque<Integer> work = new ArrayDeque<>();
        for (int start : starts) {
            work.add(start);
        }
        while (!work.isEmpty()) {
            int i = work.poll();
            if (i == target) {
                return true;
            }
            if (!seen.get(i)) {
                seen.set(i);
                for (int next : successors[i]) {
                    work.add(next);
                }
            }
        }
        return false;
    }
}
