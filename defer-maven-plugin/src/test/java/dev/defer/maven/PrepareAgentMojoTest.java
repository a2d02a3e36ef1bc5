package dev.defer.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import org.junit.jupiter.api.Test;

/** The argLine entry prepare-agent writes, and the JaCoCo test that makes instrument warn. */
class PrepareAgentMojoTest {
    @Test
    void agentArgumentWithAndWithoutOptions() {
        File jar = new File("/repo/defer-agent.jar");
        assertEquals("-javaagent:" + jar.getAbsolutePath(), PrepareAgentMojo.agentArgument(jar, null));
        assertEquals("-javaagent:" + jar.getAbsolutePath(), PrepareAgentMojo.agentArgument(jar, " "));
        assertEquals("-javaagent:" + jar.getAbsolutePath() + "=verbose,dump=out",
                PrepareAgentMojo.agentArgument(jar, " verbose,dump=out "));
    }

    @Test
    void aPathWithASpaceIsQuotedAsSurefireSplitsTheLine() {
        File jar = new File("/my repo/defer-agent.jar");
        assertEquals("\"-javaagent:" + jar.getAbsolutePath() + "\"", PrepareAgentMojo.agentArgument(jar, null));
    }

    @Test
    void jacocosAgentInArgLineIsRecognised() {
        assertTrue(AbstractInstrumentMojo.mentionsJacocoAgent(
                "-javaagent:/m2/org/jacoco/org.jacoco.agent/0.8.15/org.jacoco.agent-0.8.15-runtime.jar=destfile=x"));
        assertTrue(AbstractInstrumentMojo.mentionsJacocoAgent("-Xmx1g -javaagent:/opt/jacocoagent.jar"));
        assertFalse(AbstractInstrumentMojo.mentionsJacocoAgent("-javaagent:/m2/dev/defer/defer-agent.jar"));
        assertFalse(AbstractInstrumentMojo.mentionsJacocoAgent(null));
    }
}
