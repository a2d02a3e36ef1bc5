package dev.defer.maven;

import java.io.File;
import java.util.List;
import java.util.Properties;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * Adds the defer agent ({@code -javaagent:.../defer-agent.jar}) to the property that Surefire and Failsafe read
 * their JVM arguments from ({@code argLine}), as {@code jacoco:prepare-agent} does for JaCoCo's agent, so that
 * the tests run the classes as compiled, rewritten as they load. With JaCoCo beside it, its agent then records
 * the original classes and its report, made from {@code target/classes}, gives the source's coverage; pair
 * this goal with {@code instrument-jar} so that the packaged jar still runs without the agent.
 */
@Mojo(name = "prepare-agent", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public class PrepareAgentMojo extends AbstractMojo {

    /** The property to add the agent to; Surefire and Failsafe read {@code argLine}. */
    @Parameter(property = "defer.propertyName", defaultValue = "argLine")
    private String propertyName;

    /** The agent's options ({@code verbose}, {@code dump=DIR}, ...), comma-separated; none by default. */
    @Parameter(property = "defer.agentOptions")
    private String agentOptions;

    /** Skips the goal: the property is left as it was. */
    @Parameter(property = "defer.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    private PluginDescriptor plugin;

    @Parameter(defaultValue = "${repositorySystemSession}", readonly = true, required = true)
    private RepositorySystemSession repositorySession;

    @Parameter(defaultValue = "${project.remotePluginRepositories}", readonly = true, required = true)
    private List<RemoteRepository> pluginRepositories;

    @Component
    private RepositorySystem repositorySystem;

    @Override
    public void execute() throws MojoExecutionException {
        if (skip) {
            getLog().info("defer: skipped");
            return;
        }
        String argument = agentArgument(agentJar(), agentOptions);
        Properties properties = project.getProperties();
        // A user property (-DargLine=...) wins over the project's, as Maven's interpolation does.
        String current = session.getUserProperties().getProperty(propertyName,
                properties.getProperty(propertyName, ""));
        String value = current.isBlank() ? argument : argument + " " + current;
        properties.setProperty(propertyName, value);
        getLog().info("defer: " + propertyName + " set to " + value);
    }

    /** The agent jar of the plugin's own version, resolved as the plugin itself was. */
    private File agentJar() throws MojoExecutionException {
        DefaultArtifact agent = new DefaultArtifact(plugin.getGroupId(), "defer-agent", "jar", plugin.getVersion());
        try {
            return requireJar(repositorySystem.resolveArtifact(repositorySession,
                    new ArtifactRequest(agent, pluginRepositories, null)).getArtifact().getFile(), agent.toString());
        } catch (ArtifactResolutionException e) {
            throw new MojoExecutionException("defer: cannot resolve the agent jar " + agent + " for the tests' "
                    + propertyName + ": " + e.getMessage(), e);
        }
    }

    /**
     * The resolved agent, which must be a jar: inside a reactor that also builds defer-agent, a phase before
     * {@code package} resolves the module to its class folder, which {@code -javaagent} cannot load (the test
     * JVM would die with "Error occurred during initialization of VM" and no reason).
     */
    static File requireJar(File resolved, String coordinates) throws MojoExecutionException {
        if (resolved != null && resolved.isFile()) {
            return resolved;
        }
        throw new MojoExecutionException("defer: prepare-agent needs the agent jar " + coordinates + ", but it resolved to "
                + resolved + ", which is not a jar file: the defer-agent module of this build has not been packaged "
                + "yet. Run a phase from package on (mvn verify), or install the agent first (README, \"Use it in "
                + "your project\").");
    }

    /** {@code -javaagent:PATH[=OPTIONS]}, quoted when the path has a space (Surefire splits the line like a shell). */
    static String agentArgument(File jar, String options) {
        String argument = "-javaagent:" + jar.getAbsolutePath()
                + (options == null || options.isBlank() ? "" : "=" + options.trim());
        return argument.contains(" ") ? '"' + argument + '"' : argument;
    }
}
