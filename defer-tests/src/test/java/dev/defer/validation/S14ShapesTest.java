package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import dev.defer.Defers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * S14 Every method shape: static, instance, private, synchronized, interface default and static, generic,
 * varargs, long and double parameters, the method's own try/catch/finally, switch, many returns, deep
 * recursion, a million deferred calls, and @Defers on a type.
 */
class S14ShapesTest {

    static class Target {
        private final String name;
        private int counter;

        Target(String name) {
            this.name = name;
        }

        @Defers
        static int staticMethod(Trace t) {
            Defer.defer(() -> t.log("static deferred"));
            return 1;
        }

        @Defers
        String instanceMethod(Trace t) {
            Defer.defer(() -> t.log("instance deferred", name, counter));
            counter++;
            return name + counter;
        }

        @Defers
        private int privateMethod(Trace t) {
            Defer.defer(() -> t.log("private deferred"));
            return 2;
        }

        int callsPrivate(Trace t) {
            return privateMethod(t);
        }

        @Defers
        private static int privateStatic() {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 1));
            return 2;
        }

        static int callsPrivateStatic() {
            return privateStatic();
        }

        /** The monitor is held while the deferred calls run, and released after. */
        @Defers
        synchronized int synchronizedMethod(AtomicBoolean heldDuringDeferred) {
            Defer.defer(() -> heldDuringDeferred.set(Thread.holdsLock(this)));
            return 3;
        }

        @Defers
        synchronized void synchronizedPanics(AtomicBoolean heldDuringDeferred) {
            Defer.defer(() -> heldDuringDeferred.set(Thread.holdsLock(this)));
            throw new IllegalStateException("inside the monitor");
        }

        @Defers
        synchronized int synchronizedRecovers(AtomicBoolean heldDuringDeferred) {
            Defer.defer(() -> {
                heldDuringDeferred.set(Thread.holdsLock(this));
                Defer.recover();
                Defer.setResult(5);
            });
            throw new IllegalStateException("recovered inside the monitor");
        }

        @Defers
        static synchronized int staticSynchronized(AtomicBoolean heldDuringDeferred) {
            Defer.defer(() -> heldDuringDeferred.set(Thread.holdsLock(Target.class)));
            return 4;
        }

        /** A synchronized block is released at the end of the block, before the deferred calls. */
        @Defers
        int synchronizedBlock(AtomicBoolean heldDuringDeferred) {
            synchronized (this) {
                Defer.defer(() -> heldDuringDeferred.set(Thread.holdsLock(this)));
                return 6;
            }
        }

        /** Waits inside the monitor: another thread may not enter until the deferred calls ran. */
        @Defers
        synchronized void holdsWhileDeferredRuns(CountDownLatch inDeferred, CountDownLatch release, Trace t) {
            Defer.defer(() -> {
                t.log("deferred call holds the monitor");
                inDeferred.countDown();
                release.await(1, TimeUnit.MINUTES);
                t.log("deferred call ends");
            });
        }

        synchronized void enter(Trace t) {
            t.log("other thread entered");
        }
    }

    interface Shape {
        double side();

        @Defers
        default double area(Trace t) {
            Defer.defer(() -> t.log("default method deferred"));
            Defer.defer(() -> Defer.setResult(Defer.<Double>result() * 2));
            return side() * side();
        }

        @Defers
        static Shape square(double side, Trace t) {
            Defer.defer(() -> t.log("interface static deferred"));
            return () -> side;
        }

        @Defers
        private int privateInterfaceMethod() {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 1));
            return 41;
        }

        default int callsPrivateInterfaceMethod() {
            return privateInterfaceMethod();
        }
    }

    static class Generic<T extends Comparable<T>> {
        @Defers
        T max(List<T> values, Trace t) {
            Defer.defer(() -> t.log("max", Defer.<T>result()));
            T best = null;
            for (T v : values) {
                if (best == null || v.compareTo(best) > 0) {
                    best = v;
                }
            }
            return best;
        }

        @Defers
        static <E> List<E> reversed(List<E> in) {
            List<E> out = new ArrayList<>();
            for (E e : in) {
                Defer.defer(out::add, e);
            }
            return out;
        }
    }

    static class Shapes {
        @Defers
        static int sum(int... values) {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() * 10));
            int s = 0;
            for (int v : values) {
                s += v;
            }
            return s;
        }

        @Defers
        static String join(String separator, Object... parts) {
            Defer.defer(v -> Defer.setResult(Defer.<String>result() + v), "!");
            StringBuilder b = new StringBuilder();
            for (Object p : parts) {
                if (b.length() > 0) {
                    b.append(separator);
                }
                b.append(p);
            }
            return b.toString();
        }

        /** Two-slot parameters and locals around the invocation's own state. */
        @Defers
        static double wide(long a, double b, int c, long d, float e, double f) {
            long local1 = a + d;
            double local2 = b * f;
            Defer.defer(() -> Defer.setResult(Defer.<Double>result() + local1));
            long local3 = local1 * 2;
            Defer.defer(x -> Defer.setResult(Defer.<Double>result() + x), local3);
            return local2 + c + e;
        }

        @Defers
        long wideInstance(long a, double b) {
            double twice = b * 2;
            Defer.defer(() -> Defer.setResult(Defer.<Long>result() + (long) twice));
            return a;
        }

        /** The method's own handlers catch first; finally runs before the deferred calls. */
        @Defers
        static int tryCatchFinally(Trace t) {
            Defer.defer(() -> t.log("deferred, recover saw", Defer.recover()));
            try {
                t.log("try");
                throw new IllegalStateException("x");
            } catch (IllegalStateException e) {
                t.log("catch");
                return 1;
            } finally {
                t.log("finally");
            }
        }

        @Defers
        static void finallyThenPanic(Trace t) {
            Defer.defer(() -> t.log("deferred, recover saw", Defer.recover()));
            try {
                t.log("try");
                throw new IllegalStateException("escapes the try");
            } finally {
                t.log("finally");
            }
        }

        @Defers
        static int nestedTry(Trace t) throws IOException {
            Defer.defer(() -> t.log("deferred"));
            try {
                try {
                    throw new IOException("inner");
                } catch (IOException e) {
                    t.log("inner catch", e);
                    throw new IllegalArgumentException("rethrown", e);
                } finally {
                    t.log("inner finally");
                }
            } catch (IllegalArgumentException e) {
                t.log("outer catch", e);
            } finally {
                t.log("outer finally");
            }
            return 7;
        }

        static final class Resource implements AutoCloseable {
            private final Trace t;

            Resource(Trace t) {
                this.t = t;
            }

            @Override
            public void close() {
                t.log("resource closed");
            }
        }

        @Defers
        static String tryWithResources(Trace t) {
            Defer.defer(() -> t.log("deferred"));
            try (Resource r = new Resource(t)) {
                t.log("using resource");
                return "done";
            }
        }

        /** A deferred call that itself uses try/catch/finally. */
        @Defers
        static int deferredWithItsOwnTry(Trace t) {
            Defer.defer(() -> {
                try {
                    throw new IllegalStateException("inside deferred");
                } catch (IllegalStateException e) {
                    t.log("deferred caught", e);
                } finally {
                    t.log("deferred finally");
                }
            });
            return 3;
        }

        @Defers
        static String tableSwitch(int n, Trace t) {
            Defer.defer(() -> t.log("switch deferred", Defer.<String>result()));
            switch (n) {
                case 0:
                    return "zero";
                case 1:
                    return "one";
                case 2:
                    return "two";
                case 3:
                    return "three";
                default:
                    break;
            }
            return "many";
        }

        @Defers
        static int lookupSwitch(int n) {
            Defer.defer(() -> Defer.setResult(-Defer.<Integer>result()));
            switch (n) {
                case -1000:
                    return 1;
                case 7:
                    return 2;
                case 1_000_000:
                    return 3;
                default:
                    return 4;
            }
        }

        enum Color { RED, GREEN, BLUE }

        @Defers
        static String stringAndEnumSwitch(String s, Color c) {
            Defer.defer(() -> Defer.setResult(Defer.<String>result().toUpperCase()));
            String prefix;
            switch (s) {
                case "a":
                    prefix = "A-";
                    break;
                case "b":
                    prefix = "B-";
                    break;
                default:
                    prefix = "?-";
            }
            switch (c) {
                case RED:
                    return prefix + "red";
                case GREEN:
                    return prefix + "green";
                default:
                    return prefix + "blue";
            }
        }

        @Defers
        static int switchExpression(Object o) {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 100));
            return switch (o.getClass().getSimpleName()) {
                case "String" -> 1;
                case "Integer" -> {
                    int i = (Integer) o;
                    yield i * 2;
                }
                default -> 0;
            };
        }

        /** Twelve return statements, each through the same exit logic. */
        @Defers
        static int manyReturns(int n) {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 1000));
            if (n == 0) {
                return 0;
            } else if (n == 1) {
                return 1;
            } else if (n == 2) {
                return 2;
            } else if (n == 3) {
                return 3;
            } else if (n == 4) {
                return 4;
            } else if (n == 5) {
                return 5;
            }
            for (int i = 6; i < 10; i++) {
                if (n == i) {
                    return i;
                }
            }
            while (n > 100) {
                if (n % 2 == 0) {
                    return 100;
                }
                return 101;
            }
            return n < 0 ? -1 : 10;
        }

        /** Labeled loops with break and continue. */
        @Defers
        static int labeled(Trace t) {
            int found = -1;
            outer:
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    if (j > i) {
                        continue outer;
                    }
                    if (i * j == 6) {
                        final int k = i * 10 + j;
                        Defer.defer(() -> t.log("found", k));
                        found = k;
                        break outer;
                    }
                }
            }
            return found;
        }

        /** Every level registers its own deferred calls; the deepest level's run first. */
        @Defers
        static int recurse(int n, int[] order, int[] next) {
            Defer.defer(() -> order[next[0]++] = n);
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 1));
            if (n == 0) {
                return 0;
            }
            return recurse(n - 1, order, next);
        }

        @Defers
        static int recursePanics(int n, AtomicInteger ran) {
            Defer.defer(ran::incrementAndGet);
            if (n == 0) {
                throw Defer.panic("bottom");
            }
            return recursePanics(n - 1, ran) + 1;
        }

        @Defers
        static Object recoverAtTheTop(int depth, AtomicInteger ran) {
            Defer.defer(() -> Defer.setResult(Defer.recover()));
            return recursePanics(depth, ran);
        }

        /** One invocation, a million deferred calls: they run LIFO, iteratively. */
        @Defers
        static long million(AtomicLong sum, AtomicInteger outOfOrder, int n) {
            int[] expected = {n - 1};
            for (int i = 0; i < n; i++) {
                Defer.defer(v -> {
                    if (v != expected[0]--) {
                        outOfOrder.incrementAndGet();
                    }
                    sum.addAndGet(v);
                }, i);
            }
            return n;
        }

        /** Loops, local classes, anonymous classes and arrays in one body. */
        @Defers
        static int busyBody(int n) {
            int[] squares = new int[n];
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + squares.length));
            for (int i = 0; i < n; i++) {
                squares[i] = i * i;
            }
            Runnable r = new Runnable() {
                @Override
                public void run() {
                    squares[0] = -1;
                }
            };
            r.run();
            int total = 0;
            for (int s : squares) {
                total += s;
            }
            return total;
        }

        /** The body's handlers cover the body only: a deferred call's panic at return is not theirs. */
        @Defers
        static int catchAllAroundReturn(Trace t) {
            Defer.defer(() -> {
                throw new IllegalStateException("deferred call failed");
            });
            try {
                return 1;
            } catch (Throwable e) {
                t.log("body caught", e);
                return 2;
            }
        }

        @Defers
        static int catchAllAroundReturnRecovered(Trace t) {
            Defer.defer(() -> t.log("recovered", Defer.recover()));
            Defer.defer(() -> {
                throw new IllegalStateException("deferred call failed");
            });
            try {
                return 1;
            } catch (Throwable e) {
                t.log("body caught", e);
                return 2;
            }
        }

        @Defers
        static int finallyAroundReturnRunsOnce(Trace t) {
            Defer.defer(() -> {
                throw new IllegalStateException("deferred call failed");
            });
            try {
                return 1;
            } finally {
                t.log("finally");
            }
        }

        @Defers
        static int retryLoop(Trace t) {
            Defer.defer(() -> {
                throw new IllegalStateException("deferred call failed");
            });
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    return attempt;
                } catch (RuntimeException e) {
                    t.log("retry after", e);
                }
            }
            return -1;
        }

        @Defers
        int synchronizedBlockAroundAPanickingReturn(Trace t) {
            Defer.defer(() -> {
                t.log("monitor held in deferred call", Thread.holdsLock(this));
                throw new IllegalStateException("deferred call failed");
            });
            synchronized (this) {
                try {
                    return 1;
                } catch (IllegalStateException e) {
                    t.log("body caught", e);
                    return 2;
                }
            }
        }

        /** A checked exception declared by the method. */
        @Defers
        static String throwsChecked(boolean fail, Trace t) throws IOException {
            Defer.defer(() -> t.log("deferred"));
            if (fail) {
                throw new IOException("declared");
            }
            return "ok";
        }
    }

    /** @Defers on a type: every declared method is rewritten. */
    @Defers
    static class Covered implements Comparable<Covered> {
        final int value;

        Covered(int value) {
            this.value = value;
        }

        static int staticOne() {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 1));
            return 1;
        }

        int instanceOne() {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + value));
            return 1;
        }

        private String privateOne() {
            Defer.defer(() -> Defer.setResult(Defer.<String>result() + "!"));
            return "private";
        }

        String callsPrivate() {
            return privateOne();
        }

        /** javac adds a synthetic bridge compareTo(Object), which calls this one. */
        @Override
        public int compareTo(Covered other) {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() * 10));
            return Integer.compare(value, other.value);
        }
    }

    /**
     * An abstract method in a class with @Defers methods; overrides are methods of their own. (@Defers on
     * the abstract method itself is rejected at class load: see S13MisuseTest.Unrewritable.)
     */
    abstract static class Base {
        abstract int abstractOne();

        @Defers
        int template() {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 100));
            return abstractOne();
        }
    }

    static final class PlainOverride extends Base {
        @Override
        int abstractOne() {
            return 1;
        }
    }

    static final class DefersOverride extends Base {
        @Override
        @Defers
        int abstractOne() {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 10));
            return 2;
        }
    }

    /** @Defers on an interface: abstract methods are skipped, default and static ones rewritten. */
    @Defers
    interface CoveredInterface {
        int abstractOne();

        default int defaultOne() {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + abstractOne()));
            return 10;
        }

        static int staticOne() {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() * 3));
            return 5;
        }
    }

    /** An inner (non-static) class, an enum and a record. */
    class Inner {
        @Defers
        int outerName(Trace t) {
            Defer.defer(() -> t.log("inner class deferred"));
            return S14ShapesTest.this.hashCode() == 0 ? 0 : 1;
        }
    }

    enum Operation {
        PLUS {
            @Override
            @Defers
            int apply(int a, int b) {
                Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 1000));
                return a + b;
            }
        },
        TIMES {
            @Override
            int apply(int a, int b) {
                return a * b;
            }
        };

        abstract int apply(int a, int b);

        @Defers
        String describe() {
            Defer.defer(() -> Defer.setResult(Defer.<String>result() + "."));
            return name().toLowerCase();
        }
    }

    record Pair(int left, int right) {
        @Defers
        int sum() {
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() * 2));
            return left + right;
        }
    }

    // ---- tests ----

    @Test
    void staticMethod() {
        Trace t = new Trace();
        assertEquals(1, Target.staticMethod(t));
        assertEquals(List.of("static deferred"), t.lines());
    }

    @Test
    void instanceMethodSeesItsFields() {
        Trace t = new Trace();
        Target target = new Target("n");
        assertEquals("n1", target.instanceMethod(t));
        assertEquals("n2", target.instanceMethod(t));
        assertEquals(List.of("instance deferred n 1", "instance deferred n 2"), t.lines());
    }

    @Test
    void privateMethods() {
        Trace t = new Trace();
        assertEquals(2, new Target("p").callsPrivate(t));
        assertEquals(List.of("private deferred"), t.lines());
        assertEquals(3, Target.callsPrivateStatic());
    }

    @Test
    void synchronizedMethodHoldsTheMonitorDuringDeferredCalls() {
        Target target = new Target("s");
        AtomicBoolean held = new AtomicBoolean();
        assertEquals(3, target.synchronizedMethod(held));
        assertTrue(held.get(), "the monitor was not held while the deferred call ran");
        assertFalse(Thread.holdsLock(target), "the monitor was not released");
    }

    @Test
    void synchronizedMethodHoldsTheMonitorDuringAPanic() {
        Target target = new Target("s");
        AtomicBoolean held = new AtomicBoolean();
        assertThrows(IllegalStateException.class, () -> target.synchronizedPanics(held));
        assertTrue(held.get());
        assertFalse(Thread.holdsLock(target));
        AtomicBoolean heldRecovering = new AtomicBoolean();
        assertEquals(5, target.synchronizedRecovers(heldRecovering));
        assertTrue(heldRecovering.get());
        assertFalse(Thread.holdsLock(target));
    }

    @Test
    void staticSynchronizedHoldsTheClassMonitor() {
        AtomicBoolean held = new AtomicBoolean();
        assertEquals(4, Target.staticSynchronized(held));
        assertTrue(held.get());
        assertFalse(Thread.holdsLock(Target.class));
    }

    @Test
    void synchronizedBlockIsReleasedBeforeTheDeferredCalls() {
        Target target = new Target("b");
        AtomicBoolean held = new AtomicBoolean(true);
        assertEquals(6, target.synchronizedBlock(held));
        assertFalse(held.get(), "a synchronized block's monitor is released at the block's end");
        assertFalse(Thread.holdsLock(target));
    }

    @Test
    void anotherThreadCannotEnterUntilTheDeferredCallsEnd() throws Exception {
        Target target = new Target("m");
        Trace t = new Trace();
        CountDownLatch inDeferred = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> target.holdsWhileDeferredRuns(inDeferred, release, t));
        holder.start();
        assertTrue(inDeferred.await(1, TimeUnit.MINUTES));
        Thread other = new Thread(() -> target.enter(t));
        other.start();
        other.join(200);
        assertTrue(other.isAlive(), "another thread entered the monitor while a deferred call ran");
        release.countDown();
        Threads.join(holder);
        Threads.join(other);
        assertEquals(List.of("deferred call holds the monitor", "deferred call ends", "other thread entered"), t.lines());
    }

    @Test
    void interfaceDefaultStaticAndPrivateMethods() {
        Trace t = new Trace();
        Shape square = Shape.square(3, t);
        assertEquals(18.0, square.area(t));
        assertEquals(42, square.callsPrivateInterfaceMethod());
        assertEquals(List.of("interface static deferred", "default method deferred"), t.lines());
    }

    @Test
    void genericMethods() {
        Trace t = new Trace();
        assertEquals("pear", new Generic<String>().max(List.of("apple", "pear", "fig"), t));
        assertEquals(9, new Generic<Integer>().max(List.of(3, 9, 1), t));
        assertEquals(List.of("max pear", "max 9"), t.lines());
        assertEquals(List.of(3, 2, 1), Generic.reversed(List.of(1, 2, 3)));
    }

    @Test
    void varargs() {
        assertEquals(60, Shapes.sum(1, 2, 3));
        assertEquals(0, Shapes.sum());
        assertEquals("a-b-1!", Shapes.join("-", "a", "b", 1));
    }

    @Test
    void longAndDoubleParametersAndLocals() {
        // local2 + c + e = 2.5 * 4.0 + 3 + 0.5 = 13.5; + local3 = (1 + 2) * 2 = 6; + local1 = 3 -> 22.5
        assertEquals(22.5, Shapes.wide(1L, 2.5, 3, 2L, 0.5f, 4.0));
        assertEquals((1L << 40) + 6, new Shapes().wideInstance(1L << 40, 3.0));
    }

    @Test
    void ownHandlersCatchFirstAndFinallyRunsBeforeTheDeferredCalls() {
        Trace t = new Trace();
        assertEquals(1, Shapes.tryCatchFinally(t));
        assertEquals(List.of("try", "catch", "finally", "deferred, recover saw <nil>"), t.lines());
    }

    @Test
    void finallyRunsBeforeTheDeferredCallsOfAPanic() {
        Trace t = new Trace();
        Shapes.finallyThenPanic(t);
        assertEquals(List.of("try", "finally", "deferred, recover saw escapes the try"), t.lines());
    }

    @Test
    void nestedTryStatements() throws IOException {
        Trace t = new Trace();
        assertEquals(7, Shapes.nestedTry(t));
        assertEquals(List.of("inner catch inner", "inner finally", "outer catch rethrown", "outer finally", "deferred"), t.lines());
    }

    @Test
    void tryWithResourcesClosesBeforeTheDeferredCalls() {
        Trace t = new Trace();
        assertEquals("done", Shapes.tryWithResources(t));
        assertEquals(List.of("using resource", "resource closed", "deferred"), t.lines());
    }

    @Test
    void deferredCallWithItsOwnTry() {
        Trace t = new Trace();
        assertEquals(3, Shapes.deferredWithItsOwnTry(t));
        assertEquals(List.of("deferred caught inside deferred", "deferred finally"), t.lines());
    }

    @Test
    void switches() {
        Trace t = new Trace();
        assertEquals("zero", Shapes.tableSwitch(0, t));
        assertEquals("three", Shapes.tableSwitch(3, t));
        assertEquals("many", Shapes.tableSwitch(17, t));
        assertEquals(List.of("switch deferred zero", "switch deferred three", "switch deferred many"), t.lines());
        assertEquals(-1, Shapes.lookupSwitch(-1000));
        assertEquals(-3, Shapes.lookupSwitch(1_000_000));
        assertEquals(-4, Shapes.lookupSwitch(8));
        assertEquals("A-RED", Shapes.stringAndEnumSwitch("a", Shapes.Color.RED));
        assertEquals("?-BLUE", Shapes.stringAndEnumSwitch("z", Shapes.Color.BLUE));
        assertEquals(101, Shapes.switchExpression("s"));
        assertEquals(114, Shapes.switchExpression(7));
        assertEquals(100, Shapes.switchExpression(1.0));
    }

    @Test
    void manyReturns() {
        for (int n = 0; n < 10; n++) {
            assertEquals(1000 + n, Shapes.manyReturns(n));
        }
        assertEquals(1100, Shapes.manyReturns(102));
        assertEquals(1101, Shapes.manyReturns(101));
        assertEquals(999, Shapes.manyReturns(-5));
        assertEquals(1010, Shapes.manyReturns(50));
    }

    @Test
    void labeledBreakAndContinue() {
        Trace t = new Trace();
        assertEquals(32, Shapes.labeled(t));
        assertEquals(List.of("found 32"), t.lines());
    }

    @Test
    void recursionTenThousandDeepEachLevelWithItsOwnDeferredCalls() {
        int depth = 10_000;
        int[] order = new int[depth + 1];
        int[] next = {0};
        int[] result = {-1};
        Threads.Ended ended = Threads.run(256L * 1024 * 1024, () -> result[0] = Shapes.recurse(depth, order, next));
        assertTrue(ended.uncaught().isEmpty(), String.valueOf(ended.uncaught()));
        assertEquals(depth + 1, result[0], "each level adds 1 to its own result");
        assertEquals(depth + 1, next[0]);
        for (int i = 0; i <= depth; i++) {
            if (order[i] != i) {
                throw new AssertionError("level " + order[i] + " ran its deferred calls in position " + i);
            }
        }
    }

    @Test
    void panicThroughTenThousandLevels() {
        AtomicInteger ran = new AtomicInteger();
        Object[] result = new Object[1];
        Threads.Ended ended = Threads.run(256L * 1024 * 1024, () -> result[0] = Shapes.recoverAtTheTop(10_000, ran));
        assertTrue(ended.uncaught().isEmpty(), String.valueOf(ended.uncaught()));
        assertEquals("bottom", result[0]);
        assertEquals(10_001, ran.get());
    }

    @Test
    void aMillionDeferredCallsInOneInvocation() {
        int n = 1_000_000;
        AtomicLong sum = new AtomicLong();
        AtomicInteger outOfOrder = new AtomicInteger();
        long[] result = new long[1];
        // A small stack: running the deferred calls must not grow it.
        Threads.Ended ended = Threads.run(256 * 1024, () -> result[0] = Shapes.million(sum, outOfOrder, n));
        assertTrue(ended.uncaught().isEmpty(), String.valueOf(ended.uncaught()));
        assertEquals(n, result[0]);
        assertEquals((long) n * (n - 1) / 2, sum.get());
        assertEquals(0, outOfOrder.get());
    }

    @Test
    void busyBody() {
        // 1 + 4 + 9 + 16 = 30, squares[0] = -1 -> 29, + length 5 -> 34
        assertEquals(34, Shapes.busyBody(5));
    }

    @Test
    void theBodysCatchAllDoesNotCatchADeferredCallsPanic() {
        Trace t = new Trace();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Shapes.catchAllAroundReturn(t));
        assertEquals("deferred call failed", e.getMessage());
        assertEquals(List.of(), t.lines());
    }

    @Test
    void theBodysCatchAllDoesNotCatchADeferredCallsPanicThatALaterOneRecovers() {
        Trace t = new Trace();
        assertEquals(1, Shapes.catchAllAroundReturnRecovered(t));
        assertEquals(List.of("recovered deferred call failed"), t.lines());
    }

    @Test
    void finallyAroundAReturnRunsOnceEvenWhenADeferredCallPanics() {
        Trace t = new Trace();
        assertThrows(IllegalStateException.class, () -> Shapes.finallyAroundReturnRunsOnce(t));
        assertEquals(List.of("finally"), t.lines());
    }

    @Test
    void aRetryLoopDoesNotRetryADeferredCallsPanic() {
        Trace t = new Trace();
        assertThrows(IllegalStateException.class, () -> Shapes.retryLoop(t));
        assertEquals(List.of(), t.lines());
    }

    @Test
    void synchronizedBlockAroundAReturnWhoseDeferredCallPanics() {
        Trace t = new Trace();
        Shapes target = new Shapes();
        assertThrows(IllegalStateException.class, () -> target.synchronizedBlockAroundAPanickingReturn(t));
        assertEquals(List.of("monitor held in deferred call false"), t.lines());
        assertFalse(Thread.holdsLock(target));
    }

    @Test
    void abstractDefersMethodsAndTheirOverrides() {
        assertEquals(101, new PlainOverride().template());
        assertEquals(112, new DefersOverride().template());
        assertEquals(12, new DefersOverride().abstractOne());
    }

    @Test
    void defersOnAnInterfaceCoversItsDefaultAndStaticMethods() {
        CoveredInterface seven = () -> 7;
        assertEquals(17, seven.defaultOne());
        assertEquals(15, CoveredInterface.staticOne());
    }

    @Test
    void declaredCheckedException() throws IOException {
        Trace t = new Trace();
        assertEquals("ok", Shapes.throwsChecked(false, t));
        IOException e = assertThrows(IOException.class, () -> Shapes.throwsChecked(true, t));
        assertEquals("declared", e.getMessage());
        assertEquals(List.of("deferred", "deferred"), t.lines());
    }

    @Test
    void defersOnATypeCoversEveryMethod() {
        assertEquals(2, Covered.staticOne());
        assertEquals(6, new Covered(5).instanceOne());
        assertEquals("private!", new Covered(0).callsPrivate());
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void bridgeMethodReachesTheRewrittenMethod() {
        Comparable raw = new Covered(2);
        assertEquals(10, raw.compareTo(new Covered(1)));
        assertEquals(-10, new Covered(1).compareTo(new Covered(2)));
    }

    @Test
    void constructorsOfADefersTypeRunNormally() {
        assertEquals(9, new Covered(9).value);
    }

    @Test
    void innerClassEnumAndRecordMethods() {
        Trace t = new Trace();
        assertEquals(1, new Inner().outerName(t));
        assertEquals(List.of("inner class deferred"), t.lines());
        assertEquals(1003, Operation.PLUS.apply(1, 2));
        assertEquals(6, Operation.TIMES.apply(2, 3));
        assertEquals("times.", Operation.TIMES.describe());
        assertEquals(14, new Pair(3, 4).sum());
    }
}
