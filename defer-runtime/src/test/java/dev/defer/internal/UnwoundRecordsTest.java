package dev.defer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.defer.Deferred;
import dev.defer.Panic;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, item 2: when the runtime itself fails in an invocation's exit (a stack overflow there), the calls
 * that did not run stay registered, and the panic of the invocation below runs them before its own: delayed,
 * not lost. Driven as rewritten code drives the runtime, the failure simulated where a real one would
 * need an overflow at one exact frame.
 */
class UnwoundRecordsTest {
    private final List<String> log = new ArrayList<>();

    private Deferred logs(String line) {
        return () -> log.add(line);
    }

    @AfterEach
    void threadStateIsClean() {
        assertNull(DeferThread.current().top, "every test ends what it entered");
        assertEquals(0, DeferThread.current().usedSlots());
    }

    /** A throwable whose getCause fails: the run loop's own handler fails on it, as on an overflow. */
    static final class BreaksTheRunLoop extends RuntimeException {
        @Override
        public synchronized Throwable getCause() {
            throw new AssertionError("the runtime failed in the run loop's handler");
        }
    }

    @Test
    void aPanicFirstRunsWhatAnInvocationAboveLeftOnTheStack() {
        Invocation outer = DeferSupport.enter(UnwoundRecordsTest.class, "outer()V");
        DeferSupport.deferStacked(logs("outer"), outer);
        Invocation inner = DeferSupport.enter(UnwoundRecordsTest.class, "inner()V");
        DeferSupport.deferStacked(logs("inner 0"), inner);
        DeferSupport.deferStacked(() -> log.add("inner 1 recovered " + Recovery.recoverInDeferredCall()), inner);
        // inner's handler never runs (it overflowed at its entry): the overflow reaches outer's handler.
        StackOverflowError overflow = new StackOverflowError("at inner's handler");
        assertSame(overflow, assertThrows(StackOverflowError.class, () -> DeferSupport.panicVoid(overflow, outer)));
        assertEquals(List.of("inner 1 recovered null", "inner 0", "outer"), log);
    }

    @Test
    void unwoundCallsCannotRecoverButTheirThrowablesReplaceThePanic() {
        Invocation outer = DeferSupport.enter(UnwoundRecordsTest.class, "outer()I");
        DeferSupport.deferStacked(() -> log.add("outer recovered " + Recovery.recoverInDeferredCall()), outer);
        Invocation inner = DeferSupport.enter(UnwoundRecordsTest.class, "inner()V");
        IllegalStateException replacement = new IllegalStateException("replacement");
        DeferSupport.deferStacked(() -> {
            log.add("inner recovered " + Recovery.recoverInDeferredCall());
            throw replacement;
        }, inner);
        IllegalArgumentException panic = new IllegalArgumentException("panic");
        assertEquals(7, DeferSupport.panicInt(panic, outer(outer, 7)));
        assertEquals(List.of("inner recovered null", "outer recovered " + replacement), log);
        assertArrayEquals(new Throwable[] {panic}, replacement.getSuppressed(), "S9: nothing is lost");
    }

    private static Invocation outer(Invocation outer, int result) {
        DeferSupport.slot(outer, result);
        return outer;
    }

    @Test
    void aRunTheRuntimeCannotFinishLeavesTheRestToThePanicBelow() {
        Invocation outer = DeferSupport.enter(UnwoundRecordsTest.class, "outer()V");
        DeferSupport.deferStacked(logs("outer"), outer);
        Invocation inner = DeferSupport.enter(UnwoundRecordsTest.class, "inner()V");
        DeferSupport.deferStacked(logs("inner 0"), inner);
        DeferSupport.deferStacked(logs("inner 1"), inner);
        DeferSupport.deferStacked(() -> {
            log.add("inner 2 throws");
            throw new BreaksTheRunLoop();
        }, inner);
        AssertionError failure = assertThrows(AssertionError.class,
                () -> DeferSupport.panicVoid(new IllegalStateException("first"), inner));
        assertEquals(List.of("inner 2 throws"), log);
        assertSame(inner, DeferThread.current().top, "inner stays, with the calls that did not run");
        assertSame(failure, assertThrows(AssertionError.class, () -> DeferSupport.panicVoid(failure, outer)));
        assertEquals(List.of("inner 2 throws", "inner 1", "inner 0", "outer"), log);
    }

