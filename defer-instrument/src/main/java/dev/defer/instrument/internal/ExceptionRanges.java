package dev.defer.instrument.internal;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/** Cuts spans of code out of exception ranges, keeping the order of the exception table. */
final class ExceptionRanges {
    private ExceptionRanges() {
    }

    /**
     * Returns the exception table with each range split so that it covers none of the spans.
     *
     * @param code the method's instructions
     * @param blocks the exception table, in order
     * @param spans disjoint spans {@code {start, end}} in code order, each bracketed by its own labels
     * @return the new table: each block replaced, in place, by its non-empty pieces
     */
    static List<TryCatchBlockNode> excluding(InsnList code, List<TryCatchBlockNode> blocks, List<LabelNode[]> spans) {
        if (spans.isEmpty()) {
            return blocks;
        }
        List<TryCatchBlockNode> result = new ArrayList<>(blocks.size() + spans.size());
        for (TryCatchBlockNode block : blocks) {
            int blockStart = code.indexOf(block.start);
            int blockEnd = code.indexOf(block.end);
            LabelNode pieceStart = block.start;
            for (LabelNode[] span : spans) {
                int spanStart = code.indexOf(span[0]);
                if (spanStart >= blockStart && code.indexOf(span[1]) <= blockEnd) {
                    addIfNotEmpty(result, block, pieceStart, span[0]);
                    pieceStart = span[1];
                }
            }
            addIfNotEmpty(result, block, pieceStart, block.end);
        }
        return result;
    }

    private static void addIfNotEmpty(List<TryCatchBlockNode> result, TryCatchBlockNode block, LabelNode start,
            LabelNode end) {
        for (AbstractInsnNode insn = start; insn != end && insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() >= 0) {
                TryCatchBlockNode piece = new TryCatchBlockNode(start, end, block.handler, block.type);
                piece.visibleTypeAnnotations = block.visibleTypeAnnotations;
                piece.invisibleTypeAnnotations = block.invisibleTypeAnnotations;
                result.add(piece);
                return;
            }
        }
    }
}
