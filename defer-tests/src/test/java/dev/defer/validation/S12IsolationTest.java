package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import dev.defer.Defers;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * S12 Isolation: an invocation's exit runs only its own deferred calls, never its caller's; records that
 * an abnormal exit left behind are discarded, never run by a later invocation.
 */
class S12IsolationTest {

    static class Target {
        /** Go: s12Outer / s12Inner in go/rules.go. */
        @Defers
        static void outer(Trace t) {
            Defer.defer(() -> t.log("outer deferred"));
            inner(t);
            t.log("after inner");
        }

        @Defers
        static void inner(Trace t) {
            Defer.defer(() -> t.log("inner deferred"));
        }

        /** An inner invocation with no deferred calls of its own must not run the caller's. */
        @Defers
        static int outerWithEmptyInner(Trace t) {
            Defer.defer(() -> t.log("outer deferred"));
            int v = empty(t);
            t.log("after empty inner", v);
            return v;
        }

        @Defers
        static int empty(Trace t) {
            t.log("empty inner body");
            return 4;
        }

        /** The same for void, long, double and reference exits, and for a panicking empty inner. */
        @Defers
        static void outerWithEveryExit(Trace t) {
            Defer.defer(() -> t.log("outer deferred"));
            emptyVoid();
            emptyLong();
            emptyDouble();
            emptyFloat();
            emptyObject();
            try {
                emptyPanics();
            } catch (IllegalStateException e) {
                t.log("caught", e);
            }
            t.log("all inner invocations ended");
        }

        @Defers
        static void emptyVoid() {
        }

        @Defers
        static long emptyLong() {
            return 1L;
        }

        @Defers
        static double emptyDouble() {
            return 1.0;
        }

        @Defers
        static float emptyFloat() {
            return 1.0f;
        }

        @Defers
        static Object emptyObject() {
            return "x";
        }

        @Defers
        static void emptyPanics() {
            throw new IllegalStateException("empty inner panics");
        }

        /** The caller catches the callee's panic and goes on: its own deferred calls run once, at its end. */
        @Defers
        static void callerCatches(Trace t) {
            Defer.defer(() -> t.log("outer deferred"));
            try {
                panicking(t);
            } catch (IllegalStateException e) {
                t.log("outer caught", e);
            }
            t.log("outer goes on");
        }

        @Defers
        static void panicking(Trace t) {
            Defer.defer(() -> t.log("inner deferred"));
            throw new IllegalStateException("inner panic");
        }

        /** The callee recovers its own panic; the caller's list is untouched. */
        @Defers
        static void calleeRecovers(Trace t) {
            Defer.defer(() -> t.log("outer deferred, recover saw", Defer.recover()));
            recovering(t);
            t.log("outer after callee");
        }

        @Defers
        static void recovering(Trace t) {
            Defer.defer(() -> t.log("inner recovered", Defer.recover()));
            throw Defer.panic("inner only");
        }

