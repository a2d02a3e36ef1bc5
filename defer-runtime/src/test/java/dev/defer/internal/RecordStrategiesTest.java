package dev.defer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Deferred;
import dev.defer.Deferred1;
import dev.defer.Deferred2;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runtime driven the way rewritten code drives it, without the agent: the record stack that holds
 * the deferred calls of both record strategies, their order, the run loop, and the bound that keeps a
 * thread's memory from growing without limit.
 */
class RecordStrategiesTest {
    private final List<String> log = new ArrayList<>();

    private Deferred logs(String line) {
        return () -> log.add(line);
    }

    @AfterEach
    void threadStateIsClean() {
        DeferThread thread = DeferThread.current();
        assertNull(thread.top, "every test exits what it entered");
        assertEquals(0, thread.usedSlots());
        assertTrue(thread.slotCapacity() <= DeferThread.RECORD_STACK_LIMIT, "the memory bound holds");
    }

    @Test
    void stackedAndPooledRecordsRunInOneLastInFirstOutOrder() {
        Invocation invocation = DeferSupport.enter(RecordStrategiesTest.class, "m()I");
        DeferSupport.deferStacked(logs("top 1"), invocation);
        for (int i = 0; i < 3; i++) {
            DeferSupport.deferPooled(logs("loop " + i), invocation);
        }
        DeferSupport.deferStacked(logs("top 2"), invocation);
        assertEquals(7, DeferSupport.exitInt(7, invocation));
        assertEquals(List.of("top 2", "loop 2", "loop 1", "loop 0", "top 1"), log);
    }

    @Test
    void everyArityCarriesItsArguments() {
        Invocation invocation = DeferSupport.enter(RecordStrategiesTest.class, "m()V");
        Deferred1<String> one = a -> log.add("one " + a);
        Deferred2<String, String> two = (a, b) -> log.add("two " + a + " " + b);
        DeferSupport.deferPooled(two, "x", "y", invocation);
        DeferSupport.deferPooled(one, "z", invocation);
        DeferSupport.deferPooled(logs("none"), invocation);
        DeferSupport.deferStacked(one, "s", invocation);
        DeferSupport.deferStacked(two, "p", "q", invocation);
        DeferSupport.exitVoid(invocation);
        assertEquals(List.of("two p q", "one s", "none", "one z", "two x y"), log);
    }

    @Test
    void anExitFreesItsSlotsAndLeavesNoReferenceInThem() {
        DeferThread thread = DeferThread.current();
        Invocation invocation = DeferSupport.enter(RecordStrategiesTest.class, "m()V");
        Deferred2<Object, Object> two = (a, b) -> log.add("two");
        DeferSupport.deferStacked(logs("a"), invocation);
        DeferSupport.deferStacked(two, "arg a", "arg b", invocation);
        DeferSupport.deferPooled(logs("c"), invocation);
        assertEquals(1 + 4 + 1, thread.usedSlots(), "a call takes one slot, a call with two arguments four");
        DeferSupport.exitVoid(invocation);
        assertEquals(0, thread.usedSlots());
        for (int i = 0; i < 6; i++) {
            assertNull(thread.slots[i], "slot " + i);
        }
    }

    @Test
    void aThrowingCallLeavesNoReferenceInItsSlots() {
        DeferThread thread = DeferThread.current();
        Invocation invocation = DeferSupport.enter(RecordStrategiesTest.class, "m()V");
        Deferred1<Object> throwing = a -> {
            throw new IllegalStateException("boom");
        };
        DeferSupport.deferPooled(throwing, "argument", invocation);
        DeferSupport.deferPooled(logs("after"), invocation);
        assertThrows(IllegalStateException.class, () -> DeferSupport.exitVoid(invocation));
        assertEquals(List.of("after"), log);
        for (int i = 0; i < 4; i++) {
            assertNull(thread.slots[i], "slot " + i);
        }
    }

    @Test
    void aMillionLoopDefersRunInOrderThenTheStackShrinksToTheBound() {
        DeferThread thread = DeferThread.current();
        Invocation invocation = DeferSupport.enter(RecordStrategiesTest.class, "m()V");
        int[] next = {999_999};
        int[] wrong = {0};
        Deferred1<Integer> check = i -> {
            if (i != next[0]--) {
                wrong[0]++;
            }
        };
        for (int i = 0; i < 1_000_000; i++) {
            DeferSupport.deferPooled(check, i, invocation);
        }
        assertTrue(thread.slotCapacity() >= 1_000_000);
        DeferSupport.exitVoid(invocation);
        assertEquals(-1, next[0], "every deferred call ran");
        assertEquals(0, wrong[0], "last in, first out");
        assertEquals(DeferThread.RECORD_STACK_LIMIT, thread.slotCapacity(), "the big array is given back");
    }

