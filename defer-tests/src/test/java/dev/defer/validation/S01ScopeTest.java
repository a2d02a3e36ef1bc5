package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.defer.Defer;
import dev.defer.Defers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * S1 Scope: a deferred call belongs to the invocation that registered it and runs when that invocation
 * ends, by return or by panic, never earlier: not at the end of a block, an if, or a loop iteration.
 */
class S01ScopeTest {

    static class Target {
        /** Go: {@code for i := 0; i < 3; i++ { defer print(i) }; print("after")} prints {@code after 2 1 0}. */
        @Defers
        static void loop(Trace t) {
            for (int i = 0; i < 3; i++) {
                Defer.defer(t::log, i);
            }
            t.log("after");
        }

        /** A deferred call registered in an if block runs at the end of the method, not of the block. */
        @Defers
        static void inIf(Trace t, boolean register) {
            if (register) {
                Defer.defer(() -> t.log("deferred in if"));
                t.log("end of if block");
            }
            t.log("after if");
        }

        /** Nested blocks and a while loop with break: still the method's end. */
        @Defers
        static int inNestedBlocks(Trace t) {
            int n = 0;
            while (true) {
                {
                    final int k = n;
                    Defer.defer(() -> t.log("deferred", k));
                }
                t.log("iteration", n, "ends");
                if (++n == 2) {
                    break;
                }
            }
            t.log("after loop");
            return n;
        }

        /** A deferred call registered inside a try block runs after the try statement and the method. */
        @Defers
        static void inTry(Trace t) {
            try {
                Defer.defer(() -> t.log("deferred in try"));
                t.log("end of try");
            } finally {
                t.log("finally");
            }
            t.log("after try");
        }

        /** On panic too, and only then: the body's remaining statements never run. */
        @Defers
        static void panics(Trace t, RuntimeException e) {
            Defer.defer(() -> t.log("deferred"));
            t.log("before throw");
            if (e != null) {
                throw e;
            }
            t.log("no panic");
        }

        /** A callee's deferred calls run when the callee returns, before the caller goes on. */
        @Defers
        static void caller(Trace t) {
            Defer.defer(() -> t.log("caller deferred"));
            callee(t);
            t.log("caller after callee");
        }

        @Defers
        static void callee(Trace t) {
            Defer.defer(() -> t.log("callee deferred"));
            t.log("callee body");
        }

        /** A deferred call registered in a loop of a lambda-free method, read by a later iteration. */
        @Defers
        static int noneRunDuringLoop(int[] ran) {
            int seenDuringLoop = 0;
            for (int i = 0; i < 100; i++) {
                Defer.defer(() -> ran[0]++);
                seenDuringLoop += ran[0];
            }
            return seenDuringLoop;
        }
    }

    @Test
    void loopPrintsAfterThenTwoOneZero() {
        Trace t = new Trace();
        Target.loop(t);
        assertEquals("after 2 1 0", String.join(" ", t.lines()));
    }

    @Test
    void loopMatchesGo() {
        Trace t = new Trace();
        Go.assertRule("s1_loop", "after | 2 | 1 | 0 | returned", t.run(() -> Target.loop(t)));
    }

    @Test
    void deferredCallInIfRunsAtMethodEndNotBlockEnd() {
        Trace t = new Trace();
        Target.inIf(t, true);
        assertEquals(List.of("end of if block", "after if", "deferred in if"), t.lines());
    }

    @Test
    void nothingRunsWhenTheIfIsNotTaken() {
        Trace t = new Trace();
        Target.inIf(t, false);
        assertEquals(List.of("after if"), t.lines());
    }

    @Test
    void deferredCallsInBlocksAndLoopIterationsWaitForTheMethod() {
        Trace t = new Trace();
        assertEquals(2, Target.inNestedBlocks(t));
        assertEquals(List.of("iteration 0 ends", "iteration 1 ends", "after loop", "deferred 1", "deferred 0"), t.lines());
    }

    @Test
    void deferredCallInTryRunsAfterTheFinallyAndTheRestOfTheMethod() {
        Trace t = new Trace();
        Target.inTry(t);
        assertEquals(List.of("end of try", "finally", "after try", "deferred in try"), t.lines());
    }

    @Test
    void runsOnPanicAndTheRestOfTheBodyDoesNot() {
        Trace t = new Trace();
        IllegalStateException e = new IllegalStateException("boom");
        assertSame(e, assertThrows(IllegalStateException.class, () -> Target.panics(t, e)));
        assertEquals(List.of("before throw", "deferred"), t.lines());
    }

    @Test
    void runsOnReturn() {
        Trace t = new Trace();
        Target.panics(t, null);
        assertEquals(List.of("before throw", "no panic", "deferred"), t.lines());
    }

    @Test
    void hasRunBeforeTheCallReturnsToItsCaller() {
        Trace t = new Trace();
        Target.panics(t, null);
        t.log("call returned");
        assertEquals(List.of("before throw", "no panic", "deferred", "call returned"), t.lines());
    }

    @Test
    void calleeDeferredCallsRunAtCalleeEndCallerAtCallerEnd() {
        Trace t = new Trace();
        Target.caller(t);
        assertEquals(List.of("callee body", "callee deferred", "caller after callee", "caller deferred"), t.lines());
    }

    @Test
    void noDeferredCallRunsWhileTheLoopRegistersThem() {
        int[] ran = {0};
        assertEquals(0, Target.noneRunDuringLoop(ran), "a deferred call ran before the method ended");
        assertEquals(100, ran[0]);
    }
}
