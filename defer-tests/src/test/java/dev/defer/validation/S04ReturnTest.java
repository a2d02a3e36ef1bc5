package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.defer.Defer;
import dev.defer.Defers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * S4 Return order: {@code return e} evaluates e, stores it in the result slot, runs the deferred calls,
 * then returns the slot. A deferred call that changes a local after the slot was set does not change the
 * result.
 */
class S04ReturnTest {

    static class Target {
        /** Go: {@code t := 5; defer func(){ t += 5 }(); return t} returns 5. */
        @Defers
        static int t5() {
            int[] t = {5};
            Defer.defer(() -> t[0] += 5);
            return t[0];
        }

        /** The holder did change; only the result did not. */
        @Defers
        static int t5Observed(int[] t) {
            t[0] = 5;
            Defer.defer(() -> t[0] += 5);
            return t[0];
        }

        /** The return expression is evaluated before any deferred call runs. */
        @Defers
        static String expressionFirst(Trace t) {
            Defer.defer(() -> t.log("deferred"));
            return evaluate(t);
        }

        static String evaluate(Trace t) {
            t.log("return expression");
            return "value";
        }

        /** The deferred calls see the slot already holding the returned value. */
        @Defers
        static long slotSetBeforeDeferredCalls(Trace t) {
            Defer.defer(() -> t.log("slot holds", Defer.<Long>result()));
            return 1234567890123L;
        }

        /** Each return statement stores its own value. */
        @Defers
        static int manyReturns(Trace t, int which) {
            Defer.defer(() -> t.log("slot", Defer.<Integer>result()));
            if (which == 0) {
                return 10;
            }
            if (which == 1) {
                return 11;
            }
            return 12;
        }

        /** A reference result: the slot holds the reference; a later assignment to the local is not seen. */
        @Defers
        static StringBuilder reference() {
            StringBuilder[] local = {new StringBuilder("returned")};
            Defer.defer(() -> local[0] = new StringBuilder("replaced"));
            return local[0];
        }

        /** But the object the slot refers to is the same object: mutating it is seen (as through a Go pointer). */
        @Defers
        static int[] mutatedArray() {
            int[] array = {1, 2};
            Defer.defer(() -> array[0] = 100);
            return array;
        }

        /** The expression's own exception is a panic: no result is stored, the deferred calls still run. */
        @Defers
        static int expressionThrows(Trace t) {
            Defer.defer(() -> t.log("deferred", Defer.<Integer>result()));
            return Integer.parseInt("not a number");
        }

        /** A return in a finally: the last return wins, then the deferred calls run. */
        @Defers
        @SuppressWarnings("finally")
        static int returnInFinally(Trace t) {
            Defer.defer(() -> t.log("deferred saw", Defer.<Integer>result()));
            try {
                return 1;
            } finally {
                t.log("finally");
                return 2;
            }
        }
    }

    @Test
    void goT5ReturnsFive() {
        assertEquals(5, Target.t5());
    }

    @Test
    void goT5MatchesGo() {
        Trace t = new Trace();
        Go.assertRule("s4_t5", "5 | returned", t.run(() -> t.log(Target.t5())));
    }

    @Test
    void theDeferredCallDidRunButAfterTheSlotWasSet() {
        int[] holder = new int[1];
        assertEquals(5, Target.t5Observed(holder));
        assertEquals(10, holder[0]);
    }

    @Test
    void returnExpressionIsEvaluatedBeforeTheDeferredCalls() {
        Trace t = new Trace();
        assertEquals("value", Target.expressionFirst(t));
        assertEquals(List.of("return expression", "deferred"), t.lines());
    }

    @Test
    void deferredCallsSeeTheReturnedValueInTheSlot() {
        Trace t = new Trace();
        assertEquals(1234567890123L, Target.slotSetBeforeDeferredCalls(t));
        assertEquals(List.of("slot holds 1234567890123"), t.lines());
    }

    @Test
    void eachReturnStoresItsOwnValue() {
        Trace t = new Trace();
        assertEquals(10, Target.manyReturns(t, 0));
        assertEquals(11, Target.manyReturns(t, 1));
        assertEquals(12, Target.manyReturns(t, 2));
        assertEquals(List.of("slot 10", "slot 11", "slot 12"), t.lines());
    }

    @Test
    void reassigningTheLocalDoesNotChangeAReferenceResult() {
        assertEquals("returned", Target.reference().toString());
    }

    @Test
    void mutatingTheReturnedObjectIsSeen() {
        assertArrayEquals(new int[] {100, 2}, Target.mutatedArray());
    }

    @Test
    void aThrowingReturnExpressionStoresNothing() {
        Trace t = new Trace();
        NumberFormatException e = org.junit.jupiter.api.Assertions.assertThrows(NumberFormatException.class,
                () -> Target.expressionThrows(t));
        assertSame(NumberFormatException.class, e.getClass());
        assertEquals(List.of("deferred 0"), t.lines());
    }

    @Test
    void finallyRunsBeforeTheDeferredCallsAndItsReturnWins() {
        Trace t = new Trace();
        assertEquals(2, Target.returnInFinally(t));
        assertEquals(List.of("finally", "deferred saw 2"), t.lines());
    }
}
