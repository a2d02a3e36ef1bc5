package dev.defer.agent;

import dev.defer.instrument.InstrumentationException;
import dev.defer.instrument.Instrumenter;
import dev.defer.instrument.VerboseText;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The agent's rewrite of one class, once its byte test said the class may need it: the {@link Instrumenter}, the
 * verbose lines and the dump. A class apart from {@link DeferTransformer}, which premain makes, so that JVM start-up
 * loads none of it (the rewrite's exceptions included, which a verifier of the transformer would load): it is made,
 * with the warm-up, by the first class that needs the rewrite, on the agent's own thread.
 */
final class AgentRewrite {
    final Instrumenter instrumenter;
    private final Path dumpDirectory;

    /**
     * @param instrumenter the rewrite
     * @param dumpDirectory where to write each rewritten class file ({@code dump=}), or null
     */
    AgentRewrite(Instrumenter instrumenter, Path dumpDirectory) {
        this.instrumenter = instrumenter;
        this.dumpDirectory = dumpDirectory;
    }

    /**
     * Rewrites a class, reporting a class it cannot rewrite; the transformer reports any other failure.
     *
     * @param className the class's internal name
     * @param classFile its bytes
     * @param verbose whether to print a line per rewritten method
     * @param log where to report
     * @return the rewritten class, or null when it stays as it is
     */
    byte[] rewrite(String className, byte[] classFile, boolean verbose, PrintStream log) {
        try {
            Instrumenter.Result result = instrumenter.instrument(classFile);
            if (result == null) {
                return null;
            }
            if (verbose) {
                for (String method : result.methods()) {
                    log.println("defer-agent: rewrote " + className.replace('/', '.') + "."
                            + VerboseText.method(method));
                }
                if (result.methods().isEmpty()) {
                    log.println("defer-agent: rewrote " + className.replace('/', '.') + ": "
                            + VerboseText.panicSites(result.panicSites()));
                }
            }
            dump(className, result.classFile(), log);
            return result.classFile();
        } catch (InstrumentationException e) {
            log.println("defer-agent: " + e.getMessage());
            return null;
        }
    }

    private void dump(String className, byte[] classFile, PrintStream log) {
        if (dumpDirectory == null) {
            return;
        }
        Path target = dumpDirectory.resolve(className + ".class");
        try {
            Files.createDirectories(target.getParent());
            Files.write(target, classFile);
        } catch (IOException e) {
            log.println("defer-agent: cannot dump " + target + ": " + e);
        }
    }
}
