package dev.defer.agent;

import dev.defer.instrument.Instrumenter;
import dev.defer.instrument.MisuseScanner;
import dev.defer.instrument.internal.ClassPrefixes;
import dev.defer.instrument.internal.ClassScan;
import java.io.PrintStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * Rewrites {@code @Defers} methods, and the {@code Defer.panic} calls of any class, as classes load. Works on the class bytes alone, never loads a class,
 * and returns {@code null} (no change) for every class that does not need it, decided by a byte scan. When the
 * rewrite overflows the loading thread's stack, the {@link RewriteWorker} does it on its own; when even that hand-
 * over overflows, the class is noted in {@link LostClasses} and reported by name if the JVM defines it.
 */
final class DeferTransformer implements ClassFileTransformer, BiFunction<RewriteWorker.Request, PrintStream, byte[]>,
        Predicate<RewriteWorker.Request> {
    /**
     * The {@code all=} prefixes, for the byte test that every class meets; null without {@code all=}, so that
     * premain loads no class for them.
     */
    private final ClassPrefixes rewriteAll;
    /**
     * The rewrite, made by {@link #ensureReady} at the first class that needs it (on the worker): premain and the
     * byte test load none of its classes.
     */
    private volatile AgentRewrite rewrite;
    /** Only with verbose, which warns of misuse: its class links the rewrite's ASM classes as it loads. */
    private final MisuseScanner scanner;
    private final AgentOptions options;
    private final PrintStream log;
    private final RewriteWorker worker;
    private final LostClasses lost;
    /** Whether the warm-up rewrite ran ({@link #ensureReady}). */
    private volatile boolean ready;

    DeferTransformer(AgentOptions options, PrintStream log) {
        this.rewriteAll = options.allPrefixes.isEmpty() ? null : new ClassPrefixes(options.allPrefixes);
        this.scanner = options.verbose ? new MisuseScanner(options.allPrefixes) : null;
        this.options = options;
        this.log = log;
        // This object and the list are the worker's tasks, rather than lambdas or small classes of their own:
        // premain makes them, and each class loaded then (the JVM's first lambda even more) costs every JVM start.
        this.lost = new LostClasses(this, log);
        this.worker = new RewriteWorker(this, lost, log, options.verbose);
    }

    /**
     * Runs the warm-up rewrite once, before the first real one: every class of the rewrite is then loaded and
     * initialised, so that a later rewrite on a loading thread short of stack loads nothing (an initialiser
     * that overflowed would leave its class unusable for the JVM's life).
     */
    void ensureReady() {
        if (!ready) {
            synchronized (this) {
                if (!ready) {
                    AgentRewrite made = new AgentRewrite(new Instrumenter(options.allPrefixes), options.dumpDirectory);
                    WarmUp.run(made.instrumenter, scanner);
                    rewrite = made;
                    ready = true;
                }
            }
        }
    }

    /**
     * The transformer's own byte test, for {@link LostClasses}, narrowed to classes with {@code @Defers} methods: one
     * lost for its {@code Defer.panic} calls alone works as it is (its traces are trimmed when first read).
     *
     * @param noted a class noted as lost: its loader, name and bytes
     */
    @Override
    public boolean test(RewriteWorker.Request noted) {
        return needsRewrite(noted.loader, noted.className, noted.classFile)
                && ClassScan.mayHaveDefersMethods(rewriteAll, noted.className, noted.classFile);
    }

    /**
     * The {@link RewriteWorker}'s task: {@link #transform(ClassLoader, String, byte[], PrintStream)} on the request.
     *
     * @param request the class handed over
     * @param log where to report
     * @return the rewritten class, or null when it stays as it is
     */
    @Override
    public byte[] apply(RewriteWorker.Request request, PrintStream log) {
        return transform(request.loader, request.className, request.classFile, log);
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
        ensureReady();
        return rewrite.instrumenter;
    }

    /** The misuse scan of verbose mode, or null without verbose. */
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
        lost.setInstrumentation(instrumentation);
        worker.start();
        primeHandOver();
    }

    /**
     * Hands a request to the worker once, as a loading thread whose stack overflowed would, so that the loading
     * thread's side of the hand-over (its classes, call sites and monitor) is loaded and linked before a thread with
     * no stack to spare needs it. The worker answers it at once: its own side runs on its own large stack and needs
     * no rehearsal, and the rewrite's classes load on it at the first class to rewrite.
     */
    private void primeHandOver() {
        if (worker.transform(RewriteWorker.Request.warmUp()) != null || !worker.isRunning()) {
            throw new IllegalStateException("defer-agent: the warm-up hand-over to the rewrite thread failed");
        }
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
            if (!ready && worker.started) {
                if (needsRewrite(loader, className, classFile)) {
                    // The first class to rewrite: the rewrite's own classes (the shaded ASM) are loaded and
                    // initialised on the worker, with stack to spare, rather than by premain, so a JVM that never
                    // loads a @Defers class never pays for them.
                    return worker.transform(new RewriteWorker.Request(loader, className, classFile));
                }
                if (!options.verbose && lost.count == lost.reported) {
                    // Answered: the scan below would only repeat the one just made. Until the first @Defers
                    // class, every class of the start-up comes here, and meets the scan interpreted.
                    return null;
                }
            }
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

    /**
     * The rewrite on the current thread: what the JVM's callback does, and the worker's task.
     *
     * @param loader the class's loader
     * @param className its internal name, null for a hidden class
     * @param classFile its bytes
     * @param log where to report
     * @return the rewritten class, or null when it stays as it is
     */
    byte[] transform(ClassLoader loader, String className, byte[] classFile, PrintStream log) {
        if (lost.count != lost.reported) {
            // Not here: this thread may be short of stack, and the report must not be cut in the middle.
            worker.reportLost();
        }
        if (loader == null || className == null || isRuntimeClass(className)) {
            // Bootstrap classes, hidden classes and the runtime itself are never rewritten (bootstrap classes cannot
            // link to the runtime's panicSite bootstrap method).
            return null;
        }
        if (options.verbose) {
            warnMisuse(className, classFile, log);
        }
        if (!ClassScan.mayNeedRewrite(rewriteAll, className, classFile)) {
            return null;
        }
        try {
            ensureReady();
            return rewrite.rewrite(className, classFile, options.verbose, log);
        } catch (RuntimeException | LinkageError e) {
            // A transformer must never throw: the JVM would drop the error silently. Report it instead.
            log.println("defer-agent: cannot rewrite " + className.replace('/', '.') + ", left unchanged: " + e);
            return null;
        }
    }

    /** The test of {@link #transform} before it parses anything: could the class need the rewrite? */
    private boolean needsRewrite(ClassLoader loader, String className, byte[] classFile) {
        return loader != null && className != null && !isRuntimeClass(className)
                && ClassScan.mayNeedRewrite(rewriteAll, className, classFile);
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
        // One test for nearly every class; the packages only for dev/defer/. The API's own classes (dev/defer/Defer
        // and its siblings) name dev/defer/Defer and would be parsed for Defer.panic calls they do not have.
        return className.startsWith("dev/defer/") && (className.indexOf('/', 10) < 0
                || className.startsWith("internal/", 10) || className.startsWith("agent/", 10)
                || className.startsWith("instrument/", 10));
    }
}