    @Test
    void theStackDoesNotShrinkBelowWhatAnOuterInvocationStillUses() {
        DeferThread thread = DeferThread.current();
        Invocation outer = DeferSupport.enter(RecordStrategiesTest.class, "outer()V");
        int count = DeferThread.RECORD_STACK_LIMIT + 100;
        int[] next = {count - 1};
        int[] wrong = {0};
        Deferred1<Integer> check = i -> {
            if (i != next[0]--) {
                wrong[0]++;
            }
        };
        for (int i = 0; i < count; i++) {
            DeferSupport.deferPooled(check, i, outer);
        }
        Invocation inner = DeferSupport.enter(RecordStrategiesTest.class, "inner()V");
        DeferSupport.deferPooled(logs("inner"), inner);
        DeferSupport.exitVoid(inner);
        assertTrue(thread.slotCapacity() > count, "the outer invocation's slots are kept");
        DeferSupport.exitVoid(outer);
        assertEquals(List.of("inner"), log);
        assertEquals(-1, next[0]);
        assertEquals(0, wrong[0]);
    }

    @Test
    void aDeferredCallThatGrowsAndShrinksTheStackDoesNotDisturbTheRemainingCalls() {
        DeferThread thread = DeferThread.current();
        Invocation outer = DeferSupport.enter(RecordStrategiesTest.class, "outer()V");
        DeferSupport.deferPooled(logs("outer 0"), outer);
        DeferSupport.deferPooled(() -> {
            // A rewritten method called by a deferred call: its 10,000 records grow the array, its exit trims it.
            Invocation inner = DeferSupport.enter(RecordStrategiesTest.class, "inner()V");
            int[] runs = {0};
            for (int i = 0; i < 10_000; i++) {
                DeferSupport.deferPooled(() -> runs[0]++, inner);
            }
            DeferSupport.exitVoid(inner);
            log.add("inner ran " + runs[0]);
            log.add("capacity " + thread.slotCapacity());
        }, outer);
        DeferSupport.deferPooled(logs("outer 2"), outer);
        DeferSupport.exitVoid(outer);
        assertEquals(List.of("outer 2", "inner ran 10000", "capacity " + DeferThread.RECORD_STACK_LIMIT, "outer 0"),
                log);
        for (int i = 0; i < 3; i++) {
            assertNull(thread.slots[i], "the new array keeps no copy of a record that ran: slot " + i);
        }
    }

    @Test
    void aDeferredCallThatThrowsAtAReturnPanicsAndAnEarlierCallRecoversIt() {
        // The normal return's own run loop hands over to the full one at the throw (DeferSupport.finish(Invocation)).
        Invocation invocation = DeferSupport.enter(RecordStrategiesTest.class, "m()Ljava/lang/Object;");
        IllegalStateException boom = new IllegalStateException("boom");
        DeferSupport.deferPooled(() -> log.add("recovered " + Recovery.recoverInDeferredCall()), invocation);
        DeferSupport.deferPooled(logs("runs after the throw"), invocation);
        DeferSupport.deferPooled(() -> {
            throw boom;
        }, invocation);
        DeferSupport.deferPooled(logs("runs first"), invocation);
        assertEquals("value", DeferSupport.exitObject("value", invocation), "recovered: the result slot is returned");
        assertEquals(List.of("runs first", "runs after the throw", "recovered " + boom), log);
        assertNull(DeferThread.current().finishing, "no invocation is left running its deferred calls");
    }

