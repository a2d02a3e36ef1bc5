package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import dev.defer.Defers;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, part 3 (S11, S12 on virtual threads): 100,000 virtual threads run {@code @Defers} methods of
 * every strategy that defer, panic and recover concurrently. Every deferred call runs exactly once, on the
 * thread that registered it; nothing is carried from one task to the next on a reused virtual thread; and
 * the heap returns to its baseline once the threads are gone (the per-thread pools of records and
 * invocations die with their threads).
 *
 * <p>Each task owns {@link #SLOTS} counters in one shared {@link AtomicIntegerArray}; each deferred call
 * increments its own counter and counts a failure when it runs on a thread other than the one that
 * registered it. After all tasks ended, every counter must be exactly 1.
 */
class VirtualThreadsTest {

    static final int SLOTS = 11;

    /** Counters of deferred calls, {@link #SLOTS} per task. */
    static AtomicIntegerArray ran;
    /** Deferred calls that ran on another thread than the registering one. */
    static final AtomicInteger wrongThread = new AtomicInteger();
    /** Whatever went wrong, in words, for the failure message. */
    static final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

    /** Open-coded: every site top-level, the deferred calls reach only this class and the platform. */
    static class OpenCoded {
        static void mark(int task, int slot, Thread registering) {
            if (Thread.currentThread() != registering) {
                wrongThread.incrementAndGet();
            }
            ran.incrementAndGet(task * SLOTS + slot);
        }

        @Defers
        static int run(int task) {
            Thread me = Thread.currentThread();
            Defer.defer(() -> mark(task, 0, me));
            Thread.yield(); // a virtual thread may move to another carrier here
            Defer.defer(() -> mark(task, 1, me));
            return task + 1;
        }
    }

    /** Stack-style records: the deferred calls reach another class ({@link Marks}) and the result slot. */
    static class StackStyle {
        @Defers
        static int run(int task) {
            Thread me = Thread.currentThread();
            Defer.defer(() -> Marks.mark(task, 2, me));
            Defer.defer(() -> {
                Marks.mark(task, 3, me);
                Defer.setResult(Defer.<Integer>result() * 2);
            });
            Thread.yield();
            return OpenCoded.run(task) + Pooled.run(task, 3);
        }
    }

    /** Pooled records: sites in a loop. */
    static class Pooled {
        @Defers
        static int run(int task, int n) {
            Thread me = Thread.currentThread();
            for (int i = 0; i < n; i++) {
                int slot = 4 + i;
                Defer.defer(() -> Marks.mark(task, slot, me));
                if (i == 1) {
                    Thread.yield();
                }
            }
            return n;
        }
    }

    /** A panic recovered by a deferred call, and one that escapes to the task. */
    static class Panics {
        @Defers
        static Object recovered(int task) {
            Thread me = Thread.currentThread();
            Defer.defer(() -> {
                Marks.mark(task, 7, me);
                Defer.setResult(Defer.recover());
            });
            Defer.defer(() -> Marks.mark(task, 8, me));
            Thread.yield();
            throw Defer.panic(task);
        }

        @Defers
        static void escapes(int task) {
            Thread me = Thread.currentThread();
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> Marks.mark(task, 9, me));
            }
            Defer.defer(() -> Marks.mark(task, 10, me));
            Thread.yield();
            throw new IllegalStateException("escapes " + task);
        }
    }

    static class Marks {
        static void mark(int task, int slot, Thread registering) {
            OpenCoded.mark(task, slot, registering);
        }
    }

    /** One task: the mix of strategies, a recovered panic and an escaping one, then the thread's state. */
    static void task(int task) {
        try {
            Defer.result();
            problems.add("task " + task + ": an invocation was active at the start of the task");
        } catch (IllegalStateException expected) {
            // nothing carried over
        }
        int got = StackStyle.run(task);
        if (got != 2 * (task + 1 + 3)) {
            problems.add("task " + task + ": stack-style result " + got);
        }
        Object recovered = Panics.recovered(task);
        if (!Integer.valueOf(task).equals(recovered)) { // S7: recover() returns the value given to panic
            problems.add("task " + task + ": recovered " + recovered);
        }
        try {
            Panics.escapes(task);
            problems.add("task " + task + ": the panic did not escape");
        } catch (IllegalStateException e) {
            if (!e.getMessage().equals("escapes " + task)) {
                problems.add("task " + task + ": escaped " + e);
            }
        }
        try {
            Defer.result();
            problems.add("task " + task + ": an invocation was left active at the end of the task");
        } catch (IllegalStateException expected) {
            // clean
        }
        if (Defer.recover() != null) {
            problems.add("task " + task + ": recover() outside any invocation returned a value");
        }
    }

    @BeforeEach
    void reset() {
        wrongThread.set(0);
        problems.clear();
    }

    static ThreadFactory virtualFactory() throws ReflectiveOperationException {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Method factory = Class.forName("java.lang.Thread$Builder").getMethod("factory");
        return (ThreadFactory) factory.invoke(builder);
    }

    /** Starts {@code count} virtual threads, one task each, and waits for all. Keeps no thread object. */
    static void runOnVirtualThreads(int first, int count) throws Exception {
        ThreadFactory factory = virtualFactory();
        CountDownLatch done = new CountDownLatch(count);
        for (int i = first; i < first + count; i++) {
            int task = i;
            Thread thread = factory.newThread(() -> {
                try {
                    task(task);
                } catch (Throwable t) {
                    problems.add("task " + task + " threw " + t);
                } finally {
                    done.countDown();
                }
            });
            thread.start();
        }
        assertTrue(done.await(5, TimeUnit.MINUTES), "the virtual threads did not end");
    }

    static void assertEveryDeferredCallRanOnceOnItsThread(int tasks) {
        List<String> wrong = new ArrayList<>();
        for (int task = 0; task < tasks; task++) {
            for (int slot = 0; slot < SLOTS; slot++) {
                int n = ran.get(task * SLOTS + slot);
                if (n != 1 && wrong.size() < 20) {
                    wrong.add("task " + task + " slot " + slot + " ran " + n + " times");
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(0, wrongThread.get(), "deferred calls ran on another thread than the registering one");
        List<String> found = new ArrayList<>(problems);
        assertEquals(List.of(), found.subList(0, Math.min(20, found.size())), found.size() + " problems, the first 20 shown");
    }

    static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }

    @Test
    void hundredThousandVirtualThreadsDeferPanicAndRecover() throws Exception {
        Assumptions.assumeTrue(Threads.virtualThreadsAvailable(), "virtual threads need JDK 21 or later");
        int tasks = 100_000;
        int warmUp = 2_000;
        ran = new AtomicIntegerArray((tasks + warmUp) * SLOTS);

        // Warm up (classes, lambdas, JIT, the virtual thread scheduler), then measure the baseline.
        runOnVirtualThreads(tasks, warmUp);
        long baseline = usedHeapAfterGc();

        long start = System.nanoTime();
        runOnVirtualThreads(0, tasks);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertEveryDeferredCallRanOnceOnItsThread(tasks + warmUp);

        // 100,000 threads each had a DeferThread with its invocations and records; all must be collectable.
        // Each thread's state is a few hundred bytes at least, so a leak of it would show as 30 MB or more;
        // the bound is generous for the collector's noise.
        long after = usedHeapAfterGc();
        long grownMb = (after - baseline) >> 20;
        System.out.println("VirtualThreadsTest: " + tasks + " virtual threads in " + millis + " ms; used heap after GC "
                + (baseline >> 20) + " MB before, " + (after >> 20) + " MB after");
        assertTrue(grownMb < 32, "used heap grew by " + grownMb + " MB after " + tasks + " virtual threads (baseline "
                + (baseline >> 20) + " MB, after " + (after >> 20) + " MB, run " + millis + " ms)");
    }

    /**
     * One executor whose few virtual threads are reused for many tasks: each task starts with nothing
     * active on its thread, whatever the tasks before it did (an escaped panic among them).
     */
    @Test
    void reusedVirtualThreadsCarryNothingFromTaskToTask() throws Exception {
        Assumptions.assumeTrue(Threads.virtualThreadsAvailable(), "virtual threads need JDK 21 or later");
        int tasks = 20_000;
        ran = new AtomicIntegerArray(tasks * SLOTS);
        ExecutorService pool = Executors.newFixedThreadPool(4, virtualFactory());
        try {
            List<Future<?>> futures = new ArrayList<>();
            ConcurrentLinkedQueue<Thread> workers = new ConcurrentLinkedQueue<>();
            for (int i = 0; i < tasks; i++) {
                int task = i;
                futures.add(pool.submit(() -> {
                    Thread current = Thread.currentThread();
                    if (!workers.contains(current)) {
                        workers.add(current);
                    }
                    if (!Threads.isVirtual(current)) {
                        problems.add("task " + task + " ran on a platform thread");
                    }
                    task(task);
                    if (task % 7 == 0) {
                        // leave the thread by an escaping panic, as a failing task would
                        Panics.escapes(task);
                    }
                    return null;
                }));
            }
            for (int i = 0; i < tasks; i++) {
                try {
                    futures.get(i).get(5, TimeUnit.MINUTES);
                    if (i % 7 == 0) {
                        problems.add("task " + i + ": its panic did not reach the executor");
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    if (i % 7 != 0 || !(e.getCause() instanceof IllegalStateException)) {
                        problems.add("task " + i + ": " + e.getCause());
                    }
                }
            }
            assertTrue(workers.size() <= 4, "more workers than the pool has: " + workers.size());
        } finally {
            pool.shutdownNow();
        }
        // Tasks with task % 7 == 0 ran Panics.escapes twice: slots 9 and 10 counted twice for them.
        for (int task = 0; task < tasks; task += 7) {
            ran.addAndGet(task * SLOTS + 9, -1);
            ran.addAndGet(task * SLOTS + 10, -1);
        }
        assertEveryDeferredCallRanOnceOnItsThread(tasks);
    }
}
