package dev.defer.validation;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Running target code on threads of its own, and seeing what their uncaught-exception handlers got. */
final class Threads {
    private Threads() {
    }

    /** What a thread left behind: the throwables its uncaught-exception handler was given. */
    static final class Ended {
        final List<Throwable> uncaught = new ArrayList<>();
        Thread thread;

        synchronized void add(Throwable t) {
            uncaught.add(t);
        }

        synchronized List<Throwable> uncaught() {
            return new ArrayList<>(uncaught);
        }
    }

    /** Runs {@code body} on a new platform thread with a recording uncaught-exception handler, and waits. */
    static Ended run(Runnable body) {
        return run(0, body);
    }

    /** Same, with the given stack size in bytes (0: the JVM's default). */
    static Ended run(long stackSize, Runnable body) {
        Ended ended = new Ended();
        Thread thread = new Thread(null, body, "defer-test-thread", stackSize);
        thread.setUncaughtExceptionHandler((t, e) -> ended.add(e));
        ended.thread = thread;
        thread.start();
        join(thread);
        return ended;
    }

    static void join(Thread thread) {
        try {
            thread.join(TimeUnit.MINUTES.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (thread.isAlive()) {
            throw new AssertionError("thread " + thread.getName() + " did not end");
        }
    }

    /** Whether this JVM has virtual threads (JDK 21 and later). */
    static boolean virtualThreadsAvailable() {
        try {
            Thread.class.getMethod("startVirtualThread", Runnable.class);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /**
     * Starts a virtual thread, through reflection since the tests compile for Java 17. Callers check
     * {@link #virtualThreadsAvailable()} first, with an assumption.
     */
    static Thread startVirtual(Runnable body) {
        try {
            Method start = Thread.class.getMethod("startVirtualThread", Runnable.class);
            return (Thread) start.invoke(null, body);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("virtual threads are not available", e);
        }
    }

    /** Whether the thread is virtual (false before JDK 21). */
    static boolean isVirtual(Thread thread) {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** Runs {@code body} with System.err captured, and returns what was printed on it meanwhile. */
    static String stderrDuring(Runnable body) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
