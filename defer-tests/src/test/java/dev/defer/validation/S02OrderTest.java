package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.defer.Defer;
import dev.defer.Defers;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** S2 Order: the deferred calls of one invocation run last-in-first-out. */
class S02OrderTest {

    static class Target {
        @Defers
        static void three(Trace t) {
            Defer.defer(() -> t.log("registered 1st"));
            Defer.defer(() -> t.log("registered 2nd"));
            Defer.defer(() -> t.log("registered 3rd"));
        }

        /** All three arities interleaved: one list, one order. */
        @Defers
        static void mixedArities(Trace t) {
            Defer.defer(() -> t.log("a"));
            Defer.defer(t::log, "b");
            Defer.defer((x, y) -> t.log(x, y), "c", "d");
            Defer.defer(t::log, "e");
            Defer.defer(() -> t.log("f"));
        }

        @Defers
        static void hundred(List<Integer> out) {
            for (int i = 0; i < 100; i++) {
                Defer.defer(out::add, i);
            }
        }

        @Defers
        static void onPanic(Trace t) {
            Defer.defer(() -> t.log("1"));
            Defer.defer(() -> t.log("2"));
            Defer.defer(() -> t.log("3"));
            throw new IllegalStateException("boom");
        }

        /** Registered along different branches: the order is the order the statements ran in. */
        @Defers
        static void branches(Trace t, int n) {
            for (int i = 0; i < n; i++) {
                if (i % 2 == 0) {
                    Defer.defer(t::log, "even " + i);
                } else {
                    Defer.defer(t::log, "odd " + i);
                }
            }
        }

        /** A deferred call that is itself a @Defers method runs its own list, LIFO, when it ends. */
        @Defers
        static void nested(Trace t) {
            Defer.defer(() -> t.log("outer 1"));
            Defer.defer(Target::inner, t);
            Defer.defer(() -> t.log("outer 3"));
        }

        @Defers
        static void inner(Trace t) {
            Defer.defer(() -> t.log("inner 1"));
            Defer.defer(() -> t.log("inner 2"));
            t.log("inner body");
        }
    }

    @Test
    void lastInFirstOut() {
        Trace t = new Trace();
        Target.three(t);
        assertEquals(List.of("registered 3rd", "registered 2nd", "registered 1st"), t.lines());
    }

    @Test
    void matchesGo() {
        Trace t = new Trace();
        Go.assertRule("s2_order", "registered 3rd | registered 2nd | registered 1st | returned", t.run(() -> Target.three(t)));
    }

    @Test
    void allAritiesShareOneList() {
        Trace t = new Trace();
        Target.mixedArities(t);
        assertEquals(List.of("f", "e", "c d", "b", "a"), t.lines());
    }

    @Test
    void hundredCallsRunInReverse() {
        List<Integer> out = new ArrayList<>();
        Target.hundred(out);
        assertEquals(IntStream.iterate(99, i -> i >= 0, i -> i - 1).boxed().collect(Collectors.toList()), out);
    }

    @Test
    void lastInFirstOutDuringAPanic() {
        Trace t = new Trace();
        assertThrows(IllegalStateException.class, () -> Target.onPanic(t));
        assertEquals(List.of("3", "2", "1"), t.lines());
    }

    @Test
    void branchesKeepRegistrationOrder() {
        Trace t = new Trace();
        Target.branches(t, 4);
        assertEquals(List.of("odd 3", "even 2", "odd 1", "even 0"), t.lines());
    }

    @Test
    void aDeferredDefersMethodRunsItsOwnCallsBeforeTheNextOfTheOuterList() {
        Trace t = new Trace();
        Target.nested(t);
        assertEquals(List.of("outer 3", "inner body", "inner 2", "inner 1", "outer 1"), t.lines());
    }

    @Test
    void eachInvocationStartsWithAnEmptyList() {
        Trace t = new Trace();
        Target.three(t);
        Target.three(t);
        assertEquals(List.of("registered 3rd", "registered 2nd", "registered 1st",
                "registered 3rd", "registered 2nd", "registered 1st"), t.lines());
    }
}
