package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import dev.defer.Defers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, part 4: fault injection. Stack overflows at many depths around a recursion with defers (inside
 * the runtime's own code too, while it runs deferred calls), {@code OutOfMemoryError}s thrown by deferred
 * calls, exceptions from every deferred call position, and thread interruption during a deferred call.
 * After each fault the thread's defer state is clean (S12), no deferred call ran twice or for the wrong
 * invocation, and no throwable was lost: each is the propagated one or among its suppressed ones (S9).
 *
 * <p>Every scenario runs on the four strategies. How each is forced (as in {@link StrategyMatrixTest}):
 * {@link OpenCoded}'s deferred calls reach only the platform (a {@code java.util.function} interface, the
 * atomics) and its own class; {@link StackStyle}'s reach {@link Relay}, another application class, which
 * open-coding does not follow; {@link Pooled} puts its sites in a loop; {@link Lazy} too, with calls of its own
 * class only.
 */
class FaultInjectionTest {

    static final String NOT_ASKED = "recover() not called";

    enum Strategy { OPEN_CODED, STACK_STYLE, POOLED, LAZY }

    static RuntimeException sneaky(Throwable t) {
        throw FaultInjectionTest.<RuntimeException>uncheckedThrow(t);
    }

    @SuppressWarnings("unchecked")
    static <T extends Throwable> RuntimeException uncheckedThrow(Throwable t) throws T {
        throw (T) t;
    }

    // ---------------------------------------------------------------------------------------------
    // Targets: n deferred calls (n <= 5); the call at position i runs step.accept(i, what recover() gave,
    // or NOT_ASKED); the body then throws bodyThrows, if not null, or returns 7.

    static class OpenCoded {
        static RuntimeException rethrow(Throwable t) {
            throw OpenCoded.<RuntimeException>unchecked(t);
        }

        @SuppressWarnings("unchecked")
        static <T extends Throwable> RuntimeException unchecked(Throwable t) throws T {
            throw (T) t;
        }

        @Defers
        static int run(int n, Throwable bodyThrows, boolean[] recovers, BiConsumer<Integer, Object> step) {
            if (n > 0) {
                Defer.defer(() -> step.accept(0, recovers[0] ? Defer.recover() : NOT_ASKED));
            }
            if (n > 1) {
                Defer.defer(() -> step.accept(1, recovers[1] ? Defer.recover() : NOT_ASKED));
            }
            if (n > 2) {
                Defer.defer(() -> step.accept(2, recovers[2] ? Defer.recover() : NOT_ASKED));
            }
            if (n > 3) {
                Defer.defer(() -> step.accept(3, recovers[3] ? Defer.recover() : NOT_ASKED));
            }
            if (n > 4) {
                Defer.defer(() -> step.accept(4, recovers[4] ? Defer.recover() : NOT_ASKED));
            }
            if (bodyThrows != null) {
                throw rethrow(bodyThrows);
            }
            return 7;
        }

        /** A level of the overflow recursion: three deferred calls, each recursing a little itself. */
        @Defers
        static int dive(int level, AtomicIntegerArray tried, AtomicIntegerArray ran, AtomicIntegerArray when) {
            tried.set(level * 3, 1);
            Defer.defer(() -> burn(level * 3, ran, when, 4));
            tried.set(level * 3 + 1, 1);
            Defer.defer(() -> burn(level * 3 + 1, ran, when, 12));
            tried.set(level * 3 + 2, 1);
            Defer.defer(() -> burn(level * 3 + 2, ran, when, 24));
            return dive(level + 1, tried, ran, when) + 1;
        }

        /** The recursion that goes on inside a deferred call: call 0 (which runs last) recurses. */
        @Defers
        static int nest(int level, AtomicIntegerArray tried, AtomicIntegerArray ran, AtomicIntegerArray when) {
            tried.set(level * 3, 1);
            Defer.defer(() -> {
                burn(level * 3, ran, when, 0);
                nest(level + 1, tried, ran, when);
            });
            tried.set(level * 3 + 1, 1);
            Defer.defer(() -> burn(level * 3 + 1, ran, when, 4));
            tried.set(level * 3 + 2, 1);
            Defer.defer(() -> burn(level * 3 + 2, ran, when, 12));
            return level;
        }

