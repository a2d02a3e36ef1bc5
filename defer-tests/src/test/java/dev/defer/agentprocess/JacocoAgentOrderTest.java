package dev.defer.agentprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jacoco.agent.AgentJar;
import org.jacoco.core.analysis.Analyzer;
import org.jacoco.core.analysis.CoverageBuilder;
import org.jacoco.core.analysis.IClassCoverage;
import org.jacoco.core.analysis.IMethodCoverage;
import org.jacoco.core.tools.ExecFileLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JaCoCo's agent beside ours, in both {@code -javaagent} orders, as Surefire's composed {@code argLine}
 * may give them: the report, made as JaCoCo makes it from the original class files, must match the
 * execution data and show every line and branch of {@link CoveredProgram}'s {@code @Defers} methods as
 * covered, the same in either order. The defer agent registers its transformer as
 * retransformation-capable, so the JVM runs it after JaCoCo's whatever the order.
 */
class JacocoAgentOrderTest {
    private static final String EXPECTED_OUTPUT = String.join(System.lineSeparator(),
            "2", "1", "sum", "3", "sum", "0", "error", "x", "cleanup", "42", "");

    @TempDir
    Path dir;

    @Test
    void coverageIsCompleteAndTheSameInEitherOrder() throws Exception {
        Path jacoco = dir.resolve("jacocoagent.jar");
        AgentJar.extractTo(jacoco.toFile());
        String jacocoFirst = "-javaagent:" + jacoco + "=destfile=" + dir.resolve("jacoco-first.exec")
                + ",includes=" + CoveredProgram.class.getName() + "*";
        String deferFirst = jacocoFirst.replace("jacoco-first.exec", "defer-first.exec");
        String defer = "-javaagent:" + ChildJvm.agentJar();

        ChildJvm first = ChildJvm.java(jacocoFirst, defer, "-cp", System.getProperty("java.class.path"),
                CoveredProgram.class.getName());
        ChildJvm second = ChildJvm.java(defer, deferFirst, "-cp", System.getProperty("java.class.path"),
                CoveredProgram.class.getName());
        assertEquals(EXPECTED_OUTPUT, first.out, first.err);
        assertEquals(EXPECTED_OUTPUT, second.out, second.err);

        List<String> jacocoFirstCoverage = coverage(dir.resolve("jacoco-first.exec"));
        List<String> deferFirstCoverage = coverage(dir.resolve("defer-first.exec"));
        assertEquals(jacocoFirstCoverage, deferFirstCoverage);
        for (String method : List.of("sum", "parse", "twice")) {
            assertTrue(jacocoFirstCoverage.contains(method + ": lines missed 0, branches missed 0, instructions missed 0"),
                    method + " fully covered: " + jacocoFirstCoverage);
        }
    }

    /** JaCoCo's analysis of the original class file against the execution data, one line per method. */
    private static List<String> coverage(Path exec) throws IOException {
        ExecFileLoader loader = new ExecFileLoader();
        loader.load(exec.toFile());
        CoverageBuilder builder = new CoverageBuilder();
        Analyzer analyzer = new Analyzer(loader.getExecutionDataStore(), builder);
        String resource = CoveredProgram.class.getName().replace('.', '/') + ".class";
        try (InputStream in = CoveredProgram.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in);
            analyzer.analyzeClass(in, resource);
        }
        assertTrue(builder.getNoMatchClasses().isEmpty(),
                "execution data does not match the class file: " + builder.getNoMatchClasses().size() + " class");
        List<String> lines = new ArrayList<>();
        for (IClassCoverage type : builder.getClasses()) {
            for (IMethodCoverage method : type.getMethods()) {
                lines.add(method.getName() + ": lines missed " + method.getLineCounter().getMissedCount()
                        + ", branches missed " + method.getBranchCounter().getMissedCount()
                        + ", instructions missed " + method.getInstructionCounter().getMissedCount());
            }
        }
        return lines;
    }

}
