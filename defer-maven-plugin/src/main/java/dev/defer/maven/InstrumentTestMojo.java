package dev.defer.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Rewrites the {@code @Defers} methods of the compiled test classes in place, as {@code instrument} does for the
 * main classes, so that the tests run without {@code -javaagent}. Skipped with {@code -Dmaven.test.skip=true}.
 */
@Mojo(name = "instrument-test", defaultPhase = LifecyclePhase.PROCESS_TEST_CLASSES, threadSafe = true)
public class InstrumentTestMojo extends AbstractInstrumentMojo {
    /** The test class folder to rewrite in place. */
    @Parameter(defaultValue = "${project.build.testOutputDirectory}", required = true)
    private File testClassesDirectory;

    /** Set by {@code -Dmaven.test.skip=true}: there are no test classes to rewrite. */
    @Parameter(property = "maven.test.skip", defaultValue = "false")
    private boolean skipTests;

    @Override
    File classesDirectory() {
        return testClassesDirectory;
    }

    @Override
    boolean skipGoal() {
        return skipTests;
    }
}
