package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import dev.defer.Deferred;
import dev.defer.Deferred1;
import dev.defer.Deferred2;
import dev.defer.Defers;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * S13 Misuse fails loudly: Defer.defer where the agent did not rewrite throws IllegalStateException naming
 * the class, the method and the fix; a lambda body is a method of its own; Defer.defer(null) throws
 * NullPointerException at once.
 */
class S13MisuseTest {

    static class Plain {
        static void notAnnotated() {
            Defer.defer(() -> { }); // @line notAnnotated
        }

        static void notAnnotated1() {
            Defer.defer(x -> { }, "a");
        }

        static void notAnnotated2() {
            Defer.defer((x, y) -> { }, "a", "b");
        }

        final IllegalStateException fromConstructor;

        Plain() {
            IllegalStateException caught = null;
            try {
                Defer.defer(() -> { });
            } catch (IllegalStateException e) {
                caught = e;
            }
            fromConstructor = caught;
        }
    }

    static class Target {
        /** A lambda body is a method of its own, which the agent does not rewrite. */
        @Defers
        static void deferInALambda(Trace t) {
            Defer.defer(() -> t.log("outer deferred ran"));
            Runnable r = () -> Defer.defer(() -> t.log("never registered"));
            r.run();
            t.log("not reached");
        }

        @Defers
        static void deferNull(Trace t) {
            Defer.defer(() -> t.log("earlier deferred ran"));
            Defer.defer((Deferred) null); // @line deferNull
            t.log("not reached");
        }

        @Defers
        static void deferNull1(Trace t) {
            Defer.defer(() -> t.log("earlier deferred ran"));
            Deferred1<String> nothing = null;
            Defer.defer(nothing, "argument");
            t.log("not reached");
        }

        @Defers
        static void deferNull2(Trace t) {
            Defer.defer(() -> t.log("earlier deferred ran"));
            Deferred2<String, String> nothing = null;
            Defer.defer(nothing, "a", "b");
            t.log("not reached");
        }

        @Defers
        static int deferInALambdaThatIsTheDeferredCall(Trace t) {
            Defer.defer(() -> {
                try {
                    Defer.defer(() -> t.log("never registered"));
                } catch (IllegalStateException e) {
                    t.log("deferred call got", e.getClass().getSimpleName());
                }
            });
            return 1;
        }
    }

    /** @Defers on a type covers its methods, never its constructors or static initialiser. */
    @Defers
    static class Covered {
        static final IllegalStateException FROM_STATIC_INITIALISER;

        static {
            IllegalStateException caught = null;
            try {
                Defer.defer(() -> { });
            } catch (IllegalStateException e) {
                caught = e;
            }
            FROM_STATIC_INITIALISER = caught;
        }

        final IllegalStateException fromConstructor;

        Covered() {
            IllegalStateException caught = null;
            try {
                Defer.defer(() -> { }); // @line coveredConstructor
            } catch (IllegalStateException e) {
                caught = e;
            }
            fromConstructor = caught;
        }

        int method() {
            int[] ran = {0};
            Defer.defer(() -> ran[0]++);
            return ran[0];
        }

        Supplier<IllegalStateException> lambda() {
            return () -> {
                try {
                    Defer.defer(() -> { });
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            };
        }
    }

