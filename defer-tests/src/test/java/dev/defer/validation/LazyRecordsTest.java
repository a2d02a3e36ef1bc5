package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.defer.Defer;
import dev.defer.Defers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * Lazy records' own paths (design.md, "Lazy records"), beside {@link StrategyMatrixTest}'s scenarios: the one
 * call kept in the method's local and run at the exit, thrown from there, run for a fatal panic without the
 * runtime, handed over for a recoverable one; the runtime entered at a first defer with an argument.
 */
class LazyRecordsTest {
    static final List<String> LOG = new ArrayList<>();

    /** The targets call only their own class and the platform: the open-coding screen passes them. */
    static final class Target {
        static void log(String line) {
            LOG.add(line);
        }

        static RuntimeException sneaky(Throwable t) {
            throw Target.<RuntimeException>unchecked(t);
        }

        @SuppressWarnings("unchecked")
        static <T extends Throwable> RuntimeException unchecked(Throwable t) throws T {
            throw (T) t;
        }

        /** n loop defers; then the body throws {@code thrown}, if not null. */
        @Defers
        static int loop(int n, Throwable thrown) {
            for (int i = 0; i < n; i++) {
                int k = i;
                Defer.defer(() -> log("call " + k + " recover " + Defer.recover()));
            }
            if (thrown != null) {
                throw sneaky(thrown);
            }
            return n;
        }

