package dev.defer.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.instrument.targets.OpenCodedShapes;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 3's open-coded defers: which methods qualify, and that they keep every rule when they do. */
class OpenCodingTest {
    private static Instrumenter.Result result;
    private static Class<?> shapes;

    @BeforeAll
    static void rewrite() throws Exception {
        result = new Instrumenter().instrument(RewriteTestSupport.bytesOf(OpenCodedShapes.class));
        assertEquals("", RewriteTestSupport.verify(result.classFile()), "ASM verifier report");
        shapes = RewriteTestSupport.define(OpenCodedShapes.class.getName(), result.classFile());
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
                    return method.invoke(null, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
        throw new AssertionError("no method " + name);
    }

    @ParameterizedTest
    @CsvSource({
        "severalExits, 3 open-coded",
        "panicHandsOverRegisteredCalls, 3 open-coded",
        "inlineCallThrows, 3 open-coded",
        "platformReference, 1 open-coded",
        "touchesResult, 1 open-coded",
        "touchesResultThroughHelper, '1 stack-style, 0 pooled'",
        "bodyTouchesResult, '1 stack-style, 0 pooled'",
        "recoverReference, '1 stack-style, 0 pooled'",
        "otherApplicationClass, '1 stack-style, 0 pooled'",
        "notCreatedHere, '1 stack-style, 0 pooled'",
        "nineSites, '9 stack-style, 0 pooled'",
    })
    void theStrategyFollowsWhatTheRewriteCanSee(String method, String strategy) {
        String line = result.methods().stream().filter(m -> m.startsWith(method + "(")).findFirst().orElseThrow();
        assertTrue(line.endsWith("(" + strategy + ")"), line);
    }

    @Test
    void eachExitRunsWhatWasRegisteredLastInFirstOut() throws Throwable {
        assertEquals(0, call("severalExits", 0));
        assertEquals(List.of("first"), log());
        log().clear();
        assertEquals(1, call("severalExits", 1));
        assertEquals(List.of("second 1", "first"), log());
        log().clear();
        assertEquals(50, call("severalExits", 5));
        assertEquals(List.of("third x5", "second 5", "first"), log());
    }

    @Test
    void aPanicHandsTheRegisteredCallsToTheRuntime() throws Throwable {
        assertEquals(5L, call("panicHandsOverRegisteredCalls", false));
        assertEquals(List.of("third", "second", "recovered null"), log());
        log().clear();
        assertEquals(0L, call("panicHandsOverRegisteredCalls", true), "recovered: the slot's zero value");
        assertEquals(List.of("second", "recovered java.lang.IllegalStateException: boom"), log());
    }

    @Test
    void anInlineCallThatThrowsPanicsAndTheSlotKeepsTheReturnValue() throws Throwable {
        assertEquals(7.0, call("inlineCallThrows"));
        assertEquals(List.of("before throw", "recovered java.lang.IllegalArgumentException: from deferred"), log());
    }

    @Test
    void aPlatformMethodReferenceRunsInline() throws Throwable {
        StringBuilder out = new StringBuilder();
        assertEquals("returned", call("platformReference", out));
        assertEquals("cba", out.toString());
    }

    @Test
    void methodsThatTouchTheResultKeepWorking() throws Throwable {
        assertEquals(2, call("touchesResult"));
        assertEquals(2, call("touchesResultThroughHelper"));
        assertEquals(4, call("bodyTouchesResult"));
        assertEquals(9, call("nineSites"));
        assertEquals(List.of("x", "9", "8", "7", "6", "5", "4", "3", "2", "1"), log());
    }

    @Test
    void aNullCallFailsAtTheDeferStatementAfterTheEarlierOneIsRegistered() throws Throwable {
        NullPointerException e = assertThrows(NullPointerException.class, () -> call("nullCall", (Object) null));
        assertTrue(e.getMessage().contains("Defer.defer(null)"), e.getMessage());
        assertEquals(List.of("registered before null"), log());
    }
}
