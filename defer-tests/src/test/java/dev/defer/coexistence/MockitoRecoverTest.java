package dev.defer.coexistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.defer.Defer;
import dev.defer.Defers;
import org.junit.jupiter.api.Test;
import org.mockito.MockedStatic;
import org.mockito.Mockito;

/**
 * recover() through Mockito's inline mock maker: a spy or a static mock that calls the real method puts
 * Mockito's frames and a second activation of the method between the runtime and the real body. The
 * deferred call is still the method the program named, so a spy must give the real object's result
 * (Go's rule is about the user's function calling recover, not about frames a tool adds), and a helper's
 * recover() must still return nil (S8).
 */
class MockitoRecoverTest {
    /** Each method's expected outcome is in its comment; the tests run it on a real object and on a spy. */
    static class Service {
        /** Recovers in a method named by a method reference: "recovered: empty". */
        @Defers
        String byReference(String input) {
            Defer.defer(this::onPanic);
            return parse(input);
        }

        /** The deferred @Defers method defers Defer::recover itself (Go's defer func(){ defer recover() }()): null. */
        @Defers
        String recoverDeferredByDeferredCall(String input) {
            Defer.defer(this::guard);
            return parse(input);
        }

        /** recover() in a helper of the deferred call returns null: the panic escapes. */
        @Defers
        String throughHelper(String input) {
            Defer.defer(this::viaHelper);
            return parse(input);
        }

        void onPanic() {
            Object p = Defer.recover();
            if (p != null) {
                Defer.setResult("recovered: " + ((Throwable) p).getMessage());
            }
        }

        @Defers
        void guard() {
            Defer.defer(Defer::recover);
        }

        void viaHelper() {
            helper();
        }

        void helper() {
            onPanic();
        }
    }

    /** Static deferred calls, for Mockito's static mocks. */
    static final class Handlers {
        private Handlers() {
        }

        @Defers
        static String byStaticReference(String input) {
            Defer.defer(Handlers::onPanic);
            return parse(input);
        }

        static void onPanic() {
            Object p = Defer.recover();
            if (p != null) {
                Defer.setResult("static recovered: " + ((Throwable) p).getMessage());
            }
        }
    }

    static String parse(String input) {
        if (input.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        return input;
    }

    @Test
    void aSpyRecoversAsTheRealObjectDoes() {
        Service real = new Service();
        Service spy = Mockito.spy(new Service());

        assertEquals("recovered: empty", real.byReference(""));
        assertEquals("recovered: empty", spy.byReference(""));
        assertEquals("ok", spy.byReference("ok"));
        Mockito.verify(spy, Mockito.times(2)).onPanic();
    }

    @Test
    void aSpyRecoversWhenTheDeferredCallDefersRecover() {
        assertNull(new Service().recoverDeferredByDeferredCall(""), "the zero result after recovery");
        assertNull(Mockito.spy(new Service()).recoverDeferredByDeferredCall(""));
    }

    @Test
    void aHelpersRecoverStillReturnsNullOnASpy() {
        IllegalArgumentException real = assertThrows(IllegalArgumentException.class,
                () -> new Service().throughHelper(""));
        IllegalArgumentException spied = assertThrows(IllegalArgumentException.class,
                () -> Mockito.spy(new Service()).throughHelper(""));
        assertEquals(real.getMessage(), spied.getMessage());
    }

    @Test
    void aStaticMockCallingTheRealMethodRecovers() {
        assertEquals("static recovered: empty", Handlers.byStaticReference(""));
        try (MockedStatic<Handlers> mocked = Mockito.mockStatic(Handlers.class, Mockito.CALLS_REAL_METHODS)) {
            assertEquals("static recovered: empty", Handlers.byStaticReference(""));
            mocked.verify(Handlers::onPanic);
        }
    }

    @Test
    void aStubbedDeferredCallDoesNotRecover() {
        Service spy = Mockito.spy(new Service());
        Mockito.doNothing().when(spy).onPanic();
        assertThrows(IllegalArgumentException.class, () -> spy.byReference(""));
    }
}
