package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.defer.Defer;
import dev.defer.Defers;
import dev.defer.Panic;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * S9 Panics inside deferred calls: during a normal return a throwing deferred call starts a panic; during a
 * panic it replaces the panic, which it keeps in getSuppressed(); a panic raised and recovered inside a
 * deferred @Defers invocation does not touch the outer panic.
 */
class S09DeferredPanicTest {

    static class Target {
        /** Go: s9DuringReturn in go/rules.go. */
        @Defers
        static int duringReturn(Trace t) {
            Defer.defer(() -> t.log("recovered", Defer.recover()));
            Defer.defer(() -> {
                throw Defer.panic("deferred call failed");
            });
            return 7;
        }

        /** Not recovered: the deferred call's throwable leaves, after the earlier deferred calls ran. */
        @Defers
        static int duringReturnNotRecovered(Trace t, RuntimeException e) {
            Defer.defer(() -> t.log("earlier deferred ran"));
            Defer.defer(() -> {
                throw e;
            });
            Defer.defer(() -> t.log("later deferred ran"));
            return 7;
        }

        /** A checked exception from a deferred call (Deferred.run throws Exception). */
        @Defers
        static void checkedFromDeferred() {
            Defer.defer(() -> {
                throw new IOException("close failed");
            });
        }

        /** Go: s9Replace in go/rules.go (TestSecondPanic-like). */
        @Defers
        static void replace(Trace t) {
            Defer.defer(() -> t.log("recovered", Defer.recover()));
            Defer.defer(() -> {
                throw Defer.panic("panic2");
            });
            throw Defer.panic("panic1");
        }

        @Defers
        static void replaceNotRecovered(RuntimeException first, RuntimeException second) {
            Defer.defer(() -> {
                throw second;
            });
            throw first;
        }

        @Defers
        static void chain(RuntimeException p1, RuntimeException p2, RuntimeException p3) {
            Defer.defer(() -> {
                throw p3;
            });
            Defer.defer(() -> {
                throw p2;
            });
            throw p1;
        }

        /** The recovered replacement is the new panic; the invocation still returns normally. */
        @Defers
        static Object recoverSeesTheReplacement(IllegalStateException second) {
            Defer.defer(() -> Defer.setResult(Defer.recover()));
            Defer.defer(() -> {
                throw second;
            });
            throw new IllegalArgumentException("first");
        }

        /** Recover then re-panic with the same throwable: the same object leaves, suppressing nothing. */
        @Defers
        static void rePanicSame(RuntimeException e) {
            Defer.defer(() -> {
                throw (RuntimeException) Defer.recover();
            });
            throw e;
        }

        /** Go recover1.go test1 shape: nested panic inside a deferred @Defers method, each recovered. */
        @Defers
        static void nested(Trace t) {
            Defer.defer(() -> t.log("outer recovered", Defer.recover()));
            Defer.defer(Target::nestedInner, t);
            throw Defer.panic(1);
        }

        @Defers
        static void nestedInner(Trace t) {
            Defer.defer(() -> t.log("inner recovered", Defer.recover()));
            throw Defer.panic(2);
        }

        /** An inner unrecovered panic from a deferred @Defers method replaces the outer one. */
        @Defers
        static void nestedNotRecovered(RuntimeException outer, RuntimeException inner) {
            Defer.defer(Target::throwing, inner);
            throw outer;
        }

        @Defers
        static void throwing(RuntimeException e) {
            Defer.defer(() -> { });
            throw e;
        }

        /** Three levels of invocations inside deferred calls, each panicking and recovering its own panic. */
        @Defers
        static void threeLevels(Trace t) {
            Defer.defer(() -> t.log("level 1 recovered", Defer.recover()));
            Defer.defer(Target::levelTwo, t);
            throw Defer.panic("p1");
        }

        @Defers
        static void levelTwo(Trace t) {
            Defer.defer(() -> t.log("level 2 recovered", Defer.recover()));
            Defer.defer(Target::levelThree, t);
            throw Defer.panic("p2");
        }

        @Defers
        static void levelThree(Trace t) {
            Defer.defer(() -> t.log("level 3 recovered", Defer.recover()));
            Defer.defer(() -> t.log("level 3 first deferred, recover", Defer.recover()));
            throw Defer.panic("p3");
        }

        /** A replaced panic during a normal return: the slot keeps what return set. */
        @Defers
        static String slotKeptAfterRecoveredDeferredPanic() {
            Defer.defer(() -> Defer.recover());
            Defer.defer(() -> {
                throw new IllegalStateException("deferred");
            });
            return "from return";
        }
    }

