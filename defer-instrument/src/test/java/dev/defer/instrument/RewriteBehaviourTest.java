package dev.defer.instrument;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.defer.instrument.targets.Shapes;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the rewritten {@link Shapes} (defined in a loader of its own, without the agent) and checks that
 * each method behaves as its code says, with its deferred calls run at the right moment.
 */
class RewriteBehaviourTest {
    private static Class<?> shapes;

    @BeforeAll
    static void rewrite() throws Exception {
        byte[] rewritten = RewriteTestSupport.rewrite(Shapes.class);
        assertEquals("", RewriteTestSupport.verify(rewritten), "ASM verifier report");
        shapes = RewriteTestSupport.define(Shapes.class.getName(), rewritten);
    }

    @BeforeEach
    void clearLog() throws Exception {
        log().clear();
    }

    @SuppressWarnings("unchecked")
    private static List<String> log() throws Exception {
        return (List<String>) shapes.getField("LOG").get(null);
    }

    private static Object call(String name, Object... args) throws Throwable {
        for (Method method : shapes.getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == args.length) {
                try {
                    Object target = java.lang.reflect.Modifier.isStatic(method.getModifiers())
                            ? null : shapes.getConstructor().newInstance();
                    return method.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
        throw new AssertionError("no method " + name);
    }

    @Test
    void loopDefersRunLastInFirstOutAfterTheLoop() throws Throwable {
        assertEquals(3, call("loopWithDefers", 3));
        assertEquals(List.of("loop 2", "loop 1", "loop 0"), log());
    }

    @Test
    void finallyRunsBeforeDeferredCallsAndCatchStillCatches() throws Throwable {
        assertEquals("X", call("tryCatchFinally", "x"));
        assertEquals(List.of("finally", "deferred"), log());
        log().clear();
        assertEquals("caught null", call("tryCatchFinally", (Object) null));
        assertEquals(List.of("finally", "deferred"), log());
    }

    @Test
    void switchReturnsAndThrowsRunTheDeferredCall() throws Throwable {
        assertEquals(10, call("switchWithReturns", 0));
        assertEquals(11, call("switchWithReturns", 1));
        assertEquals(-1, call("switchWithReturns", 5));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> call("switchWithReturns", 7));
        assertEquals("seven", e.getMessage());
        assertEquals(List.of("switch", "switch", "switch", "switch"), log());
    }

    @Test
    void synchronizedMethodHoldsTheMonitorDuringDeferredCalls() throws Throwable {
        assertEquals(7L, call("synchronizedLong", 3L, 4.9));
        assertEquals(List.of("holds lock true"), log());
    }

    @Test
    void everyPrimitiveSlotRoundTrips() throws Throwable {
        assertEquals(5.0, call("doubleResult", 2.5));
        assertEquals(3.5f, call("floatResult", 2.5f));
        assertEquals(false, call("booleanResult", true));
        assertEquals('z', call("charResult"));
        assertArrayEquals(new int[] {42}, (int[]) call("arrayResult"));
    }

    @Test
    void recoveredPanicReturnsTheSlot() throws Throwable {
        assertEquals("ok", call("recovered", false));
        assertEquals("recovered boom", call("recovered", true));
    }

    @Test
    void voidEarlyReturnRunsDeferredCall() throws Throwable {
        call("voidWithEarlyReturn", 1);
        call("voidWithEarlyReturn", 0);
        assertEquals(List.of("void 1", "body 0", "void 0"), log());
    }

    @Test
    void nestedTryBlocksKeepTheirOrder() throws Throwable {
        assertEquals(4, call("nestedTry", 4));
        assertEquals(-100, call("nestedTry", 0));
        assertEquals(List.of("inner finally", "nested", "inner finally", "nested"), log());
    }

    @Test
    void aDeferredCallThatThrowsIsNotCaughtByTheBody() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> call("deferredThrowIsNotCaughtByBody"));
        assertEquals("from deferred call", e.getMessage());
    }

    @Test
    void plainMethodsAreLeftAlone() throws Throwable {
        assertEquals(2, call("plain", 1));
    }
}
