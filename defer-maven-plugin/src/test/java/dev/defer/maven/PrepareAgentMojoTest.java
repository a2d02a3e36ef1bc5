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
        assertEquals("-javaagent:" + jar.getAbsolutePath(),
                PrepareAgentMojo.agentArgument(jar, null, PrepareAgentMojo.JAVAAGENT));
        assertEquals("-javaagent:" + jar.getAbsolutePath(),
                PrepareAgentMojo.agentArgument(jar, " ", PrepareAgentMojo.JAVAAGENT));
        assertEquals("-javaagent:" + jar.getAbsolutePath() + "=verbose,dump=out",
                PrepareAgentMojo.agentArgument(jar, " verbose,dump=out ", PrepareAgentMojo.JAVAAGENT));
    }

    @Test
    void agentlibStartsTheSameJarThroughTheInstrumentLibrary() {
        File jar = new File("/repo/defer-agent.jar");
        assertEquals("-agentlib:instrument=" + jar.getAbsolutePath(),
                PrepareAgentMojo.agentArgument(jar, null, PrepareAgentMojo.AGENTLIB));
        assertEquals("-agentlib:instrument=" + jar.getAbsolutePath() + "=verbose",
                PrepareAgentMojo.agentArgument(jar, "verbose", PrepareAgentMojo.AGENTLIB));
        File spaced = new File("/my repo/defer-agent.jar");
        assertEquals("\"-agentlib:instrument=" + spaced.getAbsolutePath() + "\"",
                PrepareAgentMojo.agentArgument(spaced, null, PrepareAgentMojo.AGENTLIB));
    }

    @Test
    void aModuleDescriptorInTheMainOrTestSourcesIsFound(@org.junit.jupiter.api.io.TempDir File dir) throws Exception {
        File main = new File(dir, "main");
        File test = new File(dir, "test");
        assertTrue(main.mkdir() && test.mkdir());
        java.util.List<String> mains = java.util.List.of(main.getPath(), new File(dir, "absent").getPath());
        java.util.List<String> tests = java.util.List.of(test.getPath());
        org.junit.jupiter.api.Assertions.assertNull(PrepareAgentMojo.moduleDescriptor(mains, tests));
        File testDescriptor = new File(test, "module-info.java");
        java.nio.file.Files.writeString(testDescriptor.toPath(), "module t {}");
        assertEquals(testDescriptor.getPath(), PrepareAgentMojo.moduleDescriptor(mains, tests));
        File mainDescriptor = new File(main, "module-info.java");
        java.nio.file.Files.writeString(mainDescriptor.toPath(), "module m {}");
        assertEquals(mainDescriptor.getPath(), PrepareAgentMojo.moduleDescriptor(mains, tests));
    }

    @Test
    void aClassFolderInsteadOfTheAgentJarIsRefusedWithTheFix(@org.junit.jupiter.api.io.TempDir File dir)
            throws Exception {
        File jar = new File(dir, "defer-agent.jar");
        java.nio.file.Files.write(jar.toPath(), new byte[] {'P', 'K'});
        assertEquals(jar, PrepareAgentMojo.requireJar(jar, "dev.defer:defer-agent:jar:1"));
        File classes = new File(dir, "classes");
        assertTrue(classes.mkdir());
        org.apache.maven.plugin.MojoExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.apache.maven.plugin.MojoExecutionException.class,
                () -> PrepareAgentMojo.requireJar(classes, "dev.defer:defer-agent:jar:1"));
        assertTrue(e.getMessage().contains(classes.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("dev.defer:defer-agent:jar:1"), e.getMessage());
        assertTrue(e.getMessage().contains("mvn verify"), e.getMessage());
    }

    @Test
    void aPathWithASpaceIsQuotedAsSurefireSplitsTheLine() {
        File jar = new File("/my repo/defer-agent.jar");
        assertEquals("\"-javaagent:" + jar.getAbsolutePath() + "\"",
                PrepareAgentMojo.agentArgument(jar, null, PrepareAgentMojo.JAVAAGENT));
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