        /** Marks the call as run (with its place in the run order), then recurses {@code frames} deep. */
        static int burn(int index, AtomicIntegerArray ran, AtomicIntegerArray when, int frames) {
            if (ran != null) {
                when.set(index, when.incrementAndGet(0 + when.length() - 1));
                ran.incrementAndGet(index);
            }
            return frames == 0 ? 0 : burn(index, null, null, frames - 1) + 1;
        }
    }

    static class StackStyle {
        @Defers
        static int run(int n, Throwable bodyThrows, boolean[] recovers, BiConsumer<Integer, Object> step) {
            if (n > 0) {
                Defer.defer(() -> Relay.step(step, 0, recovers[0] ? Defer.recover() : NOT_ASKED));
            }
            if (n > 1) {
                Defer.defer(() -> Relay.step(step, 1, recovers[1] ? Defer.recover() : NOT_ASKED));
            }
            if (n > 2) {
                Defer.defer(() -> Relay.step(step, 2, recovers[2] ? Defer.recover() : NOT_ASKED));
            }
            if (n > 3) {
                Defer.defer(() -> Relay.step(step, 3, recovers[3] ? Defer.recover() : NOT_ASKED));
            }
            if (n > 4) {
                Defer.defer(() -> Relay.step(step, 4, recovers[4] ? Defer.recover() : NOT_ASKED));
            }
            if (bodyThrows != null) {
                throw sneaky(bodyThrows);
            }
            return 7;
        }

        @Defers
        static int dive(int level, AtomicIntegerArray tried, AtomicIntegerArray ran, AtomicIntegerArray when) {
            tried.set(level * 3, 1);
            Defer.defer(() -> Relay.burn(level * 3, ran, when, 4));
            tried.set(level * 3 + 1, 1);
            Defer.defer(() -> Relay.burn(level * 3 + 1, ran, when, 12));
            tried.set(level * 3 + 2, 1);
            Defer.defer(() -> Relay.burn(level * 3 + 2, ran, when, 24));
            return dive(level + 1, tried, ran, when) + 1;
        }

        @Defers
        static int nest(int level, AtomicIntegerArray tried, AtomicIntegerArray ran, AtomicIntegerArray when) {
            tried.set(level * 3, 1);
            Defer.defer(() -> {
                Relay.burn(level * 3, ran, when, 0);
                nest(level + 1, tried, ran, when);
            });
            tried.set(level * 3 + 1, 1);
            Defer.defer(() -> Relay.burn(level * 3 + 1, ran, when, 4));
            tried.set(level * 3 + 2, 1);
            Defer.defer(() -> Relay.burn(level * 3 + 2, ran, when, 12));
            return level;
        }
    }

    static class Pooled {
        @Defers
        static int run(int n, Throwable bodyThrows, boolean[] recovers, BiConsumer<Integer, Object> step) {
            for (int i = 0; i < n; i++) {
                int k = i;
                Defer.defer(() -> step.accept(k, recovers[k] ? Defer.recover() : NOT_ASKED));
            }
            if (bodyThrows != null) {
                throw sneaky(bodyThrows);
            }
            return 7;
        }

        @Defers
        static int dive(int level, AtomicIntegerArray tried, AtomicIntegerArray ran, AtomicIntegerArray when) {
            for (int i = 0; i < 3; i++) {
                int index = level * 3 + i;
                int frames = i == 0 ? 4 : i == 1 ? 12 : 24;
                tried.set(index, 1);
                Defer.defer(() -> OpenCoded.burn(index, ran, when, frames));
            }
            return dive(level + 1, tried, ran, when) + 1;
        }

        @Defers
        static int nest(int level, AtomicIntegerArray tried, AtomicIntegerArray ran, AtomicIntegerArray when) {
            for (int i = 0; i < 3; i++) {
                int index = level * 3 + i;
                int frames = i == 0 ? 0 : i == 1 ? 4 : 12;
                tried.set(index, 1);
                Defer.defer(() -> {
                    OpenCoded.burn(index, ran, when, frames);
                    if (index == level * 3) {
                        nest(level + 1, tried, ran, when);
                    }
                });
            }
            return level;
        }
    }

