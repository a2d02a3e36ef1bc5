package dev.defer.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Rewrites the {@code @Defers} methods of the compiled classes in place, with the agent's own rewrite, so that the
 * program runs without {@code -javaagent} (it needs only {@code defer-runtime} on its class path). Classes of
 * multi-release folders ({@code META-INF/versions/N/}) are rewritten too; {@code module-info.class} is left alone.
 * A class rewritten already carries the {@code dev.defer.Rewritten} attribute and is not rewritten again, so the
 * goal may run on an unchanged folder any number of times. Fails the build on a class that cannot be rewritten and
 * (see {@code failOnMisuse}) on a {@code Defer.defer} that can never succeed.
 */
@Mojo(name = "instrument", defaultPhase = LifecyclePhase.PROCESS_CLASSES, threadSafe = true)
public class InstrumentMojo extends AbstractInstrumentMojo {
    /** The class folder to rewrite in place. */
    @Parameter(defaultValue = "${project.build.outputDirectory}", required = true)
    private File classesDirectory;

    @Override
    File classesDirectory() {
        return classesDirectory;
    }
}
