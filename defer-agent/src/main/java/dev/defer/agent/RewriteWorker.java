package dev.defer.agent;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;

/**
 * A daemon thread with a large stack that rewrites a class for a loading thread whose own stack overflowed in the
 * rewrite. The JVM calls the transformer on the thread that loads the class, with whatever stack that thread has
 * left; deep in a recursion that may be too little for the rewrite, and a class defined un-rewritten would throw
 * the S13 error at its first {@code Defer.defer}. Handed over here, the same bytes are rewritten on a fresh stack
 * while the loading thread waits, so the class is defined rewritten, with no window in which its original code
 * could run (as retransformation would leave).
 *
 * <p>The loading thread's side takes a few frames only: a monitor, {@code Object.wait} and {@code notifyAll},
 * all used once by the agent's warm-up, so nothing is loaded or linked then. The worker needs no lock that a
 * loading thread may hold: it loads only the agent's own classes and the platform's, and it prints the request's
 * log lines after releasing the loading thread, never while that thread waits (it may hold {@code System.err}).
 */
final class RewriteWorker implements Runnable {
    /** The worker's stack: 64 times a default thread's, reserved but not committed until used. */
    static final long STACK_BYTES = 64L << 20;

    /** One class handed over, with its answer. */
    static final class Request {
        final ClassLoader loader;
        final String className;
        /** The class's bytes; null for the warm-up request, which the worker answers at once with no change. */
        final byte[] classFile;
        byte[] result;
        boolean done;
        Request next;

        Request(ClassLoader loader, String className, byte[] classFile) {
            this.loader = loader;
            this.className = className;
            this.classFile = classFile;
        }

        /** A request that rehearses the loading thread's side of the hand-over: no class, answered with no change. */
        static Request warmUp() {
            return new Request(null, null, null);
        }

        /** The class's name for a message; a hidden class has none. */
        String displayName() {
            return className == null ? "a class" : className.replace('/', '.');
        }
    }

    /**
     * The work done for a request: the transformer's own rewrite of the request's class, logging to the stream it is
     * given, and returning the rewritten class or null. A JDK interface rather than one of the agent's: premain makes
     * the worker, and each class the agent loads then costs every JVM start.
     */
    private final BiFunction<Request, PrintStream, byte[]> work;
    private final Runnable lostReport;
    private final PrintStream log;
    private final boolean verbose;
    private final Object lock = new Object();
    private Request head;
    private Request tail;
    private boolean reportWanted;
    private Thread thread;
    /** Set once, before the transformer is registered; a plain read on the loading thread's short path. */
    volatile boolean started;

    /**
     * @param work the rewrite
     * @param lostReport reports the classes noted in {@link LostClasses}; run on this thread, with stack to spare
     * @param log where the worker prints the lines of each request
     * @param verbose whether to say so of each class it rewrites
     */
    RewriteWorker(BiFunction<Request, PrintStream, byte[]> work, Runnable lostReport, PrintStream log, boolean verbose) {
        this.work = work;
        this.verbose = verbose;
        this.lostReport = lostReport;
        this.log = log;
    }

    /** Starts the thread; called once, from premain. */
    void start() {
        Thread worker = new Thread(null, this, "defer-agent rewrite", STACK_BYTES);
        worker.setDaemon(true);
        thread = worker;
        worker.start();
        started = true;
    }

    /** Whether the thread runs: a transformer without it (its unit tests) reports an overflow instead. */
    boolean isRunning() {
        return started && thread.isAlive();
    }

    /**
     * Called on the loading thread: hands the class to the worker and waits for its answer. An interrupt does not
     * cut the wait short (the class must be defined one way or the other); it is kept for the thread to see.
     *
     * @return the rewritten class, or null when it stays as it is
     */
    byte[] transform(Request request) {
        boolean interrupted = false;
        synchronized (lock) {
            if (tail == null) {
                head = request;
            } else {
                tail.next = request;
            }
            tail = request;
            lock.notifyAll();
            while (!request.done) {
                try {
                    lock.wait(0L); // not wait(): one frame fewer
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        byte[] result = request.result;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return result;
    }

    /**
     * Asks for the report of the classes noted in {@link LostClasses}, made on this thread and not on the
     * caller's, which may be short of stack. Without the thread (unit tests), reports at once.
     */
    void reportLost() {
        if (thread == null) {
            lostReport.run();
            return;
        }
        synchronized (lock) {
            reportWanted = true;
            lock.notifyAll();
        }
    }

    @Override
    public void run() {
        while (true) {
            Request request;
            boolean report;
            synchronized (lock) {
                while (head == null && !reportWanted) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // Nobody interrupts this thread but to stop it, and the JVM's end stops a daemon anyway.
                        return;
                    }
                }
                report = reportWanted;
                reportWanted = false;
                request = head;
                if (request != null) {
                    head = request.next;
                    if (head == null) {
                        tail = null;
                    }
                }
            }
            if (report) {
                lostReport.run();
            }
            if (request != null) {
                serve(request);
            }
        }
    }

    private void serve(Request request) {
        // The loading thread waits for done whatever happens here: an error that escaped (an OutOfMemoryError in
        // the buffer, say) must neither leave it waiting nor end this thread, which every later overflow needs.
        String lines = "";
        try {
            if (request.classFile != null) {
                lines = rewriteLogged(request);
            }
        } catch (Throwable e) {
            request.result = null;
            lines = "defer-agent: cannot rewrite " + request.displayName() + ", left unchanged: " + e
                    + System.lineSeparator();
        } finally {
            synchronized (lock) {
                request.done = true;
                lock.notifyAll();
            }
        }
        if (!lines.isEmpty()) {
            log.print(lines);
            log.flush();
        }
    }

    /** Rewrites the request's class, its lines kept in a buffer for after the loading thread is released. */
    private String rewriteLogged(Request request) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream buffer = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            request.result = rewrite(request, buffer);
            if (verbose && request.result != null) {
                buffer.println("defer-agent: rewrote " + request.displayName() + " on the agent's"
                        + " own thread: the stack of the thread that loaded it overflowed in the rewrite");
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private byte[] rewrite(Request request, PrintStream buffer) {
        try {
            return work.apply(request, buffer);
        } catch (StackOverflowError e) {
            buffer.println("defer-agent: cannot rewrite " + request.displayName() + ", left unchanged"
                    + " (its Defer.defer calls will throw IllegalStateException): the rewrite overflowed even the"
                    + " agent's own " + (STACK_BYTES >> 20) + " MB stack; split its @Defers methods into smaller ones");
            return null;
        } catch (Throwable e) {
            // OutOfMemoryError and the like: reported, and the worker stays for the next class.
            buffer.println("defer-agent: cannot rewrite " + request.displayName() + ", left unchanged"
                    + " (its Defer.defer calls will throw IllegalStateException): " + e);
            return null;
        }
    }
}
