package dev.defer.maven;

import java.io.File;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/** The parameters and the work shared by {@code instrument} and {@code instrument-test}. */
abstract class AbstractInstrumentMojo extends AbstractMojo {
    /**
     * Fails the build when a call of {@code Defer.defer} can never succeed: one outside the body of a
     * {@code @Defers} method (in a method without it, a lambda body, a constructor, a static initialiser) or a
     * {@code Defer::defer} method reference. With {@code false} such calls are reported as warnings.
     */
    @Parameter(property = "defer.failOnMisuse", defaultValue = "true")
    private boolean failOnMisuse;

    /** Logs each rewritten method (otherwise only at debug level, {@code mvn -X}). */
    @Parameter(property = "defer.verbose", defaultValue = "false")
    private boolean verbose;

    /** Skips the rewrite. */
    @Parameter(property = "defer.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    static boolean mentionsJacocoAgent(String argLine) {
        return argLine != null && (argLine.contains("org.jacoco.agent") || argLine.contains("jacocoagent"));
    }

    /**
     * @return the class folder (or jar) this goal rewrites
     */
    abstract File classesDirectory();

    /**
     * @return whether this goal is skipped by a parameter of its own
     */
    boolean skipGoal() {
        return false;
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip || skipGoal()) {
            getLog().info("defer: skipped");
            return;
        }
        if (project != null && "pom".equals(project.getPackaging())) {
            getLog().debug("defer: nothing to rewrite in a pom project");
            return;
        }
        File target = classesDirectory();
        if (target.isDirectory() && project != null && mentionsJacocoAgent(project.getProperties().getProperty("argLine"))) {
            // Not silent: JaCoCo would record, and report, the rewritten classes, exit blocks and handlers included.
            getLog().warn("defer: JaCoCo's agent is in argLine and " + target + " is rewritten before the tests run, so"
                    + " the coverage report counts the rewrite's code and branches in @Defers methods. For the source's"
                    + " coverage, use the goals prepare-agent and instrument-jar instead of instrument and"
                    + " instrument-test (see the plugin's documentation: With JaCoCo).");
        }
        new ClassFolderRewrite(getLog(), failOnMisuse, verbose).run(target);
    }
}
