package dev.defer.agent;

import dev.defer.instrument.InstrumentationException;
import dev.defer.instrument.Instrumenter;
import dev.defer.instrument.MisuseScanner;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;

/**
 * Rewrites {@code @Defers} methods as classes load. Works on the class bytes alone, never loads a class,
 * and returns {@code null} (no change) for every class that does not need it, decided by a byte scan. When the
 * rewrite overflows the loading thread's stack, the {@link RewriteWorker} does it on its own; when even that hand-
 * over overflows, the class is noted in {@link LostClasses} and reported by name if the JVM defines it.
 */
final class DeferTransformer implements ClassFileTransformer {
    private final Instrumenter instrumenter;
    private final MisuseScanner scanner;
    private final AgentOptions options;
    private final PrintStream log;
    private final RewriteWorker worker;
    private final LostClasses lost;
    private volatile Instrumentation instrumentation;

    DeferTransformer(AgentOptions options, PrintStream log) {
        this.instrumenter = new Instrumenter(options.allPrefixes);
        this.scanner = new MisuseScanner(options.allPrefixes);
        this.options = options;
        this.log = log;
        this.lost = new LostClasses(this::needsRewrite);
        this.worker = new RewriteWorker(this::transform, () -> lost.report(log, instrumentation), log,
                options.verbose);
    }

    /** The classes loaded un-rewritten because their thread had too little stack even to hand them over. */
    LostClasses lost() {
        return lost;
    }

    /** The thread that rewrites for loading threads whose stack overflows. */
    RewriteWorker worker() {
        return worker;
    }

    Instrumenter instrumenter() {
        return instrumenter;
    }

    MisuseScanner scanner() {
        return scanner;
    }

    /**
     * Starts the thread that rewrites for loading threads whose stack overflows: premain only, so that the unit
     * tests' transformers start no thread.
     *
     * @param instrumentation the JVM's, to check whether a class noted in {@link LostClasses} was defined
     */
    void startWorker(Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
        worker.start();
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classFile) {
        return transform(null, loader, className, classBeingRedefined, protectionDomain, classFile);
    }

    /**
     * What the JVM calls. Overridden rather than left to the interface's default, which would call the method
     * above: one frame fewer between the JDK's caller, which swallows any throwable, and the catch below.
     */
    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classFile) {
        try {
            return transform(loader, className, classFile, log);
        } catch (StackOverflowError overflow) {
            // The JVM calls this on the loading thread with whatever stack it has left. The rewrite is pure on
            // the bytes, so it is done again, whole, on the worker's stack.
            try {
                if (loader == null || className == null || isRuntimeClass(className)) {
                    // Never handed over: nothing to rewrite, and the worker may itself need a platform or agent
                    // class that this thread is defining, which would deadlock.
                    return null;
                }
                // The fewest frames possible between here and the wait: the less stack the hand-over needs, the
                // rarer a load that cannot even hand over.
                if (worker.started) {
                    return worker.transform(new RewriteWorker.Request(loader, className, classFile));
                }
                return handOver(loader, className, classFile);
            } catch (StackOverflowError again) {
                // Too little stack even to hand over: noted without a call (a call could overflow again), and
                // reported by the next class load or the JVM's exit, so that the class is never lost silently.
                synchronized (lost) {
                    int slot = lost.count & (LostClasses.KEPT - 1);
                    lost.names[slot] = className;
                    lost.loaders[slot] = loader;
                    lost.classFiles[slot] = classFile;
                    lost.count++;
                }
                return null;
            }
        }
    }

    /**
     * The loading thread's side of the hand-over, as {@link #transform} does it; called by the warm-up, so that
     * all it uses is loaded and linked before a thread short of stack needs it.
     */
    byte[] handOver(ClassLoader loader, String className, byte[] classFile) {
        if (worker.started) {
            return worker.transform(new RewriteWorker.Request(loader, className, classFile));
        }
        log.println("defer-agent: cannot rewrite " + (className == null ? "a class" : className.replace('/', '.'))
                + ", left unchanged (its Defer.defer calls will throw IllegalStateException): the stack of the"
                + " thread that loaded it overflowed during the rewrite, and the agent's own thread is not running");
        return null;
    }

    /** The rewrite on the current thread: what the JVM's callback does, and the worker's task. */
    private byte[] transform(ClassLoader loader, String className, byte[] classFile, PrintStream log) {
        if (lost.count != lost.reported) {
            // Not here: this thread may be short of stack, and the report must not be cut in the middle.
            worker.reportLost();
        }
        if (loader == null || className == null || isRuntimeClass(className)) {
            // Bootstrap classes, hidden classes and the runtime itself never hold @Defers code.
            return null;
        }
        if (options.verbose) {
            warnMisuse(className, classFile, log);
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
                    log.println("defer-agent: rewrote " + className.replace('/', '.') + "." + method);
                }
            }
            dump(className, result.classFile(), log);
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

    /** The test of {@link #transform} before it parses anything: could the class need the rewrite? */
    private boolean needsRewrite(ClassLoader loader, String className, byte[] classFile) {
        return loader != null && className != null && !isRuntimeClass(className)
                && instrumenter.mayNeedRewrite(className, classFile);
    }

    /**
     * Verbose only: the calls of {@code Defer.defer} that will throw when they run (rule S13), found before they
     * do. Only classes whose bytes name {@code dev/defer/Defer} are parsed, so the others pay one byte scan.
     */
    private void warnMisuse(String className, byte[] classFile, PrintStream log) {
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

    private void dump(String className, byte[] classFile, PrintStream log) {
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
