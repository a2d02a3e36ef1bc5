package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.defer.Defer;
import dev.defer.Defers;
import dev.defer.Panic;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * S10, issue 11 item 5: a {@code Panic} of {@code Defer.panic} in a rewritten class starts its trace at the caller
 * however the JDK prints it, as the cause or a suppressed exception of another throwable printed before anything
 * read the panic's own trace (the JDK then reads it through a private method that {@code Panic} cannot override,
 * so only a trace that starts there as it is filled in shows it). Each strategy has a body that panics and a
 * deferred call that panics; {@link #eachTargetGotItsStrategy()} proves which strategy each method got. A class
 * without {@code @Defers} gets the same for its {@code Defer.panic} calls; one older than Java 7 keeps the lazily
 * trimmed trace.
 */
class PanicTraceTest {
    private static final String FILE = "PanicTraceTest.java";

    /** The scenarios; each strategy implements both. */
    interface Targets {
        /** The body panics with "body". */
        void bodyPanics();

        /** The only deferred call panics with "deferred". */
        void deferredCallPanics();
    }

    enum Strategy {
        OPEN_CODED(new OpenCoded(), "open"),
        STACK_STYLE(new StackStyle(), "stack"),
        POOLED(new Pooled(), "pooled");

        final Targets targets;
        final String key;

        Strategy(Targets targets, String key) {
            this.targets = targets;
            this.key = key;
        }
    }

    /** A deferred call that reaches only the platform: open-coded. */
    static final class OpenCoded implements Targets {
        static int count;

        @Defers
        @Override
        public void bodyPanics() {
            Defer.defer(() -> count++);
            throw Defer.panic("body"); // @line open.body
        }

        @Defers
        @Override
        public void deferredCallPanics() {
            Defer.defer(() -> {
                throw Defer.panic("deferred"); // @line open.deferred
            });
        }
    }

    /** A deferred call through another application class: stack-style records. */
    static final class StackStyle implements Targets {
        @Defers
        @Override
        public void bodyPanics() {
            Defer.defer(() -> Plain.touch());
            throw Defer.panic("body"); // @line stack.body
        }

        @Defers
        @Override
        public void deferredCallPanics() {
            Defer.defer(() -> {
                Plain.touch();
                throw Defer.panic("deferred"); // @line stack.deferred
            });
        }
    }

    /** Sites in a loop that runs once, so on a cycle: pooled records. */
    static final class Pooled implements Targets {
        @Defers
        @Override
        public void bodyPanics() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> Plain.touch());
            }
            throw Defer.panic("body"); // @line pooled.body
        }

        @Defers
        @Override
        public void deferredCallPanics() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    Plain.touch();
                    throw Defer.panic("deferred"); // @line pooled.deferred
                });
            }
        }
    }

    /** A class without {@code @Defers}: the agent rewrites its {@code Defer.panic} call alone. */
    static final class Plain {
        static int touched;

        static void touch() {
            touched++;
        }

        static void panics() {
            throw Defer.panic("plain"); // @line plain
        }
    }

    private static Panic caught(Runnable body) {
        try {
            body.run();
        } catch (Panic p) {
            return p;
        }
        return fail("no Panic");
    }

    private static String printed(Throwable t) {
        StringWriter text = new StringWriter();
        t.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    /** The line after {@code header} in {@code text}: the first frame of that section. */
    private static String lineAfter(String text, String header) {
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length - 1; i++) {
            if (lines[i].trim().equals(header)) {
                return lines[i + 1].trim();
            }
        }
        return fail("no line '" + header + "' in\n" + text);
    }

    private static void assertFirstFrame(Class<?> type, String marker, String frame, String printed) {
        String place = "(" + FILE + ":" + Lines.marked(FILE, marker) + ")";
        if (!frame.startsWith("at " + type.getName() + ".") || !frame.endsWith(place)) {
            fail("expected the first frame at " + type.getName() + place + ", got '" + frame + "' in\n" + printed);
        }
    }

    /** Each strategy, with a panic of its body and of its deferred call. */
    static Stream<Arguments> sites() {
        return Stream.of(Strategy.values()).flatMap(s -> Stream.of(Arguments.of(s, "body"), Arguments.of(s, "deferred")));
    }

    private static Panic panicOf(Strategy s, String site) {
        return caught(site.equals("deferred") ? s.targets::deferredCallPanics : s.targets::bodyPanics);
    }

    @ParameterizedTest
    @MethodSource("sites")
    void aPanicPrintedAsACauseStartsAtTheCaller(Strategy s, String site) {
        Panic p = panicOf(s, site);
        String printed = printed(new ExecutionException(p));
        String marker = s.key + "." + site;
        assertFirstFrame(s.targets.getClass(), marker, lineAfter(printed, "Caused by: dev.defer.Panic: panic: " + site),
                printed);
        assertEquals(Lines.marked(FILE, marker), p.getStackTrace()[0].getLineNumber(), marker);
    }

    @ParameterizedTest
    @MethodSource("sites")
    void aPanicPrintedAsASuppressedExceptionStartsAtTheCaller(Strategy s, String site) {
        Panic p = panicOf(s, site);
        IllegalStateException wrapper = new IllegalStateException("cleanup failed");
        wrapper.addSuppressed(p);
        String printed = printed(wrapper);
        assertFirstFrame(s.targets.getClass(), s.key + "." + site,
                lineAfter(printed, "Suppressed: dev.defer.Panic: panic: " + site), printed);
    }

    @Test
    void aPanicOfAClassWithoutDefersPrintedAsACauseStartsAtTheCaller() {
        Panic p = assertThrows(Panic.class, Plain::panics);
        String printed = printed(new ExecutionException(p));
        assertFirstFrame(Plain.class, "plain", lineAfter(printed, "Caused by: dev.defer.Panic: panic: plain"), printed);
    }

    /**
     * A class file older than Java 7 keeps {@code invokestatic Defer.panic}: printed as a cause before anything read
     * its trace, the {@code Panic} starts in the runtime ({@code Defer.panic}); once read, at the caller.
     */
    @Test
    void aPanicOfAClassNotRewrittenDropsDeferPanicWhenItsTraceIsRead() throws Exception {
        Method panics = oldClass().getDeclaredMethod("panics");
        panics.setAccessible(true);
        InvocationTargetException thrown = assertThrows(InvocationTargetException.class, () -> panics.invoke(null));
        Panic p = assertInstanceOf(Panic.class, thrown.getCause());
        String printed = printed(new ExecutionException(p));
        String frame = lineAfter(printed, "Caused by: dev.defer.Panic: panic: old");
        assertTrue(frame.startsWith("at dev.defer.Panic.") || frame.startsWith("at dev.defer.Defer.panic("), printed);

        StackTraceElement first = p.getStackTrace()[0];
        String old = "OldPanicTarget.java";
        assertEquals(OldPanicTarget.class.getName() + ".panics:" + Lines.marked(old, "old"),
                first.getClassName() + "." + first.getMethodName() + ":" + first.getLineNumber());
        assertEquals(old, first.getFileName());
    }

    /** {@link OldPanicTarget} as javac wrote it but for its version, 50, defined by a loader of its own. */
    private static Class<?> oldClass() throws IOException {
        byte[] classFile;
        try (InputStream in = PanicTraceTest.class.getResourceAsStream("OldPanicTarget.class")) {
            classFile = in.readAllBytes();
        }
        // A method without branches has no stack map frames to be wrong about in the older version.
        classFile[6] = 0;
        classFile[7] = 50;
        return new ClassLoader(PanicTraceTest.class.getClassLoader()) {
            Class<?> define() {
                return defineClass(OldPanicTarget.class.getName(), classFile, 0, classFile.length);
            }
        }.define();
    }

    @Test
    void eachTargetGotItsStrategy() throws Exception {
        Map<String, String> actual = StrategyMatrixTest.strategies(OpenCoded.class, StackStyle.class, Pooled.class);
        Map<String, String> expected = new TreeMap<>();
        for (Strategy s : Strategy.values()) {
            String name = s == Strategy.OPEN_CODED ? "open-coded" : s == Strategy.STACK_STYLE ? "stack-style" : "pooled";
            for (java.lang.reflect.Method m : Targets.class.getDeclaredMethods()) {
                expected.put(s.targets.getClass().getSimpleName() + "." + m.getName(), name);
            }
        }
        assertEquals(expected, actual);
    }
}
