package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import dev.defer.Defers;
import dev.defer.Goexit;
import dev.defer.Panic;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * S11 Threads: each thread has its own defer list and panics; a deferred call runs on the thread that
 * registered it; a panic cannot be recovered on another thread; a pooled thread carries nothing from one
 * task to the next; virtual threads behave as platform threads.
 */
class S11ThreadsTest {

    static class Target {
        /** Registers, waits for the other threads to register too, then returns: lists must not mix. */
        @Defers
        static int interleaved(int id, CyclicBarrier barrier, List<String> out) throws Exception {
            for (int i = 0; i < 3; i++) {
                String entry = id + ":" + i + ":" + Thread.currentThread().getName();
                Defer.defer(() -> out.add(entry + ":ran on " + Thread.currentThread().getName()));
            }
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() * 10));
            barrier.await(1, TimeUnit.MINUTES);
            return id;
        }

        /** Panics, and while its deferred call waits, another thread tries to recover. */
        @Defers
        static Object panicsAndWaits(CountDownLatch panicking, CountDownLatch otherTried) {
            Defer.defer(() -> Defer.setResult(Defer.recover()));
            Defer.defer(() -> {
                panicking.countDown();
                if (!otherTried.await(1, TimeUnit.MINUTES)) {
                    throw new AssertionError("the other thread never tried");
                }
            });
            throw Defer.panic("mine");
        }

        /** On another thread, a deferred call's recover() while the first thread panics. */
        @Defers
        static void triesToRecoverAnotherThreadsPanic(AtomicReference<Object> saw) {
            Defer.defer(() -> saw.set(Defer.recover()));
        }

        @Defers
        static int work(AtomicInteger ran, int deferred) {
            for (int i = 0; i < deferred; i++) {
                Defer.defer(ran::incrementAndGet);
            }
            return deferred;
        }

        @Defers
        static void panicsUncaught(AtomicInteger ran) {
            Defer.defer(ran::incrementAndGet);
            throw Defer.panic("task failed");
        }

        @Defers
        static void goexits(AtomicInteger ran) {
            Defer.defer(ran::incrementAndGet);
            throw Defer.goexit();
        }

        @Defers
        static int deep(int n, AtomicInteger ran) {
            Defer.defer(ran::incrementAndGet);
            return deep(n + 1, ran) + 1;
        }

        @Defers
        static int recovered(int i) {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + (Integer) Defer.recover()));
            Defer.setResult(i);
            throw Defer.panic(i);
        }
    }

    @Test
    void eachThreadHasItsOwnDeferList() throws Exception {
        int threads = 4;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        List<List<String>> outs = new ArrayList<>();
        List<Thread> started = new ArrayList<>();
        int[] results = new int[threads];
        for (int id = 0; id < threads; id++) {
            List<String> out = new ArrayList<>();
            outs.add(out);
            int me = id;
            Thread thread = new Thread(() -> {
                try {
                    results[me] = Target.interleaved(me, barrier, out);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, "worker-" + id);
            started.add(thread);
            thread.start();
        }
        for (Thread thread : started) {
            Threads.join(thread);
        }
        for (int id = 0; id < threads; id++) {
            String name = "worker-" + id;
            assertEquals(id * 10, results[id]);
            assertEquals(List.of(id + ":2:" + name + ":ran on " + name, id + ":1:" + name + ":ran on " + name,
                    id + ":0:" + name + ":ran on " + name), outs.get(id));
        }
    }

    @Test
    void aPanicCannotBeRecoveredOnAnotherThread() throws Exception {
        CountDownLatch panicking = new CountDownLatch(1);
        CountDownLatch otherTried = new CountDownLatch(1);
        AtomicReference<Object> otherSaw = new AtomicReference<>("not run");
        AtomicReference<Object> ownerGot = new AtomicReference<>();
        Thread owner = new Thread(() -> ownerGot.set(Target.panicsAndWaits(panicking, otherTried)));
        owner.start();
        assertTrue(panicking.await(1, TimeUnit.MINUTES));
        Threads.Ended other = Threads.run(() -> Target.triesToRecoverAnotherThreadsPanic(otherSaw));
        otherTried.countDown();
        Threads.join(owner);
        assertTrue(other.uncaught().isEmpty(), String.valueOf(other.uncaught()));
        assertNull(otherSaw.get(), "recovered another thread's panic");
        assertEquals("mine", ownerGot.get(), "the owner could not recover its own panic");
    }

    @Test
    void recoverOnAnotherThreadOutsideAnyInvocationSeesNothing() throws Exception {
        CountDownLatch panicking = new CountDownLatch(1);
        CountDownLatch otherTried = new CountDownLatch(1);
        AtomicReference<Object> ownerGot = new AtomicReference<>();
        Thread owner = new Thread(() -> ownerGot.set(Target.panicsAndWaits(panicking, otherTried)));
        owner.start();
        assertTrue(panicking.await(1, TimeUnit.MINUTES));
        assertNull(Defer.recover());
        otherTried.countDown();
        Threads.join(owner);
        assertEquals("mine", ownerGot.get());
    }

    @Test
    void aPooledThreadCarriesNothingFromOneTaskToTheNext() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            AtomicInteger ran = new AtomicInteger();
            List<Long> threadIds = new ArrayList<>();

            Future<?> panicked = pool.submit(() -> {
                threadIds.add(Thread.currentThread().getId());
                Target.panicsUncaught(ran);
            });
            ExecutionException e1 = assertThrows(ExecutionException.class, () -> panicked.get(1, TimeUnit.MINUTES));
            assertInstanceOf(Panic.class, e1.getCause());

            Future<?> exited = pool.submit(() -> {
                threadIds.add(Thread.currentThread().getId());
                Target.goexits(ran);
            });
            ExecutionException e2 = assertThrows(ExecutionException.class, () -> exited.get(1, TimeUnit.MINUTES));
            assertInstanceOf(Goexit.class, e2.getCause());

            Future<?> overflowed = pool.submit(() -> {
                threadIds.add(Thread.currentThread().getId());
                Target.deep(0, new AtomicInteger());
            });
            ExecutionException e3 = assertThrows(ExecutionException.class, () -> overflowed.get(1, TimeUnit.MINUTES));
            assertInstanceOf(StackOverflowError.class, e3.getCause());

            assertEquals(2, ran.get());
            ran.set(0);

            Future<String> clean = pool.submit(() -> {
                threadIds.add(Thread.currentThread().getId());
                StringBuilder seen = new StringBuilder();
                seen.append("recover=").append(Defer.recover());
                try {
                    Defer.result();
                    seen.append(" result=active invocation left behind");
                } catch (IllegalStateException expected) {
                    seen.append(" result=none");
                }
                seen.append(" work=").append(Target.work(ran, 3));
                seen.append(" ran=").append(ran.get());
                return seen.toString();
            });
            assertEquals("recover=null result=none work=3 ran=3", clean.get(1, TimeUnit.MINUTES));
            assertEquals(1, threadIds.stream().distinct().count(), "the pool did not reuse its thread");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPoolRunsManyTasksEachWithItsOwnInvocations() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                int n = i;
                futures.add(pool.submit(() -> Target.recovered(n)));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(2 * i, futures.get(i).get(1, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void manyThreadsAtOnce() throws Exception {
        int threads = 8;
        AtomicInteger failures = new AtomicInteger();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                AtomicInteger ran = new AtomicInteger();
                for (int i = 0; i < 5_000; i++) {
                    if (Target.recovered(i) != 2 * i || Target.work(ran, 2) != 2) {
                        failures.incrementAndGet();
                    }
                }
                if (ran.get() != 10_000) {
                    failures.incrementAndGet();
                }
            });
            started.add(thread);
            thread.start();
        }
        for (Thread thread : started) {
            Threads.join(thread);
        }
        assertEquals(0, failures.get());
    }

    @Test
    void virtualThreadsBehaveAsPlatformThreads() throws Exception {
        Assumptions.assumeTrue(Threads.virtualThreadsAvailable(), "virtual threads need JDK 21 or later");
        int count = 1_000;
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger virtual = new AtomicInteger();
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            started.add(Threads.startVirtual(() -> {
                if (Threads.isVirtual(Thread.currentThread())) {
                    virtual.incrementAndGet();
                }
                if (Target.recovered(n) != 2 * n || Target.work(ran, 3) != 3) {
                    failures.incrementAndGet();
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (Target.recovered(n + 1) != 2 * (n + 1)) {
                    failures.incrementAndGet();
                }
            }));
        }
        for (Thread thread : started) {
            Threads.join(thread);
        }
        assertEquals(count, virtual.get());
        assertEquals(0, failures.get());
        assertEquals(3 * count, ran.get());
    }

    @Test
    void virtualThreadsKeepTheirOwnListAcrossAPark() throws Exception {
        Assumptions.assumeTrue(Threads.virtualThreadsAvailable(), "virtual threads need JDK 21 or later");
        int threads = 50;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        List<List<String>> outs = new ArrayList<>();
        int[] results = new int[threads];
        List<Thread> started = new ArrayList<>();
        for (int id = 0; id < threads; id++) {
            List<String> out = new ArrayList<>();
            outs.add(out);
            int me = id;
            started.add(Threads.startVirtual(() -> {
                try {
                    results[me] = Target.interleaved(me, barrier, out);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }));
        }
        for (Thread thread : started) {
            Threads.join(thread);
        }
        for (int id = 0; id < threads; id++) {
            assertEquals(id * 10, results[id]);
            assertEquals(3, outs.get(id).size());
            for (int k = 0; k < 3; k++) {
                assertTrue(outs.get(id).get(k).startsWith(id + ":" + (2 - k) + ":"), outs.get(id).toString());
            }
        }
    }

    @Test
    void aDeferredCallRunsOnTheThreadThatRegisteredIt() {
        List<String> out = new ArrayList<>();
        AtomicReference<Thread> registering = new AtomicReference<>();
        Threads.Ended ended = Threads.run(() -> {
            registering.set(Thread.currentThread());
            Target.work(new AtomicInteger(), 1);
            try {
                Target.interleaved(0, new CyclicBarrier(1), out);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(ended.uncaught().isEmpty(), String.valueOf(ended.uncaught()));
        assertSame(ended.thread, registering.get());
        for (String line : out) {
            assertTrue(line.endsWith("ran on " + ended.thread.getName()), line);
        }
    }
}
