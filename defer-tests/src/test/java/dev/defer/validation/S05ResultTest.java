package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import dev.defer.Defers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * S5 Result access: Defer.result() and Defer.setResult(v) read and write the result slot of the innermost
 * active @Defers invocation, for every return type; misuse fails loudly at the call.
 */
class S05ResultTest {

    /** Go {@code func a() (r int) { defer func(){ r *= 7 }(); return 6 }} returns 42. */
    static class A {
        @Defers
        static int a() {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() * 7));
            return 6;
        }
    }

    /** One method per return type: the deferred call reads the slot, then replaces it. */
    static class Types {
        static final Trace LOG = new Trace();

        @Defers
        static boolean bool() {
            Defer.defer(() -> {
                LOG.log("boolean", Defer.<Boolean>result());
                Defer.setResult(false);
            });
            return true;
        }

        @Defers
        static byte b() {
            Defer.defer(() -> {
                LOG.log("byte", Defer.<Byte>result());
                Defer.setResult((byte) -128);
            });
            return 127;
        }

        @Defers
        static char c() {
            Defer.defer(() -> {
                LOG.log("char", Defer.<Character>result());
                Defer.setResult('\uffff');
            });
            return 'a';
        }

        @Defers
        static short s() {
            Defer.defer(() -> {
                LOG.log("short", Defer.<Short>result());
                Defer.setResult(Short.MIN_VALUE);
            });
            return 300;
        }

        @Defers
        static int i() {
            Defer.defer(() -> {
                LOG.log("int", Defer.<Integer>result());
                Defer.setResult(Integer.MIN_VALUE);
            });
            return 70000;
        }

        @Defers
        static long l() {
            Defer.defer(() -> {
                LOG.log("long", Defer.<Long>result());
                Defer.setResult(Long.MIN_VALUE);
            });
            return Long.MAX_VALUE;
        }

        @Defers
        static float f() {
            Defer.defer(() -> {
                LOG.log("float", Defer.<Float>result());
                Defer.setResult(-0.25f);
            });
            return 1.5f;
        }

        @Defers
        static double d() {
            Defer.defer(() -> {
                LOG.log("double", Defer.<Double>result());
                Defer.setResult(Double.MAX_VALUE);
            });
            return Math.PI;
        }

        @Defers
        static String string() {
            Defer.defer(() -> {
                LOG.log("String", Defer.<String>result());
                Defer.setResult("replaced");
            });
            return "returned";
        }

        @Defers
        static int[] intArray() {
            Defer.defer(() -> {
                LOG.log("int[] length", Defer.<int[]>result().length);
                Defer.setResult(new int[] {7, 8, 9});
            });
            return new int[] {1};
        }

        @Defers
        static String[][] stringMatrix() {
            Defer.defer(() -> {
                LOG.log("String[][] length", Defer.<String[][]>result().length);
                Defer.setResult(new String[][] {{"x"}});
            });
            return new String[2][];
        }

        @Defers
        static <T> T generic(T returned, T replacement) {
            Defer.defer(() -> {
                LOG.log("T", Defer.<T>result());
                Defer.setResult(replacement);
            });
            return returned;
        }

        @Defers
        static <N extends Number> N boundedGeneric(N returned, Object replacement) {
            Defer.defer(() -> Defer.setResult(replacement));
            return returned;
        }

        @Defers
        static List<String> list() {
            Defer.defer(() -> Defer.<List<String>>result().add("added by deferred call"));
            return new ArrayList<>(List.of("returned"));
        }

        @Defers
        static Object object() {
            Defer.defer(() -> Defer.setResult(42));
            return "returned";
        }

        @Defers
        static CharSequence charSequence(Object replacement) {
            Defer.defer(() -> Defer.setResult(replacement));
            return "returned";
        }
    }

    /** Zero values: what the slot holds when a panic is recovered before any return or setResult. */
    static class Zero {
        @Defers
        static boolean bool() {
            Defer.defer(Zero::swallow);
            throw Defer.panic("zero");
        }

        @Defers
        static byte b() {
            Defer.defer(Zero::swallow);
            throw Defer.panic("zero");
        }

        @Defers
        static char c() {
            Defer.defer(Zero::swallow);
            throw Defer.panic("zero");
        }

        @Defers
        static short s() {
            Defer.defer(Zero::swallow);
            throw Defer.panic("zero");
        }

        @Defers
        static int i() {
            Defer.defer(Zero::swallow);
            throw Defer.panic("zero");
        }

        @Defers
        static long l() {
            Defer.defer(Zero::swallow);
            throw Defer.panic("zero");
        }

        @Defers
        static float f() {
            Defer.defer(Zero::swallow);
            throw Defer.panic("zero");
        }

        @Defers
        static double d() {
            Defer.defer(Zero::swallow);
            throw Defer.panic("zero");
        }

        @Defers
        static String string() {
            Defer.defer(Zero::swallow);
            throw Defer.panic("zero");
        }

        @Defers
        static long[] array() {
            Defer.defer(Zero::swallow);
            throw Defer.panic("zero");
        }

        static void swallow() {
            if (Defer.recover() == null) {
                throw new AssertionError("the panic was not recovered");
            }
        }
    }

    static class Slot {
        /** The body sets the slot (Go: x = deflt), then panics; the recovered invocation returns it. */
        @Defers
        static int bodySetsThenPanics() {
            Defer.defer(Zero::swallow);
            Defer.setResult(99);
            throw Defer.panic("after setResult");
        }

        /** The body reads the zero slot before any return. */
        @Defers
        static String bodyReadsZero(Trace t) {
            t.log("body reads", Defer.<String>result());
            Defer.setResult("set in body");
            t.log("body reads", Defer.<String>result());
            return Defer.result();
        }

        @Defers
        static int intBodyReadsZero() {
            int zero = Defer.result();
            return zero + 1;
        }

        /** A non-@Defers helper reaches the innermost active invocation: its caller's. */
        @Defers
        static int helperInDeferredCall() {
            Defer.defer(() -> bump());
            return 1;
        }

        static void bump() {
            Defer.setResult(Defer.<Integer>result() + 1);
        }

        /** Innermost: while an inner invocation runs from a deferred call, the API works on the inner one. */
        @Defers
        static int outer(Trace t) {
            Defer.defer(() -> {
                t.log("inner returned", inner(t));
                t.log("outer slot", Defer.<Integer>result());
                Defer.setResult(Defer.<Integer>result() + 1);
            });
            return 10;
        }

        @Defers
        static String inner(Trace t) {
            Defer.defer(() -> {
                t.log("inner slot", Defer.<String>result());
                Defer.setResult("inner replaced");
            });
            t.log("inner body slot", Defer.<String>result());
            return "inner";
        }

        /** The slot after a panic holds what was last set: by return, then by a deferred call. */
        @Defers
        static int lastSetWins() {
            Defer.defer(Zero::swallow);
            Defer.defer(() -> Defer.setResult(3));
            Defer.defer(() -> {
                throw Defer.panic("deferred call panics");
            });
            return 1;
        }
    }

    /** Misuse of the result API. */
    static class Misuse {
        @Defers
        static void voidBodyReads() {
            Defer.result();
        }

        @Defers
        static void voidBodyWrites() {
            Defer.setResult(1);
        }

        @Defers
        static void voidDeferredReads() {
            Defer.defer(() -> Defer.result());
        }

        @Defers
        static int intGetsLong() {
            Defer.defer(() -> Defer.setResult(5L));
            return 0;
        }

        @Defers
        static int intGetsString() {
            Defer.setResult("five"); // @line intGetsString
            return 0;
        }

        @Defers
        static int intGetsNull(Trace t) {
            Defer.defer(() -> t.log("deferred ran"));
            Defer.setResult(null);
            t.log("not reached");
            return 0;
        }

        @Defers
        static int intGetsByteCharShort(Object value) {
            Defer.defer(() -> Defer.setResult(value));
            return 0;
        }

        @Defers
        static long longGets(Object value) {
            Defer.defer(() -> Defer.setResult(value));
            return 0;
        }

        @Defers
        static double doubleGets(Object value) {
            Defer.defer(() -> Defer.setResult(value));
            return 0;
        }

        @Defers
        static float floatGets(Object value) {
            Defer.defer(() -> Defer.setResult(value));
            return 0;
        }

        @Defers
        static byte byteGets(Object value) {
            Defer.defer(() -> Defer.setResult(value));
            return 0;
        }

        @Defers
        static short shortGets(Object value) {
            Defer.defer(() -> Defer.setResult(value));
            return 0;
        }

        @Defers
        static char charGets(Object value) {
            Defer.defer(() -> Defer.setResult(value));
            return 'x';
        }

        @Defers
        static boolean booleanGets(Object value) {
            Defer.defer(() -> Defer.setResult(value));
            return false;
        }

        @Defers
        static String stringGets(Object value) {
            Defer.defer(() -> Defer.setResult(value));
            return "returned";
        }

        @Defers
        static int[] intArrayGets(Object value) {
            Defer.defer(() -> Defer.setResult(value));
            return new int[0];
        }
    }

    // ---- a() ----

    @Test
    void goAReturns42() {
        assertEquals(42, A.a());
    }

    @Test
    void goAMatchesGo() {
        Trace t = new Trace();
        Go.assertRule("s5_a", "42 | returned", t.run(() -> t.log(A.a())));
    }

    // ---- every return type ----

    @Test
    void everyReturnTypeIsReadBoxedAndReplaced() {
        Types.LOG.clear();
        assertFalse(Types.bool());
        assertEquals((byte) -128, Types.b());
        assertEquals('\uffff', Types.c());
        assertEquals(Short.MIN_VALUE, Types.s());
        assertEquals(Integer.MIN_VALUE, Types.i());
        assertEquals(Long.MIN_VALUE, Types.l());
        assertEquals(-0.25f, Types.f());
        assertEquals(Double.MAX_VALUE, Types.d());
        assertEquals("replaced", Types.string());
        assertArrayEquals(new int[] {7, 8, 9}, Types.intArray());
        assertEquals("x", Types.stringMatrix()[0][0]);
        assertEquals(List.of("boolean true", "byte 127", "char a", "short 300", "int 70000",
                "long 9223372036854775807", "float 1.5", "double 3.141592653589793", "String returned",
                "int[] length 1", "String[][] length 2"), Types.LOG.lines());
    }

    @Test
    void genericResult() {
        Types.LOG.clear();
        assertEquals("replacement", Types.generic("returned", "replacement"));
        Integer boxed = Types.generic(1, 2);
        assertEquals(2, boxed);
        assertEquals(List.of("T returned", "T 1"), Types.LOG.lines());
    }

    @Test
    void boundedGenericAcceptsItsErasure() {
        assertEquals(2.5, Types.<Number>boundedGeneric(1, 2.5));
    }

    @Test
    void boundedGenericRejectsWhatItsErasureCannotHold() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Types.boundedGeneric(1, "text"));
        assertTrue(e.getMessage().contains("boundedGeneric"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.Number"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
    }

    @Test
    void referenceResultIsTheSameObject() {
        assertEquals(List.of("returned", "added by deferred call"), Types.list());
        assertEquals(42, Types.object());
    }

    @Test
    void interfaceTypedResultAcceptsImplementationsOnly() {
        assertEquals("builder", Types.charSequence(new StringBuilder("builder")).toString());
        assertThrows(IllegalArgumentException.class, () -> Types.charSequence(42));
    }

    // ---- zero values during a panic ----

    @Test
    void zeroValuesAfterARecoveredPanic() {
        assertFalse(Zero.bool());
        assertEquals((byte) 0, Zero.b());
        assertEquals('\0', Zero.c());
        assertEquals((short) 0, Zero.s());
        assertEquals(0, Zero.i());
        assertEquals(0L, Zero.l());
        assertEquals(0.0f, Zero.f());
        assertEquals(0.0, Zero.d());
        assertNull(Zero.string());
        assertNull(Zero.array());
    }

    @Test
    void zeroValuesAreZeroAgainAfterAnInvocationThatSetTheSlot() {
        // The same (reused) invocation state must not leak a previous slot into the next invocation.
        assertEquals(Integer.MIN_VALUE, Types.i());
        assertEquals(0, Zero.i());
        assertEquals("replaced", Types.string());
        assertNull(Zero.string());
        assertEquals(Long.MIN_VALUE, Types.l());
        assertEquals(0L, Zero.l());
    }

    // ---- the slot ----

    @Test
    void bodyMaySetTheSlotAndARecoveredPanicReturnsIt() {
        assertEquals(99, Slot.bodySetsThenPanics());
    }

    @Test
    void bodyReadsZeroThenWhatItSet() {
        Trace t = new Trace();
        assertEquals("set in body", Slot.bodyReadsZero(t));
        assertEquals(List.of("body reads <nil>", "body reads set in body"), t.lines());
        assertEquals(1, Slot.intBodyReadsZero());
    }

    @Test
    void aHelperCalledByADeferredCallReachesTheInnermostInvocation() {
        assertEquals(2, Slot.helperInDeferredCall());
    }

    @Test
    void innermostInvocationIsTheOneWhoseBodyOrDeferredCallsRun() {
        Trace t = new Trace();
        assertEquals(11, Slot.outer(t));
        assertEquals(List.of("inner body slot <nil>", "inner slot inner", "inner returned inner replaced", "outer slot 10"),
                t.lines());
    }

    @Test
    void recoveredPanicFromADeferredCallKeepsTheLastSetValue() {
        assertEquals(3, Slot.lastSetWins());
    }

    // ---- misuse ----

    @Test
    void resultWithNoActiveInvocationThrowsIllegalState() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Defer::result);
        assertTrue(e.getMessage().contains("Defer.result"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Defer.setResult(1));
    }

    @Test
    void resultOnAFreshThreadThrowsIllegalState() {
        Threads.Ended ended = Threads.run(() -> Defer.result());
        assertEquals(1, ended.uncaught().size());
        assertSame(IllegalStateException.class, ended.uncaught().get(0).getClass());
    }

    @Test
    void resultAndSetResultInAVoidMethodThrowIllegalState() {
        IllegalStateException read = assertThrows(IllegalStateException.class, Misuse::voidBodyReads);
        assertTrue(read.getMessage().contains("voidBodyReads"), read.getMessage());
        IllegalStateException write = assertThrows(IllegalStateException.class, Misuse::voidBodyWrites);
        assertTrue(write.getMessage().contains("voidBodyWrites"), write.getMessage());
        IllegalStateException deferred = assertThrows(IllegalStateException.class, Misuse::voidDeferredReads);
        assertTrue(deferred.getMessage().contains("voidDeferredReads"), deferred.getMessage());
    }

    @Test
    void longIntoIntIsRejectedNamingMethodAndBothTypes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Misuse::intGetsLong);
        assertTrue(e.getMessage().contains("intGetsLong"), e.getMessage());
        assertTrue(e.getMessage().contains("int"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.Long"), e.getMessage());
    }

    @Test
    void stringIntoIntIsRejectedAtTheSetResultCall() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Misuse::intGetsString);
        assertTrue(e.getMessage().contains("intGetsString"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
        StackTraceElement at = Lines.firstUserFrame(e);
        assertEquals(Misuse.class.getName(), at.getClassName());
        assertEquals("intGetsString", at.getMethodName());
        assertEquals(Lines.marked("S05ResultTest.java", "intGetsString"), at.getLineNumber());
    }

    @Test
    void nullIntoIntIsRejectedNeverASilentZero() {
        Trace t = new Trace();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Misuse.intGetsNull(t));
        assertTrue(e.getMessage().contains("intGetsNull"), e.getMessage());
        assertTrue(e.getMessage().contains("null"), e.getMessage());
        assertEquals(List.of("deferred ran"), t.lines());
    }

    @Test
    void primitiveWideningIsAccepted() {
        assertEquals(1, Misuse.intGetsByteCharShort((byte) 1));
        assertEquals(97, Misuse.intGetsByteCharShort('a'));
        assertEquals(-2, Misuse.intGetsByteCharShort((short) -2));
        assertEquals(7L, Misuse.longGets(7));
        assertEquals(97L, Misuse.longGets('a'));
        assertEquals(3.0, Misuse.doubleGets(3));
        assertEquals(2.5, Misuse.doubleGets(2.5f));
        assertEquals(9.0, Misuse.doubleGets(9L));
        assertEquals(5.0f, Misuse.floatGets(5L));
        assertEquals(4.0f, Misuse.floatGets((short) 4));
        assertEquals((short) 3, Misuse.shortGets((byte) 3));
        assertEquals((byte) 3, Misuse.byteGets((byte) 3));
        assertEquals('q', Misuse.charGets('q'));
        assertTrue(Misuse.booleanGets(true));
    }

    @Test
    void narrowingIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Misuse.intGetsByteCharShort(1.0));
        assertThrows(IllegalArgumentException.class, () -> Misuse.intGetsByteCharShort(1.0f));
        assertThrows(IllegalArgumentException.class, () -> Misuse.longGets(1.0f));
        assertThrows(IllegalArgumentException.class, () -> Misuse.floatGets(1.0));
        assertThrows(IllegalArgumentException.class, () -> Misuse.byteGets(1));
        assertThrows(IllegalArgumentException.class, () -> Misuse.byteGets((short) 1));
        assertThrows(IllegalArgumentException.class, () -> Misuse.byteGets('a'));
        assertThrows(IllegalArgumentException.class, () -> Misuse.shortGets('a'));
        assertThrows(IllegalArgumentException.class, () -> Misuse.shortGets(1));
        assertThrows(IllegalArgumentException.class, () -> Misuse.charGets(65));
        assertThrows(IllegalArgumentException.class, () -> Misuse.charGets((byte) 65));
        assertThrows(IllegalArgumentException.class, () -> Misuse.charGets((short) 65));
    }

    @Test
    void wrongKindsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Misuse.booleanGets(1));
        assertThrows(IllegalArgumentException.class, () -> Misuse.booleanGets(null));
        assertThrows(IllegalArgumentException.class, () -> Misuse.booleanGets("true"));
        assertThrows(IllegalArgumentException.class, () -> Misuse.doubleGets(null));
        assertThrows(IllegalArgumentException.class, () -> Misuse.doubleGets("1.0"));
        assertThrows(IllegalArgumentException.class, () -> Misuse.charGets("c"));
        assertThrows(IllegalArgumentException.class, () -> Misuse.stringGets(42));
        assertThrows(IllegalArgumentException.class, () -> Misuse.stringGets(new StringBuilder("sb")));
        assertThrows(IllegalArgumentException.class, () -> Misuse.intArrayGets(new long[0]));
        assertThrows(IllegalArgumentException.class, () -> Misuse.intArrayGets(new Integer[0]));
    }

    @Test
    void nullIsAcceptedForReferences() {
        assertNull(Misuse.stringGets(null));
        assertNull(Misuse.intArrayGets(null));
    }

    @Test
    void rejectedMessageNamesTheMethodAndBothTypesForReferences() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Misuse.intArrayGets("no"));
        assertTrue(e.getMessage().contains("intArrayGets"), e.getMessage());
        assertTrue(e.getMessage().contains("int[]"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
    }
}
