package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import dev.defer.Defers;
import dev.defer.Goexit;
import dev.defer.Panic;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * S16 Goexit: Defer.goexit() unwinds every @Defers invocation on the thread, running their deferred calls
 * innermost first; it is not a panic (recover returns null and cannot stop it); a panic raised during it
 * and recovered lets it go on; an unrecovered one replaces it, with the Goexit suppressed; a Goexit in a
 * deferred call during a panic abandons the panic; leaving the thread's run, it ends the thread silently.
 */
class S16GoexitTest {

    static class Target {
        static final Trace LOG = new Trace();

        /** Go: recoverBeforePanicAfterGoexit in go/rules.go (testprog RecoverBeforePanicAfterGoexit). */
        @Defers
        static void recoverBeforePanicAfterGoexit() {
            Defer.defer(() -> LOG.log("outer deferred"));
            recoverBeforePanicAfterGoexitInner();
            LOG.log("not reached");
        }

        @Defers
        static void recoverBeforePanicAfterGoexitInner() {
            Defer.defer(() -> LOG.log("recovered", Defer.recover()));
            Defer.defer(() -> {
                throw Defer.panic("hello");
            });
            throw Defer.goexit();
        }

        /** Go: goexitInPanic in go/rules.go (testprog GoexitInPanic). */
        @Defers
        static void goexitInPanic() {
            Defer.defer(() -> LOG.log("outer deferred"));
            Defer.defer(() -> LOG.log("recover during Goexit", Defer.recover()));
            goexitInPanicInner();
            LOG.log("not reached");
        }

        @Defers
        static void goexitInPanicInner() {
            Defer.defer(() -> {
                throw Defer.goexit();
            });
            throw Defer.panic("hello");
        }

        /** Go: goexitNotRecoverable in go/rules.go. */
        @Defers
        static void goexitNotRecoverable() {
            Defer.defer(() -> LOG.log("outer deferred"));
            Defer.defer(() -> LOG.log("recover during Goexit", Defer.recover()));
            throw Defer.goexit();
        }

        /** Go: recoveredPanicAfterGoexit in go/rules.go (testprog RecoveredPanicAfterGoexit). */
        @Defers
        static void recoveredPanicAfterGoexit() {
            Defer.defer(() -> LOG.log("outer deferred"));
            Defer.defer(Target::panicsAndRecovers);
            throw Defer.goexit();
        }

        @Defers
        static void panicsAndRecovers() {
            Defer.defer(() -> LOG.log("inner recovered", Defer.recover()));
            throw Defer.panic("hello");
        }

        /** Several levels, with plain frames and a catch (Exception) between them. */
        @Defers
        static void level1() {
            Defer.defer(() -> LOG.log("level1 deferred"));
            plain();
            LOG.log("level1 not reached");
        }

        static void plain() {
            try {
                level2();
            } catch (Exception e) {
                LOG.log("catch (Exception) stopped it", e);
            } finally {
                LOG.log("plain finally");
            }
        }

        @Defers
        static void level2() {
            Defer.defer(() -> LOG.log("level2 deferred b"));
            Defer.defer(() -> LOG.log("level2 deferred a"));
            level3();
        }

        @Defers
        static int level3() {
            Defer.defer(() -> LOG.log("level3 deferred, result", Defer.<Integer>result()));
            Defer.setResult(3);
            Defer.goexit();
            LOG.log("level3 not reached");
            return 0;
        }

        /** A panic during Goexit that nobody recovers replaces it, with the Goexit suppressed. */
        @Defers
        static void unrecoveredPanicDuringGoexit() {
            Defer.defer(() -> LOG.log("outer deferred"));
            Defer.defer(() -> {
                throw Defer.panic("boom");
            });
            throw Defer.goexit();
        }

        /** Go: goexitPanicRecoveredByCaller in go/rules.go: the caller recovers the panic, the Goexit goes on. */
        @Defers
        static void goexitPanicRecoveredByCaller() {
            Defer.defer(() -> LOG.log("outer deferred"));
            Defer.defer(() -> LOG.log("outer recovered", Defer.recover()));
            goexitThenPanic();
            LOG.log("not reached");
        }

        @Defers
        static void goexitThenPanic() {
            Defer.defer(() -> LOG.log("inner deferred"));
            Defer.defer(() -> {
                throw Defer.panic("hello");
            });
            throw Defer.goexit();
        }

        /** A deferred call that tries to swallow the Goexit by recovering twice. */
        @Defers
        static void recoverCannotStopIt() {
            Defer.defer(() -> LOG.log("second recover", Defer.recover()));
            Defer.defer(() -> LOG.log("first recover", Defer.recover()));
            throw Defer.goexit();
        }
    }

    private static String runOnThread(Runnable body) {
        Target.LOG.clear();
        Threads.Ended ended = Threads.run(() -> {
            body.run();
            Target.LOG.log("goroutine returned");
        });
        Target.LOG.log("goroutine ended");
        assertEquals(List.of(), ended.uncaught(), "the thread did not end silently");
        return Target.LOG.joined();
    }

    @Test
    void recoverBeforePanicAfterGoexitMatchesGo() {
        Go.assertRule("goexit_recover_before_panic", "recovered hello | outer deferred | goroutine ended",
                runOnThread(Target::recoverBeforePanicAfterGoexit));
    }

    @Test
    void goexitInPanicMatchesGo() {
        Go.assertRule("goexit_in_panic", "recover during Goexit <nil> | outer deferred | goroutine ended",
                runOnThread(Target::goexitInPanic));
    }

