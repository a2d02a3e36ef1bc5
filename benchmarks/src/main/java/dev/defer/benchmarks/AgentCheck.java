package dev.defer.benchmarks;

import dev.defer.Defer;
import dev.defer.Defers;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Proves, inside each forked benchmark JVM, whether the agent rewrote the {@code @Defers} methods.
 *
 * <p>JMH starts every fork with the host JVM's own arguments unless a {@code @Fork(jvmArgs = ...)} replaces them,
 * so {@code java -javaagent:defer-agent.jar -jar benchmarks.jar} runs every fork under the agent. This class checks
 * it rather than trusting it: {@link #probe()} calls {@code Defer.defer}, which throws an
 * {@link IllegalStateException} in a method the agent did not rewrite. Every benchmark state calls
 * {@link #requireAgent()} in its trial {@code @Setup}, so a fork without the agent fails before it measures.
 */
public final class AgentCheck {
    private static int probes;

    private AgentCheck() {
    }

    /** Whether {@code @Defers} methods are rewritten in this JVM, found by running one. */
    public static boolean agentActive() {
        int before = probes;
        try {
            probe();
            return probes == before + 1;   // the deferred call ran when probe() returned
        } catch (IllegalStateException notRewritten) {
            return false;
        }
    }

    /** The {@code -javaagent} arguments this JVM was started with. */
    public static List<String> agentArguments() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("-javaagent:"))
                .toList();
    }

    /** Throws unless the agent rewrote this JVM's {@code @Defers} methods. */
    public static void requireAgent() {
        if (!agentActive()) {
            throw new IllegalStateException("this fork runs without the defer agent (JVM arguments: "
                    + ManagementFactory.getRuntimeMXBean().getInputArguments() + "): run the benchmarks as "
                    + "java -javaagent:defer-agent/target/defer-agent.jar -jar benchmarks/target/benchmarks.jar, "
                    + "or benchmarks/run.sh");
        }
    }

    @Defers
    private static void probe() {
        Defer.defer(AgentCheck::count);
    }

    private static void count() {
        probes++;
    }
}
