package dev.defer.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;

/** The agent's own thread, which rewrites for loading threads whose stack overflowed, and the lost-class report. */
class RewriteWorkerTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(err, true, StandardCharsets.UTF_8);

    private String log() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theWorkersRewriteIsTheTransformersAndItsLinesComeAfter() {
        DeferTransformer transformer = new DeferTransformer(AgentOptions.parse("verbose"), log);
        transformer.startWorker(null);
        byte[] sample = TestClasses.sample("test/Handed", 0);
        byte[] rewritten = transformer.handOver(getClass().getClassLoader(), "test/Handed", sample);
        assertArrayEquals(transformer.transform(getClass().getClassLoader(), "test/Handed", null, null, sample),
                rewritten);
        // The worker prints after it has released the loading thread: wait for its lines.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!log().contains("on the agent's own thread") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(log().contains("defer-agent: rewrote test.Handed.work()"), log());
        assertTrue(log().contains("defer-agent: rewrote test.Handed on the agent's own thread: the stack of the thread"
                + " that loaded it overflowed in the rewrite"), log());
    }

    /**
     * Until the first {@code @Defers} class, {@code transform} answers a class that needs no rewrite from its first
     * walk of the constant pool; with verbose it still goes on to the misuse scan.
     */
    @Test
    void beforeTheFirstRewriteAPlainClassIsAnsweredAtOnceAndVerboseStillWarns() {
        ClassLoader loader = getClass().getClassLoader();
        DeferTransformer quiet = new DeferTransformer(AgentOptions.parse(""), log);
        quiet.startWorker(null);
        assertNull(quiet.transform(null, loader, "test/Plain", null, null, TestClasses.misuseOnly("test/Plain", 7)));
        assertEquals("", log());

        DeferTransformer verbose = new DeferTransformer(AgentOptions.parse("verbose"), log);
        verbose.startWorker(null);
        assertNull(verbose.transform(null, loader, "test/Plain", null, null, TestClasses.misuseOnly("test/Plain", 7)));
        assertTrue(log().contains("defer-agent: warning: Defer.defer can never succeed in test.Plain.run (Plain.java:7)"),
                log());
        assertNotNull(verbose.transform(null, loader, "test/Good", null, null, TestClasses.sample("test/Good", 12)),
                "the first @Defers class is rewritten (on the worker)");
    }

    @Test
    void anInterruptDoesNotCutTheWaitShortAndIsKept() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        byte[] answer = {1, 2, 3};
        RewriteWorker worker = new RewriteWorker((request, out) -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return answer;
        }, () -> { }, log, false);
        worker.start();
        AtomicReference<byte[]> result = new AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread loading = new Thread(() -> {
            result.set(worker.transform(new RewriteWorker.Request(null, "test/Slow", new byte[0])));
            interruptKept.set(Thread.currentThread().isInterrupted());
        });
        loading.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        loading.interrupt();
        Thread.sleep(50);
        assertTrue(loading.isAlive(), "the loading thread waits for its class whatever the interrupt");
        release.countDown();
        loading.join(10_000);
        assertArrayEquals(answer, result.get());
        assertTrue(interruptKept.get(), "the interrupt is there for the loading thread to see");
    }

    @Test
    void aWorkThatOverflowsOrFailsIsReportedAndTheWorkerCarriesOn() {
        RewriteWorker worker = new RewriteWorker((request, out) -> {
            if ("test/Deep".equals(request.className)) {
                throw new StackOverflowError();
            }
            throw new OutOfMemoryError("injected");
        }, () -> { }, log, false);
        worker.start();
        assertNull(worker.transform(new RewriteWorker.Request(null, "test/Deep", new byte[0])));
        assertNull(worker.transform(new RewriteWorker.Request(null, "test/Big", new byte[0])));
        assertNull(worker.transform(new RewriteWorker.Request(null, null, new byte[0])), "a hidden class");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!log().contains("cannot rewrite a class") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(log().contains("defer-agent: cannot rewrite test.Deep, left unchanged (its Defer.defer calls will"
                + " throw IllegalStateException): the rewrite overflowed even the agent's own 64 MB stack"), log());
        assertTrue(log().contains("defer-agent: cannot rewrite test.Big, left unchanged (its Defer.defer calls will"
                + " throw IllegalStateException): java.lang.OutOfMemoryError: injected"), log());
        assertTrue(log().contains("defer-agent: cannot rewrite a class, left unchanged"), log());
    }

    @Test
    void aLostClassWithPanicCallsOnlyIsNotReported() {
        LostClasses lost = new DeferTransformer(AgentOptions.parse(""), log).lost();
        String[] names = {"test/Check", "test/Lost"};
        byte[][] classFiles = {TestClasses.panicking("test/Check", Opcodes.V17, true), TestClasses.sample("test/Lost", 0)};
        for (int i = 0; i < names.length; i++) {
            lost.names[i] = names[i];
            lost.loaders[i] = getClass().getClassLoader();
            lost.classFiles[i] = classFiles[i];
            lost.count++;
        }
        lost.report(log, null);
        assertEquals(1, log().lines().count(), log());
        assertTrue(log().startsWith("defer-agent: cannot rewrite test.Lost, left unchanged"), log());
    }

    @Test
    void lostClassesAreReportedByNameOnceAndBeyondTheKeptOnesCounted() {
        LostClasses lost = new DeferTransformer(AgentOptions.parse(""), log).lost();
        byte[] defers = TestClasses.sample("test/Lost", 0);
        byte[] plain = TestClasses.misuseOnly("test/Plain", 1);
        for (int i = 0; i < LostClasses.KEPT + 3; i++) {
            int slot = lost.count & (LostClasses.KEPT - 1);
            lost.names[slot] = "test/Lost" + i;
            lost.loaders[slot] = getClass().getClassLoader();
            // Classes without @Defers and hidden classes lose nothing when defined unchanged: not reported.
            lost.classFiles[slot] = i % 5 == 4 ? plain : defers;
            if (i % 7 == 6) {
                lost.names[slot] = null;
            }
            lost.count++;
        }
        lost.report(log, null);
        String report = log();
        assertTrue(report.startsWith("defer-agent: 3 more classes were loading with too little stack left"), report);
        assertTrue(report.contains("defer-agent: cannot rewrite test.Lost3, left unchanged (its Defer.defer calls will"
                + " throw IllegalStateException): it was loaded on a thread with too little stack left even to hand it"
                + " to the agent's own thread; load it before the deep recursion, or give the thread a larger stack"),
                report);
        assertTrue(report.contains("test.Lost" + (LostClasses.KEPT + 2) + ","), report);
        long expected = IntStream.range(3, LostClasses.KEPT + 3).filter(i -> i % 5 != 4 && i % 7 != 6).count();
        assertEquals(1 + expected, report.lines().count(), report);
        assertFalse(report.contains("test.Lost4,"), report);
        assertFalse(report.contains("test.Lost6,"), report);
        assertFalse(report.contains("a class"), report);
        err.reset();
        lost.report(log, null);
        assertEquals("", log(), "reported once");
    }

    @Test
    void aLostClassDefinedAfterTheFirstReportIsReportedByALaterOneOrAtExitOnce() {
        LostClasses lost = new DeferTransformer(AgentOptions.parse(""), log).lost();
        List<Class<?>> defined = new ArrayList<>();
        // The one method the list asks of the JVM: the classes a loader has loaded so far.
        Instrumentation jvm = (Instrumentation) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Instrumentation.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("getInitiatedClasses")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return defined.toArray(new Class<?>[0]);
                });
        lost.setInstrumentation(jvm);
        // Any class of an application's package and loader (the agent's own packages are never rewritten).
        Class<?> type = Test.class;
        String name = type.getName().replace('.', '/');
        lost.names[0] = name;
        lost.loaders[0] = type.getClassLoader();
        lost.classFiles[0] = TestClasses.sample(name, 0);
        lost.count++;
        lost.run();
        assertEquals("", log(), "still loading: nothing to say yet");
        defined.add(type);
        lost.run();
        assertTrue(log().startsWith("defer-agent: cannot rewrite " + type.getName() + ", left unchanged"), log());
        err.reset();
        lost.run();
        assertEquals("", log(), "reported once");
    }
}
