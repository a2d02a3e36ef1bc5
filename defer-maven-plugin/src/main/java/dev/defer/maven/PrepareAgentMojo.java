package dev.defer.maven;

import java.io.File;
import java.util.Collection;
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
 *
 * <p>With {@code attach} set to {@code agentlib}, the entry is {@code -agentlib:instrument=.../defer-agent.jar}
 * instead: the same agent, started by the same JDK library, without the {@code --add-modules java.instrument} that
 * {@code -javaagent} implies and that turns off the CDS archive's module graph, which saves tens of milliseconds of
 * CPU in every forked test JVM (docs/agent.md). It suits class-path test runs only: on the module path, where
 * Surefire runs the tests of a project with a {@code module-info.java}, the JVM would stop at start-up, so such a
 * project gets {@code -javaagent} with a warning.
 */
@Mojo(name = "prepare-agent", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public class PrepareAgentMojo extends AbstractMojo {
    static final String JAVAAGENT = "javaagent";
    static final String AGENTLIB = "agentlib";

    /** The property to add the agent to; Surefire and Failsafe read {@code argLine}. */
    @Parameter(property = "defer.propertyName", defaultValue = "argLine")
    private String propertyName;

    /** The agent's options ({@code verbose}, {@code dump=DIR}, ...), comma-separated; none by default. */
    @Parameter(property = "defer.agentOptions")
    private String agentOptions;

    /**
     * How the test JVMs start the agent: {@code javaagent} ({@code -javaagent:JAR}, the default, which suits every
     * test run) or {@code agentlib} ({@code -agentlib:instrument=JAR}: faster JVM start-up, class-path test runs
     * only; a project with a {@code module-info.java} gets {@code javaagent} with a warning).
     */
    @Parameter(property = "defer.attach", defaultValue = JAVAAGENT)
    private String attach;

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
        String argument = agentArgument(agentJar(), agentOptions, attachForm());
        Properties properties = project.getProperties();
        // A user property (-DargLine=...) wins over the project's, as Maven's interpolation does.
        String current = session.getUserProperties().getProperty(propertyName,
                properties.getProperty(propertyName, ""));
        String value = current.isBlank() ? argument : argument + " " + current;
        properties.setProperty(propertyName, value);
        getLog().info("defer: " + propertyName + " set to " + value);
    }

    /** {@code attach} checked, and {@code agentlib} turned into {@code javaagent} for a project on the module path. */
    private String attachForm() throws MojoExecutionException {
        String form = attach == null ? JAVAAGENT : attach.trim();
        if (!form.equals(JAVAAGENT) && !form.equals(AGENTLIB)) {
            throw new MojoExecutionException("defer: prepare-agent's attach is '" + attach + "' in " + project.getId()
                    + "; write " + JAVAAGENT + " (the default) or " + AGENTLIB);
        }
        if (form.equals(AGENTLIB)) {
            String descriptor = moduleDescriptor(project.getCompileSourceRoots(), project.getTestCompileSourceRoots());
            if (descriptor != null) {
                getLog().warn("defer: attach=" + AGENTLIB + " is for class-path test runs, but " + descriptor
                        + " puts the tests on the module path, where -agentlib:instrument= stops the JVM at start-up"
                        + " (java.instrument is not resolved): using -javaagent");
                return JAVAAGENT;
            }
        }
        return form;
    }

    /** The first {@code module-info.java} in the source roots, or null: Surefire's cue for the module path. */
    static String moduleDescriptor(Collection<String> mainRoots, Collection<String> testRoots) {
        for (Collection<String> roots : List.of(mainRoots, testRoots)) {
            for (String root : roots) {
                File descriptor = new File(root, "module-info.java");
                if (descriptor.isFile()) {
                    return descriptor.getPath();
                }
            }
        }
        return null;
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

    /**
     * {@code -javaagent:PATH[=OPTIONS]}, or for {@code agentlib} {@code -agentlib:instrument=PATH[=OPTIONS]} (the JDK's
     * library reads the agent's options after the jar's path, as {@code -javaagent} does); quoted when the path has a
     * space (Surefire splits the line like a shell).
     */
    static String agentArgument(File jar, String options, String form) {
        String argument = (form.equals(AGENTLIB) ? "-agentlib:instrument=" : "-javaagent:") + jar.getAbsolutePath()
                + (options == null || options.isBlank() ? "" : "=" + options.trim());
        return argument.contains(" ") ? '"' + argument + '"' : argument;
    }
}
