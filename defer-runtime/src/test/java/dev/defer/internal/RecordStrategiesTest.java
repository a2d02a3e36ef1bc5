package dev.defer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Deferred;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runtime driven the way rewritten code drives it, without the agent: the two record strategies,
 * their order, and the bounds that keep a thread's memory from growing without limit.
 */
class RecordStrategiesTest {
    private final List<String> log = new ArrayList<>();

    private Deferred logs(String line) {
        return () -> log.add(line);
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
    void anExitFreesItsStackRecordsAndReturnsPooledOnes() {
        DeferThread thread = DeferThread.current();
        int stackedBefore = thread.stackedRecordCount();
        Invocation invocation = DeferSupport.enter(RecordStrategiesTest.class, "m()V");
        DeferSupport.deferStacked(logs("a"), invocation);
        DeferSupport.deferStacked(logs("b"), invocation);
        DeferSupport.deferPooled(logs("c"), invocation);
        assertEquals(stackedBefore + 2, thread.stackedRecordCount());
        DeferSupport.exitVoid(invocation);
        assertEquals(stackedBefore, thread.stackedRecordCount());
        assertTrue(thread.pooledRecordCount() >= 1);
    }

    @Test
    void aMillionLoopDefersLeaveAtMostTheBoundInThePool() {
        Invocation invocation = DeferSupport.enter(RecordStrategiesTest.class, "m()V");
        int[] runs = {0};
        Deferred count = () -> runs[0]++;
        for (int i = 0; i < 1_000_000; i++) {
            DeferSupport.deferPooled(count, invocation);
        }
        DeferSupport.exitVoid(invocation);
        assertEquals(1_000_000, runs[0]);
        assertEquals(DeferThread.RECORD_POOL_LIMIT, DeferThread.current().pooledRecordCount());
    }

    @Test
    void steadyStateReusesTheSameRecords() {
        Invocation first = DeferSupport.enter(RecordStrategiesTest.class, "m()V");
        DeferSupport.deferStacked(logs("x"), first);
        DeferRecord stacked = first.head;
        DeferSupport.exitVoid(first);
        Invocation second = DeferSupport.enter(RecordStrategiesTest.class, "m()V");
        assertSame(first, second, "the invocation object is reused");
        DeferSupport.deferStacked(logs("y"), second);
        assertSame(stacked, second.head, "the stack-style record is reused");
        DeferSupport.exitVoid(second);
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
        assertEquals(null, DeferThread.current().top);
    }

    @Test
    void topLevelDefersBeyondTheStackLimitStillWork() {
        List<Invocation> invocations = new ArrayList<>();
        int depth = DeferThread.RECORD_STACK_LIMIT + 10;
        int[] runs = {0};
        for (int i = 0; i < depth; i++) {
            Invocation invocation = DeferSupport.enter(RecordStrategiesTest.class, "r()V");
            DeferSupport.deferStacked(() -> runs[0]++, invocation);
            invocations.add(invocation);
        }
        for (int i = depth - 1; i >= 0; i--) {
            DeferSupport.exitVoid(invocations.get(i));
        }
        assertEquals(depth, runs[0]);
        assertEquals(0, DeferThread.current().stackedRecordCount());
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
