package dev.defer.agent;

import dev.defer.instrument.VerboseText;
import java.lang.instrument.Instrumentation;

/**
 * The Java agent: {@code java -javaagent:defer-agent.jar[=options] ...}. It registers a transformer
 * that rewrites the {@code @Defers} methods of each class as it loads. Options, comma-separated:
 * {@code verbose} (a line per rewritten method on stderr), {@code dump=DIR} (writes the rewritten class
 * files under DIR), {@code all=PREFIX[:PREFIX...]} (treats every method of those packages as
 * {@code @Defers}: a test mode). It starts one daemon thread, {@code defer-agent rewrite}, which rewrites a class
 * whose loading thread has too little stack left for the rewrite (see {@link RewriteWorker}). An unknown or
 * malformed option at JVM start prints one line naming it and the valid ones, and stops the JVM with status 1.
 */
public final class DeferAgent {
    /** System property the agent sets, so that the runtime's error messages know it is running. */
    static final String RUNNING_PROPERTY = "dev.defer.agent";

    private DeferAgent() {
    }

    /**
     * Entry point for {@code -javaagent}.
     *
     * @param arguments the options after {@code =}, or null
     * @param instrumentation the JVM's instrumentation service
     */
    public static void premain(String arguments, Instrumentation instrumentation) {
        AgentOptions options;
        try {
            options = AgentOptions.parse(arguments);
        } catch (IllegalArgumentException e) {
            // A premain that throws makes the JVM abort (status 134, a stack trace, native frames and the
            // launcher's assertion lines around the one useful line): print that line alone and stop as a
            // program stops on bad arguments. Nothing of the application has run yet.
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        install(options, instrumentation);
    }

    /**
     * Entry point for an agent attached to a running JVM. Classes loaded before are not rewritten.
     *
     * @param arguments the options, or null
     * @param instrumentation the JVM's instrumentation service
     */
    public static void agentmain(String arguments, Instrumentation instrumentation) {
        // Bad options throw: the attaching tool reports the failure, and the running application goes on.
        install(AgentOptions.parse(arguments), instrumentation);
    }

    private static void install(AgentOptions options, Instrumentation instrumentation) {
        DeferTransformer transformer = new DeferTransformer(options, System.err);
        if (options.verbose) {
            // verbose scans classes for misuse on their loading threads, with ASM: load it all now. Otherwise the
            // first class to rewrite loads it, on the agent's thread (DeferTransformer), and a JVM that never loads
            // a @Defers class never pays for it.
            transformer.ensureReady();
        }
        transformer.startWorker(instrumentation);
        // At the JVM's exit, the noted classes not reported yet: the list is the hook's task itself (LostClasses.run).
        Runtime.getRuntime().addShutdownHook(new Thread(transformer.lost(), "defer-agent report"));
        // Retransformation-capable transformers run after all incapable ones whatever the -javaagent order,
        // so a coverage agent such as JaCoCo (incapable) always sees, and records, the class as compiled: its
        // report, made from the original class files, then matches the execution data. The rewrite is a pure
        // function of the bytes, so running it again on a retransformation (a mock maker's) gives the same class.
        instrumentation.addTransformer(transformer, instrumentation.isRetransformClassesSupported());
        System.setProperty(RUNNING_PROPERTY, "active");
        if (options.verbose) {
            System.err.println("defer-agent: active" + (options.allPrefixes.isEmpty() ? ""
                    : ", rewriting every method of " + String.join(", ", options.allPrefixes))
                    + "; " + VerboseText.STRATEGIES);
        }
    }
}
