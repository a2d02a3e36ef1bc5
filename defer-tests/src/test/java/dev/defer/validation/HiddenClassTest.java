package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.instrument.Instrumenter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Hidden classes (issue 9, item 7): {@code Lookup.defineHiddenClass} never shows a class to a Java agent, so
 * a {@code @Defers} hidden class works only from bytes rewritten before it is defined, and the S13 error in
 * one that was not names the hidden class's method (whose frames a default stack walk hides) and says so.
 *
 * <p>The bytes are {@link HiddenTarget}'s and {@link HiddenLambdaTarget}'s as javac wrote them, read as
 * resources; the test never loads those classes by name. {@link Instrumenter} is the public API inside the
 * agent jar, which the pom's {@code defer-agent} dependency puts on the class path.
 */
class HiddenClassTest {
    private static final MethodType WORK = MethodType.methodType(String.class, List.class, boolean.class);

    @Test
    void aHiddenClassDefinedFromUnrewrittenBytesFailsNamingItsOwnMethod() throws Throwable {
        MethodHandles.Lookup lookup = define(javacBytes());
        Class<?> hidden = lookup.lookupClass();
        MethodHandle work = lookup.findStatic(hidden, "work", WORK);
        List<String> log = new ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> invoke(work, log, false));
        String message = e.getMessage();
        assertTrue(message.startsWith("Defer.defer called in " + hidden.getName() + ".work (HiddenTarget.java:"),
                message);
        assertTrue(hidden.getName().startsWith(HiddenClassTest.class.getPackageName() + ".HiddenTarget/0x"),
                hidden.getName());
        assertTrue(message.contains("Fix: the method is in a hidden class (Lookup.defineHiddenClass), which no"
                + " Java agent ever sees"), message);
        assertTrue(message.contains("rewrite the class's bytes before they are defined, with java -jar"
                + " defer-agent.jar instrument IN OUT, the defer-maven-plugin, or"
                + " dev.defer.instrument.Instrumenter.instrument(bytes)"), message);
        assertEquals(List.of(), log);
    }

    @Test
    void theErrorInAnUnannotatedHiddenMethodSaysBothFixes() throws Throwable {
        MethodHandles.Lookup lookup = define(javacBytes());
        Class<?> hidden = lookup.lookupClass();
        MethodHandle notAnnotated = lookup.findStatic(hidden, "notAnnotated", MethodType.methodType(void.class));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> notAnnotated.invoke());
        assertTrue(e.getMessage().startsWith("Defer.defer called in " + hidden.getName() + ".notAnnotated ("),
                e.getMessage());
        assertTrue(e.getMessage().contains("Fix: annotate the method (or its class) with @dev.defer.Defers, and,"
                + " since it is in a hidden class (Lookup.defineHiddenClass), which no Java agent ever sees, rewrite"
                + " the class's bytes before they are defined"), e.getMessage());

        MethodHandle resultOutside = lookup.findStatic(hidden, "resultOutside", MethodType.methodType(Object.class));
        IllegalStateException noInvocation = assertThrows(IllegalStateException.class, () -> resultOutside.invoke());
        assertTrue(noInvocation.getMessage().startsWith("Defer.result() called in " + hidden.getName()
                + ".resultOutside ("), noInvocation.getMessage());
        assertTrue(noInvocation.getMessage().contains("Fix: call it in the body or a deferred call of a @Defers"
                + " method; that method is in a hidden class (Lookup.defineHiddenClass), which no Java agent ever"
                + " sees: rewrite the class's bytes before they are defined"), noInvocation.getMessage());
    }

    @Test
    void aHiddenClassDefinedFromRewrittenBytesRunsItsDeferredCalls() throws Throwable {
        Instrumenter.Result rewritten = new Instrumenter().instrument(javacBytes());
        MethodHandles.Lookup lookup = define(rewritten.classFile());
        Class<?> hidden = lookup.lookupClass();

        MethodHandle work = lookup.findStatic(hidden, "work", WORK);
        List<String> log = new ArrayList<>();
        assertEquals("returned", invoke(work, log, false));
        assertEquals(List.of("body", "third deferred", "recoverer recovered null", "first deferred"), log);
        log.clear();
        assertEquals("recovered", invoke(work, log, true));
        assertEquals(List.of("body", "third deferred", "recoverer recovered java.lang.IllegalStateException: boom",
                "first deferred"), log);

        log.clear();
        MethodHandle openCoded = lookup.findStatic(hidden, "openCoded", WORK);
        assertEquals("returned", invoke(openCoded, log, false));
        assertEquals(List.of("second deferred", "first deferred"), log);
        log.clear();
        IllegalStateException panic = assertThrows(IllegalStateException.class, () -> invoke(openCoded, log, true));
        assertEquals("open-coded boom", panic.getMessage());
        assertEquals(List.of("second deferred", "first deferred"), log);

        log.clear();
        MethodHandle loop = lookup.findStatic(hidden, "loop", MethodType.methodType(int.class, List.class, int.class));
        assertEquals(3, (int) loop.invoke(log, 3));
        assertEquals(List.of("loop 2", "loop 1", "loop 0"), log);
        assertEquals(List.of("work(Ljava/util/List;Z)Ljava/lang/String; (3 stack-style, 0 pooled)",
                "openCoded(Ljava/util/List;Z)Ljava/lang/String; (2 open-coded)",
                "loop(Ljava/util/List;I)I (0 stack-style, 1 pooled)"), rewritten.methods());
    }

    @Test
    void deferredLambdasAndMethodReferencesOfARewrittenHiddenClassRecoverAsElsewhere() throws Throwable {
        byte[] rewritten = new Instrumenter().instrument(javacBytes("HiddenLambdaTarget")).classFile();
        MethodHandles.Lookup lookup = define(rewritten);
        Class<?> hidden = lookup.lookupClass();
        try {
            lookup.findStatic(hidden, "probe", MethodType.methodType(String.class)).invoke();
        } catch (NoClassDefFoundError e) {
            // JDK 17: javac's own lambda in a hidden class cannot run; nothing for defer to do (HiddenTarget).
            Assumptions.abort("this JDK cannot run a lambda of a hidden class: " + e);
        }
        MethodHandle lambdas = lookup.findStatic(hidden, "lambdas", WORK);
        List<String> log = new ArrayList<>();
        assertEquals("returned", invoke(lambdas, log, false));
        assertEquals(List.of("body", "second deferred, recovered null", "first deferred"), log);
        log.clear();
        assertEquals("recovered", invoke(lambdas, log, true));
        assertEquals(List.of("body", "second deferred, recovered java.lang.IllegalStateException: boom",
                "first deferred"), log);

        log.clear();
        MethodType listToString = MethodType.methodType(String.class, List.class);
        assertEquals(null, (String) lookup.findStatic(hidden, "byReference", listToString).invoke(log));
        assertEquals(List.of("recovered java.lang.IllegalArgumentException: by reference"), log);

        log.clear();
        MethodHandle throughHelper = lookup.findStatic(hidden, "throughHelper", listToString);
        IllegalArgumentException notRecovered = assertThrows(IllegalArgumentException.class,
                () -> throughHelper.invoke(log));
        assertEquals("through a helper", notRecovered.getMessage());
        assertEquals(List.of("recovered null"), log);
    }

    private static String invoke(MethodHandle work, List<String> log, boolean panic) throws Throwable {
        return (String) work.invoke(log, panic);
    }

    /** Defines a hidden class: the lookup it returns has full access to it. */
    private static MethodHandles.Lookup define(byte[] classFile) throws IllegalAccessException {
        return MethodHandles.lookup().defineHiddenClass(classFile, true);
    }

    private static byte[] javacBytes() throws IOException {
        return javacBytes("HiddenTarget");
    }

    private static byte[] javacBytes(String simpleName) throws IOException {
        try (InputStream in = HiddenClassTest.class.getResourceAsStream(simpleName + ".class")) {
            return in.readAllBytes();
        }
    }
}