    @Test
    void unwoundCallsLeaveNoRecoveredPanicForTheNextInvocationToRethrow() {
        Invocation outer = DeferSupport.enter(UnwoundRecordsTest.class, "outer()V");
        DeferSupport.deferStacked(logs("outer"), outer);
        Invocation inner = DeferSupport.enter(UnwoundRecordsTest.class, "inner()V");
        DeferSupport.deferStacked(logs("inner"), inner);
        // What a runtime failure after a recover() in inner's run would leave: the recovered panic, kept for
        // re-panicking by the call at inner's first record.
        Panic recovered = new Panic("old");
        inner.recoveredPanic = recovered;
        inner.recoveredAt = inner.recordStackBase;
        IllegalStateException panic = new IllegalStateException("panic");
        assertSame(panic, assertThrows(IllegalStateException.class, () -> DeferSupport.panicVoid(panic, outer)));
        assertEquals(List.of("inner", "outer"), log);

        // The same objects serve the next invocations at those depths; a call at the same record that panics
        // with the same value must make a new panic, not re-throw the one recovered before.
        Invocation outerAgain = DeferSupport.enter(UnwoundRecordsTest.class, "outer()V");
        DeferSupport.deferStacked(logs("outer again"), outerAgain);
        Invocation innerAgain = DeferSupport.enter(UnwoundRecordsTest.class, "inner()V");
        assertSame(inner, innerAgain, "the test needs the reused object");
        DeferSupport.deferStacked(() -> log.add("repanics " + Recovery.repanic("old")), innerAgain);
        DeferSupport.exitVoid(innerAgain);
        DeferSupport.exitVoid(outerAgain);
        assertEquals(List.of("inner", "outer", "repanics null", "outer again"), log);
    }

    @Test
    void aNormalExitStillDropsThem() {
        Invocation outer = DeferSupport.enter(UnwoundRecordsTest.class, "outer()V");
        DeferSupport.deferStacked(logs("outer"), outer);
        Invocation inner = DeferSupport.enter(UnwoundRecordsTest.class, "inner()V");
        DeferSupport.deferStacked(logs("inner, never run"), inner);
        // outer's body caught what left inner and returns: S12, its exit runs its own calls only.
        DeferSupport.exitVoid(outer);
        assertEquals(List.of("outer"), log);
    }

    @Test
    void aDeferAfterAnAbandonedInvocationAboveMakesItsOwnTheTopAgain() {
        Invocation outer = DeferSupport.enter(UnwoundRecordsTest.class, "outer()V");
        DeferSupport.deferStacked(logs("outer 0"), outer);
        // inner's exit never runs (an overflow at its handler), and outer's body catches what left inner.
        Invocation inner = DeferSupport.enter(UnwoundRecordsTest.class, "inner()V");
        assertSame(inner, DeferThread.current().top);
        DeferSupport.deferStacked(logs("outer 1"), outer);
        DeferSupport.deferStacked(logs("outer 2"), outer);
        assertSame(outer, DeferThread.current().top, "outer's defer did not take the top back from the abandoned one");
        // A method entered next starts above outer's records, not at the abandoned invocation's end (slot 1).
        Invocation next = DeferSupport.enter(UnwoundRecordsTest.class, "next()V");
        DeferSupport.deferStacked(logs("next"), next);
        DeferSupport.exitVoid(next);
        DeferSupport.exitVoid(outer);
        assertEquals(List.of("next", "outer 2", "outer 1", "outer 0"), log);
    }

    @Test
    void onlyTheTopsDefersTakeTheFastPath() {
        Invocation outer = DeferSupport.enter(UnwoundRecordsTest.class, "outer()V");
        assertEquals(-1, outer.topMask, "an entered invocation is the top");
        Invocation inner = DeferSupport.enter(UnwoundRecordsTest.class, "inner()V");
        assertEquals(0, outer.topMask, "an invocation entered above must close the fast path below it");
        assertEquals(-1, inner.topMask);
        DeferSupport.exitVoid(inner);
        assertEquals(-1, outer.topMask, "a return must give the fast path back to the invocation below");
        DeferSupport.deferStacked(logs("outer"), outer);
        DeferSupport.exitVoid(outer);
        assertEquals(List.of("outer"), log);
    }

    @Test
    void theFirstUseRehearsalLeavesNothingBehind() {
        Invocation outer = DeferSupport.enter(UnwoundRecordsTest.class, "outer()V");
        FirstUse.prepare();
        assertSame(outer, DeferThread.current().top);
        assertNull(DeferThread.current().finishing);
        DeferSupport.deferStacked(logs("outer"), outer);
        DeferSupport.exitVoid(outer);
        assertEquals(List.of("outer"), log);
    }
}