    /**
     * Lazy records: Pooled's dive and nest with a burn of their own, so that every deferred call passes the
     * open-coding screen. Each level keeps its first call in its local until the second defer enters the
     * runtime, so an overflow can land in that hand-over too. (run's deferred calls go through a
     * {@code BiConsumer}, which the screen refuses: the LAZY strategy runs Pooled.run there.)
     */
    static class Lazy {
        @Defers
        static int dive(int level, AtomicIntegerArray tried, AtomicIntegerArray ran, AtomicIntegerArray when) {
            for (int i = 0; i < 3; i++) {
                int index = level * 3 + i;
                int frames = i == 0 ? 4 : i == 1 ? 12 : 24;
                tried.set(index, 1);
                Defer.defer(() -> burn(index, ran, when, frames));
            }
            return dive(level + 1, tried, ran, when) + 1;
        }

        @Defers
        static int nest(int level, AtomicIntegerArray tried, AtomicIntegerArray ran, AtomicIntegerArray when) {
            for (int i = 0; i < 3; i++) {
                int index = level * 3 + i;
                int frames = i == 0 ? 0 : i == 1 ? 4 : 12;
                tried.set(index, 1);
                Defer.defer(() -> {
                    burn(index, ran, when, frames);
                    if (index == level * 3) {
                        nest(level + 1, tried, ran, when);
                    }
                });
            }
            return level;
        }

        /** OpenCoded.burn, in this class. */
        static int burn(int index, AtomicIntegerArray ran, AtomicIntegerArray when, int frames) {
            if (ran != null) {
                when.set(index, when.incrementAndGet(0 + when.length() - 1));
                ran.incrementAndGet(index);
            }
            return frames == 0 ? 0 : burn(index, null, null, frames - 1) + 1;
        }
    }

    static class Relay {
        static void step(BiConsumer<Integer, Object> step, int i, Object recovered) {
            step.accept(i, recovered);
        }

        static int burn(int index, AtomicIntegerArray ran, AtomicIntegerArray when, int frames) {
            return OpenCoded.burn(index, ran, when, frames);
        }
    }

    static int run(Strategy s, int n, Throwable bodyThrows, boolean[] recovers, BiConsumer<Integer, Object> step) {
        switch (s) {
            case OPEN_CODED:
                return OpenCoded.run(n, bodyThrows, recovers, step);
            case STACK_STYLE:
                return StackStyle.run(n, bodyThrows, recovers, step);
            default:
                return Pooled.run(n, bodyThrows, recovers, step);
        }
    }

    static int nest(Strategy s, AtomicIntegerArray tried, AtomicIntegerArray ran, AtomicIntegerArray when) {
        switch (s) {
            case OPEN_CODED:
                return OpenCoded.nest(0, tried, ran, when);
            case STACK_STYLE:
                return StackStyle.nest(0, tried, ran, when);
            case LAZY:
                return Lazy.nest(0, tried, ran, when);
            default:
                return Pooled.nest(0, tried, ran, when);
        }
    }

    static int dive(Strategy s, AtomicIntegerArray tried, AtomicIntegerArray ran, AtomicIntegerArray when) {
        switch (s) {
            case OPEN_CODED:
                return OpenCoded.dive(0, tried, ran, when);
            case STACK_STYLE:
                return StackStyle.dive(0, tried, ran, when);
            case LAZY:
                return Lazy.dive(0, tried, ran, when);
            default:
                return Pooled.dive(0, tried, ran, when);
        }
    }

    /** S12 after a fault: nothing active on this thread, and a fresh invocation runs its own calls only. */
    static String stateAfterFault(Strategy s) {
        StringBuilder seen = new StringBuilder();
        try {
            Defer.result();
            seen.append("an invocation was left active");
        } catch (IllegalStateException expected) {
            seen.append("clean");
        }
        Object r = Defer.recover();
        if (r != null) {
            seen.append(", recover() outside any invocation returned ").append(r);
        }
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        int got = run(s, 3, null, new boolean[5], (i, rec) -> order.add(i));
        if (got != 7 || !order.equals(List.of(2, 1, 0))) {
            seen.append(", a fresh invocation returned ").append(got).append(" and ran ").append(order);
        }
        return seen.toString();
    }

