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

        /** Top-level sites (stack-style records) and loop sites (pooled records) in one invocation. */
        @Defers
        static void mixedSites(Trace t, int n, boolean panic) {
            Defer.defer(() -> t.log("recovered", Defer.recover()));
            Defer.defer(() -> t.log("top 1"));
            for (int i = 0; i < n; i++) {
                Defer.defer(t::log, "loop " + i);
                if (i == 1) {
                    Defer.defer(() -> t.log("top 2 inside the loop body"));
                }
            }
            Defer.defer(() -> t.log("top 3"));
            int k = 0;
            while (k < 2) {
                Defer.defer(t::log, "while " + k++);
            }
            if (panic) {
                throw Defer.panic("mixed");
            }
            Defer.defer(() -> t.log("top 4"));
        }

        /** Deferred calls that run @Defers methods which register their own stack-style records. */
        @Defers
        static void nestedStacks(Trace t, boolean panic) {
            Defer.defer(() -> t.log("outer recovered", Defer.recover()));
            Defer.defer(Target::innerStack, t, "a");
            Defer.defer(Target::innerStack, t, "b");
            innerStack(t, "body");
            Defer.defer(Target::innerStack, t, "c");
            if (panic) {
                throw Defer.panic("outer");
            }
        }

        @Defers
        static void innerStack(Trace t, String name) {
            Defer.defer(() -> t.log(name, "1"));
            Defer.defer(() -> t.log(name, "2"));
            if (name.equals("b")) {
                deeper(t);
            }
            Defer.defer(() -> t.log(name, "3"));
        }

        @Defers
        static void deeper(Trace t) {
            Defer.defer(() -> t.log("deeper 1"));
            for (int i = 0; i < 2; i++) {
                Defer.defer(t::log, "deeper loop " + i);
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
    void topLevelAndLoopSitesShareOneOrder() {
        Trace t = new Trace();
        Target.mixedSites(t, 3, false);
        assertEquals(List.of("top 4", "while 1", "while 0", "top 3", "loop 2", "top 2 inside the loop body", "loop 1",
                "loop 0", "top 1", "recovered <nil>"), t.lines());
    }

    @Test
    void topLevelAndLoopSitesShareOneOrderDuringAPanic() {
        Trace t = new Trace();
        Target.mixedSites(t, 3, true);
        assertEquals(List.of("while 1", "while 0", "top 3", "loop 2", "top 2 inside the loop body", "loop 1", "loop 0",
                "top 1", "recovered mixed"), t.lines());
    }

    @Test
    void topLevelAndLoopSitesWithALoopThatDoesNotRun() {
        Trace t = new Trace();
        Target.mixedSites(t, 0, false);
        assertEquals(List.of("top 4", "while 1", "while 0", "top 3", "top 1", "recovered <nil>"), t.lines());
    }

    @Test
    void invocationsInsideDeferredCallsKeepTheOuterRecords() {
        Trace t = new Trace();
        Target.nestedStacks(t, false);
        List<String> expected = List.of("body 3", "body 2", "body 1",
                "c 3", "c 2", "c 1",
                "deeper loop 1", "deeper loop 0", "deeper 1", "b 3", "b 2", "b 1",
                "a 3", "a 2", "a 1",
                "outer recovered <nil>");
        assertEquals(expected, t.lines());
        t.clear();
        Target.nestedStacks(t, true);
        assertEquals(expected.subList(0, expected.size() - 1), t.lines().subList(0, t.lines().size() - 1));
        assertEquals("outer recovered outer", t.lines().get(t.lines().size() - 1));
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
