package dev.defer.agent;

import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The classes that a loading thread with almost no stack left could neither rewrite nor hand to the
 * {@link RewriteWorker}. The transformer notes each one with plain stores under this object's monitor (no call,
 * which could overflow again) and returns no change. Such a load usually fails anyway, with a
 * {@code StackOverflowError} at the loading site, as plain class loading does when the stack is exhausted; when
 * the JVM does define the class, unchanged, its {@code Defer.defer} calls throw. So each note is checked: a class
 * that was defined is reported by name at the next class load; one that is not (yet) is checked again when the
 * JVM exits, so that no class is ever un-rewritten silently.
 */
final class LostClasses implements Runnable {
    /** How many classes are kept between two reports (a power of two); beyond it, only the count. */
    static final int KEPT = 64;

    final String[] names = new String[KEPT];
    final ClassLoader[] loaders = new ClassLoader[KEPT];
    final byte[][] classFiles = new byte[KEPT][];
    /** Written under the monitor; volatile so that the check made at every class load needs no lock. */
    volatile int count;
    int reported;
    /**
     * The transformer's own test, on a noted class's loader, name and bytes: would it have been rewritten? A JDK
     * interface rather than one of the agent's, for start-up (see {@link #run}).
     */
    private final Predicate<RewriteWorker.Request> candidates;
    private final PrintStream log;
    /** Set by premain; null in unit tests, where every note is reported. */
    private volatile Instrumentation instrumentation;
    private final List<String> pendingNames = new ArrayList<>();
    private final List<ClassLoader> pendingLoaders = new ArrayList<>();

    /**
     * @param candidates tells the classes that needed the rewrite from the others (most classes, hidden ones
     *     too), which lose nothing when defined unchanged and are not reported
     */
    LostClasses(Predicate<RewriteWorker.Request> candidates, PrintStream log) {
        this.candidates = candidates;
        this.log = log;
    }

    /**
     * @param instrumentation the JVM's, to tell a defined class from a failed load in the reports
     */
    void setInstrumentation(Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
    }

    /**
     * The {@link RewriteWorker}'s report task, and the JVM exit's (a shutdown hook): {@link #report} to the agent's
     * log, then {@link #reportPending}. This class is both tasks itself, not a lambda or a small class of its own, as
     * premain makes them: each class the agent loads at start-up, and the JVM's first lambda even more, costs every
     * JVM start CPU time.
     */
    @Override
    public void run() {
        report(log, instrumentation);
        if (instrumentation != null) {
            reportPending(log, instrumentation);
        }
    }

    /**
     * Reports the classes noted since the last call that were defined un-rewritten; the others are kept for
     * {@link #reportPending}. Prints outside the monitor, which a loading thread short of stack may be waiting for.
     *
     * @param log where the agent reports
     * @param instrumentation to tell a defined class from a failed load, or null to report every note
     */
    void report(PrintStream log, Instrumentation instrumentation) {
        List<String> lines = new ArrayList<>();
        synchronized (this) {
            int missed = count - reported - KEPT;
            if (missed > 0) {
                lines.add("defer-agent: " + missed + " more classes were loading with too little stack left to"
                        + " rewrite them; their names were not kept, and those of them with @Defers methods that"
                        + " loaded are un-rewritten");
                reported += missed;
            }
            for (; reported < count; reported++) {
                int slot = reported & (KEPT - 1);
                String name = names[slot];
                ClassLoader loader = loaders[slot];
                byte[] classFile = classFiles[slot];
                names[slot] = null;
                loaders[slot] = null;
                classFiles[slot] = null;
                if (!candidates.test(new RewriteWorker.Request(loader, name, classFile))) {
                    continue;
                }
                if (instrumentation == null || isDefined(instrumentation, loader, name)) {
                    lines.add(line(name));
                } else {
                    pendingNames.add(name);
                    pendingLoaders.add(loader);
                }
            }
        }
        for (String line : lines) {
            log.println(line);
        }
    }

    /**
     * Reports the classes kept by {@link #report} (not defined then) that have been defined since, and forgets
     * them; the others stay kept. At the JVM's exit every load has ended, so a class still not defined never was.
     *
     * @param log where the agent reports
     * @param instrumentation to tell a defined class from a failed load
     */
    void reportPending(PrintStream log, Instrumentation instrumentation) {
        List<String> lines = new ArrayList<>();
        synchronized (this) {
            for (int i = pendingNames.size() - 1; i >= 0; i--) {
                if (isDefined(instrumentation, pendingLoaders.get(i), pendingNames.get(i))) {
                    lines.add(0, line(pendingNames.get(i)));
                    pendingNames.remove(i);
                    pendingLoaders.remove(i);
                }
            }
        }
        for (String line : lines) {
            log.println(line);
        }
    }

    private static boolean isDefined(Instrumentation instrumentation, ClassLoader loader, String internalName) {
        String name = internalName.replace('/', '.');
        for (Class<?> type : instrumentation.getInitiatedClasses(loader)) {
            if (type.getName().equals(name) && type.getClassLoader() == loader) {
                return true;
            }
        }
        return false;
    }

    private static String line(String internalName) {
        return "defer-agent: cannot rewrite " + internalName.replace('/', '.')
                + ", left unchanged (its Defer.defer calls will throw IllegalStateException): it was loaded on a thread"
                + " with too little stack left even to hand it to the agent's own thread; load it before the deep"
                + " recursion, or give the thread a larger stack (-Xss, or the stackSize of new Thread(...))";
    }
}
