package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.defer.Defer;
import dev.defer.Defers;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Loop sites under the agent: their records share the thread's record stack with the top-level ones, the
 * run loop resumes after a deferred call that throws, and a deferred call that is itself a rewritten
 * method with a big loop (which grows the stack and trims it on exit) leaves the outer records intact.
 */
class LoopRecordsTest {

    static class Target {
        /** n loop records of all three arities; the calls at positions in {@code throwing} throw. */
        @Defers
        static int throwingInALoop(List<String> log, int n, int... throwing) {
            for (int i = 0; i < n; i++) {
                int position = i;
                boolean throwsHere = IntStream.of(throwing).anyMatch(t -> t == position);
                switch (i % 3) {
                    case 0:
                        Defer.defer(() -> run(log, position, throwsHere));
                        break;
                    case 1:
                        Defer.defer(p -> run(log, p, throwsHere), position);
                        break;
                    default:
                        Defer.defer((p, q) -> run(log, p, q), position, throwsHere);
                        break;
                }
            }
            return n;
        }

        static void run(List<String> log, int position, boolean throwsHere) {
            log.add("ran " + position);
            if (throwsHere) {
                throw new IllegalStateException("call " + position);
            }
        }

        /** A loop whose deferred calls throw, then a top-level deferred call that recovers. */
        @Defers
        static String recoveredAfterLoop(List<String> log, int n) {
            Defer.defer(() -> {
                Object recovered = Defer.recover();
                log.add("recovered " + Trace.operand(recovered));
                Defer.setResult("recovered");
            });
            for (int i = 0; i < n; i++) {
                Defer.defer(Target::fail, i);
            }
            return "returned";
        }

        static void fail(Integer i) {
            throw new IllegalArgumentException("loop " + i);
        }

        /** Outer records pending while a deferred call runs a method with a loop of many defers. */
        @Defers
        static void outerWithBigInner(List<String> log, int innerCount) {
            Defer.defer(log::add, "outer first");
            for (int i = 0; i < 3; i++) {
                Defer.defer(log::add, "outer loop " + i);
                if (i == 1) {
                    Defer.defer(Target::bigInner, log, innerCount);
                }
            }
            Defer.defer(log::add, "outer last");
        }

        @Defers
        static void bigInner(List<String> log, Integer count) {
            int[] ran = {0};
            int[] nextExpected = {count - 1};
            int[] wrong = {0};
            Defer.defer(() -> log.add("inner ran " + ran[0] + ", out of order " + wrong[0]));
            for (int i = 0; i < count; i++) {
                Defer.defer(k -> {
                    ran[0]++;
                    if (k != nextExpected[0]--) {
                        wrong[0]++;
                    }
                }, i);
            }
        }
    }

    @Test
    void aThrowingCallInTheMiddleDoesNotStopTheOthers() {
        List<String> log = new ArrayList<>();
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Target.throwingInALoop(log, 10, 7, 3));
        List<String> expected = IntStream.iterate(9, i -> i - 1).limit(10).mapToObj(i -> "ran " + i)
                .collect(Collectors.toList());
        assertEquals(expected, log, "every call ran, last registered first");
        assertEquals("call 3", thrown.getMessage(), "the last call to throw is the panic");
        assertEquals(1, thrown.getSuppressed().length);
        assertEquals("call 7", thrown.getSuppressed()[0].getMessage(), "the replaced panic is kept");
    }

    @Test
    void aThrowingFirstAndLastCallStillRunsTheOnesBetween() {
        List<String> log = new ArrayList<>();
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Target.throwingInALoop(log, 5, 0, 4));
        assertEquals(List.of("ran 4", "ran 3", "ran 2", "ran 1", "ran 0"), log);
        assertEquals("call 0", thrown.getMessage());
        assertArrayEquals(new String[] {"call 4"},
                List.of(thrown.getSuppressed()).stream().map(Throwable::getMessage).toArray());
    }

    @Test
    void aTopLevelCallRecoversWhatTheLoopCallsThrew() {
        List<String> log = new ArrayList<>();
        assertEquals("recovered", Target.recoveredAfterLoop(log, 4));
        assertEquals(List.of("recovered loop 0"), log, "the last panic is the one recovered");
        // The thread is clean afterwards: a second call behaves the same.
        log.clear();
        assertEquals("recovered", Target.recoveredAfterLoop(log, 4));
        assertEquals(List.of("recovered loop 0"), log);
    }

    @Test
    void aDeferredCallWithAHugeLoopLeavesThePendingOuterRecordsIntact() {
        List<String> log = new ArrayList<>();
        Target.outerWithBigInner(log, 100_000);
        assertEquals(List.of("outer last", "outer loop 2", "inner ran 100000, out of order 0", "outer loop 1",
                "outer loop 0", "outer first"), log);
        List<String> again = new ArrayList<>();
        Target.outerWithBigInner(again, 10);
        assertEquals(log.size(), again.size());
        assertEquals("inner ran 10, out of order 0", again.get(2));
    }
}