    @Test
    void goexitIsNotRecoverableMatchesGo() {
        Go.assertRule("goexit_not_recoverable", "recover during Goexit <nil> | outer deferred | goroutine ended",
                runOnThread(Target::goexitNotRecoverable));
    }

    @Test
    void recoveredPanicAfterGoexitMatchesGo() {
        Go.assertRule("goexit_recovered_panic_after", "inner recovered hello | outer deferred | goroutine ended",
                runOnThread(Target::recoveredPanicAfterGoexit));
    }

    @Test
    void panicDuringGoexitRecoveredByACallerLetsTheGoexitGoOnMatchesGo() {
        Go.assertRule("goexit_panic_recovered_by_caller",
                "inner deferred | outer recovered hello | outer deferred | goroutine ended",
                runOnThread(Target::goexitPanicRecoveredByCaller));
    }

    @Test
    void goexitLeavingAPoolTaskEndsTheWorkerSilently() throws Exception {
        java.util.List<Throwable> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch deferredRan = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "pool-worker");
            thread.setUncaughtExceptionHandler((t, e) -> handled.add(e));
            return thread;
        });
        try {
            String err = Threads.stderrDuring(() -> {
                pool.execute(() -> {
                    Target.LOG.clear();
                    Target.goexitNotRecoverable();
                });
                pool.execute(deferredRan::countDown);
                try {
                    assertTrue(deferredRan.await(1, java.util.concurrent.TimeUnit.MINUTES));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals("", err);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), handled, "the worker's uncaught-exception handler got the Goexit");
        assertEquals(List.of("recover during Goexit <nil>", "outer deferred"), Target.LOG.lines());
    }

    @Test
    void unwindsEveryLevelInnermostFirstThroughCatchException() {
        assertEquals("level3 deferred, result 3 | level2 deferred a | level2 deferred b | plain finally | level1 deferred"
                + " | goroutine ended", runOnThread(Target::level1));
    }

    @Test
    void recoverCannotStopIt() {
        assertEquals("first recover <nil> | second recover <nil> | goroutine ended", runOnThread(Target::recoverCannotStopIt));
    }

    @Test
    void goexitOutsideAnyInvocationEndsTheThreadSilently() {
        assertEquals("goroutine ended", runOnThread(() -> Defer.goexit()));
    }

    @Test
    void unrecoveredPanicDuringGoexitReplacesItWithTheGoexitSuppressed() {
        Target.LOG.clear();
        Threads.Ended ended = Threads.run(Target::unrecoveredPanicDuringGoexit);
        assertEquals(List.of("outer deferred"), Target.LOG.lines());
        assertEquals(1, ended.uncaught().size(), "the panic must reach the thread's handler");
        Panic panic = assertInstanceOf(Panic.class, ended.uncaught().get(0));
        assertEquals("boom", panic.value());
        assertTrue(Arrays.stream(panic.getSuppressed()).anyMatch(s -> s instanceof Goexit),
                "the Goexit is not suppressed in the panic: " + Arrays.toString(panic.getSuppressed()));
    }

    @Test
    void nothingIsPrintedOnStandardErrorWhenGoexitEndsAThread() {
        String err = Threads.stderrDuring(() -> {
            Thread thread = new Thread(Target::goexitNotRecoverable, "goexit-without-handler");
            thread.start();
            Threads.join(thread);
        });
        assertEquals("", err, "Goexit printed on System.err");
    }

    @Test
    void somethingIsPrintedOnStandardErrorForAnOrdinaryUncaughtPanic() {
        // The check above can fail: the same capture sees the report of an ordinary uncaught panic.
        String err = Threads.stderrDuring(() -> {
            Thread thread = new Thread(Target::unrecoveredPanicDuringGoexit, "panic-without-handler");
            thread.start();
            Threads.join(thread);
        });
        assertTrue(err.contains("panic: boom"), err);
    }

    @Test
    void theDefaultUncaughtHandlerIsNotCalledWithTheGoexit() {
        AtomicReference<Throwable> got = new AtomicReference<>();
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> got.set(e));
        try {
            Thread thread = new Thread(Target::goexitNotRecoverable, "goexit-default-handler");
            thread.start();
            Threads.join(thread);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
        assertEquals(null, got.get());
    }

    @Test
    void anOrdinaryPanicStillReachesTheHandlerAfterAGoexitOnAnotherThread() {
        runOnThread(Target::goexitNotRecoverable);
        Threads.Ended ended = Threads.run(() -> {
            throw Defer.panic("ordinary");
        });
        assertEquals(1, ended.uncaught().size());
        assertEquals("ordinary", ((Panic) ended.uncaught().get(0)).value());
    }

    @Test
    void goexitOnAVirtualThreadEndsItSilently() {
        Assumptions.assumeTrue(Threads.virtualThreadsAvailable(), "virtual threads need JDK 21 or later");
        Target.LOG.clear();
        String err = Threads.stderrDuring(() -> {
            Thread thread = Threads.startVirtual(() -> {
                Target.recoverBeforePanicAfterGoexit();
                Target.LOG.log("goroutine returned");
            });
            Threads.join(thread);
        });
        Target.LOG.log("goroutine ended");
        assertEquals("", err, "Goexit printed on System.err");
        assertEquals(Go.rule("goexit_recover_before_panic"), Target.LOG.joined());
    }
}