    /** Every throwable in the tree of {@code top} and its suppressed ones (causes not followed), each once. */
    static List<Throwable> suppressedTree(Throwable top) {
        List<Throwable> all = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> todo = new ArrayList<>(List.of(top));
        while (!todo.isEmpty()) {
            Throwable t = todo.remove(todo.size() - 1);
            if (seen.add(t)) {
                all.add(t);
                todo.addAll(Arrays.asList(t.getSuppressed()));
            } else {
                throw new AssertionError("a throwable appears twice in the suppressed tree: " + t);
            }
        }
        return all;
    }

    // ---------------------------------------------------------------------------------------------
    // Exceptions from every position.

    static Throwable exceptionFor(int i) {
        switch (i % 3) {
            case 0:
                return new IOException("deferred " + i);              // checked
            case 1:
                return new IllegalArgumentException("deferred " + i);  // unchecked
            default:
                return new AssertionError("deferred " + i);            // an Error, but recoverable
        }
    }

    /**
     * For n = 1..5, every subset of positions throws (a checked, an unchecked or an Error, by position),
     * with and without a panicking body. Deferred calls run last-in-first-out, so the throwables arrive in
     * the order: body, then the throwing positions from n-1 down to 0. The one that propagates is the last
     * of them (the same object); each one's suppressed list is exactly the one it replaced (S9), so the
     * whole chain is there and none is lost. Every deferred call runs exactly once, in order.
     */
    @Test
    void exceptionsFromEveryPositionEveryStrategy() {
        List<String> failures = new ArrayList<>();
        int cases = 0;
        for (Strategy s : Strategy.values()) {
            for (int n = 1; n <= 5; n++) {
                for (int mask = 0; mask < 1 << n; mask++) {
                    for (int body = 0; body < 2; body++) {
                        for (int recoverLast = 0; recoverLast < 2; recoverLast++) {
                            if (recoverLast == 1 && (mask & 1) != 0) {
                                continue; // position 0 recovers instead of throwing
                            }
                            cases++;
                            String where = s + " n=" + n + " throwing=" + Integer.toBinaryString(mask)
                                    + (body == 1 ? " body panics" : "") + (recoverLast == 1 ? " position 0 recovers" : "");
                            String problem = positions(s, n, mask, body == 1, recoverLast == 1);
                            if (problem != null) {
                                failures.add(where + ": " + problem);
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), failures, cases + " cases");
        assertEquals("clean", stateAfterFault(Strategy.STACK_STYLE));
    }

    static String positions(Strategy s, int n, int mask, boolean bodyPanics, boolean recoverLast) {
        List<Throwable> expected = new ArrayList<>(); // in the order they are thrown
        Throwable body = bodyPanics ? new IllegalStateException("body") : null;
        if (body != null) {
            expected.add(body);
        }
        Throwable[] thrown = new Throwable[n];
        for (int i = n - 1; i >= 0; i--) {
            if ((mask & 1 << i) != 0) {
                thrown[i] = exceptionFor(i);
                expected.add(thrown[i]);
            }
        }
        boolean[] recovers = new boolean[5];
        recovers[0] = recoverLast;
        List<Integer> order = new ArrayList<>();
        AtomicReference<Object> recovered = new AtomicReference<>(NOT_ASKED);
        Thread me = Thread.currentThread();
        List<String> wrong = new ArrayList<>();
        Throwable escaped = null;
        int result = -1;
        try {
            result = run(s, n, body, recovers, (i, rec) -> {
                if (Thread.currentThread() != me) {
                    wrong.add("ran on another thread");
                }
                order.add(i);
                if (i == 0 && recoverLast) {
                    recovered.set(rec);
                }
                if (thrown[i] != null) {
                    throw sneaky(thrown[i]);
                }
            });
        } catch (Throwable t) {
            escaped = t;
        }
        List<Integer> lifo = new ArrayList<>();
        for (int i = n - 1; i >= 0; i--) {
            lifo.add(i);
        }
        if (!order.equals(lifo)) {
            return "ran " + order + ", expected " + lifo;
        }
        if (!wrong.isEmpty()) {
            return wrong.get(0);
        }
        Throwable last = expected.isEmpty() ? null : expected.get(expected.size() - 1);
        if (recoverLast) {
            if (escaped != null) {
                return "recovered, yet " + escaped + " escaped";
            }
            if (recovered.get() != last) {
                return "recover() returned " + recovered.get() + ", expected " + last;
            }
            // S9: a recovered panic of a deferred call returns the slot as return set it; S5: a panicking
            // body leaves the zero value there
            if (result != (bodyPanics ? 0 : 7)) {
                return "returned " + result;
            }
        } else if (last == null) {
            if (escaped != null || result != 7) {
                return "returned " + result + ", escaped " + escaped;
            }
        } else if (escaped != last) {
            return "escaped " + escaped + ", expected " + last;
        }
        // The chain: each throwable's suppressed list is exactly the one it replaced.
        for (int j = 0; j < expected.size(); j++) {
            List<Throwable> want = j == 0 ? List.of() : List.of(expected.get(j - 1));
            List<Throwable> got = Arrays.asList(expected.get(j).getSuppressed());
            if (!got.equals(want)) {
                return expected.get(j) + " has suppressed " + got + ", expected " + want;
            }
        }
        if (last != null && suppressedTree(last).size() != expected.size()) {
            return "the suppressed tree has " + suppressedTree(last).size() + " throwables, expected " + expected.size();
        }
        String state = stateAfterFault(s);
        return state.equals("clean") ? null : state;
    }

    // ---------------------------------------------------------------------------------------------
    // OutOfMemoryError from a deferred call.

    /**
     * The call at position k of n throws {@code new OutOfMemoryError("injected")}; the calls that run after
     * it (positions below k) call {@code recover()}. All other calls still run, once each, in order; each
     * recover() returns null (S8: a VirtualMachineError cannot be recovered); the same OOM propagates, with
     * the body's panic, when there was one, as its only suppressed throwable.
     */
    @Test
    void outOfMemoryErrorFromADeferredCall() {
        List<String> failures = new ArrayList<>();
        int cases = 0;
        for (Strategy s : Strategy.values()) {
            for (int n = 1; n <= 5; n++) {
                for (int k = 0; k < n; k++) {
                    for (int body = 0; body < 2; body++) {
                        cases++;
                        String problem = outOfMemory(s, n, k, body == 1);
                        if (problem != null) {
                            failures.add(s + " n=" + n + " k=" + k + (body == 1 ? " body panics" : "") + ": " + problem);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), failures, cases + " cases");
    }

    static String outOfMemory(Strategy s, int n, int k, boolean bodyPanics) {
        OutOfMemoryError oom = new OutOfMemoryError("injected");
        Throwable body = bodyPanics ? new IllegalStateException("body") : null;
        boolean[] recovers = new boolean[5];
        for (int i = 0; i < k; i++) {
            recovers[i] = true;
        }
        List<Integer> order = new ArrayList<>();
        List<Object> recoveredValues = new ArrayList<>();
        Throwable escaped = null;
        try {
            run(s, n, body, recovers, (i, rec) -> {
                order.add(i);
                if (i < k) {
                    recoveredValues.add(rec);
                }
                if (i == k) {
                    throw oom;
                }
            });
        } catch (Throwable t) {
            escaped = t;
        }
        List<Integer> lifo = new ArrayList<>();
        for (int i = n - 1; i >= 0; i--) {
            lifo.add(i);
        }
        if (!order.equals(lifo)) {
            return "ran " + order + ", expected " + lifo;
        }
        if (!recoveredValues.equals(Collections.nCopies(k, null))) {
            return "recover() after the OOM returned " + recoveredValues;
        }
        if (escaped != oom) {
            return "escaped " + escaped + ", expected the injected OOM";
        }
        List<Throwable> want = body == null ? List.of() : List.of(body);
        if (!Arrays.asList(oom.getSuppressed()).equals(want)) {
            return "the OOM has suppressed " + Arrays.toString(oom.getSuppressed()) + ", expected " + want;
        }
        String state = stateAfterFault(s);
        return state.equals("clean") ? null : state;
    }

    // ---------------------------------------------------------------------------------------------
    // Stack overflow at many depths.

    static final int MAX_LEVELS = 200_000;

    static int pad(int frames, java.util.function.IntSupplier then) {
        return frames == 0 ? then.getAsInt() : pad(frames - 1, then) + 1;
    }

    /** What one overflow run saw. */
    static final class Overflow {
        final AtomicIntegerArray tried = new AtomicIntegerArray(MAX_LEVELS * 3);
        final AtomicIntegerArray ran = new AtomicIntegerArray(MAX_LEVELS * 3);
        /** The place of each call in the run order; the last entry is the counter. */
        final AtomicIntegerArray when = new AtomicIntegerArray(MAX_LEVELS * 3 + 1);
        Throwable thrown;
        String after;
        final List<Throwable> uncaught = new ArrayList<>();
    }

    static Overflow overflowOnce(Strategy s, boolean nested, long stackSize, int padFrames) {
        Overflow o = new Overflow();
        Threads.Ended ended = Threads.run(stackSize, () -> {
            try {
                pad(padFrames, () -> nested ? nest(s, o.tried, o.ran, o.when) : dive(s, o.tried, o.ran, o.when));
            } catch (Throwable t) {
                o.thrown = t;
            }
            o.after = stateAfterFault(s);
        });
        o.uncaught.addAll(ended.uncaught());
        return o;
    }

    /**
     * A recursion with three deferred calls per level (each deferred call recursing 4 to 24 plain frames
     * itself) overflows the stack of fresh threads of several sizes, behind 0 to 15 plain frames, so that
     * the overflow lands at many places: in the bodies, in the runtime's entry and registration code, in
     * the exit and panic code while it runs deferred calls, and in the deferred calls. What must hold
     * wherever it lands:
     *
     * <ul>
     *   <li>a StackOverflowError reaches the thread's plain code, and every throwable in its suppressed
     *       tree is one too (an SOE in a deferred call replaces the panic and keeps it, S9);
     *   <li>no deferred call ran twice; a call ran only if its registration was attempted; the calls
     *       ran innermost level first and, within a level, last-in-first-out (S6, S12: no call ran for
     *       another invocation or after a later one);
     *   <li>every call registered at a level more than {@link #SAFE_MARGIN} levels above the deepest one
     *       ran exactly once: there the stack had room again. Calls of the levels near the overflow may
     *       not run at all (their exit was itself interrupted by an overflow, and S12 discards their
     *       records): that is the one loss allowed;
     *   <li>afterwards the thread is clean: nothing active, recover() null, a fresh invocation works.
     * </ul>
     */
    @Test
    void stackOverflowAtEveryDepth() {
        warmUp();
        List<String> failures = new ArrayList<>();
        int runs = 0;
        int inRuntime = 0;
        int soes = 0;
        for (Strategy s : Strategy.values()) {
          for (boolean nested : new boolean[] {false, true}) {
            for (long stackKb : new long[] {256, 260, 264, 300}) {
                for (int padFrames = 0; padFrames < 12; padFrames++) {
                    runs++;
                    Overflow o = overflowOnce(s, nested, stackKb * 1024, padFrames);
                    String where = s + (nested ? " nested" : "") + " stack " + stackKb + "K pad " + padFrames;
                    String problem = nested ? checkNested(o) : checkOverflow(o);
                    if (problem != null) {
                        failures.add(where + ": " + problem);
                        continue;
                    }
                    for (Throwable t : suppressedTree(o.thrown)) {
                        soes++;
                        StackTraceElement[] trace = t.getStackTrace();
                        if (trace.length > 0 && trace[0].getClassName().startsWith("dev.defer.internal.")) {
                            inRuntime++;
                        }
                    }
                }
            }
          }
        }
        assertEquals(List.of(), failures, runs + " runs");
        System.out.println("FaultInjectionTest: " + runs + " overflow runs, " + soes + " stack overflows, "
                + inRuntime + " of them thrown in dev.defer.internal code");
        // The nested shape overflows among the runtime's frames (finish, runDeferredCalls, call, enter, the
        // registration) in most runs; none at all would mean the sweep no longer reaches that code.
        assertTrue(inRuntime > 0, "no overflow landed in the runtime's own code: the sweep tests less than it says");
    }

    static final int SAFE_MARGIN = 100;
    /**
     * Fewer levels than this before the overflow, and a run checks too little. The depth a stack size
     * allows varies with what the JIT has compiled (interpreted frames are larger): 181 levels were seen
     * on 256 KB, so the bar sits above the margin but well below that.
     */
    static final int MIN_LEVELS = SAFE_MARGIN + 20;

    /** Runs every strategy once without overflowing, so that no class or call site is linked during one. */
    static void warmUp() {
        for (Strategy s : Strategy.values()) {
            Threads.Ended ended = Threads.run(() -> {
                for (int i = 0; i < 3; i++) {
                    Overflow o = new Overflow();
                    try {
                        pad(2, () -> dive(s, o.tried, o.ran, o.when));
                    } catch (StackOverflowError expected) {
                        // the warm-up overflows too, on a big stack
                    }
                    Overflow n = new Overflow();
                    try {
                        pad(2, () -> nest(s, n.tried, n.ran, n.when));
                    } catch (StackOverflowError expected) {
                        // the warm-up overflows too, on a big stack
                    }
                    stateAfterFault(s);
                }
            });
            assertTrue(ended.uncaught().isEmpty(), String.valueOf(ended.uncaught()));
        }
    }

    /** The checks common to both shapes; returns the deepest level whose registration was attempted. */
    static String checkThrownAndState(Overflow o) {
        if (!o.uncaught.isEmpty()) {
            return "the thread ended with " + o.uncaught;
        }
        if (!(o.thrown instanceof StackOverflowError)) {
            return "the recursion ended with " + o.thrown;
        }
        for (Throwable t : suppressedTree(o.thrown)) {
            if (!(t instanceof StackOverflowError)) {
                return "the suppressed tree holds " + t;
            }
        }
        return "clean".equals(o.after) ? null : o.after;
    }

    static int deepest(Overflow o) {
        int deepest = -1;
        for (int level = 0; level < MAX_LEVELS; level++) {
            if (o.tried.get(level * 3) == 0) {
                break;
            }
            deepest = level;
        }
        return deepest;
    }

    /**
     * The recursion inside deferred calls: at each level calls 2 and 1 run, then call 0 marks itself and
     * calls the next level, all while the runtime runs the level's deferred calls. So the run order is
     * level by level upwards, positions 2, 1, 0 within a level; call 0 of every level below the deepest
     * ran exactly once (the next level exists), calls 1 and 2 at most once (an overflow may hit them
     * before they mark themselves, and the runtime then goes on to the next call, S9).
     */
    static String checkNested(Overflow o) {
        String problem = checkThrownAndState(o);
        if (problem != null) {
            return problem;
        }
        int deepest = deepest(o);
        if (deepest < MIN_LEVELS) {
            return "too shallow to test anything: " + deepest + " levels";
        }
        int lastWhen = 0;
        for (int level = 0; level <= deepest + 1 && level < MAX_LEVELS; level++) {
            for (int i = 2; i >= 0; i--) {
                int index = level * 3 + i;
                int ran = o.ran.get(index);
                if (ran > 1) {
                    return "level " + level + " call " + i + " ran " + ran + " times";
                }
                if (ran == 1 && o.tried.get(index) == 0) {
                    return "level " + level + " call " + i + " ran, never registered";
                }
                if (i == 0 && level < deepest && ran != 1) {
                    return "level " + level + " call 0 ran " + ran + " times, yet level " + (level + 1) + " exists";
                }
                if (ran == 1) {
                    int w = o.when.get(index);
                    if (w <= lastWhen) {
                        return "level " + level + " call " + i + " ran out of order";
                    }
                    lastWhen = w;
                }
            }
        }
        return null;
    }

    static String checkOverflow(Overflow o) {
        if (!o.uncaught.isEmpty()) {
            return "the thread ended with " + o.uncaught;
        }
        if (!(o.thrown instanceof StackOverflowError)) {
            return "the recursion ended with " + o.thrown;
        }
        for (Throwable t : suppressedTree(o.thrown)) {
            if (!(t instanceof StackOverflowError)) {
                return "the suppressed tree holds " + t;
            }
        }
        if (!"clean".equals(o.after)) {
            return o.after;
        }
        int deepest = -1;
        for (int level = 0; level < MAX_LEVELS; level++) {
            if (o.tried.get(level * 3) == 0) {
                break;
            }
            deepest = level;
        }
        if (deepest < MIN_LEVELS) {
            return "too shallow to test anything: " + deepest + " levels";
        }
        int lastWhen = Integer.MAX_VALUE; // run order: decreasing as the levels and positions go up
        for (int level = 0; level <= deepest + 1 && level < MAX_LEVELS; level++) {
            for (int i = 0; i < 3; i++) {
                int index = level * 3 + i;
                int ran = o.ran.get(index);
                if (ran > 1) {
                    return "level " + level + " call " + i + " ran " + ran + " times";
                }
                if (ran == 1 && o.tried.get(index) == 0) {
                    return "level " + level + " call " + i + " ran, never registered";
                }
                if (ran == 0 && o.tried.get(index) == 1 && level < deepest - SAFE_MARGIN) {
                    return "level " + level + " call " + i + " never ran, " + (deepest - level)
                            + " levels above the deepest";
                }
                if (ran == 1) {
                    int w = o.when.get(index);
                    if (w >= lastWhen) {
                        return "level " + level + " call " + i + " ran out of order";
                    }
                    lastWhen = w;
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------
    // Interruption during a deferred call.

    /**
     * Of three deferred calls, the middle one (position 1) sleeps, and another thread interrupts it, so
     * that {@code Thread.sleep} throws {@link InterruptedException}. What is asserted, as Java defines
     * interruption: the runtime neither clears nor sets the interrupt status. {@code sleep} cleared it when
     * it threw, so the call that runs next sees it clear, and so does the caller afterwards; when the
     * sleeping call restores it before rethrowing (the usual idiom), the next call and the caller see it
     * set. The call before and the call after run once each; the same InterruptedException, checked and
     * unwrapped, propagates from the method, or is what the last call's recover() returns.
     */
    @Test
    void interruptionDuringADeferredCall() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Strategy s : Strategy.values()) {
            for (int recover = 0; recover < 2; recover++) {
                for (int restore = 0; restore < 2; restore++) {
                    String problem = interrupted(s, recover == 1, restore == 1);
                    if (problem != null) {
                        failures.add(s + (recover == 1 ? " recovered" : "") + (restore == 1 ? " restores the status" : "")
                                + ": " + problem);
                    }
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    static String interrupted(Strategy s, boolean recover, boolean restore) throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1);
        AtomicReference<InterruptedException> caught = new AtomicReference<>();
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Object> escaped = new AtomicReference<>("nothing");
        AtomicReference<Object> recovered = new AtomicReference<>(NOT_ASKED);
        AtomicReference<Boolean> statusAfter = new AtomicReference<>();
        AtomicReference<String> after = new AtomicReference<>();
        boolean[] recovers = new boolean[5];
        recovers[0] = recover;
        Thread worker = new Thread(() -> {
            try {
                int result = run(s, 3, null, recovers, (i, rec) -> {
                    events.add(i + (Thread.currentThread().isInterrupted() ? " interrupted" : " not interrupted"));
                    if (i == 0) {
                        recovered.set(rec);
                    }
                    if (i == 1) {
                        sleeping.countDown();
                        try {
                            Thread.sleep(TimeUnit.MINUTES.toMillis(2));
                            events.add("slept without interruption");
                        } catch (InterruptedException e) {
                            caught.set(e);
                            if (restore) {
                                Thread.currentThread().interrupt();
                            }
                            throw sneaky(e);
                        }
                    }
                });
                escaped.set("returned " + result);
            } catch (Throwable t) {
                escaped.set(t);
            }
            statusAfter.set(Thread.interrupted());
            after.set(stateAfterFault(s));
        });
        worker.start();
        if (!sleeping.await(1, TimeUnit.MINUTES)) {
            return "the deferred call never started";
        }
        // Whether the interrupt arrives before or during the sleep, sleep throws: no timing is involved.
        worker.interrupt();
        Threads.join(worker);

        InterruptedException ie = caught.get();
        if (ie == null) {
            return "sleep was not interrupted: " + events;
        }
        String status = restore ? " interrupted" : " not interrupted";
        List<String> want = List.of("2 not interrupted", "1 not interrupted", "0" + status);
        if (!events.equals(want)) {
            return "events " + events + ", expected " + want;
        }
        if (recover) {
            if (recovered.get() != ie) {
                return "recover() returned " + recovered.get();
            }
            if (!"returned 7".equals(escaped.get())) { // S9: the slot as return set it
                return "the method ended with " + escaped.get() + " after recovering";
            }
        } else if (escaped.get() != ie) {
            return "escaped " + escaped.get() + ", expected the InterruptedException itself";
        }
        if (statusAfter.get() != restore) {
            return "the interrupt status after the method was " + statusAfter.get();
        }
        return "clean".equals(after.get()) ? null : after.get();
    }
}
