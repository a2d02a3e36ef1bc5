package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.defer.Defer;
import dev.defer.Defers;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * S6 Panic: when an invocation panics, its deferred calls run LIFO; if none recovers, the same throwable
 * (same object, same stack trace, no wrapping, checked or not) leaves it, and a @Defers caller panics in
 * turn, so the callee's deferred calls all run before the caller's.
 */
class S06PanicTest {

    static class Target {
        @Defers
        static void rethrows(Trace t, Throwable e) throws Throwable {
            Defer.defer(() -> t.log("deferred 1"));
            Defer.defer(() -> t.log("deferred 2"));
            throw e;
        }

        @Defers
        static int checked(Trace t) throws IOException {
            Defer.defer(() -> t.log("deferred"));
            if (t != null) {
                throw new IOException("checked");
            }
            return 1;
        }

        /** A checked exception thrown through Defer.panic, in a method that declares none. */
        @Defers
        static void sneaky(Trace t, Exception e) {
            Defer.defer(() -> t.log("deferred"));
            throw Defer.panic(e);
        }

        /** A throwable from a callee that is not @Defers. */
        @Defers
        static int npeFromCallee(Trace t, String s) {
            Defer.defer(() -> t.log("deferred"));
            return length(s);
        }

        static int length(String s) {
            return s.length();
        }

        /** Go: {@code s6Outer} / {@code s6Inner} in go/rules.go. */
        @Defers
        static void outer(Trace t) {
            Defer.defer(() -> t.log("outer recovered", Defer.recover()));
            Defer.defer(() -> t.log("outer deferred 1"));
            inner(t);
            t.log("not reached");
        }

        @Defers
        static void inner(Trace t) {
            Defer.defer(() -> t.log("inner deferred 1"));
            Defer.defer(() -> t.log("inner deferred 2"));
            throw Defer.panic("boom");
        }

        /** Three levels, with a plain method between two of them; no recover. */
        @Defers
        static void level1(Trace t) {
            Defer.defer(() -> t.log("level1 deferred"));
            plain(t);
            t.log("level1 not reached");
        }

        static void plain(Trace t) {
            try {
                level2(t);
            } finally {
                t.log("plain finally");
            }
        }

        @Defers
        static void level2(Trace t) {
            Defer.defer(() -> t.log("level2 deferred"));
            level3(t);
        }

        @Defers
        static void level3(Trace t) {
            Defer.defer(() -> t.log("level3 deferred b"));
            Defer.defer(() -> t.log("level3 deferred a"));
            throw new IllegalArgumentException("deep");
        }

        /** A throwable caught inside the body is not a panic. */
        @Defers
        static int caughtInBody(Trace t) {
            Defer.defer(() -> t.log("deferred recover saw", Defer.recover()));
            try {
                throw new IllegalStateException("caught");
            } catch (IllegalStateException e) {
                t.log("body caught", e);
            }
            return 5;
        }

        /** The deferred calls run before the throwable reaches a catch in the caller. */
        static void callerCatches(Trace t) {
            try {
                rethrows(t, new RuntimeException("x"));
            } catch (Throwable e) {
                t.log("caller caught", e);
            }
        }
    }

    @Test
    void sameObjectLeavesUnwrapped() throws Throwable {
        Trace t = new Trace();
        IllegalStateException e = new IllegalStateException("boom");
        StackTraceElement[] before = e.getStackTrace();
        try {
            Target.rethrows(t, e);
            fail("no panic");
        } catch (IllegalStateException got) {
            assertSame(e, got);
            assertArrayEquals(before, got.getStackTrace(), "the stack trace changed");
            assertNull(got.getCause());
            assertEquals(0, got.getSuppressed().length);
        }
        assertEquals(List.of("deferred 2", "deferred 1"), t.lines());
    }

    @Test
    void errorsLeaveUnwrapped() {
        Trace t = new Trace();
        AssertionError e = new AssertionError("an error");
        assertSame(e, assertThrows(AssertionError.class, () -> Target.rethrows(t, e)));
        assertEquals(List.of("deferred 2", "deferred 1"), t.lines());
    }

    @Test
    void plainThrowableLeavesUnwrapped() {
        Trace t = new Trace();
        Throwable e = new Throwable("neither exception nor error");
        assertSame(e, assertThrows(Throwable.class, () -> Target.rethrows(t, e)));
    }

    @Test
    void checkedExceptionLeavesUnwrapped() {
        Trace t = new Trace();
        IOException e = assertThrows(IOException.class, () -> Target.checked(t));
        assertEquals("checked", e.getMessage());
        assertNull(e.getCause());
        assertEquals(List.of("deferred"), t.lines());
    }

    @Test
    void checkedExceptionThroughDeferPanicLeavesUnwrapped() {
        Trace t = new Trace();
        IOException e = new IOException("sneaky");
        try {
            Target.sneaky(t, e);
            fail("no panic");
        } catch (Exception got) {
            assertSame(e, got);
        }
        assertEquals(List.of("deferred"), t.lines());
    }

    @Test
    void throwableFromAPlainCalleeLeavesWithItsOwnStackTrace() {
        Trace t = new Trace();
        NullPointerException e = assertThrows(NullPointerException.class, () -> Target.npeFromCallee(t, null));
        assertEquals("length", e.getStackTrace()[0].getMethodName());
        assertEquals("npeFromCallee", e.getStackTrace()[1].getMethodName());
        assertEquals(List.of("deferred"), t.lines());
    }

    @Test
    void calleeDeferredCallsRunBeforeTheCallersMatchesGo() {
        Trace t = new Trace();
        Go.assertRule("s6_callee_first",
                "inner deferred 2 | inner deferred 1 | outer deferred 1 | outer recovered boom | returned",
                t.run(() -> Target.outer(t)));
    }

    @Test
    void panicUnwindsEveryLevelInnermostFirstThroughPlainFrames() {
        Trace t = new Trace();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Target.level1(t));
        assertEquals("deep", e.getMessage());
        assertEquals(List.of("level3 deferred a", "level3 deferred b", "level2 deferred", "plain finally", "level1 deferred"),
                t.lines());
    }

    @Test
    void aThrowableCaughtInTheBodyIsNotAPanic() {
        Trace t = new Trace();
        assertEquals(5, Target.caughtInBody(t));
        assertEquals(List.of("body caught caught", "deferred recover saw <nil>"), t.lines());
    }

    @Test
    void deferredCallsRunBeforeTheCallersCatch() {
        Trace t = new Trace();
        Target.callerCatches(t);
        assertEquals(List.of("deferred 2", "deferred 1", "caller caught x"), t.lines());
    }
}
