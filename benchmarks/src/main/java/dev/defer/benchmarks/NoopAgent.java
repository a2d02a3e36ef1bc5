package dev.defer.benchmarks;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * The cheapest possible {@code java.lang.instrument} agent: one transformer that returns {@code null} (no change)
 * for every class. {@link ClassLoadBenchmark#defineWithNoopAgent} loads it into its fork, so that the report can
 * tell the price of being an agent at all (the JVM's copy of each class file into a new {@code byte[]}, the class
 * name as a {@code String}, the call into {@code TransformerManager}) from the defer agent's own work.
 *
 * <p>The benchmarks jar names this class as its {@code Agent-Class} and {@code Premain-Class}: the benchmark
 * attaches it to its own JVM; {@code -javaagent:benchmarks/target/benchmarks.jar} starts it with the JVM, as
 * the defer agent is, for a cross-check.
 */
public final class NoopAgent {
    private static volatile boolean installed;
    private static volatile Instrumentation instrumentation;
    private static final ClassFileTransformer NOOP = new Noop();

    private NoopAgent() {
    }

    /**
     * @param arguments ignored
     * @param instrumentation the JVM's instrumentation service
     */
    public static void premain(String arguments, Instrumentation instrumentation) {
        install(instrumentation);
    }

    /**
     * @param arguments ignored
     * @param instrumentation the JVM's instrumentation service
     */
    public static void agentmain(String arguments, Instrumentation instrumentation) {
        install(instrumentation);
    }

    private static synchronized void install(Instrumentation instrumentation) {
        if (!installed) {
            // Not retransformation-capable, as the defer agent's transformer.
            instrumentation.addTransformer(NOOP, false);
            NoopAgent.instrumentation = instrumentation;
            installed = true;
        }
    }

    /** The instrumentation service the agent was given, or null when it is not loaded. */
    static Instrumentation instrumentation() {
        return instrumentation;
    }

    /** The no-op transformer, registered by {@link #install} (and removable through {@link #instrumentation()}). */
    static ClassFileTransformer transformer() {
        return NOOP;
    }

    /** Whether the no-op transformer is registered in this JVM. */
    static boolean installed() {
        return installed;
    }

    private static final class Noop implements ClassFileTransformer {
        @Override
        public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                ProtectionDomain protectionDomain, byte[] classFile) {
            return null;
        }
    }
}
