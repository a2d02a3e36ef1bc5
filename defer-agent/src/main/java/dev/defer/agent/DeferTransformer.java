package dev.defer.agent;

import dev.defer.instrument.InstrumentationException;
import dev.defer.instrument.Instrumenter;
import dev.defer.instrument.MisuseScanner;
import dev.defer.instrument.VerboseText;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.instrument.ClassFileTransformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;

/**
 * Rewrites {@code @Defers} methods as classes load. Works on the class bytes alone, never loads a class,
 * and returns {@code null} (no change) for every class that does not need it, decided by a byte scan.
 */
final class DeferTransformer implements ClassFileTransformer {
    private final Instrumenter instrumenter;
    private final MisuseScanner scanner;
    private final AgentOptions options;
    private final PrintStream log;

    DeferTransformer(AgentOptions options, PrintStream log) {
        this.instrumenter = new Instrumenter(options.allPrefixes);
        this.scanner = new MisuseScanner(options.allPrefixes);
        this.options = options;
        this.log = log;
    }

    Instrumenter instrumenter() {
        return instrumenter;
    }

    MisuseScanner scanner() {
        return scanner;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classFile) {
        if (loader == null || className == null || isRuntimeClass(className)) {
            // Bootstrap classes, hidden classes and the runtime itself never hold @Defers code.
            return null;
        }
        if (options.verbose) {
            warnMisuse(className, classFile);
        }
        if (!instrumenter.mayNeedRewrite(className, classFile)) {
            return null;
        }
        try {
            Instrumenter.Result result = instrumenter.instrument(classFile);
            if (result == null) {
                return null;
            }
            if (options.verbose) {
                for (String method : result.methods()) {
                    log.println("defer-agent: rewrote " + className.replace('/', '.') + "."
                            + VerboseText.method(method));
                }
            }
            dump(className, result.classFile());
            return result.classFile();
        } catch (InstrumentationException e) {
            log.println("defer-agent: " + e.getMessage());
            return null;
        } catch (RuntimeException | LinkageError e) {
            // A transformer must never throw: the JVM would drop the error silently. Report it instead.
            log.println("defer-agent: cannot rewrite " + className.replace('/', '.') + ", left unchanged: " + e);
            return null;
        }
    }

    /**
     * Verbose only: the calls of {@code Defer.defer} that will throw when they run (rule S13), found before they
     * do. Only classes whose bytes name {@code dev/defer/Defer} are parsed, so the others pay one byte scan.
     */
    private void warnMisuse(String className, byte[] classFile) {
        if (!scanner.mayHaveMisuse(classFile)) {
            return;
        }
        try {
            for (MisuseScanner.Finding finding : scanner.scan(classFile)) {
                log.println("defer-agent: warning: Defer.defer can never succeed in " + finding);
            }
        } catch (RuntimeException e) {
            log.println("defer-agent: warning: cannot scan " + className.replace('/', '.') + " for misuse: " + e);
        }
    }

    private static boolean isRuntimeClass(String className) {
        // One test for nearly every class; the three packages only for dev/defer/.
        return className.startsWith("dev/defer/") && (className.startsWith("internal/", 10)
                || className.startsWith("agent/", 10) || className.startsWith("instrument/", 10));
    }

    private void dump(String className, byte[] classFile) {
        if (options.dumpDirectory == null) {
            return;
        }
        Path target = options.dumpDirectory.resolve(className + ".class");
        try {
            Files.createDirectories(target.getParent());
            Files.write(target, classFile);
        } catch (IOException e) {
            log.println("defer-agent: cannot dump " + target + ": " + e);
        }
    }
}
