package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import dev.defer.Defers;
import dev.defer.Panic;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * S10, re-panicking (issue 11 item 4): a deferred call that recovers a panic and panics again with the value
 * recover() returned, {@code rollback(); throw Defer.panic(p)}, throws the panic that started it, whose stack
 * trace shows the line that failed, not a new one made in the deferred call; and a {@code Panic}'s trace
 * starts at the caller of {@code Defer.panic} (item 5). Each scenario runs on each strategy: {@link OpenCoded},
 * {@link StackStyle}, {@link Pooled} and {@link Lazy} are the same code but for what forces the strategy (as in
 * {@link StrategyMatrixTest}), and {@link #eachTargetGotItsStrategy()} proves which one each method got.
 */
class RepanicTest {
    private static final String FILE = "RepanicTest.java";

    static final List<String> LOG = Collections.synchronizedList(new ArrayList<>());
    static final List<Object> RECOVERED = Collections.synchronizedList(new ArrayList<>());

    /** The scenarios; each strategy implements all of them. */
    interface Targets {
        /** The body panics with a value; the deferred call recovers it, rolls back and panics with it again. */
        void repanicValue();

        /** The body fails with an exception; the deferred call recovers it and panics with it again. */
        int repanicException(String text);

        /** Re-panicked, then recovered again by the call registered before: the same value both times. */
        void recoveredTwice(Object value);

        /** The deferred call recovers and panics with another value: a new panic, made there. */
        void panicsWithAnotherValue();

        /** A call recovers and returns; the next one panics with the same (interned) value: a new panic. */
        void laterCallPanicsWithTheSameValue();

        /** A deferred call recovers "boom" and returns. */
        void recoversAndReturns();

        /** The only deferred call panics with "boom" during the normal exit. */
        void panicsAtExit();
    }

    enum Strategy {
        OPEN_CODED(new OpenCoded(), "open"),
        STACK_STYLE(new StackStyle(), "stack"),
        POOLED(new Pooled(), "pooled"),
        LAZY(new Lazy(), "lazy");

        final Targets targets;
        final String key;

        Strategy(Targets targets, String key) {
            this.targets = targets;
            this.key = key;
        }

        int line(String name) {
            return Lines.marked(FILE, key + "." + name);
        }
    }

    /** Deferred calls that reach only the platform and this class: open-coded. */
    static final class OpenCoded implements Targets {
        static void log(Object... parts) {
            // Platform calls only, no lambda: the callers' deferred calls stay open-coded.
            StringBuilder line = new StringBuilder();
            for (Object part : parts) {
                line.append(line.length() > 0 ? " " : "").append(part);
            }
            LOG.add(line.toString());
        }

        static void keep(Object value) {
            RECOVERED.add(value);
        }

        @Defers
        @Override
        public void repanicValue() {
            Defer.defer(() -> {
                Object p = Defer.recover();
                log("rollback", p);
                throw Defer.panic(p);
            });
            throw Defer.panic("boom"); // @line open.repanicValue
        }

        @Defers
        @Override
        public int repanicException(String text) {
            Defer.defer(() -> {
                Object p = Defer.recover();
                log("rollback", p);
                throw Defer.panic(p);
            });
            return Integer.parseInt(text); // @line open.repanicException
        }

        @Defers
        @Override
        public void recoveredTwice(Object value) {
            Defer.defer(() -> keep(Defer.recover()));
            Defer.defer(() -> {
                Object p = Defer.recover();
                keep(p);
                throw Defer.panic(p);
            });
            throw Defer.panic(value);
        }

        @Defers
        @Override
        public void panicsWithAnotherValue() {
            Defer.defer(() -> {
                Object p = Defer.recover();
                log("rollback", p);
                throw Defer.panic("rollback failed"); // @line open.another
            });
            throw Defer.panic("boom");
        }

        @Defers
        @Override
        public void laterCallPanicsWithTheSameValue() {
            Defer.defer(() -> {
                log("later");
                throw Defer.panic("boom"); // @line open.later
            });
            Defer.defer(() -> log("recovered", Defer.recover()));
            throw Defer.panic("boom");
        }

        @Defers
        @Override
        public void recoversAndReturns() {
            Defer.defer(() -> log("recovered", Defer.recover()));
            throw Defer.panic("boom");
        }

        @Defers
        @Override
        public void panicsAtExit() {
            Defer.defer(() -> {
                log("at exit");
                throw Defer.panic("boom"); // @line open.atExit
            });
        }
    }

    /** Deferred calls that log through another application class: stack-style records. */
    static final class StackStyle implements Targets {
        static void log(Object... parts) {
            OpenCoded.log(parts);
        }

        static void keep(Object value) {
            OpenCoded.keep(value);
        }

        @Defers
        @Override
        public void repanicValue() {
            Defer.defer(() -> {
                Object p = Defer.recover();
                log("rollback", p);
                throw Defer.panic(p);
            });
            throw Defer.panic("boom"); // @line stack.repanicValue
        }

        @Defers
        @Override
        public int repanicException(String text) {
            Defer.defer(() -> {
                Object p = Defer.recover();
                log("rollback", p);
                throw Defer.panic(p);
            });
            return Integer.parseInt(text); // @line stack.repanicException
        }

        @Defers
        @Override
        public void recoveredTwice(Object value) {
            Defer.defer(() -> keep(Defer.recover()));
            Defer.defer(() -> {
                Object p = Defer.recover();
                keep(p);
                throw Defer.panic(p);
            });
            throw Defer.panic(value);
        }

        @Defers
        @Override
        public void panicsWithAnotherValue() {
            Defer.defer(() -> {
                Object p = Defer.recover();
                log("rollback", p);
                throw Defer.panic("rollback failed"); // @line stack.another
            });
            throw Defer.panic("boom");
        }

        @Defers
        @Override
        public void laterCallPanicsWithTheSameValue() {
            Defer.defer(() -> {
                log("later");
                throw Defer.panic("boom"); // @line stack.later
            });
            Defer.defer(() -> log("recovered", Defer.recover()));
            throw Defer.panic("boom");
        }

        @Defers
        @Override
        public void recoversAndReturns() {
            Defer.defer(() -> log("recovered", Defer.recover()));
            throw Defer.panic("boom");
        }

        @Defers
        @Override
        public void panicsAtExit() {
            Defer.defer(() -> {
                log("at exit");
                throw Defer.panic("boom"); // @line stack.atExit
            });
        }
    }

    /** Every site in a loop that runs once, so on a cycle: pooled records. */
    static final class Pooled implements Targets {
        static void log(Object... parts) {
            OpenCoded.log(parts);
        }

        static void keep(Object value) {
            OpenCoded.keep(value);
        }

        @Defers
        @Override
        public void repanicValue() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    Object p = Defer.recover();
                    log("rollback", p);
                    throw Defer.panic(p);
                });
            }
            throw Defer.panic("boom"); // @line pooled.repanicValue
        }

        @Defers
        @Override
        public int repanicException(String text) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    Object p = Defer.recover();
                    log("rollback", p);
                    throw Defer.panic(p);
                });
            }
            return Integer.parseInt(text); // @line pooled.repanicException
        }

        @Defers
        @Override
        public void recoveredTwice(Object value) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> keep(Defer.recover()));
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    Object p = Defer.recover();
                    keep(p);
                    throw Defer.panic(p);
                });
            }
            throw Defer.panic(value);
        }

        @Defers
        @Override
        public void panicsWithAnotherValue() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    Object p = Defer.recover();
                    log("rollback", p);
                    throw Defer.panic("rollback failed"); // @line pooled.another
                });
            }
            throw Defer.panic("boom");
        }

        @Defers
        @Override
        public void laterCallPanicsWithTheSameValue() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    log("later");
                    throw Defer.panic("boom"); // @line pooled.later
                });
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("recovered", Defer.recover()));
            }
            throw Defer.panic("boom");
        }

        @Defers
        @Override
        public void recoversAndReturns() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("recovered", Defer.recover()));
            }
            throw Defer.panic("boom");
        }

        @Defers
        @Override
        public void panicsAtExit() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    log("at exit");
                    throw Defer.panic("boom"); // @line pooled.atExit
                });
            }
        }
    }

    /**
     * Every site in a loop, every deferred call reaching only the platform and this class (the open-coding
     * screen): lazy records. The first call lives in the method's local; a second defer enters the runtime.
     */
    static final class Lazy implements Targets {
        static void log(Object... parts) {
            // OpenCoded.log's platform calls, not a call to it: another application class would fail the screen.
            StringBuilder line = new StringBuilder();
            for (Object part : parts) {
                line.append(line.length() > 0 ? " " : "").append(part);
            }
            LOG.add(line.toString());
        }

        static void keep(Object value) {
            RECOVERED.add(value);
        }

        @Defers
        @Override
        public void repanicValue() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    Object p = Defer.recover();
                    log("rollback", p);
                    throw Defer.panic(p);
                });
            }
            throw Defer.panic("boom"); // @line lazy.repanicValue
        }

        @Defers
        @Override
        public int repanicException(String text) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    Object p = Defer.recover();
                    log("rollback", p);
                    throw Defer.panic(p);
                });
            }
            return Integer.parseInt(text); // @line lazy.repanicException
        }

        @Defers
        @Override
        public void recoveredTwice(Object value) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> keep(Defer.recover()));
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    Object p = Defer.recover();
                    keep(p);
                    throw Defer.panic(p);
                });
            }
            throw Defer.panic(value);
        }

        @Defers
        @Override
        public void panicsWithAnotherValue() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    Object p = Defer.recover();
                    log("rollback", p);
                    throw Defer.panic("rollback failed"); // @line lazy.another
                });
            }
            throw Defer.panic("boom");
        }

        @Defers
        @Override
        public void laterCallPanicsWithTheSameValue() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    log("later");
                    throw Defer.panic("boom"); // @line lazy.later
                });
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("recovered", Defer.recover()));
            }
            throw Defer.panic("boom");
        }

        @Defers
        @Override
        public void recoversAndReturns() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("recovered", Defer.recover()));
            }
            throw Defer.panic("boom");
        }

        @Defers
        @Override
        public void panicsAtExit() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    log("at exit");
                    throw Defer.panic("boom"); // @line lazy.atExit
                });
            }
        }
    }

    @BeforeEach
    @AfterEach
    void clear() {
        LOG.clear();
        RECOVERED.clear();
    }

    @AfterEach
    void nothingLeftOnTheThread() {
        assertThrows(IllegalStateException.class, Defer::result, "an invocation was left on the thread");
    }

    private static void assertStartsAt(Throwable t, Class<?> type, int line) {
        StackTraceElement first = t.getStackTrace()[0];
        assertEquals(type.getName() + ":" + line, first.getClassName() + ":" + first.getLineNumber(),
                "the first frame of " + t);
    }

    /** The frame of the {@code @Defers} method itself in the trace (not its lambdas'). */
    private static StackTraceElement frameOf(Throwable t, Class<?> type, String method) {
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().equals(type.getName()) && frame.getMethodName().equals(method)) {
                return frame;
            }
        }
        throw new AssertionError(type.getName() + "." + method + " is not in the stack trace of " + t);
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aRepanickedValueIsThePanicThatStartedWithItsStackTrace(Strategy s) {
        Panic p = assertThrows(Panic.class, s.targets::repanicValue);
        assertEquals("boom", p.value());
        // The original panic, thrown again: its first frame is the body's line that panicked, and the
        // @Defers frame shows that line too, not the deferred call's.
        assertStartsAt(p, s.targets.getClass(), s.line("repanicValue"));
        assertEquals(s.line("repanicValue"), frameOf(p, s.targets.getClass(), "repanicValue").getLineNumber());
        assertEquals(0, p.getSuppressed().length, "a panic re-thrown does not keep itself");
        assertNull(p.getCause());
        assertEquals(List.of("rollback boom"), LOG);
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aRepanickedExceptionIsThrownAsItIs(Strategy s) {
        NumberFormatException e = assertThrows(NumberFormatException.class, () -> s.targets.repanicException("x"));
        assertEquals(List.of("rollback " + e), LOG);
        assertEquals(s.line("repanicException"), frameOf(e, s.targets.getClass(), "repanicException").getLineNumber());
        assertEquals(0, e.getSuppressed().length);
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aRepanickedValueCanBeRecoveredAgain(Strategy s) {
        Object value = new Object();
        s.targets.recoveredTwice(value);
        assertEquals(2, RECOVERED.size());
        assertSame(value, RECOVERED.get(0));
        assertSame(value, RECOVERED.get(1));
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void anotherValueIsANewPanicThatStartsInTheDeferredCall(Strategy s) {
        Panic p = assertThrows(Panic.class, s.targets::panicsWithAnotherValue);
        assertEquals("rollback failed", p.value());
        assertStartsAt(p, s.targets.getClass(), s.line("another"));
        // The first panic was recovered: nothing replaced, nothing kept (S9 keeps only a running panic).
        assertEquals(0, p.getSuppressed().length);
        assertEquals(List.of("rollback boom"), LOG);
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void onlyTheCallThatRecoveredRepanics(Strategy s) {
        Panic p = assertThrows(Panic.class, s.targets::laterCallPanicsWithTheSameValue);
        assertEquals("boom", p.value());
        assertStartsAt(p, s.targets.getClass(), s.line("later"));
        assertEquals(List.of("recovered boom", "later"), LOG);
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aLaterInvocationDoesNotRepanicARecoveredPanic(Strategy s) {
        // Same depth, so the runtime reuses the invocation object; the value is the same interned string.
        s.targets.recoversAndReturns();
        Panic p = assertThrows(Panic.class, s.targets::panicsAtExit);
        assertStartsAt(p, s.targets.getClass(), s.line("atExit"));
        assertEquals(List.of("recovered boom", "at exit"), LOG);
    }

    @Test
    void aPanicStartsAtTheCallerOfDeferPanic() {
        int line = Lines.next();
        Panic p = assertThrows(Panic.class, () -> { throw Defer.panic(42); });
        StackTraceElement first = p.getStackTrace()[0];
        assertEquals(RepanicTest.class.getName(), first.getClassName());
        assertEquals(line, first.getLineNumber());
    }

    @Test
    void aPrintedPanicStartsAtTheCallerOfDeferPanic() {
        int line = Lines.next();
        Panic p = assertThrows(Panic.class, () -> { throw Defer.panic("printed"); });
        StringWriter text = new StringWriter();
        // Printed before anything read the trace: printing drops Defer.panic's frames too.
        p.printStackTrace(new PrintWriter(text));
        String[] lines = text.toString().split("\\R");
        assertEquals("dev.defer.Panic: panic: printed", lines[0]);
        assertTrue(lines[1].startsWith("\tat " + RepanicTest.class.getName() + ".")
                && lines[1].endsWith("(" + FILE + ":" + line + ")"), lines[1]);
    }

    @Test
    void aSerialisedPanicStartsAtTheCallerOfDeferPanic() throws Exception {
        int line = Lines.next();
        Panic p = assertThrows(Panic.class, () -> { throw Defer.panic("sent"); });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(p);
        }
        Panic read;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            read = (Panic) in.readObject();
        }
        assertEquals(RepanicTest.class.getName() + ":" + line,
                read.getStackTrace()[0].getClassName() + ":" + read.getStackTrace()[0].getLineNumber());
    }

    @Test
    void aTraceSetByHandIsKeptAsSet() {
        Panic p = assertThrows(Panic.class, () -> { throw Defer.panic("set"); });
        StackTraceElement[] set = {new StackTraceElement("dev.defer.Defer", "panic", "Defer.java", 1)};
        p.setStackTrace(set);
        assertEquals(List.of(set), List.of(p.getStackTrace()));
    }

    @Test
    void outsideADeferredCallTheSameValueIsANewPanic() {
        Panic first = assertThrows(Panic.class, () -> { throw Defer.panic("boom"); });
        Panic second = assertThrows(Panic.class, () -> { throw Defer.panic(first.value()); });
        assertEquals("boom", second.value());
        assertEquals(false, first == second);
    }

    @Test
    void eachTargetGotItsStrategy() throws Exception {
        Map<String, String> actual = StrategyMatrixTest.strategies(OpenCoded.class, StackStyle.class, Pooled.class,
                Lazy.class);
        Map<String, String> expected = new TreeMap<>();
        for (Strategy s : Strategy.values()) {
            String name = switch (s) {
                case OPEN_CODED -> "open-coded";
                case STACK_STYLE -> "stack-style";
                case POOLED -> "pooled";
                case LAZY -> "lazy";
            };
            for (java.lang.reflect.Method m : Targets.class.getDeclaredMethods()) {
                expected.put(s.targets.getClass().getSimpleName() + "." + m.getName(), name);
            }
        }
        assertEquals(expected, actual);
    }
}
