package dev.defer.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.defer.instrument.targets.LoopShapes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/** Issue 3's loop analysis: each Defer.defer site of {@link LoopShapes} gets the strategy its kind needs. */
class LoopAnalysisTest {
    @ParameterizedTest
    @CsvSource({
        "branches, T T",
        "forLoop, T L T",
        "doWhile, L",
        "forEachWithContinue, L L",
        "retry, L",
        "labelled, T L",
    })
    void sitesOnACycleArePooledAndOthersStacked(String method, String expected) throws Exception {
        ClassNode node = new ClassNode();
        new ClassReader(RewriteTestSupport.rewrite(LoopShapes.class)).accept(node, 0);
        MethodNode rewritten = node.methods.stream().filter(m -> m.name.equals(method)).findFirst().orElseThrow();
        List<String> kinds = new ArrayList<>();
        for (AbstractInsnNode insn : rewritten.instructions) {
            if (insn instanceof MethodInsnNode && ((MethodInsnNode) insn).owner.equals("dev/defer/internal/DeferSupport")) {
                String name = ((MethodInsnNode) insn).name;
                if (name.equals("deferStacked")) {
                    kinds.add("T");
                } else if (name.equals("deferPooled")) {
                    kinds.add("L");
                }
            }
        }
        assertEquals(expected, String.join(" ", kinds));
    }
}
