package dev.defer.internal;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * Tells whether a class that was not rewritten comes from a Maven build's output directory, where the likeliest
 * cause is a build that stopped before defer-maven-plugin's rewrite: {@code mvn compile} and {@code exec:java}
 * run no later than {@code compile}, and the plugin's {@code instrument} goal runs at {@code process-classes}.
 */
final class BuildOutput {
    private BuildOutput() {
    }

    /**
     * The part of rule S13's message for a {@code @Defers} method that was not rewritten, with no agent running,
     * whose class was loaded from {@code target/classes} or {@code target/test-classes}.
     *
     * @param owner the class of the method that was not rewritten
     * @return the hint, a sentence of its own starting with {@code ". "}, or {@code ""} when the class comes from
     *     anywhere else
     */
    static String hint(Class<?> owner) {
        Path directory = directoryOf(owner);
        if (directory == null || directory.getParent() == null
                || !"target".equals(String.valueOf(directory.getParent().getFileName()))) {
            return "";
        }
        String name = String.valueOf(directory.getFileName());
        String phase;
        String goal;
        if (name.equals("classes")) {
            phase = "process-classes";
            goal = "instrument";
        } else if (name.equals("test-classes")) {
            phase = "process-test-classes";
            goal = "instrument-test";
        } else {
            return "";
        }
        return ". The class was loaded from " + directory + ", a Maven build's output directory: if"
                + " defer-maven-plugin is configured, mvn compile and exec:java stop before " + phase + ", where its "
                + goal + " goal rewrites that directory (instrument-jar rewrites only the packaged jar): run mvn "
                + phase + " exec:java, run the packaged jar, or start the JVM with the agent (for tests, the plugin's"
                + " prepare-agent goal)";
    }

    /** The directory the class was loaded from, or null for a jar, a class with no code source, or no access. */
    private static Path directoryOf(Class<?> owner) {
        try {
            CodeSource source = owner.getProtectionDomain().getCodeSource();
            URL location = source == null ? null : source.getLocation();
            if (location == null || !"file".equals(location.getProtocol())) {
                return null;
            }
            Path path = Path.of(location.toURI());
            return Files.isDirectory(path) ? path : null;
        } catch (SecurityException | URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
            // Only a hint in a message that is being built: the misuse error itself must still be thrown.
            return null;
        }
    }
}