    @Test
    void deferInAMethodWithoutDefersNamesClassMethodLineAndFix() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Plain::notAnnotated);
        String m = e.getMessage();
        int line = Lines.marked("S13MisuseTest.java", "notAnnotated");
        assertTrue(m.contains(Plain.class.getName() + ".notAnnotated"), m);
        assertTrue(m.contains("(S13MisuseTest.java:" + line + ")"), m);
        assertTrue(m.contains("@Defers") || m.contains("@dev.defer.Defers"), m);
    }

    @Test
    void everyArityFailsLoudlyOutsideARewrittenMethod() {
        IllegalStateException e1 = assertThrows(IllegalStateException.class, Plain::notAnnotated1);
        assertTrue(e1.getMessage().contains("notAnnotated1"), e1.getMessage());
        IllegalStateException e2 = assertThrows(IllegalStateException.class, Plain::notAnnotated2);
        assertTrue(e2.getMessage().contains("notAnnotated2"), e2.getMessage());
    }

    @Test
    void deferInATestMethodFailsToo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Defer.defer(() -> { }));
        assertTrue(e.getMessage().contains(S13MisuseTest.class.getName()), e.getMessage());
    }

    @Test
    void deferInALambdaInsideADefersMethodSaysALambdaIsAMethodOfItsOwn() {
        Trace t = new Trace();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Target.deferInALambda(t));
        assertTrue(e.getMessage().contains("a lambda body is a method of its own"), e.getMessage());
        assertTrue(e.getMessage().contains(Target.class.getName() + ".lambda$deferInALambda"), e.getMessage());
        assertEquals(List.of("outer deferred ran"), t.lines());
    }

    @Test
    void deferInTheLambdaThatIsADeferredCallFailsToo() {
        Trace t = new Trace();
        assertEquals(1, Target.deferInALambdaThatIsTheDeferredCall(t));
        assertEquals(List.of("deferred call got IllegalStateException"), t.lines());
    }

    @Test
    void deferInALambdaOfADefersTypeFails() {
        IllegalStateException e = new Covered().lambda().get();
        assertNotNull(e, "Defer.defer in a lambda body of a @Defers type did not fail");
        assertTrue(e.getMessage().contains("a lambda body is a method of its own"), e.getMessage());
    }

    @Test
    void defersOnATypeCoversItsMethods() {
        assertEquals(0, new Covered().method());
    }

    @Test
    void deferInAConstructorOfADefersTypeNamesTheConstructor() {
        IllegalStateException e = new Covered().fromConstructor;
        assertNotNull(e, "Defer.defer in a constructor did not fail");
        String m = e.getMessage();
        int line = Lines.marked("S13MisuseTest.java", "coveredConstructor");
        assertTrue(m.contains(Covered.class.getName() + ".<init>"), m);
        assertTrue(m.contains("(S13MisuseTest.java:" + line + ")"), m);
        assertTrue(m.contains("@Defers") || m.contains("@dev.defer.Defers"), m);
    }

    @Test
    void deferInAConstructorOfADefersTypeGivesTheRightFix() {
        // The constructor is never rewritten by design (S14): the fix is to move the code into a @Defers
        // method, not to look for an agent error that was never printed.
        String m = new Covered().fromConstructor.getMessage();
        assertTrue(m.toLowerCase().contains("constructor"), m);
        assertFalse(m.contains("could not rewrite"), m);
    }

    @Test
    void deferInAConstructorOfAPlainClassMentionsConstructors() {
        String m = new Plain().fromConstructor.getMessage();
        assertTrue(m.contains(Plain.class.getName() + ".<init>"), m);
        assertTrue(m.toLowerCase().contains("constructor"), m);
    }

    @Test
    void deferInAStaticInitialiserOfADefersTypeFails() {
        IllegalStateException e = Covered.FROM_STATIC_INITIALISER;
        assertNotNull(e, "Defer.defer in a static initialiser did not fail");
        assertTrue(e.getMessage().contains(Covered.class.getName() + ".<clinit>"), e.getMessage());
    }

    @Test
    void deferNullThrowsNullPointerExceptionAtTheDeferStatement() {
        Trace t = new Trace();
        NullPointerException e = assertThrows(NullPointerException.class, () -> Target.deferNull(t));
        assertEquals(List.of("earlier deferred ran"), t.lines());
        StackTraceElement at = Lines.firstUserFrame(e);
        assertEquals("deferNull", at.getMethodName());
        assertEquals(Lines.marked("S13MisuseTest.java", "deferNull"), at.getLineNumber());
    }

    @Test
    void deferNullOfEveryArityThrowsAtOnce() {
        Trace t = new Trace();
        assertThrows(NullPointerException.class, () -> Target.deferNull1(t));
        assertThrows(NullPointerException.class, () -> Target.deferNull2(t));
        assertEquals(List.of("earlier deferred ran", "earlier deferred ran"), t.lines());
    }

    @Test
    void withoutTheAgentEveryDeferFailsWithTheFix() throws Exception {
        Jvm.Result result = Jvm.run(null, NoAgentMain.class);
        String out = result.output;
        assertEquals(0, result.exitCode, out);
        List<String> lines = out.lines().collect(Collectors.toList());
        assertEquals(2, lines.size(), out);
        assertTrue(lines.get(0).startsWith("annotated: java.lang.IllegalStateException"), out);
        assertTrue(lines.get(0).contains("NoAgentMain.annotated"), out);
        assertTrue(lines.get(0).contains("-javaagent"), out);
        assertTrue(lines.get(0).contains("agent is not running"), out);
        assertTrue(lines.get(1).startsWith("plain: java.lang.IllegalStateException"), out);
        assertTrue(lines.get(1).contains("NoAgentMain.plain"), out);
        assertTrue(lines.get(1).contains("@dev.defer.Defers") || lines.get(1).contains("@Defers"), out);
        assertTrue(lines.get(1).contains("-javaagent"), out);
    }

    /**
     * A @Defers method the agent cannot rewrite (javac accepts @Defers on an abstract method, which has no
     * body): reported at class load with the class, the method and the reason, and the class is left
     * unchanged as a whole, so its other @Defers methods fail loudly instead of half-working.
     */
    abstract static class Unrewritable {
        @Defers
        abstract int abstractOne();

        @Defers
        int rewritable() {
            Defer.defer(() -> { });
            return 1;
        }
    }

    @Test
    void aMethodTheAgentCannotRewriteIsReportedAtClassLoad() throws Exception {
        String agentJar = Jvm.agentJar().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(agentJar != null, "the tests do not run under the agent");
        Jvm.Result result = Jvm.run(agentJar, LoadClassesMain.class, Unrewritable.class.getName());
        assertEquals(0, result.exitCode, result.output);
        String report = result.output.lines().filter(l -> l.contains(Unrewritable.class.getName()))
                .findFirst().orElse("");
        assertTrue(report.startsWith("defer-agent:"), result.output);
        assertTrue(report.contains("abstractOne"), report);
        assertTrue(report.contains("abstract"), report);
    }

    @Test
    void aClassTheAgentCannotRewriteIsLeftWholeAndFailsLoudly() {
        Unrewritable instance = new Unrewritable() {
            @Override
            int abstractOne() {
                return 0;
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, instance::rewritable);
        assertTrue(e.getMessage().contains(Unrewritable.class.getName() + ".rewritable"), e.getMessage());
        assertTrue(e.getMessage().contains("could not rewrite"), e.getMessage());
    }
}
