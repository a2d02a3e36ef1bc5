package dev.defer.testsupport;

import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;

/** What the tests that start child JVMs read from the JVM they run in: its agent jar, a class's class folder. */
public final class ThisJvm {
    private ThisJvm() {
    }

    /**
     * The defer agent jar this JVM runs under, from its own {@code -javaagent:} argument, without the options.
     *
     * @return the jar, or empty when the tests do not run under the agent
     */
    public static Optional<Path> agentJar() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-javaagent:") && a.contains("defer-agent"))
                .map(a -> Path.of(a.substring("-javaagent:".length()).split("=", 2)[0]))
                .findFirst();
    }

    /**
     * The class folder (or jar) a class was loaded from.
     *
     * @param type the class
     * @return its code source's location
     */
    public static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the location of " + type.getName() + " is not a file path", e);
        }
    }
}
