package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.defer.Defer;
import dev.defer.Defers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, item 2: an open-coded method runs the deferred calls of a fatal panic ({@code VirtualMachineError},
 * which recover() cannot stop, S8) inline in its own frame, as a {@code finally} block would, without the
 * runtime; a deferred call that throws during it replaces the panic (S9), and a recoverable replacement goes
 * to the runtime, where a later deferred call may recover it.
 */
class FatalPanicTest {
    static final List<String> log = new ArrayList<>();

    /** Open-coded: its deferred lambdas touch only the platform and this class, so the exit expands them. */
    static final class Target {
        static RuntimeException sneaky(Throwable t) {
            throw Target.<RuntimeException>unchecked(t);
        }

        @SuppressWarnings("unchecked")
        static <T extends Throwable> RuntimeException unchecked(Throwable t) throws T {
            throw (T) t;
        }

        /**
         * Three deferred calls; the body throws {@code body}; call 2 (which runs first) throws {@code second}
         * when it is not null. Each call logs what its recover() gave.
         */
        @Defers
        static int run(Throwable body, Throwable second) {
            Defer.defer(() -> record(0, Defer.recover()));
            Defer.defer(() -> record(1, Defer.recover()));
            Defer.defer(() -> {
                record(2, Defer.recover());
                if (second != null) {
                    throw sneaky(second);
                }
            });
            throw sneaky(body);
        }

        /**
         * Logs the call, what recover() gave, and whether the runtime runs it. Without string concatenation,
         * whose invokedynamic the open-coding screen does not follow.
         */
        static void record(int k, Object recovered) {
            String via = "";
            for (StackTraceElement frame : new Throwable().getStackTrace()) {
                if (frame.getClassName().startsWith("dev.defer.internal.")) {
                    via = " via the runtime";
                    break;
                }
            }
            log.add(String.valueOf(k).concat(" recovered ").concat(String.valueOf(recovered)).concat(via));
        }

        /** Method references, which the exit calls through their objects. */
        @Defers
        static void byReference(Throwable body) {
            Defer.defer(Target::first);
            Defer.defer(Target::second);
            throw sneaky(body);
        }

        static void first() {
            log.add("first");
        }

        static void second() {
            log.add("second");
        }
    }

    @BeforeEach
    void clear() {
        log.clear();
    }

    @Test
    void theTargetsAreOpenCoded() throws Exception {
        Map<String, String> strategies = StrategyMatrixTest.strategies(Target.class);
        assertEquals("open-coded", strategies.get("Target.run"), strategies.toString());
        assertEquals("open-coded", strategies.get("Target.byReference"), strategies.toString());
    }

    /** In the method's own frame: no runtime code between the panic and the calls, as for a finally block. */
    @Test
    void aFatalPanicRunsEveryCallInlineAndGoesOnUnrecovered() {
        OutOfMemoryError fatal = new OutOfMemoryError("injected");
        OutOfMemoryError thrown = assertThrows(OutOfMemoryError.class, () -> Target.run(fatal, null));
        assertSame(fatal, thrown);
        assertEquals(List.of("2 recovered null", "1 recovered null", "0 recovered null"), log);
        assertEquals(0, thrown.getSuppressed().length);
    }

    @Test
    void aRecoverableReplacementGoesToTheRuntimeAndIsRecovered() {
        OutOfMemoryError fatal = new OutOfMemoryError("injected");
        IllegalStateException replacement = new IllegalStateException("replacement");
        assertEquals(0, Target.run(fatal, replacement), "the result slot, never set");
        assertEquals(List.of("2 recovered null", "1 recovered " + replacement + " via the runtime",
                "0 recovered null via the runtime"), log);
        assertArrayEquals(new Throwable[] {fatal}, replacement.getSuppressed(), "S9: the replaced panic is kept");
    }

    @Test
    void aFatalReplacementStaysFatalAndKeepsTheFirst() {
        OutOfMemoryError fatal = new OutOfMemoryError("injected");
        StackOverflowError replacement = new StackOverflowError("replacement");
        StackOverflowError thrown = assertThrows(StackOverflowError.class, () -> Target.run(fatal, replacement));
        assertSame(replacement, thrown);
        assertEquals(List.of("2 recovered null", "1 recovered null", "0 recovered null"), log);
        assertArrayEquals(new Throwable[] {fatal}, thrown.getSuppressed());
    }

    @Test
    void aRecoverablePanicStillReachesTheRuntime() {
        IllegalArgumentException panic = new IllegalArgumentException("panic");
        assertEquals(0, Target.run(panic, null));
        assertEquals(List.of("2 recovered " + panic + " via the runtime", "1 recovered null via the runtime",
                "0 recovered null via the runtime"), log);
    }

    @Test
    void callsThroughTheirObjectRunInlineToo() {
        StackOverflowError fatal = new StackOverflowError("injected");
        assertSame(fatal, assertThrows(StackOverflowError.class, () -> Target.byReference(fatal)));
        assertEquals(List.of("second", "first"), log);
    }
}