    @Test
    void aDeferredCallThatThrowsAtAReturnWithNoRecoverPanicsWithIt() {
        Invocation invocation = DeferSupport.enter(RecordStrategiesTest.class, "m()I");
        IllegalStateException first = new IllegalStateException("first");
        IllegalArgumentException second = new IllegalArgumentException("second");
        DeferSupport.deferPooled(logs("last"), invocation);
        DeferSupport.deferPooled(() -> {
            throw first;
        }, invocation);
        DeferSupport.deferPooled(() -> {
            throw second;
        }, invocation);
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> DeferSupport.exitInt(1, invocation));
        assertSame(first, thrown, "the later throw replaces the earlier one");
        assertArrayEquals(new Throwable[] {second}, thrown.getSuppressed(), "S9: the replaced one is kept");
        assertEquals(List.of("last"), log);
    }

    @Test
    void steadyStateReusesTheSameArray() {
        DeferThread thread = DeferThread.current();
        Object[] slots = thread.slots;
        Invocation first = DeferSupport.enter(RecordStrategiesTest.class, "m()V");
        Deferred x = logs("x");
        DeferSupport.deferPooled(x, first);
        assertSame(x, slots[first.recordStackBase], "the call is stored in the slot itself");
        DeferSupport.exitVoid(first);
        Invocation second = DeferSupport.enter(RecordStrategiesTest.class, "m()V");
        assertSame(first, second, "the invocation object is reused");
        Deferred y = logs("y");
        DeferSupport.deferStacked(y, second);
        assertSame(slots, thread.slots, "the array is reused");
        assertSame(y, slots[second.recordStackBase]);
        DeferSupport.exitVoid(second);
        assertEquals(List.of("x", "y"), log);
    }

    @Test
    void anExitDiscardsWhatAnAbnormalExitAboveLeftBehind() {
        Invocation outer = DeferSupport.enter(RecordStrategiesTest.class, "outer()V");
        Invocation inner = DeferSupport.enter(RecordStrategiesTest.class, "inner()V");
        DeferSupport.deferStacked(logs("inner, never run"), inner);
        DeferSupport.deferStacked(logs("outer"), outer);
        // inner never exits, as after a fault inside the runtime: the outer exit drops it (S12).
        DeferSupport.exitVoid(outer);
        assertEquals(List.of("outer"), log);
    }

    @Test
    void slotsAnAbnormalExitAbandonedAreNeverRunByTheInvocationBelow() {
        Invocation outer = DeferSupport.enter(RecordStrategiesTest.class, "outer()V");
        DeferSupport.deferPooled(logs("outer 1"), outer);
        Invocation abandoned = DeferSupport.enter(RecordStrategiesTest.class, "abandoned()V");
        for (int i = 0; i < 3; i++) {
            DeferSupport.deferPooled(logs("abandoned " + i + ", never run"), abandoned);
        }
        // abandoned never exits. The outer body goes on: a call to another rewritten method, then defers,
        // more than the abandoned invocation wrote, then another call.
        Invocation next = DeferSupport.enter(RecordStrategiesTest.class, "next()V");
        DeferSupport.deferPooled(logs("next"), next);
        DeferSupport.exitVoid(next);
        for (int i = 2; i <= 6; i++) {
            DeferSupport.deferPooled(logs("outer " + i), outer);
        }
        assertSame(outer, DeferThread.current().top, "a defer makes the outer invocation the top again");
        Invocation last = DeferSupport.enter(RecordStrategiesTest.class, "last()V");
        assertEquals(outer.end, last.recordStackBase, "a nested invocation starts above the outer records");
        DeferSupport.deferPooled(logs("last"), last);
        DeferSupport.exitVoid(last);
        DeferSupport.exitVoid(outer);
        assertEquals(List.of("next", "last", "outer 6", "outer 5", "outer 4", "outer 3", "outer 2", "outer 1"), log);
    }

    @Test
    void aThrowingCallReplacesThePanicAndTheWalkResumesAtTheNextRecord() {
        Invocation invocation = DeferSupport.enter(RecordStrategiesTest.class, "m()I");
        IllegalStateException first = new IllegalStateException("first");
        IllegalArgumentException second = new IllegalArgumentException("second");
        DeferSupport.deferPooled(logs("0"), invocation);
        DeferSupport.deferPooled(() -> {
            log.add("1 throws");
            throw second;
        }, invocation);
        DeferSupport.deferPooled(logs("2"), invocation);
        DeferSupport.deferPooled(() -> {
            log.add("3 throws");
            throw first;
        }, invocation);
        DeferSupport.deferPooled(logs("4"), invocation);
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> DeferSupport.exitInt(1, invocation));
        assertSame(second, thrown);
        assertArrayEquals(new Throwable[] {first}, thrown.getSuppressed(), "the replaced panic is kept");
        assertEquals(List.of("4", "3 throws", "2", "1 throws", "0"), log);
    }

    @Test
    void theLastRecordThrowingStillEndsTheWalk() {
        Invocation invocation = DeferSupport.enter(RecordStrategiesTest.class, "m()V");
        RuntimeException boom = new RuntimeException("boom");
        DeferSupport.deferPooled(() -> {
            throw boom;
        }, invocation);
        DeferSupport.deferPooled(logs("1"), invocation);
        assertSame(boom, assertThrows(RuntimeException.class, () -> DeferSupport.exitVoid(invocation)));
        assertEquals(List.of("1"), log);
    }

    @Test
    void topLevelDefersBeyondTheStackLimitStillWork() {
        List<Invocation> invocations = new ArrayList<>();
        int depth = DeferThread.RECORD_STACK_LIMIT + 10;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            Invocation invocation = DeferSupport.enter(RecordStrategiesTest.class, "r()V");
            int level = i;
            DeferSupport.deferStacked(() -> order.add(level), invocation);
            invocations.add(invocation);
        }
        for (int i = depth - 1; i >= 0; i--) {
            DeferSupport.exitVoid(invocations.get(i));
            assertEquals(i, order.get(order.size() - 1), "each exit runs its own call only");
        }
        assertEquals(depth, order.size());
    }

    @Test
    void nullDeferredCallFailsAtTheDeferStatement() {
        Invocation invocation = DeferSupport.enter(RecordStrategiesTest.class, "m()V");
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> DeferSupport.deferStacked((Deferred) null, invocation));
        assertTrue(e.getMessage().contains("Defer.defer(null)"));
        DeferSupport.exitVoid(invocation);
    }
}
