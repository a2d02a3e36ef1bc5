package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.defer.Defer;
import dev.defer.Defers;
import dev.defer.Panic;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * S10 Defer.panic: a Throwable is thrown as it is; any other value is thrown as a Panic whose value() is
 * that value and whose message starts with "panic: " and the value's toString(); panic(null) is a Panic
 * that recover() returns, never null.
 */
class S10PanicValueTest {

    static final class Point {
        final int x;
        final int y;

        Point(int x, int y) {
            this.x = x;
            this.y = y;
        }

        @Override
        public String toString() {
            return "Point(" + x + ", " + y + ")";
        }
    }

    static class Target {
        @Defers
        static Object recovered(Object value) {
            Defer.defer(() -> Defer.setResult(Defer.recover()));
            throw Defer.panic(value);
        }

        @Defers
        static void panics(Trace t, Object value) {
            Defer.defer(() -> t.log("deferred ran"));
            throw Defer.panic(value);
        }

        /** `throw Defer.panic(v)` satisfies the compiler in a method that must return a value. */
        @Defers
        static int mustReturn(int x) {
            if (x > 0) {
                return x;
            }
            throw Defer.panic("not positive: " + x);
        }
    }

    @Test
    void nonThrowableValueIsThrownAsAPanicCarryingIt() {
        Trace t = new Trace();
        Point p = new Point(1, 2);
        Panic panic = assertThrows(Panic.class, () -> Target.panics(t, p));
        assertSame(p, panic.value());
        assertEquals("panic: Point(1, 2)", panic.getMessage());
        assertEquals(List.of("deferred ran"), t.lines());
    }

    @Test
    void messageStartsWithPanicAndTheValue() {
        assertEquals("panic: 42", assertThrows(Panic.class, () -> Defer.panic(42)).getMessage());
        assertEquals("panic: text", assertThrows(Panic.class, () -> Defer.panic("text")).getMessage());
        assertTrue(assertThrows(Panic.class, () -> Defer.panic(List.of(1, 2))).getMessage().startsWith("panic: [1, 2]"));
    }

    @Test
    void panicIsARuntimeException() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> Defer.panic("x"));
        assertInstanceOf(Panic.class, e);
    }

    @Test
    void throwableValueIsThrownAsItIs() {
        IllegalStateException e = new IllegalStateException("itself");
        assertSame(e, assertThrows(IllegalStateException.class, () -> Defer.panic(e)));
        assertNull(e.getCause());
    }

    @Test
    void checkedThrowableIsThrownUnwrapped() {
        IOException e = new IOException("checked");
        try {
            Defer.panic(e);
            fail("Defer.panic returned");
        } catch (Exception got) {
            assertSame(e, got);
        }
    }

    @Test
    void errorIsThrownAsItIs() {
        StackOverflowError e = new StackOverflowError("not real");
        assertSame(e, assertThrows(StackOverflowError.class, () -> Defer.panic(e)));
    }

    @Test
    void panicNeverReturnsNormally() {
        boolean[] returned = {false};
        assertThrows(Panic.class, () -> {
            Defer.panic("x");
            returned[0] = true;
        });
        assertTrue(!returned[0]);
    }

    @Test
    void recoverReturnsTheValueItself() {
        Point p = new Point(3, 4);
        assertSame(p, Target.recovered(p));
        assertEquals(7, Target.recovered(7));
    }

    @Test
    void panicNullIsAPanicWithANullValue() {
        Panic panic = assertThrows(Panic.class, () -> Defer.panic(null));
        assertNull(panic.value());
        assertTrue(panic.getMessage().startsWith("panic: "), panic.getMessage());
    }

    @Test
    void recoveredPanicNullIsNeverReportedAsNull() {
        Object recovered = Target.recovered(null);
        assertNotNull(recovered, "a recovered panic(null) was reported as null");
        assertInstanceOf(Panic.class, recovered);
        assertNull(((Panic) recovered).value());
    }

    @Test
    void throwDeferPanicInAMethodWithAResult() {
        assertEquals(3, Target.mustReturn(3));
        Panic p = assertThrows(Panic.class, () -> Target.mustReturn(-1));
        assertEquals("not positive: -1", p.value());
    }

    @Test
    void aPanicValueWhoseToStringFailsStillPanics() {
        Object broken = new Object() {
            @Override
            public String toString() {
                throw new UnsupportedOperationException("no toString");
            }
        };
        Panic p = assertThrows(Panic.class, () -> Defer.panic(broken));
        assertSame(broken, p.value());
        assertTrue(p.getMessage().startsWith("panic: "), p.getMessage());
    }
}