        /** The result slot of the caller is not the callee's. */
        @Defers
        static int callerSlot() {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 1));
            int inner = calleeSlot();
            return inner * 100;
        }

        @Defers
        static int calleeSlot() {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 2));
            return 3;
        }

        /** Each level registers a deferred call, until the stack overflows. */
        @Defers
        static int overflow(int n, AtomicInteger registered, AtomicInteger ran) {
            Defer.defer(ran::incrementAndGet);
            registered.incrementAndGet();
            return overflow(n + 1, registered, ran) + 1;
        }

        /** The same with runtime records: the deferred call reaches another class and the slot. */
        @Defers
        static int overflowWithRecords(int n, AtomicInteger registered, Trace t) {
            Defer.defer(() -> t.log("level", n, Defer.<Integer>result()));
            registered.incrementAndGet();
            return overflowWithRecords(n + 1, registered, t) + 1;
        }

        /** And with loop sites (pooled records). */
        @Defers
        static int overflowWithLoopRecords(int n, AtomicInteger registered, AtomicInteger ran) {
            for (int i = 0; i < 2; i++) {
                Defer.defer(ran::incrementAndGet);
                registered.incrementAndGet();
            }
            return overflowWithLoopRecords(n + 1, registered, ran) + 1;
        }

        @Defers
        static int fresh(Trace t) {
            Defer.defer(() -> t.log("fresh deferred 1"));
            Defer.defer(() -> t.log("fresh deferred 2"));
            return 1;
        }
    }

    @Test
    void exitRunsOnlyItsOwnDeferredCallsMatchesGo() {
        Trace t = new Trace();
        Go.assertRule("s12_isolation", "inner deferred | after inner | outer deferred | returned", t.run(() -> Target.outer(t)));
    }

    @Test
    void anInnerInvocationWithoutDeferredCallsDoesNotRunTheCallers() {
        Trace t = new Trace();
        assertEquals(4, Target.outerWithEmptyInner(t));
        assertEquals(List.of("empty inner body", "after empty inner 4", "outer deferred"), t.lines());
    }

    @Test
    void noKindOfInnerExitRunsTheCallersDeferredCalls() {
        Trace t = new Trace();
        Target.outerWithEveryExit(t);
        assertEquals(List.of("caught empty inner panics", "all inner invocations ended", "outer deferred"), t.lines());
    }

    @Test
    void callerThatCatchesRunsItsDeferredCallsOnceAtItsEnd() {
        Trace t = new Trace();
        Target.callerCatches(t);
        assertEquals(List.of("inner deferred", "outer caught inner panic", "outer goes on", "outer deferred"), t.lines());
    }

    @Test
    void calleeRecoveryLeavesTheCallerAlone() {
        Trace t = new Trace();
        Target.calleeRecovers(t);
        assertEquals(List.of("inner recovered inner only", "outer after callee", "outer deferred, recover saw <nil>"), t.lines());
    }

    @Test
    void eachInvocationHasItsOwnSlot() {
        assertEquals(501, Target.callerSlot());
    }

    @Test
    void afterAStackOverflowNothingIsLeftBehindOnTheThread() {
        AtomicInteger registered = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        AtomicReference<String> after = new AtomicReference<>();
        Trace t = new Trace();
        Threads.Ended ended = Threads.run(512 * 1024, () -> {
            try {
                Target.overflow(0, registered, ran);
            } catch (StackOverflowError expected) {
                // the thread goes on, as a pooled thread would
            }
            int ranAfterOverflow = ran.get();
            StringBuilder seen = new StringBuilder();
            try {
                Defer.result();
                seen.append("an invocation was left active");
            } catch (IllegalStateException expected) {
                seen.append("no active invocation");
            }
            seen.append(", recover ").append(Defer.recover());
            seen.append(", fresh ").append(Target.fresh(t));
            seen.append(", old deferred calls run later ").append(ran.get() - ranAfterOverflow);
            after.set(seen.toString());
        });
        assertTrue(ended.uncaught().isEmpty(), String.valueOf(ended.uncaught()));
        assertTrue(registered.get() > 100, "the recursion was too shallow to test anything: " + registered.get());
        assertEquals("no active invocation, recover null, fresh 1, old deferred calls run later 0", after.get());
        assertEquals(List.of("fresh deferred 2", "fresh deferred 1"), t.lines());
    }

    @Test
    void afterAStackOverflowThroughRuntimeRecordsNothingIsLeftBehind() {
        for (int variant = 0; variant < 2; variant++) {
            AtomicInteger registered = new AtomicInteger();
            AtomicInteger ran = new AtomicInteger();
            Trace overflowTrace = new Trace();
            Trace t = new Trace();
            AtomicReference<String> after = new AtomicReference<>();
            int v = variant;
            Threads.Ended ended = Threads.run(512 * 1024, () -> {
                try {
                    if (v == 0) {
                        Target.overflowWithRecords(0, registered, overflowTrace);
                    } else {
                        Target.overflowWithLoopRecords(0, registered, ran);
                    }
                } catch (StackOverflowError expected) {
                    // the thread goes on
                }
                int ranBefore = ran.get() + overflowTrace.lines().size();
                StringBuilder seen = new StringBuilder();
                try {
                    Defer.result();
                    seen.append("an invocation was left active");
                } catch (IllegalStateException expected) {
                    seen.append("no active invocation");
                }
                seen.append(", fresh ").append(Target.fresh(t)).append(", fresh again ").append(Target.fresh(t));
                seen.append(", old deferred calls run later ").append(ran.get() + overflowTrace.lines().size() - ranBefore);
                after.set(seen.toString());
            });
            assertTrue(ended.uncaught().isEmpty(), String.valueOf(ended.uncaught()));
            assertTrue(registered.get() > 100, "too shallow: " + registered.get());
            assertEquals("no active invocation, fresh 1, fresh again 1, old deferred calls run later 0", after.get(),
                    "variant " + variant);
            assertEquals(List.of("fresh deferred 2", "fresh deferred 1", "fresh deferred 2", "fresh deferred 1"), t.lines());
        }
    }

    static int pad(int frames, java.util.function.IntSupplier then) {
        return frames == 0 ? then.getAsInt() : pad(frames - 1, then) + 1;
    }

    /**
     * Where the stack overflows inside the rewritten code depends on the stack's depth when the recursion
     * starts; plain frames of 0 to 63 in front of it move that point through the agent's entry, exit and
     * handler code. After each overflow, caught by plain code, nothing may be left active on the thread.
     */
    @Test
    void nothingIsLeftBehindWhereverTheStackOverflows() {
        List<String> leaks = new java.util.ArrayList<>();
        String[] variants = {"open-coded", "stack-style records", "pooled records"};
        for (int variant = 0; variant < 3; variant++) {
            for (int offset = 0; offset < 32; offset++) {
                int v = variant;
                int o = offset;
                Threads.Ended ended = Threads.run(512 * 1024, () -> {
                    AtomicInteger counter = new AtomicInteger();
                    try {
                        pad(o, () -> v == 0 ? Target.overflow(0, counter, new AtomicInteger())
                                : v == 1 ? Target.overflowWithRecords(0, counter, new Trace())
                                : Target.overflowWithLoopRecords(0, counter, new AtomicInteger()));
                    } catch (StackOverflowError expected) {
                        // caught by plain code, as a pool's worker would
                    }
                    try {
                        Defer.result();
                        synchronized (leaks) {
                            leaks.add(variants[v] + " offset " + o);
                        }
                    } catch (IllegalStateException expected) {
                        // nothing active: as it must be
                    }
                });
                assertTrue(ended.uncaught().isEmpty(), String.valueOf(ended.uncaught()));
            }
        }
        assertEquals(List.of(), leaks, "an invocation was left active on the thread after a stack overflow");
    }

    /** The same overflows one after another on one thread, as a pool's worker would see them. */
    @Test
    void nothingIsLeftBehindAfterRepeatedStackOverflowsOnOneThread() {
        List<String> leaks = new java.util.ArrayList<>();
        String[] variants = {"open-coded", "stack-style records", "pooled records"};
        for (int variant = 0; variant < 3; variant++) {
            int v = variant;
            Threads.Ended ended = Threads.run(512 * 1024, () -> {
                for (int offset = 0; offset < 400; offset++) {
                    AtomicInteger counter = new AtomicInteger();
                    try {
                        pad(offset % 64, () -> v == 0 ? Target.overflow(0, counter, new AtomicInteger())
                                : v == 1 ? Target.overflowWithRecords(0, counter, new Trace())
                                : Target.overflowWithLoopRecords(0, counter, new AtomicInteger()));
                    } catch (StackOverflowError expected) {
                        // caught by plain code, as a pool's worker would
                    }
                    try {
                        Defer.result();
                        synchronized (leaks) {
                            leaks.add(variants[v] + ": first left active after overflow number " + (offset + 1));
                        }
                        return;
                    } catch (IllegalStateException expected) {
                        // nothing active: as it must be
                    }
                }
            });
            assertTrue(ended.uncaught().isEmpty(), String.valueOf(ended.uncaught()));
        }
        assertEquals(List.of(), leaks, "an invocation was left active on the thread after a stack overflow");
    }

    @Test
    void afterAnEscapedPanicNothingIsLeftBehind() {
        Trace t = new Trace();
        assertThrows(IllegalStateException.class, () -> Target.panicking(t));
        assertThrows(IllegalStateException.class, Defer::result);
        assertNull(Defer.recover());
        t.clear();
        assertEquals(1, Target.fresh(t));
        assertEquals(List.of("fresh deferred 2", "fresh deferred 1"), t.lines());
    }
}
