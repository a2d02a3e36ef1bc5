package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import dev.defer.Defers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules on the agent's open-coded strategy (Go 1.14's open-coded defers): a method with at most eight
 * top-level Defer.defer sites whose deferred calls reach only the platform and their own class keeps them
 * in locals and runs them inline at return; a panic hands them to the runtime. The other test classes
 * mostly log through {@link Trace}, another application class, so their methods keep runtime records;
 * here every target logs through a method of its own class, and
 * {@link #theTargetsAreOpenCoded()} checks, on the class the agent dumped, that they really are open-coded.
 */
class OpenCodedPathTest {

    static class Target {
        static final List<String> LOG = Collections.synchronizedList(new ArrayList<>());

        /** Go's fmt.Println formatting, with platform calls only, so that callers stay open-coded. */
        static void log(Object... parts) {
            StringBuilder line = new StringBuilder();
            for (Object p : parts) {
                if (line.length() > 0) {
                    line.append(' ');
                }
                line.append(p == null ? "<nil>" : p instanceof Throwable ? ((Throwable) p).getMessage() : String.valueOf(p));
            }
            LOG.add(line.toString());
        }

        static Object doubleRecover() {
            return Defer.recover();
        }

        static void mustRecover(Object x) {
            log("mustRecover", x, "saw", doubleRecover(), Defer.recover(), Defer.recover());
        }

        static void mustNotRecover() {
            log("mustNotRecover", Defer.recover());
        }

        static void withoutRecover() {
            log("withoutRecover", doubleRecover());
        }

        // ---- S1, S2 ----

        @Defers
        static void s1Loop() {
            // Three top-level sites (a loop site would not be open-coded).
            Defer.defer(() -> log(0));
            Defer.defer(() -> log(1));
            Defer.defer(() -> log(2));
            log("after");
        }

        @Defers
        static void inIf(boolean register) {
            Defer.defer(() -> log("first"));
            if (register) {
                Defer.defer(() -> log("in if"));
                log("end of if block");
            }
            Defer.defer(x -> log("third", x), "arg");
            log("after if");
        }

        // ---- S6 ----

        @Defers
        static void panics(RuntimeException e) {
            Defer.defer(() -> log("deferred 1"));
            Defer.defer(x -> log("deferred 2", x), "a");
            Defer.defer((x, y) -> log("deferred 3", x, y), "b", "c");
            throw e;
        }

        @Defers
        static void outer() {
            Defer.defer(() -> log("outer recovered", Defer.recover()));
            Defer.defer(() -> log("outer deferred 1"));
            inner();
            log("not reached");
        }

        @Defers
        static void inner() {
            Defer.defer(() -> log("inner deferred 1"));
            Defer.defer(() -> log("inner deferred 2"));
            throw Defer.panic("boom");
        }

        // ---- S7, S8: Go's recover.go and recover1.go ----

        @Defers
        static void test1() {
            Defer.defer(Target::mustNotRecover);
            Defer.defer(Target::mustRecover, 1);
            Defer.defer(Target::withoutRecover);
            throw Defer.panic(1);
        }

        @Defers
        static void test3() {
            Defer.defer(Target::mustNotRecover);
            Defer.defer(() -> log("closure recovered", Defer.recover()));
            throw Defer.panic(3);
        }

        @Defers
        static void test7() {
            Defer.defer(() -> log("ok"));
            Defer.defer(Target::mustRecover, 7);
            throw Defer.panic(7);
        }

        @Defers
        static void r1test1() {
            Defer.defer(Target::mustRecover, 1);
            Defer.defer(Target::r1test1Inner);
            throw Defer.panic(1);
        }

        @Defers
        static void r1test1Inner() {
            Defer.defer(Target::mustRecover, 2);
            throw Defer.panic(2);
        }

        static void helper() {
            log("helper saw", Defer.recover());
        }

        @Defers
        static void throughAHelper() {
            Defer.defer(() -> helper());
            throw Defer.panic("through a helper");
        }

        @Defers
        static void noPanic() {
            Defer.defer(() -> log("recover without panic", Defer.recover()));
        }

        @Defers
        static void recoverMatching() {
            Defer.defer(() -> log("outer saw", Defer.recover()));
            Defer.defer(Target::matchingMiddle);
            throw Defer.panic("panic1");
        }

        @Defers
        static void matchingMiddle() {
            Defer.defer(() -> log("inner saw", Defer.recover()));
        }

        // ---- S9 ----

        @Defers
        static void replace() {
            Defer.defer(() -> log("recovered", Defer.recover()));
            Defer.defer(() -> {
                throw Defer.panic("panic2");
            });
            throw Defer.panic("panic1");
        }

        @Defers
        static int duringReturn() {
            Defer.defer(() -> log("recovered", Defer.recover()));
            Defer.defer(() -> {
                throw Defer.panic("deferred call failed");
            });
            return 7;
        }

        @Defers
        static void replaceNotRecovered(RuntimeException first, RuntimeException second) {
            Defer.defer(() -> {
                throw second;
            });
            throw first;
        }

        /** The third of five inline calls panics at return: the rest go to the runtime, in order. */
        @Defers
        static String panicInTheMiddleOfTheExit() {
            Defer.defer(() -> log("d1 recovered", Defer.recover()));
            Defer.defer(() -> log("d2"));
            Defer.defer(() -> {
                log("d3 throws");
                throw new IllegalStateException("d3 failed");
            });
            Defer.defer(() -> log("d4"));
            Defer.defer(() -> log("d5"));
            return "from return";
        }

        @Defers
        static void checkedFromAnInlineCall() throws IOException {
            Defer.defer(() -> log("earlier ran"));
            Defer.defer(() -> {
                throw new IOException("inline checked");
            });
        }

        // ---- S12 ----

        @Defers
        static void isolationOuter() {
            Defer.defer(() -> log("outer deferred"));
            isolationInner();
            log("after inner");
        }

        @Defers
        static void isolationInner() {
            Defer.defer(() -> log("inner deferred"));
        }

        // ---- S14 ----

        /** Eight sites: the most the open-coded strategy takes. */
        @Defers
        static void eightSites(int registered, boolean panic) {
            Defer.defer(() -> log("recovered", Defer.recover()));
            Defer.defer(() -> log(2));
            if (registered > 2) {
                Defer.defer(() -> log(3));
            }
            if (registered > 3) {
                Defer.defer(() -> log(4));
            }
            if (registered > 4) {
                Defer.defer(() -> log(5));
            }
            if (panic) {
                throw Defer.panic("after " + registered);
            }
            if (registered > 5) {
                Defer.defer(() -> log(6));
            }
            if (registered > 6) {
                Defer.defer(() -> log(7));
            }
            if (registered > 7) {
                Defer.defer(() -> log(8));
            }
        }

        /** Nine sites: one more than the open-coded strategy takes; the same behaviour through records. */
        @Defers
        static void nineSites(int registered, boolean panic) {
            Defer.defer(() -> log("recovered", Defer.recover()));
            Defer.defer(() -> log(2));
            if (registered > 2) {
                Defer.defer(() -> log(3));
            }
            if (registered > 3) {
                Defer.defer(() -> log(4));
            }
            if (registered > 4) {
                Defer.defer(() -> log(5));
            }
            if (panic) {
                throw Defer.panic("after " + registered);
            }
            if (registered > 5) {
                Defer.defer(() -> log(6));
            }
            if (registered > 6) {
                Defer.defer(() -> log(7));
            }
            if (registered > 7) {
                Defer.defer(() -> log(8));
            }
            if (registered > 8) {
                Defer.defer(() -> log(9));
            }
        }

        /** A deferred call registered in a finally block while a return is under way. */
        @Defers
        static int deferInFinallyOfAReturn() {
            Defer.defer(() -> log("registered first"));
            try {
                return 5;
            } finally {
                Defer.defer(() -> log("registered in finally"));
            }
        }

        @Defers
        synchronized boolean synchronizedHolds(AtomicBoolean held) {
            Defer.defer(() -> held.set(Thread.holdsLock(this)));
            return true;
        }

        @Defers
        static int catchAllAroundReturn() {
            Defer.defer(() -> {
                throw new IllegalStateException("deferred call failed");
            });
            try {
                return 1;
            } catch (Throwable e) {
                log("body caught", e);
                return 2;
            }
        }

        // ---- S5: the slot when a later inline call panics and an earlier one recovers ----

        @Defers
        static boolean z() {
            Defer.defer(() -> Defer.recover());
            Defer.defer(() -> {
                throw new IllegalStateException();
            });
            return true;
        }

        @Defers
        static byte b() {
            Defer.defer(() -> Defer.recover());
            Defer.defer(() -> {
                throw new IllegalStateException();
            });
            return -7;
        }

        @Defers
        static char c() {
            Defer.defer(() -> Defer.recover());
            Defer.defer(() -> {
                throw new IllegalStateException();
            });
            return 'q';
        }

        @Defers
        static short s() {
            Defer.defer(() -> Defer.recover());
            Defer.defer(() -> {
                throw new IllegalStateException();
            });
            return -300;
        }

        @Defers
        static long j() {
            Defer.defer(() -> Defer.recover());
            Defer.defer(() -> {
                throw new IllegalStateException();
            });
            return Long.MIN_VALUE + 1;
        }

        @Defers
        static float f() {
            Defer.defer(() -> Defer.recover());
            Defer.defer(() -> {
                throw new IllegalStateException();
            });
            return -1.25f;
        }

        @Defers
        static double d() {
            Defer.defer(() -> Defer.recover());
            Defer.defer(() -> {
                throw new IllegalStateException();
            });
            return 1e300;
        }

        @Defers
        static String string() {
            Defer.defer(() -> Defer.recover());
            Defer.defer(() -> {
                throw new IllegalStateException();
            });
            return "kept";
        }

        @Defers
        static int[] array() {
            Defer.defer(() -> Defer.recover());
            Defer.defer(() -> {
                throw new IllegalStateException();
            });
            return new int[] {4, 2};
        }

        @Defers
        static long zeroAfterBodyPanic() {
            Defer.defer(() -> Defer.recover());
            throw new IllegalStateException();
        }

        // ---- S16 ----

        @Defers
        static void goexitOuter() {
            Defer.defer(() -> log("outer deferred"));
            goexitInner();
            log("not reached");
        }

        @Defers
        static void goexitInner() {
            Defer.defer(() -> log("recovered", Defer.recover()));
            Defer.defer(() -> {
                throw Defer.panic("hello");
            });
            throw Defer.goexit();
        }

        // ---- what the screen cannot see (S5) ----

        /** The body reaches the slot through a method of its own class. */
        @Defers
        static int bodyHelperSetsTheSlot() {
            Defer.defer(() -> Defer.recover());
            setSlot(99);
            throw Defer.panic("after setting the slot");
        }

        static void setSlot(int value) {
            Defer.setResult(value);
        }

        /** A deferred call that runs a callback given by the caller, through a platform interface. */
        @Defers
        static int callback(Runnable r) {
            Defer.defer(() -> r.run());
            return 1;
        }
    }

    /** A deferred call of an overridable method: the override, in another class, sets the slot. */
    static class Base {
        @Defers
        int template() {
            Defer.defer(() -> hook());
            return 1;
        }

        void hook() {
        }
    }

    static final class Override extends Base {
        @java.lang.Override
        void hook() {
            Defer.setResult(5);
        }
    }

    /** A caller with runtime records (its deferred call touches the slot) around template(). */
    static final class Caller {
        @Defers
        static int callsTemplate(int[] templateResult) {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + Defer.<Integer>result() * 0));
            Defer.defer(() -> Defer.recover());
            templateResult[0] = new Override().template();
            throw Defer.panic("the caller panics after the call");
        }
    }

    /** The methods above that the agent must open-code for this class to test that strategy. */
    private static final Set<String> OPEN_CODED = Set.of("s1Loop", "inIf", "panics", "outer", "inner", "test1",
            "test3", "test7", "r1test1", "r1test1Inner", "throughAHelper", "noPanic", "recoverMatching",
            "matchingMiddle", "replace", "duringReturn", "replaceNotRecovered", "panicInTheMiddleOfTheExit",
            "checkedFromAnInlineCall", "isolationOuter", "isolationInner", "eightSites", "deferInFinallyOfAReturn",
            "synchronizedHolds", "catchAllAroundReturn", "z", "b", "c", "s", "j", "f", "d", "string", "array",
            "zeroAfterBodyPanic", "goexitOuter", "goexitInner");
    /** Methods whose slot is reachable in ways the agent can see: they must keep runtime records. */
    private static final Set<String> KEPT_WITH_RECORDS = Set.of("nineSites", "bodyHelperSetsTheSlot", "callback",
            "template");

    @BeforeEach
    void clear() {
        Target.LOG.clear();
    }

    private static String run(Trace.Body body) {
        Target.LOG.clear();
        try {
            body.run();
            Target.log("returned");
        } catch (Throwable escaped) {
            Target.log("escaped", escaped instanceof dev.defer.Panic ? ((dev.defer.Panic) escaped).value() : escaped);
        }
        return String.join(" | ", Target.LOG);
    }

    @Test
    void theTargetsAreOpenCoded() throws Exception {
        Set<String> openCoded = new TreeSet<>();
        Set<String> withRecords = new TreeSet<>();
        StrategyMatrixTest.strategies(Target.class, Base.class).forEach((method, strategy) -> {
            String name = method.substring(method.indexOf('.') + 1);
            if (strategy.equals("open-coded")) {
                openCoded.add(name);
            } else if (strategy.equals("stack-style") || strategy.equals("pooled") || strategy.contains("defer")) {
                withRecords.add(name);
            }
        });
        assertEquals(new TreeSet<>(OPEN_CODED), openCoded, "methods open-coded; with records: " + withRecords);
        assertTrue(withRecords.containsAll(KEPT_WITH_RECORDS), String.valueOf(withRecords));
    }

    @Test
    void scopeAndOrder() {
        Target.s1Loop();
        assertEquals(List.of("after", "2", "1", "0"), Target.LOG);
        Target.LOG.clear();
        Target.inIf(true);
        Target.inIf(false);
        assertEquals(List.of("end of if block", "after if", "third arg", "in if", "first", "after if", "third arg", "first"),
                Target.LOG);
    }

    @Test
    void panicLeavesUnwrappedAfterTheDeferredCallsInOrder() {
        IllegalStateException e = new IllegalStateException("boom");
        assertSame(e, assertThrows(IllegalStateException.class, () -> Target.panics(e)));
        assertEquals(List.of("deferred 3 b c", "deferred 2 a", "deferred 1"), Target.LOG);
        assertEquals(0, e.getSuppressed().length);
    }

    @Test
    void calleeFirstMatchesGo() {
        Go.assertRule("s6_callee_first",
                "inner deferred 2 | inner deferred 1 | outer deferred 1 | outer recovered boom | returned",
                run(Target::outer));
    }

    @Test
    void recoverTest1MatchesGo() {
        Go.assertRule("recover_test1",
                "withoutRecover <nil> | mustRecover 1 saw <nil> 1 <nil> | mustNotRecover <nil> | returned",
                run(Target::test1));
    }

    @Test
    void recoverTest3MatchesGo() {
        Go.assertRule("recover_test3", "closure recovered 3 | mustNotRecover <nil> | returned", run(Target::test3));
    }

    @Test
    void recoverTest7MatchesGo() {
        Go.assertRule("recover_test7", "mustRecover 7 saw <nil> 7 <nil> | ok | returned", run(Target::test7));
    }

    @Test
    void recover1Test1MatchesGo() {
        Go.assertRule("recover1_test1", "mustRecover 2 saw <nil> 2 <nil> | mustRecover 1 saw <nil> 1 <nil> | returned",
                run(Target::r1test1));
    }

    @Test
    void helperMatchesGo() {
        Go.assertRule("s8_helper", "helper saw <nil> | escaped through a helper", run(Target::throughAHelper));
    }

    @Test
    void noPanicMatchesGo() {
        Go.assertRule("s8_no_panic", "recover without panic <nil> | returned", run(Target::noPanic));
    }

    @Test
    void recoverMatchingMatchesGo() {
        Go.assertRule("recover_matching", "inner saw <nil> | outer saw panic1 | returned", run(Target::recoverMatching));
    }

    @Test
    void replaceMatchesGo() {
        Go.assertRule("s9_replace", "recovered panic2 | returned", run(Target::replace));
    }

    @Test
    void deferredPanicDuringReturnMatchesGo() {
        Go.assertRule("s9_during_return", "recovered deferred call failed | result 7 | returned",
                run(() -> Target.log("result", Target.duringReturn())));
    }

    @Test
    void replacedPanicIsSuppressed() {
        IllegalArgumentException first = new IllegalArgumentException("first");
        IllegalStateException second = new IllegalStateException("second");
        assertSame(second, assertThrows(IllegalStateException.class, () -> Target.replaceNotRecovered(first, second)));
        assertArrayEquals(new Throwable[] {first}, second.getSuppressed());
    }

    @Test
    void aPanicInTheMiddleOfTheInlineExitHandsTheRestOverInOrder() {
        assertEquals("from return", Target.panicInTheMiddleOfTheExit());
        assertEquals(List.of("d5", "d4", "d3 throws", "d2", "d1 recovered d3 failed"), Target.LOG);
    }

    @Test
    void checkedExceptionFromAnInlineCallLeavesUnwrapped() {
        IOException e = assertThrows(IOException.class, Target::checkedFromAnInlineCall);
        assertEquals("inline checked", e.getMessage());
        assertEquals(List.of("earlier ran"), Target.LOG);
    }

    @Test
    void isolationMatchesGo() {
        Go.assertRule("s12_isolation", "inner deferred | after inner | outer deferred | returned", run(Target::isolationOuter));
    }

    @Test
    void eightSitesAllRegistered() {
        Target.eightSites(8, false);
        assertEquals(List.of("8", "7", "6", "5", "4", "3", "2", "recovered <nil>"), Target.LOG);
    }

    @Test
    void eightSitesPanicAfterFive() {
        Target.eightSites(5, true);
        assertEquals(List.of("5", "4", "3", "2", "recovered after 5"), Target.LOG);
    }

    @Test
    void eightSitesSomeSkipped() {
        Target.eightSites(3, false);
        assertEquals(List.of("3", "2", "recovered <nil>"), Target.LOG);
    }

    @Test
    void nineSitesBehaveTheSame() {
        Target.nineSites(9, false);
        assertEquals(List.of("9", "8", "7", "6", "5", "4", "3", "2", "recovered <nil>"), Target.LOG);
        Target.LOG.clear();
        Target.nineSites(5, true);
        assertEquals(List.of("5", "4", "3", "2", "recovered after 5"), Target.LOG);
    }

    @Test
    void deferRegisteredInTheFinallyOfAReturnRunsAtTheExit() {
        assertEquals(5, Target.deferInFinallyOfAReturn());
        assertEquals(List.of("registered in finally", "registered first"), Target.LOG);
    }

    @Test
    void synchronizedMethodHoldsTheMonitorDuringInlineCalls() {
        AtomicBoolean held = new AtomicBoolean();
        Target target = new Target();
        assertTrue(target.synchronizedHolds(held));
        assertTrue(held.get());
        assertFalse(Thread.holdsLock(target));
    }

    @Test
    void theBodysCatchAllDoesNotCatchAnInlineCallsPanic() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Target::catchAllAroundReturn);
        assertEquals("deferred call failed", e.getMessage());
        assertEquals(List.of(), Target.LOG);
    }

    @Test
    void theSlotKeepsWhatReturnSetForEveryTypeWhenAnInlineCallPanicsAndIsRecovered() {
        assertTrue(Target.z());
        assertEquals((byte) -7, Target.b());
        assertEquals('q', Target.c());
        assertEquals((short) -300, Target.s());
        assertEquals(Long.MIN_VALUE + 1, Target.j());
        assertEquals(-1.25f, Target.f());
        assertEquals(1e300, Target.d());
        assertEquals("kept", Target.string());
        assertArrayEquals(new int[] {4, 2}, Target.array());
        assertEquals(0L, Target.zeroAfterBodyPanic());
    }

    @Test
    void goexitRecoverBeforePanicMatchesGo() {
        Target.LOG.clear();
        Threads.Ended ended = Threads.run(() -> {
            Target.goexitOuter();
            Target.log("goroutine returned");
        });
        Target.log("goroutine ended");
        assertEquals(List.of(), ended.uncaught());
        Go.assertRule("goexit_recover_before_panic", "recovered hello | outer deferred | goroutine ended",
                String.join(" | ", Target.LOG));
    }

    @Test
    void manyThreads() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 4; i++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int k = 0; k < 20_000; k++) {
                        if (Target.duringReturn() != 7 || !"from return".equals(Target.panicInTheMiddleOfTheExit())) {
                            throw new AssertionError("wrong result");
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            Threads.join(thread);
        }
        assertEquals(List.of(), failures);
    }

    // ---- what the inline-safety screen cannot see ----

    @Test
    void aDeferredCallOfAnOverriddenMethodReachesTheSlot() {
        // S5: the override runs in a deferred call of template(): setResult writes template()'s slot.
        assertEquals(1, new Base().template());
        assertEquals(5, new Override().template());
    }

    @Test
    void anOverriddenMethodInADeferredCallDoesNotWriteTheCallersSlot() {
        // With a caller invocation active, the misrouted setResult silently writes the caller's slot.
        int[] templateResult = new int[1];
        assertEquals(0, Caller.callsTemplate(templateResult), "the caller's slot was written by its callee's deferred call");
        assertEquals(5, templateResult[0]);
    }

    @Test
    void aBodyThatSetsTheSlotThroughAHelperOfItsClassKeepsIt() {
        // S5: "The body may set the slot too"; during a panic the slot holds what was last set.
        assertEquals(99, Target.bodyHelperSetsTheSlot());
    }

    @Test
    void aCallbackRunByADeferredCallReachesTheSlot() {
        // S5 names no exception for code reached through a platform interface; design.md lists it as a
        // known limit of the open-coded strategy.
        assertEquals(2, Target.callback(() -> Defer.setResult(2)));
    }
}
