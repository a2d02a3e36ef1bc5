package dev.defer.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StackDepthSectionTest {
    static final List<String> OUTPUT = List.of(
            "# 2026-12-02 01:40 UTC, commit abc1234, openjdk version \"17.0.15\", load average 1.00 1.00 1.00 on 2 CPUs",
            "== fresh JVM, 1 MB stack, -Xint | java -Xint -javaagent:a.jar StackDepth fresh 1 SHAPE",
            "try/finally       8431 levels      8431 levels/MB",
            "stack record      9072 levels      9072 levels/MB",
            "== warmed up, 16 MB stack, C2 (-XX:-TieredCompilation) | java -XX:-TieredCompilation StackDepth warm 16",
            "try/finally    1042066 levels     65129 levels/MB  1.00 of try/finally",
            "stack record    416822 levels     26051 levels/MB  0.40 of try/finally");

    @Test
    void oneRowPerShapeOneColumnPerModeWithTheRatioToTryFinally() {
        List<String> md = StackDepthSection.markdown(OUTPUT);
        assertEquals("## Stack depth", md.get(0));
        assertTrue(md.get(2).endsWith("Measured 2026-12-02 01:40 UTC, commit abc1234, "
                + "openjdk version \"17.0.15\", load average 1.00 1.00 1.00 on 2 CPUs."), md.get(2));
        assertTrue(md.contains("| shape | fresh JVM, 1 MB stack, -Xint | warmed up, 16 MB stack, C2 (-XX:-TieredCompilation)"
                + " (levels/MB) |"), String.join("\n", md));
        assertTrue(md.contains("| try/finally | 8,431 | 65,129 |"), String.join("\n", md));
        assertTrue(md.contains("| stack record | 9,072 (1.08) | 26,051 (0.40) |"), String.join("\n", md));
        assertTrue(md.contains("- fresh JVM, 1 MB stack, -Xint: `java -Xint -javaagent:a.jar StackDepth fresh 1 SHAPE`"));
    }

    @Test
    void noSectionWithoutMeasurements() {
        assertTrue(StackDepthSection.markdown(List.of()).isEmpty());
    }
}