        /** One loop defer whose call throws {@code thrown}; then the body throws {@code bodyThrows}, if not null. */
        @Defers
        static void throwingCall(RuntimeException thrown, Throwable bodyThrows) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    log("throwing call");
                    throw thrown;
                });
            }
            if (bodyThrows != null) {
                throw sneaky(bodyThrows);
            }
        }

        /** A defer with an argument first (a record at once), then one without (a record too). */
        @Defers
        static String argumentFirst() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(x -> log("with " + x), "a");
                Defer.defer(() -> log("without"));
            }
            return "done";
        }

        static RuntimeException thrown;

        /** The one call recovers the body's panic and panics again with its value (S10's re-panic). */
        @Defers
        static void repanics() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    Object p = Defer.recover();
                    log("rollback " + p);
                    throw Defer.panic(p);
                });
            }
            try {
                throw Defer.panic("boom");
            } catch (RuntimeException e) {
                thrown = e;
                throw e;
            }
        }

        /** {@code Defer::recover} as the call needs the runtime's frame: the screen keeps pooled records. */
        @Defers
        static void defersRecover() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(Defer::recover);
            }
        }

        /**
         * Locals written between the loop's frame and the site and read after it (an array element, a new object,
         * a double), so that the frames of the site's fast path must state their types exactly.
         */
        @Defers
        static long shapes(String[] names, long base) {
            long sum = base;
            for (int i = 0; i < names.length; i++) {
                String name = names[i];
                StringBuilder b = new StringBuilder(name);
                double d = i * 0.5;
                Defer.defer(() -> log("shape " + b + " " + d));
                sum += name.length() + b.length() + (long) d;
            }
            return sum;
        }

        /**
         * Sites after a join whose frame merges two types (a conditional), inside a {@code try} with a handler
         * frame, in a {@code switch} case and in a {@code synchronized} block, with a {@code long} counter.
         */
        @Defers
        static String joins(int n, boolean flag) {
            StringBuilder out = new StringBuilder();
            for (long i = 0; i < n; i++) {
                CharSequence text = flag ? out : "x" + i;
                Defer.defer(() -> log("joined " + text.length()));
                try {
                    Defer.defer(() -> log("in try"));
                    if (i == 1) {
                        throw new IllegalStateException("caught");
                    }
                } catch (IllegalStateException e) {
                    Defer.defer(() -> log(e.getMessage()));
                }
                switch ((int) i) {
                    case 0:
                        Object[] boxes = {i};
                        Defer.defer(() -> log("case " + boxes[0]));
                        out.append(boxes.length);
                        break;
                    default:
                        synchronized (out) {
                            Defer.defer(() -> log("locked"));
                            out.append(text.length());
                        }
                }
            }
            return out.toString();
        }

        /** Two arguments first, and a float result (each result type has its own exit). */
        @Defers
        static float twoArgumentsFirst() {
            for (int i = 0; i < 1; i++) {
                Defer.defer((x, y) -> log("with " + x + y), "b", "c");
                Defer.defer(() -> log("without"));
            }
            return 1.5f;
        }
    }

    @BeforeEach
    @AfterEach
    void clean() {
        LOG.clear();
        assertThrows(IllegalStateException.class, Defer::result, "an invocation was left on the thread");
    }

    /**
     * Each site of a lazy method writes its fast path in place: {@code state instanceof Invocation} and a call of
     * {@code deferPooled}, which C2 inlines as a pooled site's, with {@code deferLazy} (the first defers, the
     * runtime's entry) on the other branch. Left to {@code deferLazy}, the fast path was inlined only when
     * {@code deferLazy}'s own compiled code, which held the entry, was small enough: on JDK 17 it was not, and
     * every loop defer was a call (docs/design.md, "Lazy records").
     */
    @Test
    void eachLazySiteWritesItsFastPath() throws Exception {
        Map<String, List<String>> sites = new TreeMap<>();
        for (ClassNode node : StrategyMatrixTest.rewritten(Target.class)) {
            for (MethodNode method : node.methods) {
                List<String> calls = new ArrayList<>();
                for (AbstractInsnNode insn : method.instructions) {
                    if (insn instanceof TypeInsnNode && insn.getOpcode() == Opcodes.INSTANCEOF) {
                        calls.add("instanceof " + ((TypeInsnNode) insn).desc);
                    } else if (insn instanceof MethodInsnNode
                            && ((MethodInsnNode) insn).name.startsWith("defer")) {
                        calls.add(((MethodInsnNode) insn).name);
                    }
                }
                if (calls.contains("deferLazy")) {
                    sites.put(method.name, calls);
                }
            }
        }
        List<String> site = List.of("instanceof dev/defer/internal/Invocation", "deferPooled", "deferLazy");
        List<String> twoSites = new ArrayList<>(site);
        twoSites.addAll(site);
        assertEquals(Map.of("loop", site, "throwingCall", site, "repanics", site, "argumentFirst", twoSites,
                "twoArgumentsFirst", twoSites, "shapes", site, "joins",
                Collections.nCopies(5, site).stream().flatMap(List::stream).collect(Collectors.toList())), sites);
    }

    @Test
    void localsWrittenBeforeTheSiteKeepTheirTypes() {
        assertEquals(10 + 4 + 2, Target.shapes(new String[] {"ab", "c"}, 10));
        assertEquals(List.of("shape c 0.5", "shape ab 0.0"), LOG);
        LOG.clear();
        assertEquals("12", Target.joins(2, false));
        assertEquals(List.of("locked", "caught", "in try", "joined 2", "case 0", "in try", "joined 2"), LOG);
    }

    @Test
    void theTargetsHaveLazyRecords() throws Exception {
        assertEquals(Map.of("Target.loop", "lazy", "Target.throwingCall", "lazy", "Target.argumentFirst", "lazy",
                "Target.twoArgumentsFirst", "lazy", "Target.repanics", "lazy", "Target.defersRecover", "pooled",
                "Target.shapes", "lazy", "Target.joins", "lazy"),
                StrategyMatrixTest.strategies(Target.class));
    }

    @Test
    void oneCallRunsAtTheExitAndTwoRunLastInFirstOut() {
        assertEquals(0, Target.loop(0, null));
        assertEquals(List.of(), LOG);
        assertEquals(1, Target.loop(1, null));
        assertEquals(List.of("call 0 recover null"), LOG);
        LOG.clear();
        assertEquals(3, Target.loop(3, null));
        assertEquals(List.of("call 2 recover null", "call 1 recover null", "call 0 recover null"), LOG);
    }

    @Test
    void theOneCallRecoversAPanicOfTheBody() {
        IllegalStateException boom = new IllegalStateException("boom");
        assertEquals(0, Target.loop(1, boom), "recovered: the zero value");
        assertEquals(List.of("call 0 recover " + boom), LOG);
        LOG.clear();
        assertEquals(0, Target.loop(2, boom), "the earlier call, now a record, recovers too");
        assertEquals(List.of("call 1 recover " + boom, "call 0 recover null"), LOG);
    }

    @Test
    void aFatalPanicRunsTheOneCallWithoutRecoveringIt() {
        StackOverflowError overflow = new StackOverflowError("deep");
        assertSame(overflow, assertThrows(StackOverflowError.class, () -> Target.loop(1, overflow)));
        assertEquals(List.of("call 0 recover null"), LOG);
        assertArrayEquals(new Throwable[0], overflow.getSuppressed());
    }

    @Test
    void aCallThatThrowsAtTheExitIsTheMethodsPanic() {
        IllegalArgumentException thrown = new IllegalArgumentException("from the call");
        assertSame(thrown, assertThrows(IllegalArgumentException.class, () -> Target.throwingCall(thrown, null)));
        assertEquals(List.of("throwing call"), LOG);
    }

    @Test
    void aCallThatThrowsDuringAFatalPanicReplacesItAndKeepsIt() {
        IllegalArgumentException thrown = new IllegalArgumentException("from the call");
        StackOverflowError overflow = new StackOverflowError("deep");
        assertSame(thrown, assertThrows(IllegalArgumentException.class, () -> Target.throwingCall(thrown, overflow)));
        assertArrayEquals(new Throwable[] {overflow}, thrown.getSuppressed(), "S9: the replaced panic is kept");
        assertEquals(List.of("throwing call"), LOG);
    }

    @Test
    void aCallThatThrowsDuringARecoverablePanicReplacesIt() {
        IllegalArgumentException thrown = new IllegalArgumentException("from the call");
        IllegalStateException body = new IllegalStateException("body");
        assertSame(thrown, assertThrows(IllegalArgumentException.class, () -> Target.throwingCall(thrown, body)));
        assertArrayEquals(new Throwable[] {body}, thrown.getSuppressed(), "S9: the replaced panic is kept");
    }

    @Test
    void aDeferWithAnArgumentEntersTheRuntimeAtOnce() {
        assertEquals("done", Target.argumentFirst());
        assertEquals(List.of("without", "with a"), LOG);
    }

    @Test
    void theOneCallRePanicsWithTheRecoveredPanic() {
        dev.defer.Panic p = assertThrows(dev.defer.Panic.class, Target::repanics);
        assertSame(Target.thrown, p, "the recovered Panic is thrown again, its trace kept");
        assertEquals(List.of("rollback boom"), LOG);
    }

    @Test
    void aDeferredRecoverIsAPooledRecord() {
        Target.defersRecover();
        assertEquals(List.of(), LOG);
    }

    @Test
    void aDeferWithTwoArgumentsEntersTheRuntimeAtOnce() {
        assertEquals(1.5f, Target.twoArgumentsFirst());
        assertEquals(List.of("without", "with bc"), LOG);
    }
}
