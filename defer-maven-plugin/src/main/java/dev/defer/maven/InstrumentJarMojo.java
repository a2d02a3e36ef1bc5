package dev.defer.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Rewrites the {@code @Defers} methods of the project's packaged jar in place, once {@code jar:jar} has made it,
 * and leaves {@code target/classes} as compiled. Used with {@code prepare-agent}: the tests run the original
 * classes under the agent, so a coverage tool (JaCoCo's agent, then its report over {@code target/classes})
 * sees the source's code only, while the jar that is installed and deployed runs without the agent. Fails the
 * build as {@code instrument} does, on a class that cannot be rewritten and on a misplaced {@code Defer.defer}.
 */
@Mojo(name = "instrument-jar", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class InstrumentJarMojo extends AbstractInstrumentMojo {
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    File classesDirectory() {
        File jar = project.getArtifact().getFile();
        // Without a packaged artifact (a goal run before package), there is nothing to rewrite: said so below.
        return jar != null ? jar : new File(project.getBuild().getDirectory(), project.getBuild().getFinalName() + ".jar");
    }
}
