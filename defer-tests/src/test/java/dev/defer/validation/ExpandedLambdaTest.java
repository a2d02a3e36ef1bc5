package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import dev.defer.Deferred;
import dev.defer.Defers;
import dev.defer.Panic;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deferred lambdas that use the result slot or {@code recover()}, in open-coded methods: the agent expands
 * their bodies at the method's exit with the result in a local (Go's open-coded closure over the named
 * result), and hands the lambda object to the runtime only on the panic path. Every target logs through a
 * method of its own class, so that the open-coding screen sees all the code; {@link #theTargetsAreOpenCoded}
 * checks the strategy on the class the agent dumped, and the other tests check that Go's rules hold on both
 * paths, each beside the Go program it comes from.
 */
class ExpandedLambdaTest {

    static class Target {
        static final List<String> LOG = Collections.synchronizedList(new ArrayList<>());

        static void log(Object line) {
            LOG.add(String.valueOf(line));
        }

        /** Go: {@code defer func() { fmt.Println("saw", r) }(); return x * 2}. */
        @Defers
        static int readsResult(int x) {
            Defer.defer(() -> log("saw " + Defer.<Integer>result()));
            return x * 2;
        }

        /** Go: {@code defer func() { r *= 7 }(); defer func() { r += 1 }(); return x}: last in, first out. */
        @Defers
        static int chainsResult(int x) {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() * 7));
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 1));
            return x;
        }

        /**
         * Go: {@code defer func() { recover() }(); defer func() { r = 5; panic("x") }(); return 1} returns 5:
         * the assignment made before the panic stays.
         */
        @Defers
        static int setThenPanic() {
            Defer.defer(() -> log("recovered " + Defer.recover()));
            Defer.defer(() -> {
                Defer.setResult(5);
                throw Defer.panic("x");
            });
            return 1;
        }

        /** Go: inner's deferred recover() runs at inner's normal return: nil, though outer is panicking. */
        @Defers
        static void outerPanics() {
            Defer.defer(() -> innerRecovers());
            throw Defer.panic("outer");
        }

        @Defers
        static void innerRecovers() {
            Defer.defer(() -> log("inner recover " + Defer.recover()));
        }

        /** The same inner with a loop site, so with runtime records: the runtime's fast path says nil too. */
        @Defers
        static void outerPanicsInnerWithRecords() {
            Defer.defer(() -> innerRecoversWithRecords());
            throw Defer.panic("outer");
        }

        @Defers
        static void innerRecoversWithRecords() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("inner recover " + Defer.recover()));
                // A held call, not one made at the site: pooled records rather than lazy ones.
                Defer.defer(NOTHING);
            }
        }

        static final Deferred NOTHING = () -> { };

        /** The same inner with lazy records: its one call runs at its exit, outside the runtime; nil again. */
        @Defers
        static void outerPanicsInnerLazy() {
            Defer.defer(() -> innerRecoversLazily());
            throw Defer.panic("outer");
        }

        @Defers
        static void innerRecoversLazily() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("inner recover " + Defer.recover()));
            }
        }

        /** The panic path: the lambda object is made in the handler, with what it captured, and recovers. */
        @Defers
        static int panicsAndRecoversWithCapture(int k, String tag) {
            Defer.defer(() -> {
                Object p = Defer.recover();
                if (p != null) {
                    Defer.setResult(k * 10);
                    log(tag + " recovered " + p);
                }
            });
            if (k > 0) {
                throw new IllegalStateException("boom " + k);
            }
            return -1;
        }

        /** Wrong types fail as the runtime's setResult fails, naming the method and the fix. */
        @Defers
        static int wrongType() {
            Defer.defer(() -> Defer.setResult("seven"));
            return 1;
        }

        @Defers
        static long widens(int x) {
            Defer.defer(() -> Defer.setResult(Defer.<Long>result() + x));
            return 40L;
        }

        @Defers
        static double capturesWideValues(long a, double b, String c, int[] d) {
            Defer.defer(() -> Defer.setResult(Defer.<Double>result() + a + b + c.length() + d.length));
            return 0.5;
        }

        @Defers
        static boolean booleanResult(boolean b) {
            Defer.defer(() -> log("boolean " + Defer.<Boolean>result()));
            Defer.defer(() -> Defer.setResult(!Defer.<Boolean>result()));
            return b;
        }

        @Defers
        static char charResult() {
            Defer.defer(() -> Defer.setResult((char) (Defer.<Character>result() + 1)));
            return 'a';
        }

        @Defers
        static float floatResult() {
            Defer.defer(() -> Defer.setResult(Defer.<Float>result() * 2f));
            return 1.25f;
        }

        @Defers
        static String objectResult(String s) {
            Defer.defer(() -> Defer.setResult(Defer.<String>result() + "!"));
            return s;
        }

        @Defers
        static Object nullResult() {
            Defer.defer(() -> Defer.setResult(null));
            return "not null";
        }

        /** Deferred1 and Deferred2: the arguments are evaluated at the defer statement and cast for the body. */
        @Defers
        static int withArguments(int x) {
            Defer.<String>defer(s -> Defer.setResult(Defer.<Integer>result() + s.length()), "abc");
            Defer.<Integer, Integer>defer((a, b) -> Defer.setResult(Defer.<Integer>result() * a + b), x, 1);
            return 2;
        }

        /** Control flow inside the expanded body: a loop with an early return, and a try/catch. */
        @Defers
        static int controlFlowInTheBody() {
            Defer.defer(() -> {
                for (int i = 0; i < 5; i++) {
                    if (i == 3) {
                        return;
                    }
                    log("loop " + i);
                }
                log("not reached");
            });
            Defer.defer(() -> {
                try {
                    Integer.parseInt("x" + Defer.<Integer>result());
                } catch (NumberFormatException e) {
                    Defer.setResult(9);
                }
            });
            return 3;
        }

        /** An instance lambda: the expansion gets {@code this} from the captured value. */
        final int base;

        Target(int base) {
            this.base = base;
        }

        @Defers
        int instanceResult(int x) {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + base));
            return x;
        }

        /** An early return of the method: the slot holds that return's value. */
        @Defers
        static int severalExits(int x) {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 100));
            if (x < 0) {
                return -1;
            }
            return x;
        }

        /** Defer.defer inside a deferred lambda fails there (S13): such a body is never expanded. */
        @Defers
        static int nestedDefer() {
            Defer.defer(() -> {
                Defer.setResult(2);
                Defer.defer(() -> log("never"));
            });
            return 1;
        }

        /**
         * A lambda held in a variable is not one the agent vouches for: called directly, outside any
         * deferral, while a caller panics, its recover() must walk the stack and return nil. (The call of
         * {@code held.run()} is code the open-coding screen cannot follow, so both methods keep records.)
         */
        @Defers
        static void outerPanicsAndRunsAHeldLambda() {
            Defer.defer(() -> runsHeld());
            throw Defer.panic("p");
        }

        @Defers
        static void runsHeld() throws Exception {
            dev.defer.Deferred held = () -> log("held " + Defer.recover());
            Defer.defer(held);
            held.run();
        }

        /** A void method with a recover() lambda: expanded, and nil at a normal return. */
        @Defers
        static void voidRecover() {
            Defer.defer(() -> log("void recover " + Defer.recover()));
        }

        /** A void method that panics: the lambda recovers through the runtime. */
        @Defers
        static void voidPanicRecovered() {
            Defer.defer(() -> log("void recovered " + Defer.recover()));
            throw Defer.panic("v");
        }
    }

    @BeforeEach
    void clear() {
        Target.LOG.clear();
    }

    @Test
    void aDeferredLambdaReadsTheResult() {
        assertEquals(42, Target.readsResult(21));
        assertEquals(List.of("saw 42"), Target.LOG);
    }

    @Test
    void resultWritesChainLastInFirstOut() {
        assertEquals((4 + 1) * 7, Target.chainsResult(4));
    }

    @Test
    void aResultWrittenBeforeAPanicStaysWhenALaterCallRecovers() {
        assertEquals(5, Target.setThenPanic());
        assertEquals(List.of("recovered x"), Target.LOG);
    }

    @Test
    void recoverAtANormalReturnIsNilWhileACallerPanics() {
        Panic p = assertThrows(Panic.class, Target::outerPanics);
        assertEquals("outer", p.value());
        assertEquals(List.of("inner recover null"), Target.LOG);
        Target.LOG.clear();
        p = assertThrows(Panic.class, Target::outerPanicsInnerWithRecords);
        assertEquals("outer", p.value());
        assertEquals(List.of("inner recover null"), Target.LOG);
        Target.LOG.clear();
        p = assertThrows(Panic.class, Target::outerPanicsInnerLazy);
        assertEquals("outer", p.value());
        assertEquals(List.of("inner recover null"), Target.LOG);
    }

    @Test
    void thePanicPathMakesTheLambdaWithItsCapturedValues() {
        assertEquals(30, Target.panicsAndRecoversWithCapture(3, "t"));
        assertEquals(List.of("t recovered java.lang.IllegalStateException: boom 3"), Target.LOG);
        Target.LOG.clear();
        assertEquals(-1, Target.panicsAndRecoversWithCapture(0, "u"));
        assertEquals(List.of(), Target.LOG);
    }

    @Test
    void aWrongTypeFailsWithTheRuntimesMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Target::wrongType);
        assertTrue(e.getMessage().contains("Defer.setResult(java.lang.String)"), e.getMessage());
        assertTrue(e.getMessage().contains(Target.class.getName() + ".wrongType()"), e.getMessage());
        assertTrue(e.getMessage().contains("Fix: pass a value of type int"), e.getMessage());
    }

    @Test
    void everyResultTypeIsBoxedAndCheckedAsTheRuntimeDoes() {
        assertEquals(43L, Target.widens(3));
        assertEquals(0.5 + 2 + 1.5 + 3 + 4, Target.capturesWideValues(2L, 1.5, "abc", new int[4]));
        assertEquals(false, Target.booleanResult(true));
        assertEquals(List.of("boolean false"), Target.LOG);
        assertEquals('b', Target.charResult());
        assertEquals(2.5f, Target.floatResult());
        assertEquals("hi!", Target.objectResult("hi"));
        assertNull(Target.nullResult());
    }

    @Test
    void argumentsAreTheOnesEvaluatedAtTheDefer() {
        // LIFO: (2 * 5 + 1) first, then + "abc".length().
        assertEquals(2 * 5 + 1 + 3, Target.withArguments(5));
    }

    @Test
    void loopsReturnsAndCatchesInsideTheBodyWork() {
        assertEquals(9, Target.controlFlowInTheBody());
        assertEquals(List.of("loop 0", "loop 1", "loop 2"), Target.LOG);
    }

    @Test
    void instanceLambdasAndEarlyReturns() {
        assertEquals(17, new Target(10).instanceResult(7));
        assertEquals(99, Target.severalExits(-5));
        assertEquals(105, Target.severalExits(5));
    }

    @Test
    void voidMethodsRecoverOnlyOnThePanicPath() {
        Target.voidRecover();
        Target.voidPanicRecovered();
        assertEquals(List.of("void recover null", "void recovered v"), Target.LOG);
    }

    @Test
    void aHeldLambdaCalledDirectlyDoesNotRecover() {
        Panic p = assertThrows(Panic.class, Target::outerPanicsAndRunsAHeldLambda);
        assertEquals("p", p.value());
        assertEquals(List.of("held null", "held null"), Target.LOG);
    }

    @Test
    void aDeferInsideADeferredLambdaStillNamesTheLambda() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Target::nestedDefer);
        assertTrue(e.getMessage().contains("lambda$nestedDefer$"), e.getMessage());
        assertTrue(e.getMessage().contains("a lambda body is a method of its own"), e.getMessage());
    }

    @Test
    void theTargetsAreOpenCoded() throws Exception {
        Map<String, String> expected = new TreeMap<>();
        for (java.lang.reflect.Method method : Target.class.getDeclaredMethods()) {
            if (method.isAnnotationPresent(Defers.class)) {
                String name = method.getName();
                expected.put("Target." + name, name.equals("innerRecoversWithRecords") ? "pooled" : name.equals("innerRecoversLazily") ? "lazy"
                        : Set.of("nestedDefer", "runsHeld", "outerPanicsAndRunsAHeldLambda").contains(name) ? "stack-style"
                        : "open-coded");
            }
        }
        assertEquals(expected, StrategyMatrixTest.strategies(Target.class));
    }

    @Test
    void theClassGainsNoMember() throws Exception {
        org.objectweb.asm.tree.ClassNode original = new org.objectweb.asm.tree.ClassNode();
        try (java.io.InputStream in = Target.class.getResourceAsStream("ExpandedLambdaTest$Target.class")) {
            new org.objectweb.asm.ClassReader(in).accept(original, 0);
        }
        assertEquals(original.methods.size(), Target.class.getDeclaredMethods().length
                + Target.class.getDeclaredConstructors().length + 1 /* <clinit> */);
        assertArrayEquals(new Class<?>[0], Target.class.getInterfaces());
    }
}
