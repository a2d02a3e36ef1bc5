package dev.defer.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The build runs these tests twice (see pom.xml); this test checks that each run is what its execution says:
 * {@code sample.mode=agent} runs the classes as compiled under the agent, {@code sample.mode=rewritten} runs the jar
 * that the plugin rewrote, in a JVM without the agent. Otherwise the other tests could pass twice in one mode.
 */
class ModeTest {
    static final String MARKER = "dev.defer.Rewritten";

    @Test
    void theRunIsTheOneItsExecutionNames() throws Exception {
        String mode = System.getProperty("sample.mode");
        assertNotNull(mode, "run the tests with Maven (mvn verify): its executions set sample.mode to agent or rewritten");

        boolean agent = agentArguments().stream().anyMatch(argument -> argument.contains("defer-agent"));
        boolean rewritten = classFileHoldsMarker(StockImporter.class);
        String where = StockImporter.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        switch (mode) {
            case "agent" -> {
                assertTrue(agent, "no defer agent among " + agentArguments());
                assertEquals(false, rewritten, "the class file is rewritten already: " + where);
                assertTrue(where.endsWith("/classes/"), where);
            }
            case "rewritten" -> {
                assertEquals(false, agent, "the defer agent is in " + agentArguments());
                assertTrue(rewritten, "the class file is not rewritten: " + where);
                assertEquals(System.getProperty("sample.jar"), new java.io.File(where).getPath());
            }
            default -> throw new AssertionError("sample.mode is agent or rewritten, not " + mode);
        }
    }

    static List<String> agentArguments() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("-javaagent:")).toList();
    }

    /** Whether the class file, as stored, carries the attribute that the rewrite adds. */
    static boolean classFileHoldsMarker(Class<?> type) throws Exception {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains(MARKER);
        }
    }
}