    @Test
    void deferredPanicDuringReturnRecoveredMatchesGo() {
        Trace t = new Trace();
        Go.assertRule("s9_during_return", "recovered deferred call failed | result 7 | returned",
                t.run(() -> t.log("result", Target.duringReturn(t))));
    }

    @Test
    void deferredPanicDuringReturnLeavesAfterTheEarlierDeferredCalls() {
        Trace t = new Trace();
        IllegalStateException e = new IllegalStateException("deferred");
        assertSame(e, assertThrows(IllegalStateException.class, () -> Target.duringReturnNotRecovered(t, e)));
        assertEquals(List.of("later deferred ran", "earlier deferred ran"), t.lines());
        assertEquals(0, e.getSuppressed().length, "nothing was replaced");
    }

    @Test
    void checkedExceptionFromADeferredCallLeavesUnwrapped() {
        try {
            Target.checkedFromDeferred();
            fail("no panic");
        } catch (Exception e) {
            assertSame(IOException.class, e.getClass());
            assertEquals("close failed", e.getMessage());
        }
    }

    @Test
    void replacementIsWhatRecoverSeesMatchesGo() {
        Trace t = new Trace();
        Go.assertRule("s9_replace", "recovered panic2 | returned", t.run(() -> Target.replace(t)));
    }

    @Test
    void replacementLeavesWithTheReplacedOneSuppressed() {
        IllegalArgumentException first = new IllegalArgumentException("first");
        IllegalStateException second = new IllegalStateException("second");
        assertSame(second, assertThrows(IllegalStateException.class, () -> Target.replaceNotRecovered(first, second)));
        assertArrayEquals(new Throwable[] {first}, second.getSuppressed());
    }

    @Test
    void chainOfReplacementsLosesNothing() {
        RuntimeException p1 = new RuntimeException("p1");
        RuntimeException p2 = new RuntimeException("p2");
        RuntimeException p3 = new RuntimeException("p3");
        assertSame(p3, assertThrows(RuntimeException.class, () -> Target.chain(p1, p2, p3)));
        assertArrayEquals(new Throwable[] {p2}, p3.getSuppressed());
        assertArrayEquals(new Throwable[] {p1}, p2.getSuppressed());
    }

    @Test
    void recoverSeesTheReplacementWhichCarriesTheReplaced() {
        IllegalStateException second = new IllegalStateException("second");
        assertSame(second, Target.recoverSeesTheReplacement(second));
        assertEquals(1, second.getSuppressed().length);
        assertEquals("first", second.getSuppressed()[0].getMessage());
    }

    @Test
    void rePanicWithTheRecoveredThrowableLeavesItUnchanged() {
        IllegalStateException e = new IllegalStateException("again");
        assertSame(e, assertThrows(IllegalStateException.class, () -> Target.rePanicSame(e)));
        assertEquals(0, e.getSuppressed().length);
    }

    @Test
    void panicRecoveredInsideADeferredDefersMethodDoesNotTouchTheOuterPanic() {
        Trace t = new Trace();
        Target.nested(t);
        assertEquals(List.of("inner recovered 2", "outer recovered 1"), t.lines());
    }

    @Test
    void unrecoveredInnerPanicReplacesTheOuterOne() {
        IllegalStateException outer = new IllegalStateException("outer");
        IllegalArgumentException inner = new IllegalArgumentException("inner");
        assertSame(inner, assertThrows(IllegalArgumentException.class, () -> Target.nestedNotRecovered(outer, inner)));
        assertArrayEquals(new Throwable[] {outer}, inner.getSuppressed());
    }

    @Test
    void eachLevelRecoversItsOwnPanic() {
        Trace t = new Trace();
        Target.threeLevels(t);
        assertEquals(List.of("level 3 first deferred, recover p3", "level 3 recovered <nil>", "level 2 recovered p2",
                "level 1 recovered p1"), t.lines());
    }

    @Test
    void slotKeepsWhatReturnSetWhenADeferredPanicIsRecovered() {
        assertEquals("from return", Target.slotKeptAfterRecoveredDeferredPanic());
    }

    @Test
    void panicValueOfTheReplacementIsItsOwn() {
        Panic p = assertThrows(Panic.class, () -> Target.chain(new RuntimeException("a"), new Panic("b"), new Panic("c")));
        assertEquals("c", p.value());
    }
}
