package dev.defer.agent;

import java.lang.instrument.Instrumentation;

/**
 * The Java agent: {@code java -javaagent:defer-agent.jar[=options] ...}. It registers a transformer
 * that rewrites the {@code @Defers} methods of each class as it loads. Options, comma-separated:
 * {@code verbose} (a line per rewritten method on stderr), {@code dump=DIR} (writes the rewritten class
 * files under DIR), {@code all=PREFIX[:PREFIX...]} (treats every method of those packages as
 * {@code @Defers}: a test mode).
 */
public final class DeferAgent {
    /** System property the agent sets, so that the runtime's error messages know it is running. */
    static final String RUNNING_PROPERTY = "dev.defer.agent";
    /** The runtime class that rewritten code calls. */
    private static final String RUNTIME_ENTRY = "dev.defer.internal.DeferSupport";

    private DeferAgent() {
    }

    /**
     * Entry point for {@code -javaagent}.
     *
     * @param arguments the options after {@code =}, or null
     * @param instrumentation the JVM's instrumentation service
     */
    public static void premain(String arguments, Instrumentation instrumentation) {
        install(arguments, instrumentation);
    }

    /**
     * Entry point for an agent attached to a running JVM. Classes loaded before are not rewritten.
     *
     * @param arguments the options, or null
     * @param instrumentation the JVM's instrumentation service
     */
    public static void agentmain(String arguments, Instrumentation instrumentation) {
        install(arguments, instrumentation);
    }

    /**
     * Loads the runtime now, while the stack is nearly empty, if it is on the class path: its first use
     * rehearses a panic, so that a stack overflow never has to load it (issue 9). Elsewhere (a class loader of
     * the application's own) the first rewritten method to run does the same.
     */
    private static void prepareRuntime(boolean verbose) {
        try {
            Class.forName(RUNTIME_ENTRY, true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException e) {
            if (verbose) {
                System.err.println("defer-agent: " + RUNTIME_ENTRY + " is not on the class path yet; the first"
                        + " @Defers method to run loads it");
            }
        }
    }

    private static void install(String arguments, Instrumentation instrumentation) {
        AgentOptions options = AgentOptions.parse(arguments);
        DeferTransformer transformer = new DeferTransformer(options, System.err);
        // Rewrite one class first, so that the agent's own classes are loaded before any application class
        // reaches the transformer.
        WarmUp.run(transformer.instrumenter(), options.verbose ? transformer.scanner() : null);
        // Before the transformer: the runtime's classes and those of its rehearsal need no scan.
        prepareRuntime(options.verbose);
        instrumentation.addTransformer(transformer, false);
        System.setProperty(RUNNING_PROPERTY, "active");
        if (options.verbose) {
            System.err.println("defer-agent: active" + (options.allPrefixes.isEmpty() ? ""
                    : ", rewriting every method of " + String.join(", ", options.allPrefixes)));
        }
    }
}
