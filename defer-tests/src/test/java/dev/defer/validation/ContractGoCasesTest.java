package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import dev.defer.Deferred;
import dev.defer.Defers;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The Go programs that docs/semantics.md shows for S10, S11, S13, S14 and S15 (cases of {@code go/rules.go}),
 * and their Java twins: each twin prints what Go printed, except where the contract says Java differs (S13).
 */
class ContractGoCasesTest {

    static class Target {
        @Defers
        static Object recovered(Object value) {
            Defer.defer(() -> Defer.setResult(Defer.recover()));
            throw Defer.panic(value);
        }

        /** A panic on another thread is recovered there; this thread has no panic to recover. */
        @Defers
        static void threads(Trace t) throws InterruptedException {
            Defer.defer(() -> t.log("main recovered", Defer.recover()));
            Thread worker = new Thread(() -> worker(t));
            worker.start();
            worker.join();
            t.log("worker finished");
        }

        @Defers
        static void worker(Trace t) {
            Defer.defer(() -> t.log("worker recovered", Defer.recover()));
            throw Defer.panic("worker panic");
        }

        @Defers
        static void nilFunc(Trace t) {
            Defer.defer(() -> t.log("earlier deferred ran"));
            Deferred f = null;
            Defer.defer(f);
            t.log("body ran");
        }

        @Defers
        static int depth(int n) {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 1));
            if (n == 0) {
                return 0;
            }
            return depth(n - 1);
        }

        @Defers
        static int many(int n) {
            for (int i = 0; i < n; i++) {
                Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 1));
            }
            return 0;
        }

        /** Go's mutex taken first and unlocked by the first defer: a synchronized method. */
        @Defers
        static synchronized void locked(Trace t) {
            Defer.defer(() -> t.log("deferred call, lock held:", Thread.holdsLock(Target.class)));
        }

        /** Laid out line for line as Go's s15Lines, so that the difference of the two lines is the same. */
        @Defers
        static void lines(Trace t) {
            int[] body = new int[1];
            Defer.defer(() -> {
                int line = new Throwable().getStackTrace()[0].getLineNumber();
                t.log("deferred call's line minus the body's:", line - body[0]);
            });
            body[0] = new Throwable().getStackTrace()[0].getLineNumber();
        }
    }

    @Test
    void s10RecoverReturnsTheValueGivenToPanic() {
        Trace t = new Trace();
        RuntimeException error = new IllegalStateException("an error value");
        Go.assertRule("s10_values", "42 text an error value true | returned", t.run(() -> t.log(
                Target.recovered(42), Target.recovered("text"), Target.recovered(error),
                Target.recovered(error) == error)));
    }

    @Test
    void s11APanicIsRecoveredOnItsOwnThreadOnly() {
        Trace t = new Trace();
        Go.assertRule("s11_threads", "worker recovered worker panic | worker finished | main recovered <nil>"
                + " | returned", t.run(() -> Target.threads(t)));
    }

    @Test
    void s13ANullDeferredCallFailsAtTheDeferStatementWhereGoFailsWhenItRuns() {
        assertEquals("body ran | earlier deferred ran | escaped runtime error: invalid memory address or nil"
                + " pointer dereference", Go.rule("s13_nil_func"));
        Trace t = new Trace();
        AtomicReference<Throwable> escaped = new AtomicReference<>();
        String java = t.run(() -> {
            try {
                Target.nilFunc(t);
            } catch (NullPointerException e) {
                escaped.set(e);
                throw e;
            }
        });
        // The body stops at Defer.defer(null); the deferred calls registered before it still run.
        assertTrue(java.startsWith("earlier deferred ran | escaped "), java);
        assertEquals("nilFunc", Lines.firstUserFrame(escaped.get()).getMethodName());
    }

    @Test
    void s14TenThousandLevelsAndAMillionLoopDefers() {
        Trace t = new Trace();
        Go.assertRule("s14_deep_and_many", "10001 1000000 | returned",
                t.run(() -> t.log(Target.depth(10_000), Target.many(1_000_000))));
    }

    @Test
    void s14ASynchronizedMethodsDeferredCallsRunWhileTheLockIsHeld() {
        Trace t = new Trace();
        Go.assertRule("s14_locked", "deferred call, lock held: true | returned", t.run(() -> Target.locked(t)));
    }

    @Test
    void s15TheDeferredCallAndTheBodyKeepTheirLines() {
        Trace t = new Trace();
        Go.assertRule("s15_lines", "deferred call's line minus the body's: -3 | returned",
                t.run(() -> Target.lines(t)));
    }
}
