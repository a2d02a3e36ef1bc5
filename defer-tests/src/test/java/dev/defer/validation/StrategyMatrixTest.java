package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import dev.defer.Defers;
import dev.defer.Panic;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Every rule on every strategy (issue 3). The agent gives each Defer.defer site one of three
 * strategies: open-coded (the deferred calls in the method's locals, run inline at its exit), stack-style
 * records ({@code DeferSupport.deferStacked}) and pooled records ({@code DeferSupport.deferPooled}, sites
 * on a cycle). Each scenario below is written three times, once in {@link OpenCoded}, {@link StackStyle}
 * and {@link Pooled}, with the same code but for what forces the strategy, and is run on each with the
 * same expected outcome; {@link #eachTargetGotItsStrategy()} proves, on the classes the agent dumped, which
 * strategy every target method really got.
 *
 * <p>How the strategy is forced: {@link OpenCoded}'s deferred calls reach only the platform and its own
 * class ({@link OpenCoded#log} formats with {@code java.*} calls only). {@link StackStyle}'s deferred calls
 * log through {@code StackStyle.log}, which calls {@link OpenCoded#log}, a method of another application
 * class that open-coding does not follow, so its top-level sites get stack-style records. {@link Pooled}
 * puts every site in a loop that runs once, so each site is on a cycle of the control flow. Two scenarios
 * read or write the result slot from a deferred call: open-coding must refuse them, so in {@link OpenCoded}
 * they are expected to get stack-style records. Callers and callees of different strategies are combined
 * in the S6 and S16 scenarios; after every test, {@link #nothingLeftOnTheThread()} checks S12.
 *
 * <p>{@link #aSafeDefersCalleeOfTheSameClassKeepsItsCallerOpenCodedWhateverTheDeclarationOrder()} fails on
 * the agent as it is: its strategy choice depends on the order in which a class declares its methods.
 */
class StrategyMatrixTest {

    /** What the deferred calls and bodies did, one line per event, Go's fmt.Println format. */
    static final List<String> LOG = Collections.synchronizedList(new ArrayList<>());
    /** The values deferred calls got from Defer.recover(), for identity checks. */
    static final List<Object> RECOVERED = Collections.synchronizedList(new ArrayList<>());

    /** The scenarios, one method each; every strategy implements all of them. */
    interface Targets {
        /** S1, S2: four registrations (arities 0, 1, 2), one in an if block. */
        void order(boolean inIf);

        /** S4: a deferred call changes the holder after return stored its value. */
        int returnStoredFirst(int[] t);

        /** S4 for a reference result. */
        String returnStoredFirstObject(String[] s);

        /** S5: Go's {@code defer func(){ r *= 7 }(); return 6}; records only. */
        int setResultTimesSeven();

        /** S5: a recovering deferred call sets the slot after a body panic; records only. */
        long recoverSetsResult();

        /** S5: the zero value after a recovered body panic. */
        int zeroInt(boolean panic);

        long zeroLong(boolean panic);

        double zeroDouble(boolean panic);

        Object zeroObject(boolean panic);

        /** Several exits: returns on six paths, one of them in a try, one in a catch, one panics. */
        String exits(int path);

        /** A panic in the body after k of four sites registered; the second site recovers. */
        int panicAfter(int k);

        /** S9: the third of four deferred calls throws during the normal exit; the first recovers. */
        String throwsAtExit();

        /**
         * S9: during the normal exit the last-registered deferred call throws {@code a}, the next one throws
         * {@code b}, which replaces it; the first-registered one recovers {@code b}.
         */
        int twoThrowAtExit(RuntimeException a, RuntimeException b);

        /** S9: a deferred call replaces the body's panic; an earlier one recovers the replacement. */
        void replaced(RuntimeException first, RuntimeException second);

        /** S9: the same, nobody recovers. */
        void replacedNotRecovered(RuntimeException first, RuntimeException second);

        /** S6: the throwable leaves as it is, checked or not. */
        void panics(Exception e) throws Exception;

        /** S6: a caller (this strategy) of a panicking callee (perhaps another strategy). */
        void callerOf(Targets callee, RuntimeException e, boolean recover);

        void calleePanics(RuntimeException e);

        /** S8: recover in a helper that the deferred lambda calls. */
        void recoverInHelper();

        /** S8, the counterpart: the same method as the deferred call itself recovers. */
        void recoverInMethodRef();

        /** S8: a VirtualMachineError runs the deferred calls but is not recovered. */
        void fatal(Error e);

        /** S16: an outer invocation (this strategy) around a Goexit in the callee's. */
        void goexitOuter(Targets callee, boolean inDeferredCall);

        void goexitInner();

        /** S16: a deferred call of the callee calls Goexit during its normal exit. */
        void goexitInDeferredCall();

        /** S8: a VirtualMachineError thrown by a deferred call during the normal exit. */
        int fatalAtExit(Error e);

        /**
         * S7 (Go recover.go test111): the deferred call runs a @Defers method (of this strategy) that panics
         * and recovers, then recovers the outer panic itself.
         */
        String recoverAfterANestedPanic();
    }

    // ------------------------------------------------------------------------------------------------
    // Open-coded: every deferred call reaches only java.* and this class.
    // ------------------------------------------------------------------------------------------------

    static final class OpenCoded implements Targets {
        /** Go's fmt.Println formatting, with platform calls only, so that callers stay open-coded. */
        static void log(Object... parts) {
            StringBuilder line = new StringBuilder();
            for (Object p : parts) {
                if (line.length() > 0) {
                    line.append(' ');
                }
                line.append(p == null ? "<nil>" : p instanceof Throwable ? ((Throwable) p).getMessage() : String.valueOf(p));
            }
            LOG.add(line.toString());
        }

        static void helper() {
            log("helper saw", Defer.recover());
        }

        static void direct() {
            log("direct saw", Defer.recover());
        }

        @Defers
        @java.lang.Override
        public void order(boolean inIf) {
            Defer.defer(() -> log("d1"));
            log("body 1");
            if (inIf) {
                Defer.defer(() -> log("d2"));
                log("end of if");
            }
            Defer.defer(x -> log("d3", x), "a");
            Defer.defer((x, y) -> log("d4", x, y), "b", "c");
            log("body end");
        }

        @Defers
        @java.lang.Override
        public int returnStoredFirst(int[] t) {
            Defer.defer(() -> {
                t[0] += 5;
                log("t", t[0]);
            });
            return t[0];
        }

        @Defers
        @java.lang.Override
        public String returnStoredFirstObject(String[] s) {
            Defer.defer(() -> {
                s[0] = "after";
                log("s", s[0]);
            });
            return s[0];
        }

        /** Otherwise open-codable; the agent must refuse because the deferred calls touch the slot. */
        @Defers
        @java.lang.Override
        public int setResultTimesSeven() {
            Defer.defer(() -> log("result was", Defer.<Integer>result()));
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() * 7));
            return 6;
        }

        /** Otherwise open-codable; the agent must refuse because the deferred call touches the slot. */
        @Defers
        @java.lang.Override
        public long recoverSetsResult() {
            Defer.defer(() -> {
                if (Defer.recover() != null) {
                    Defer.setResult(-1L);
                }
                log("slot", Defer.<Long>result());
            });
            throw Defer.panic("body");
        }

        @Defers
        @java.lang.Override
        public int zeroInt(boolean panic) {
            Defer.defer(() -> log("recovered", Defer.recover()));
            if (panic) {
                throw Defer.panic("int");
            }
            return 7;
        }

        @Defers
        @java.lang.Override
        public long zeroLong(boolean panic) {
            Defer.defer(() -> log("recovered", Defer.recover()));
            if (panic) {
                throw Defer.panic("long");
            }
            return Long.MIN_VALUE + 1;
        }

        @Defers
        @java.lang.Override
        public double zeroDouble(boolean panic) {
            Defer.defer(() -> log("recovered", Defer.recover()));
            if (panic) {
                throw Defer.panic("double");
            }
            return 1e300;
        }

        @Defers
        @java.lang.Override
        public Object zeroObject(boolean panic) {
            Defer.defer(() -> log("recovered", Defer.recover()));
            if (panic) {
                throw Defer.panic("Object");
            }
            return "kept";
        }

        @Defers
        @java.lang.Override
        public String exits(int path) {
            Defer.defer(() -> log("d1"));
            if (path == 0) {
                log("exit 0");
                return "p0";
            }
            Defer.defer(() -> log("d2"));
            switch (path) {
                case 1:
                    return "p1";
                case 2:
                Defer.defer(() -> log("d3"));
                    return "p2";
                default:
                    break;
            }
            try {
                if (path == 3) {
                    return "p3";
                }
                if (path == 4) {
                    throw new IllegalStateException("caught");
                }
            } catch (IllegalStateException e) {
                log("body caught", e);
                return "p4";
            }
            Defer.defer(() -> log("d4"));
            if (path == 6) {
                throw Defer.panic("p6");
            }
            return "p5";
        }

        @Defers
        @java.lang.Override
        public int panicAfter(int k) {
            Defer.defer(() -> log("d1"));
            if (k == 1) {
                throw Defer.panic("after 1");
            }
            Defer.defer(() -> log("d2 recovered", Defer.recover()));
            if (k == 2) {
                throw Defer.panic("after 2");
            }
            Defer.defer(x -> log("d3", x), "x");
            if (k == 3) {
                throw Defer.panic("after 3");
            }
            Defer.defer((x, y) -> log("d4", x, y), "y", "z");
            if (k == 4) {
                throw Defer.panic("after 4");
            }
            return 40;
        }

        @Defers
        @java.lang.Override
        public String throwsAtExit() {
            Defer.defer(() -> log("d1 recovered", Defer.recover()));
            Defer.defer(() -> log("d2"));
            Defer.defer(() -> {
                log("d3 throws");
                throw new IllegalStateException("d3 failed");
            });
            Defer.defer(() -> log("d4"));
            return "from return";
        }

        @Defers
        @java.lang.Override
        public int twoThrowAtExit(RuntimeException a, RuntimeException b) {
            Defer.defer(() -> {
                Object p = Defer.recover();
                RECOVERED.add(p);
                log("d1 recovered", p);
            });
            Defer.defer(() -> {
                log("d2 throws");
                throw b;
            });
            Defer.defer(() -> {
                log("d3 throws");
                throw a;
            });
            return 9;
        }

        @Defers
        @java.lang.Override
        public void replaced(RuntimeException first, RuntimeException second) {
            Defer.defer(() -> {
                Object p = Defer.recover();
                RECOVERED.add(p);
                log("d1 recovered", p);
            });
            Defer.defer(() -> log("d2"));
            Defer.defer(() -> {
                throw second;
            });
            throw first;
        }

        @Defers
        @java.lang.Override
        public void replacedNotRecovered(RuntimeException first, RuntimeException second) {
            Defer.defer(() -> log("d1"));
            Defer.defer(() -> {
                throw second;
            });
            throw first;
        }

        @Defers
        @java.lang.Override
        public void panics(Exception e) throws Exception {
            Defer.defer(() -> log("d1"));
            Defer.defer(x -> log("d2", x), "a");
            throw e;
        }

        @Defers
        @java.lang.Override
        public void callerOf(Targets callee, RuntimeException e, boolean recover) {
            Defer.defer(() -> {
                if (recover) {
                    Object p = Defer.recover();
                    RECOVERED.add(p);
                    log("caller recovered", p);
                }
            });
            Defer.defer(() -> log("caller d1"));
            callee.calleePanics(e);
            log("not reached");
        }

        @Defers
        @java.lang.Override
        public void calleePanics(RuntimeException e) {
            Defer.defer(() -> log("callee d1"));
            Defer.defer(() -> log("callee d2"));
            throw e;
        }

        @Defers
        @java.lang.Override
        public void recoverInHelper() {
            Defer.defer(() -> helper());
            Defer.defer(() -> log("d2"));
            throw Defer.panic("through a helper");
        }

        @Defers
        @java.lang.Override
        public void recoverInMethodRef() {
            Defer.defer(OpenCoded::direct);
            Defer.defer(() -> log("d2"));
            throw Defer.panic("direct");
        }

        @Defers
        @java.lang.Override
        public void fatal(Error e) {
            Defer.defer(() -> log("d1 recover", Defer.recover()));
            Defer.defer(() -> log("d2"));
            throw e;
        }

        @Defers
        @java.lang.Override
        public void goexitOuter(Targets callee, boolean inDeferredCall) {
            Defer.defer(() -> log("outer d1"));
            Defer.defer(() -> log("outer recover", Defer.recover()));
            if (inDeferredCall) {
                callee.goexitInDeferredCall();
            } else {
                callee.goexitInner();
            }
            log("not reached");
        }

        @Defers
        @java.lang.Override
        public void goexitInner() {
            Defer.defer(() -> log("inner d1"));
            Defer.defer(() -> log("inner recover", Defer.recover()));
            throw Defer.goexit();
        }

        @Defers
        @java.lang.Override
        public void goexitInDeferredCall() {
            Defer.defer(() -> log("inner d1 recover", Defer.recover()));
            Defer.defer(() -> {
                log("inner d2 goexit");
                throw Defer.goexit();
            });
            Defer.defer(() -> log("inner d3"));
        }

        @Defers
        @java.lang.Override
        public int fatalAtExit(Error e) {
            Defer.defer(() -> log("d1 recover", Defer.recover()));
            Defer.defer(() -> {
                throw e;
            });
            Defer.defer(() -> log("d3"));
            return 5;
        }

        @Defers
        @java.lang.Override
        public String recoverAfterANestedPanic() {
            Defer.defer(() -> {
                panicsAndRecovers();
                log("outer recovered", Defer.recover());
            });
            throw Defer.panic("outer");
        }

        /**
         * Panics and recovers inside itself. Declared after its caller on purpose: the agent rewrites the
         * methods of a class in declaration order, and its screen then sees this method already rewritten
         * (see {@link DeclarationOrder}).
         */
        @Defers
        static void panicsAndRecovers() {
            Defer.defer(() -> log("nested recovered", Defer.recover()));
            throw Defer.panic("nested");
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Stack-style records: the same code; log goes through another application class.
    // ------------------------------------------------------------------------------------------------

    static final class StackStyle implements Targets {
        /** Calls another application class: a deferred call reaching it keeps runtime records. */
        static void log(Object... parts) {
            OpenCoded.log(parts);
        }

        static void helper() {
            log("helper saw", Defer.recover());
        }

        static void direct() {
            log("direct saw", Defer.recover());
        }

        @Defers
        @java.lang.Override
        public void order(boolean inIf) {
            Defer.defer(() -> log("d1"));
            log("body 1");
            if (inIf) {
                Defer.defer(() -> log("d2"));
                log("end of if");
            }
            Defer.defer(x -> log("d3", x), "a");
            Defer.defer((x, y) -> log("d4", x, y), "b", "c");
            log("body end");
        }

        @Defers
        @java.lang.Override
        public int returnStoredFirst(int[] t) {
            Defer.defer(() -> {
                t[0] += 5;
                log("t", t[0]);
            });
            return t[0];
        }

        @Defers
        @java.lang.Override
        public String returnStoredFirstObject(String[] s) {
            Defer.defer(() -> {
                s[0] = "after";
                log("s", s[0]);
            });
            return s[0];
        }

        @Defers
        @java.lang.Override
        public int setResultTimesSeven() {
            Defer.defer(() -> log("result was", Defer.<Integer>result()));
            Defer.defer(() -> Defer.setResult(Defer.<Integer>result() * 7));
            return 6;
        }

        @Defers
        @java.lang.Override
        public long recoverSetsResult() {
            Defer.defer(() -> {
                if (Defer.recover() != null) {
                    Defer.setResult(-1L);
                }
                log("slot", Defer.<Long>result());
            });
            throw Defer.panic("body");
        }

        @Defers
        @java.lang.Override
        public int zeroInt(boolean panic) {
            Defer.defer(() -> log("recovered", Defer.recover()));
            if (panic) {
                throw Defer.panic("int");
            }
            return 7;
        }

        @Defers
        @java.lang.Override
        public long zeroLong(boolean panic) {
            Defer.defer(() -> log("recovered", Defer.recover()));
            if (panic) {
                throw Defer.panic("long");
            }
            return Long.MIN_VALUE + 1;
        }

        @Defers
        @java.lang.Override
        public double zeroDouble(boolean panic) {
            Defer.defer(() -> log("recovered", Defer.recover()));
            if (panic) {
                throw Defer.panic("double");
            }
            return 1e300;
        }

        @Defers
        @java.lang.Override
        public Object zeroObject(boolean panic) {
            Defer.defer(() -> log("recovered", Defer.recover()));
            if (panic) {
                throw Defer.panic("Object");
            }
            return "kept";
        }

        @Defers
        @java.lang.Override
        public String exits(int path) {
            Defer.defer(() -> log("d1"));
            if (path == 0) {
                log("exit 0");
                return "p0";
            }
            Defer.defer(() -> log("d2"));
            switch (path) {
                case 1:
                    return "p1";
                case 2:
                Defer.defer(() -> log("d3"));
                    return "p2";
                default:
                    break;
            }
            try {
                if (path == 3) {
                    return "p3";
                }
                if (path == 4) {
                    throw new IllegalStateException("caught");
                }
            } catch (IllegalStateException e) {
                log("body caught", e);
                return "p4";
            }
            Defer.defer(() -> log("d4"));
            if (path == 6) {
                throw Defer.panic("p6");
            }
            return "p5";
        }

        @Defers
        @java.lang.Override
        public int panicAfter(int k) {
            Defer.defer(() -> log("d1"));
            if (k == 1) {
                throw Defer.panic("after 1");
            }
            Defer.defer(() -> log("d2 recovered", Defer.recover()));
            if (k == 2) {
                throw Defer.panic("after 2");
            }
            Defer.defer(x -> log("d3", x), "x");
            if (k == 3) {
                throw Defer.panic("after 3");
            }
            Defer.defer((x, y) -> log("d4", x, y), "y", "z");
            if (k == 4) {
                throw Defer.panic("after 4");
            }
            return 40;
        }

        @Defers
        @java.lang.Override
        public String throwsAtExit() {
            Defer.defer(() -> log("d1 recovered", Defer.recover()));
            Defer.defer(() -> log("d2"));
            Defer.defer(() -> {
                log("d3 throws");
                throw new IllegalStateException("d3 failed");
            });
            Defer.defer(() -> log("d4"));
            return "from return";
        }

        @Defers
        @java.lang.Override
        public int twoThrowAtExit(RuntimeException a, RuntimeException b) {
            Defer.defer(() -> {
                Object p = Defer.recover();
                RECOVERED.add(p);
                log("d1 recovered", p);
            });
            Defer.defer(() -> {
                log("d2 throws");
                throw b;
            });
            Defer.defer(() -> {
                log("d3 throws");
                throw a;
            });
            return 9;
        }

        @Defers
        @java.lang.Override
        public void replaced(RuntimeException first, RuntimeException second) {
            Defer.defer(() -> {
                Object p = Defer.recover();
                RECOVERED.add(p);
                log("d1 recovered", p);
            });
            Defer.defer(() -> log("d2"));
            Defer.defer(() -> {
                throw second;
            });
            throw first;
        }

        @Defers
        @java.lang.Override
        public void replacedNotRecovered(RuntimeException first, RuntimeException second) {
            Defer.defer(() -> log("d1"));
            Defer.defer(() -> {
                throw second;
            });
            throw first;
        }

        @Defers
        @java.lang.Override
        public void panics(Exception e) throws Exception {
            Defer.defer(() -> log("d1"));
            Defer.defer(x -> log("d2", x), "a");
            throw e;
        }

        @Defers
        @java.lang.Override
        public void callerOf(Targets callee, RuntimeException e, boolean recover) {
            Defer.defer(() -> {
                if (recover) {
                    Object p = Defer.recover();
                    RECOVERED.add(p);
                    log("caller recovered", p);
                }
            });
            Defer.defer(() -> log("caller d1"));
            callee.calleePanics(e);
            log("not reached");
        }

        @Defers
        @java.lang.Override
        public void calleePanics(RuntimeException e) {
            Defer.defer(() -> log("callee d1"));
            Defer.defer(() -> log("callee d2"));
            throw e;
        }

        @Defers
        @java.lang.Override
        public void recoverInHelper() {
            Defer.defer(() -> helper());
            Defer.defer(() -> log("d2"));
            throw Defer.panic("through a helper");
        }

        @Defers
        @java.lang.Override
        public void recoverInMethodRef() {
            Defer.defer(StackStyle::direct);
            Defer.defer(() -> log("d2"));
            throw Defer.panic("direct");
        }

        @Defers
        @java.lang.Override
        public void fatal(Error e) {
            Defer.defer(() -> log("d1 recover", Defer.recover()));
            Defer.defer(() -> log("d2"));
            throw e;
        }

        @Defers
        @java.lang.Override
        public void goexitOuter(Targets callee, boolean inDeferredCall) {
            Defer.defer(() -> log("outer d1"));
            Defer.defer(() -> log("outer recover", Defer.recover()));
            if (inDeferredCall) {
                callee.goexitInDeferredCall();
            } else {
                callee.goexitInner();
            }
            log("not reached");
        }

        @Defers
        @java.lang.Override
        public void goexitInner() {
            Defer.defer(() -> log("inner d1"));
            Defer.defer(() -> log("inner recover", Defer.recover()));
            throw Defer.goexit();
        }

        @Defers
        @java.lang.Override
        public void goexitInDeferredCall() {
            Defer.defer(() -> log("inner d1 recover", Defer.recover()));
            Defer.defer(() -> {
                log("inner d2 goexit");
                throw Defer.goexit();
            });
            Defer.defer(() -> log("inner d3"));
        }

        @Defers
        @java.lang.Override
        public int fatalAtExit(Error e) {
            Defer.defer(() -> log("d1 recover", Defer.recover()));
            Defer.defer(() -> {
                throw e;
            });
            Defer.defer(() -> log("d3"));
            return 5;
        }

        /** Panics and recovers inside itself. */
        @Defers
        static void panicsAndRecovers() {
            Defer.defer(() -> log("nested recovered", Defer.recover()));
            throw Defer.panic("nested");
        }

        @Defers
        @java.lang.Override
        public String recoverAfterANestedPanic() {
            Defer.defer(() -> {
                panicsAndRecovers();
                log("outer recovered", Defer.recover());
            });
            throw Defer.panic("outer");
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Pooled records: the same code, every site in a loop that runs once.
    // ------------------------------------------------------------------------------------------------

    static final class Pooled implements Targets {
        static void log(Object... parts) {
            OpenCoded.log(parts);
        }

        static void helper() {
            log("helper saw", Defer.recover());
        }

        static void direct() {
            log("direct saw", Defer.recover());
        }

        /** What the loop's deferred calls saw, in the order they ran. */
        static int[] seen;
        static int seenCount;
        static int seenBeforeTheEnd;

        static void seen(Integer i) {
            seen[seenCount++] = i;
        }

        /** n iterations, one registration each; then a return, or a panic. */
        @Defers
        static int loop(int n, boolean panic) {
            seen = new int[n];
            seenCount = 0;
            for (int i = 0; i < n; i++) {
                Defer.defer(Pooled::seen, i);
            }
            seenBeforeTheEnd = seenCount;
            if (panic) {
                throw Defer.panic("after the loop");
            }
            return n;
        }

        @Defers
        @java.lang.Override
        public void order(boolean inIf) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("d1"));
            }
            log("body 1");
            if (inIf) {
                for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("d2"));
                }
                log("end of if");
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(x -> log("d3", x), "a");
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer((x, y) -> log("d4", x, y), "b", "c");
            }
            log("body end");
        }

        @Defers
        @java.lang.Override
        public int returnStoredFirst(int[] t) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    t[0] += 5;
                    log("t", t[0]);
                });
            }
            return t[0];
        }

        @Defers
        @java.lang.Override
        public String returnStoredFirstObject(String[] s) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    s[0] = "after";
                    log("s", s[0]);
                });
            }
            return s[0];
        }

        @Defers
        @java.lang.Override
        public int setResultTimesSeven() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("result was", Defer.<Integer>result()));
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> Defer.setResult(Defer.<Integer>result() * 7));
            }
            return 6;
        }

        @Defers
        @java.lang.Override
        public long recoverSetsResult() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    if (Defer.recover() != null) {
                        Defer.setResult(-1L);
                    }
                    log("slot", Defer.<Long>result());
                });
            }
            throw Defer.panic("body");
        }

        @Defers
        @java.lang.Override
        public int zeroInt(boolean panic) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("recovered", Defer.recover()));
            }
            if (panic) {
                throw Defer.panic("int");
            }
            return 7;
        }

        @Defers
        @java.lang.Override
        public long zeroLong(boolean panic) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("recovered", Defer.recover()));
            }
            if (panic) {
                throw Defer.panic("long");
            }
            return Long.MIN_VALUE + 1;
        }

        @Defers
        @java.lang.Override
        public double zeroDouble(boolean panic) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("recovered", Defer.recover()));
            }
            if (panic) {
                throw Defer.panic("double");
            }
            return 1e300;
        }

        @Defers
        @java.lang.Override
        public Object zeroObject(boolean panic) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("recovered", Defer.recover()));
            }
            if (panic) {
                throw Defer.panic("Object");
            }
            return "kept";
        }

        @Defers
        @java.lang.Override
        public String exits(int path) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("d1"));
            }
            if (path == 0) {
                log("exit 0");
                return "p0";
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("d2"));
            }
            switch (path) {
                case 1:
                    return "p1";
                case 2:
                    for (int i = 0; i < 1; i++) {
                        Defer.defer(() -> log("d3"));
                    }
                    return "p2";
                default:
                    break;
            }
            try {
                if (path == 3) {
                    return "p3";
                }
                if (path == 4) {
                    throw new IllegalStateException("caught");
                }
            } catch (IllegalStateException e) {
                log("body caught", e);
                return "p4";
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("d4"));
            }
            if (path == 6) {
                throw Defer.panic("p6");
            }
            return "p5";
        }

        @Defers
        @java.lang.Override
        public int panicAfter(int k) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("d1"));
            }
            if (k == 1) {
                throw Defer.panic("after 1");
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("d2 recovered", Defer.recover()));
            }
            if (k == 2) {
                throw Defer.panic("after 2");
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(x -> log("d3", x), "x");
            }
            if (k == 3) {
                throw Defer.panic("after 3");
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer((x, y) -> log("d4", x, y), "y", "z");
            }
            if (k == 4) {
                throw Defer.panic("after 4");
            }
            return 40;
        }

        @Defers
        @java.lang.Override
        public String throwsAtExit() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("d1 recovered", Defer.recover()));
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("d2"));
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    log("d3 throws");
                    throw new IllegalStateException("d3 failed");
                });
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("d4"));
            }
            return "from return";
        }

        @Defers
        @java.lang.Override
        public int twoThrowAtExit(RuntimeException a, RuntimeException b) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    Object p = Defer.recover();
                    RECOVERED.add(p);
                    log("d1 recovered", p);
                });
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    log("d2 throws");
                    throw b;
                });
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    log("d3 throws");
                    throw a;
                });
            }
            return 9;
        }

        @Defers
        @java.lang.Override
        public void replaced(RuntimeException first, RuntimeException second) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    Object p = Defer.recover();
                    RECOVERED.add(p);
                    log("d1 recovered", p);
                });
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("d2"));
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    throw second;
                });
            }
            throw first;
        }

        @Defers
        @java.lang.Override
        public void replacedNotRecovered(RuntimeException first, RuntimeException second) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("d1"));
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    throw second;
                });
            }
            throw first;
        }

        @Defers
        @java.lang.Override
        public void panics(Exception e) throws Exception {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("d1"));
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(x -> log("d2", x), "a");
            }
            throw e;
        }

        @Defers
        @java.lang.Override
        public void callerOf(Targets callee, RuntimeException e, boolean recover) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    if (recover) {
                        Object p = Defer.recover();
                        RECOVERED.add(p);
                        log("caller recovered", p);
                    }
                });
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("caller d1"));
            }
            callee.calleePanics(e);
            log("not reached");
        }

        @Defers
        @java.lang.Override
        public void calleePanics(RuntimeException e) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("callee d1"));
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("callee d2"));
            }
            throw e;
        }

        @Defers
        @java.lang.Override
        public void recoverInHelper() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> helper());
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("d2"));
            }
            throw Defer.panic("through a helper");
        }

        @Defers
        @java.lang.Override
        public void recoverInMethodRef() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(Pooled::direct);
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("d2"));
            }
            throw Defer.panic("direct");
        }

        @Defers
        @java.lang.Override
        public void fatal(Error e) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("d1 recover", Defer.recover()));
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("d2"));
            }
            throw e;
        }

        @Defers
        @java.lang.Override
        public void goexitOuter(Targets callee, boolean inDeferredCall) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("outer d1"));
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("outer recover", Defer.recover()));
            }
            if (inDeferredCall) {
                callee.goexitInDeferredCall();
            } else {
                callee.goexitInner();
            }
            log("not reached");
        }

        @Defers
        @java.lang.Override
        public void goexitInner() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("inner d1"));
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("inner recover", Defer.recover()));
            }
            throw Defer.goexit();
        }

        @Defers
        @java.lang.Override
        public void goexitInDeferredCall() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("inner d1 recover", Defer.recover()));
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    log("inner d2 goexit");
                    throw Defer.goexit();
                });
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("inner d3"));
            }
        }

        @Defers
        @java.lang.Override
        public int fatalAtExit(Error e) {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("d1 recover", Defer.recover()));
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    throw e;
                });
            }
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("d3"));
            }
            return 5;
        }

        /** Panics and recovers inside itself. */
        @Defers
        static void panicsAndRecovers() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> log("nested recovered", Defer.recover()));
            }
            throw Defer.panic("nested");
        }

        @Defers
        @java.lang.Override
        public String recoverAfterANestedPanic() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(() -> {
                    panicsAndRecovers();
                    log("outer recovered", Defer.recover());
                });
            }
            throw Defer.panic("outer");
        }
    }

    // ------------------------------------------------------------------------------------------------
    // The open-coding screen and the order in which the agent rewrites a class's methods.
    // ------------------------------------------------------------------------------------------------

    /**
     * Two identical pairs: a method whose deferred call calls a {@code @Defers} method of the same class
     * that cannot reach the result slot. design.md and InlineSafety: the screen follows "methods of its
     * own class that cannot be overridden and are safe in turn", so both callers qualify for open-coding.
     * The only difference is whether the callee is declared before or after its caller.
     */
    static final class DeclarationOrder {
        @Defers
        static void calleeDeclaredFirst() {
            Defer.defer(() -> LOG.add("first callee recovered " + Defer.recover()));
            throw Defer.panic("first");
        }

        @Defers
        static void callsAnEarlierDeclaredCallee() {
            Defer.defer(() -> {
                calleeDeclaredFirst();
                LOG.add("caller recovered " + Defer.recover());
            });
            throw Defer.panic("caller");
        }

        @Defers
        static void callsALaterDeclaredCallee() {
            Defer.defer(() -> {
                calleeDeclaredLast();
                LOG.add("caller recovered " + Defer.recover());
            });
            throw Defer.panic("caller");
        }

        @Defers
        static void calleeDeclaredLast() {
            Defer.defer(() -> LOG.add("last callee recovered " + Defer.recover()));
            throw Defer.panic("last");
        }
    }

    // ------------------------------------------------------------------------------------------------

    enum Strategy {
        OPEN_CODED(new OpenCoded()), STACK_STYLE(new StackStyle()), POOLED(new Pooled()), LAZY(new LazyTargets());

        final Targets targets;

        Strategy(Targets targets) {
            this.targets = targets;
        }
    }

    static Stream<Arguments> pairs() {
        List<Arguments> pairs = new ArrayList<>();
        for (Strategy caller : Strategy.values()) {
            for (Strategy callee : Strategy.values()) {
                pairs.add(Arguments.of(caller, callee));
            }
        }
        return pairs.stream();
    }

    @BeforeEach
    void clear() {
        LOG.clear();
        RECOVERED.clear();
    }

    /** S12: whatever the scenario did, nothing is left on the thread: there is no active invocation. */
    @AfterEach
    void nothingLeftOnTheThread() {
        assertThrows(IllegalStateException.class, Defer::result, "an invocation was left on the thread");
        assertThrows(IllegalStateException.class, () -> Defer.setResult(1), "an invocation was left on the thread");
    }

    private static List<String> log() {
        synchronized (LOG) {
            return new ArrayList<>(LOG);
        }
    }

    // ---- which strategy each target got ----

    /**
     * Which strategy the agent gave each rewritten method of the classes, from the class files it dumped
     * in a child JVM: open-coded calls DeferSupport.checkDeferred and no defer*; stack-style calls
     * deferStacked only; pooled calls deferPooled only; lazy records call deferLazy and handOverLazy (and
     * deferPooled, their fast path written at the site, once the invocation is entered).
     */
    static Map<String, String> strategies(Class<?>... types) throws Exception {
        Map<String, String> strategies = new TreeMap<>();
        for (ClassNode node : rewritten(types)) {
            String binaryName = node.name.substring(node.name.lastIndexOf('/') + 1);
            String simpleName = binaryName.substring(binaryName.lastIndexOf('$') + 1);
            for (MethodNode method : node.methods) {
                Set<String> calls = new TreeSet<>();
                for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
                    if (insn instanceof MethodInsnNode && ((MethodInsnNode) insn).owner.equals("dev/defer/internal/DeferSupport")) {
                        calls.add(((MethodInsnNode) insn).name);
                    }
                }
                calls.remove("recoverInDeferredCall");
                if (calls.isEmpty()) {
                    // A deferred lambda's body, whose recover() the agent pointed at the fast path.
                    continue;
                }
                boolean stacked = calls.contains("deferStacked");
                boolean pooled = calls.contains("deferPooled");
                String got;
                if (calls.contains("handOverAll") && calls.stream().noneMatch(c -> c.startsWith("defer"))) {
                    got = "open-coded";
                } else if (calls.contains("deferLazy") && calls.contains("handOverLazy") && !stacked) {
                    got = "lazy";
                } else if (stacked && !pooled) {
                    got = "stack-style";
                } else if (pooled && !stacked) {
                    got = "pooled";
                } else {
                    got = "unclear " + calls;
                }
                strategies.put(simpleName + "." + method.name, got);
            }
        }
        return strategies;
    }

    /** The classes as the agent rewrote them, dumped by a child JVM that loads them. */
    static List<ClassNode> rewritten(Class<?>... types) throws Exception {
        String agentJar = Jvm.agentJar().orElse(null);
        Assumptions.assumeTrue(agentJar != null, "the tests do not run under -javaagent:defer-agent.jar");
        Path dir = Files.createTempDirectory("defer-dump-");
        String[] names = Stream.of(types).map(Class::getName).toArray(String[]::new);
        Jvm.Result result = Jvm.run(agentJar + "=dump=" + dir, LoadClassesMain.class, names);
        assertEquals(0, result.exitCode, result.output);
        List<ClassNode> nodes = new ArrayList<>();
        for (Class<?> type : types) {
            ClassNode node = new ClassNode();
            new ClassReader(Files.readAllBytes(dir.resolve(type.getName().replace('.', '/') + ".class"))).accept(node, 0);
            nodes.add(node);
        }
        return nodes;
    }

    /** LazyTargets' scenarios that fail the open-coding screen, and so keep pooled records. */
    private static final String[] NOT_LAZY = {"recoverSetsResult", "setResultTimesSeven"};

    @Test
    void eachTargetGotItsStrategy() throws Exception {
        Map<String, String> actual = strategies(OpenCoded.class, StackStyle.class, Pooled.class, LazyTargets.class);
        // Open-coding takes the two methods whose deferred lambdas read or write the result slot too: it
        // expands their bodies at the exit, with the slot in a local. None is refused.
        Set<String> refused = Set.of();
        // Lazy records run the first call outside the runtime, so the screen refuses these: they keep records.
        Set<String> notLazy = Set.of(NOT_LAZY);
        Map<String, String> expected = new TreeMap<>();
        for (Class<?> type : List.of(OpenCoded.class, StackStyle.class, Pooled.class, LazyTargets.class)) {
            String strategy = type == OpenCoded.class ? "open-coded" : type == StackStyle.class ? "stack-style"
                    : type == Pooled.class ? "pooled" : "lazy";
            for (Method method : type.getDeclaredMethods()) {
                if (method.isAnnotationPresent(Defers.class)) {
                    String name = method.getName();
                    expected.put(type.getSimpleName() + "." + name,
                            refused.contains(name) && type == OpenCoded.class ? "stack-style"
                                    : notLazy.contains(name) && type == LazyTargets.class ? "pooled" : strategy);
                }
            }
        }
        // Every scenario of the interface, plus each loop target and each class's panicsAndRecovers.
        assertEquals(4 * Targets.class.getDeclaredMethods().length + 6, expected.size());
        assertEquals(expected, actual);
    }

    /**
     * The screen's verdict should not depend on where a safe callee is declared. The agent rewrites a
     * class's methods one after the other in the same ClassNode, and InlineSafety reads that node: a
     * callee declared earlier has already been rewritten, its code now calls dev.defer.internal.DeferSupport
     * (another application class to the screen), so the caller loses open-coding. Behaviour is the same
     * either way (records are always correct; see the next test); this is about the strategy only.
     */
    @Test
    void aSafeDefersCalleeOfTheSameClassKeepsItsCallerOpenCodedWhateverTheDeclarationOrder() throws Exception {
        Map<String, String> expected = new TreeMap<>();
        for (String method : List.of("calleeDeclaredFirst", "callsAnEarlierDeclaredCallee", "callsALaterDeclaredCallee",
                "calleeDeclaredLast")) {
            expected.put("DeclarationOrder." + method, "open-coded");
        }
        assertEquals(expected, strategies(DeclarationOrder.class));
    }

    @Test
    void theDeclarationOrderTargetsBehaveAlike() {
        DeclarationOrder.callsAnEarlierDeclaredCallee();
        DeclarationOrder.callsALaterDeclaredCallee();
        assertEquals(List.of("first callee recovered first", "caller recovered caller", "last callee recovered last",
                "caller recovered caller"), log());
    }

    // ---- S1, S2 ----

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void lifoAndNeverBeforeTheEnd(Strategy s) {
        s.targets.order(true);
        assertEquals(List.of("body 1", "end of if", "body end", "d4 b c", "d3 a", "d2", "d1"), log());
        LOG.clear();
        s.targets.order(false);
        assertEquals(List.of("body 1", "body end", "d4 b c", "d3 a", "d1"), log());
    }

    // ---- loop sites (pooled) ----

    @ParameterizedTest(name = "{0} iterations, panic {1}")
    @CsvSource({"1, false", "16, false", "1000000, false", "1, true", "16, true", "1000000, true"})
    void loopSitesRunAllOnceEachLifo(int n, boolean panic) {
        int[] result = new int[1];
        Throwable[] afterwards = new Throwable[1];
        // A small stack (256 KB): running a million deferred calls must not grow it.
        Threads.Ended ended = Threads.run(256 * 1024, () -> {
            if (panic) {
                Panic p = assertThrows(Panic.class, () -> Pooled.loop(n, true));
                assertEquals("after the loop", p.value());
                result[0] = n;
            } else {
                result[0] = Pooled.loop(n, false);
            }
            afterwards[0] = assertThrows(IllegalStateException.class, Defer::result);
        });
        assertEquals(List.of(), ended.uncaught());
        assertEquals(n, result[0]);
        assertEquals(0, Pooled.seenBeforeTheEnd, "deferred calls ran before the method ended");
        assertEquals(n, Pooled.seenCount, "deferred calls run");
        for (int k = 0; k < n; k++) {
            if (Pooled.seen[k] != n - 1 - k) {
                throw new AssertionError("call " + k + " to run was registered by iteration " + Pooled.seen[k]
                        + ", expected " + (n - 1 - k));
            }
        }
        assertTrue(afterwards[0] instanceof IllegalStateException);
    }

    /** The same with lazy records: the first call in the method's local, the rest records, one LIFO order. */
    @ParameterizedTest(name = "{0} iterations, panic {1}")
    @CsvSource({"1, false", "2, false", "16, false", "1000000, false", "1, true", "2, true", "16, true"})
    void lazyLoopSitesRunAllOnceEachLifo(int n, boolean panic) {
        int[] result = new int[1];
        Throwable[] afterwards = new Throwable[1];
        Threads.Ended ended = Threads.run(256 * 1024, () -> {
            if (panic) {
                Panic p = assertThrows(Panic.class, () -> LazyTargets.loop(n, true));
                assertEquals("after the loop", p.value());
                result[0] = n;
            } else {
                result[0] = LazyTargets.loop(n, false);
            }
            afterwards[0] = assertThrows(IllegalStateException.class, Defer::result);
        });
        assertEquals(List.of(), ended.uncaught());
        assertEquals(n, result[0]);
        assertEquals(0, LazyTargets.seenBeforeTheEnd, "deferred calls ran before the method ended");
        assertEquals(n, LazyTargets.seenCount, "deferred calls run");
        for (int k = 0; k < n; k++) {
            if (LazyTargets.seen[k] != n - 1 - k) {
                throw new AssertionError("call " + k + " to run was registered by iteration " + LazyTargets.seen[k]
                        + ", expected " + (n - 1 - k));
            }
        }
        assertTrue(afterwards[0] instanceof IllegalStateException);
    }

    // ---- S4, S5 ----

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void theReturnValueIsStoredBeforeTheDeferredCallsRun(Strategy s) {
        int[] t = {5};
        assertEquals(5, s.targets.returnStoredFirst(t));
        assertEquals(10, t[0]);
        String[] holder = {"before"};
        assertEquals("before", s.targets.returnStoredFirstObject(holder));
        assertEquals("after", holder[0]);
        assertEquals(List.of("t 10", "s after"), log());
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aDeferredCallSetsTheResult(Strategy s) {
        assertEquals(42, s.targets.setResultTimesSeven());
        assertEquals(-1L, s.targets.recoverSetsResult());
        assertEquals(List.of("result was 42", "slot -1"), log());
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void zeroValueAfterARecoveredBodyPanic(Strategy s) {
        assertEquals(7, s.targets.zeroInt(false));
        assertEquals(0, s.targets.zeroInt(true));
        assertEquals(Long.MIN_VALUE + 1, s.targets.zeroLong(false));
        assertEquals(0L, s.targets.zeroLong(true));
        assertEquals(1e300, s.targets.zeroDouble(false));
        assertEquals(0.0, s.targets.zeroDouble(true));
        assertEquals("kept", s.targets.zeroObject(false));
        assertEquals(null, s.targets.zeroObject(true));
        assertEquals(List.of("recovered <nil>", "recovered int", "recovered <nil>", "recovered long",
                "recovered <nil>", "recovered double", "recovered <nil>", "recovered Object"), log());
    }

    // ---- several exits ----

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void severalExits(Strategy s) {
        String[][] expected = {
            {"p0", "exit 0", "d1"},
            {"p1", "d2", "d1"},
            {"p2", "d3", "d2", "d1"},
            {"p3", "d2", "d1"},
            {"p4", "body caught caught", "d2", "d1"},
            {"p5", "d4", "d2", "d1"},
        };
        for (int path = 0; path < expected.length; path++) {
            LOG.clear();
            assertEquals(expected[path][0], s.targets.exits(path), "path " + path);
            assertEquals(List.of(expected[path]).subList(1, expected[path].length), log(), "path " + path);
        }
        LOG.clear();
        Panic p = assertThrows(Panic.class, () -> s.targets.exits(6));
        assertEquals("p6", p.value());
        assertEquals(List.of("d4", "d2", "d1"), log());
    }

    // ---- a body panic after k of n registrations ----

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aBodyPanicRunsExactlyTheRegisteredCallsAndOneRecovers(Strategy s) {
        Panic p = assertThrows(Panic.class, () -> s.targets.panicAfter(1));
        assertEquals("after 1", p.value());
        assertEquals(List.of("d1"), log());

        LOG.clear();
        assertEquals(0, s.targets.panicAfter(2));
        assertEquals(List.of("d2 recovered after 2", "d1"), log());

        LOG.clear();
        assertEquals(0, s.targets.panicAfter(3));
        assertEquals(List.of("d3 x", "d2 recovered after 3", "d1"), log());

        LOG.clear();
        assertEquals(0, s.targets.panicAfter(4));
        assertEquals(List.of("d4 y z", "d3 x", "d2 recovered after 4", "d1"), log());

        LOG.clear();
        assertEquals(40, s.targets.panicAfter(5));
        assertEquals(List.of("d4 y z", "d3 x", "d2 recovered <nil>", "d1"), log());
    }

    /** S12: many normal and abnormal exits in a row leave nothing behind that a later one would run. */
    @ParameterizedTest
    @EnumSource(Strategy.class)
    void manyExitsInARowLeaveNothingBehind(Strategy s) {
        for (int round = 0; round < 2_000; round++) {
            for (int k = 1; k <= 5; k++) {
                LOG.clear();
                try {
                    assertEquals(k == 5 ? 40 : 0, s.targets.panicAfter(k));
                } catch (Panic expected) {
                    assertEquals(1, k);
                }
                assertEquals(Math.max(1, k == 5 ? 4 : k), log().size(), "round " + round + ", k " + k);
            }
        }
    }

    // ---- S9 ----

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aDeferredCallThrowsDuringTheNormalExit(Strategy s) {
        assertEquals("from return", s.targets.throwsAtExit());
        assertEquals(List.of("d4", "d3 throws", "d2", "d1 recovered d3 failed"), log());
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void twoDeferredCallsThrowDuringTheNormalExit(Strategy s) {
        IllegalArgumentException a = new IllegalArgumentException("a");
        IllegalStateException b = new IllegalStateException("b");
        assertEquals(9, s.targets.twoThrowAtExit(a, b));
        assertEquals(List.of("d3 throws", "d2 throws", "d1 recovered b"), log());
        assertSame(b, RECOVERED.get(0));
        assertArrayEquals(new Throwable[] {a}, b.getSuppressed());
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aReplacedPanicIsSuppressedAndTheReplacementRecovered(Strategy s) {
        IllegalArgumentException first = new IllegalArgumentException("first");
        IllegalStateException second = new IllegalStateException("second");
        s.targets.replaced(first, second);
        assertEquals(List.of("d2", "d1 recovered second"), log());
        assertEquals(1, RECOVERED.size());
        assertSame(second, RECOVERED.get(0));
        assertArrayEquals(new Throwable[] {first}, second.getSuppressed());
        assertEquals(0, first.getSuppressed().length);
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void anUnrecoveredReplacementLeavesWithTheReplacedOneSuppressed(Strategy s) {
        IllegalArgumentException first = new IllegalArgumentException("first");
        IllegalStateException second = new IllegalStateException("second");
        assertSame(second, assertThrows(IllegalStateException.class, () -> s.targets.replacedNotRecovered(first, second)));
        assertArrayEquals(new Throwable[] {first}, second.getSuppressed());
        assertEquals(List.of("d1"), log());
    }

    // ---- S6 ----

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void anUnrecoveredPanicLeavesAsTheSameThrowable(Strategy s) {
        for (Exception e : List.of(new IllegalStateException("unchecked"), new IOException("checked"))) {
            LOG.clear();
            StackTraceElement[] trace = e.getStackTrace();
            Exception thrown = assertThrows(Exception.class, () -> s.targets.panics(e));
            assertSame(e, thrown);
            assertArrayEquals(trace, thrown.getStackTrace());
            assertEquals(0, thrown.getSuppressed().length);
            assertEquals(null, thrown.getCause());
            assertEquals(List.of("d2 a", "d1"), log());
        }
    }

    @ParameterizedTest(name = "caller {0}, callee {1}")
    @MethodSource("pairs")
    void theCallersDeferredCallsRunAfterTheCallees(Strategy caller, Strategy callee) {
        IllegalStateException e = new IllegalStateException("boom");
        assertSame(e, assertThrows(IllegalStateException.class, () -> caller.targets.callerOf(callee.targets, e, false)));
        assertEquals(List.of("callee d2", "callee d1", "caller d1"), log());
        assertEquals(0, e.getSuppressed().length);

        LOG.clear();
        IllegalStateException f = new IllegalStateException("boom 2");
        caller.targets.callerOf(callee.targets, f, true);
        assertEquals(List.of("callee d2", "callee d1", "caller d1", "caller recovered boom 2"), log());
        assertSame(f, RECOVERED.get(0));
    }

    // ---- S8 ----

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void recoverInAHelperReturnsNull(Strategy s) {
        Panic p = assertThrows(Panic.class, s.targets::recoverInHelper);
        assertEquals("through a helper", p.value());
        assertEquals(List.of("d2", "helper saw <nil>"), log());

        LOG.clear();
        s.targets.recoverInMethodRef();
        assertEquals(List.of("d2", "direct saw direct"), log());
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aVirtualMachineErrorRunsTheDeferredCallsButIsNotRecovered(Strategy s) {
        for (Error e : List.<Error>of(new OutOfMemoryError("test"), new StackOverflowError("test"))) {
            LOG.clear();
            assertSame(e, assertThrows(Error.class, () -> s.targets.fatal(e)));
            assertEquals(List.of("d2", "d1 recover <nil>"), log());
        }
        for (Error e : List.<Error>of(new OutOfMemoryError("test"), new StackOverflowError("test"))) {
            LOG.clear();
            assertSame(e, assertThrows(Error.class, () -> s.targets.fatalAtExit(e)));
            assertEquals(List.of("d3", "d1 recover <nil>"), log());
            assertEquals(0, e.getSuppressed().length);
        }
    }

    // ---- S7 ----

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aPanicRecoveredInsideADeferredCallLeavesTheOuterOneRecoverable(Strategy s) {
        assertEquals(null, s.targets.recoverAfterANestedPanic());
        assertEquals(List.of("nested recovered nested", "outer recovered outer"), log());
    }

    // ---- S16 ----

    @ParameterizedTest(name = "outer {0}, inner {1}")
    @MethodSource("pairs")
    void goexitRunsEveryDeferredCallInnermostFirstAndEndsTheThreadSilently(Strategy outer, Strategy inner) {
        Threads.Ended[] ended = new Threads.Ended[1];
        String err = Threads.stderrDuring(() -> ended[0] = Threads.run(() -> {
            outer.targets.goexitOuter(inner.targets, false);
            OpenCoded.log("thread returned");
        }));
        assertEquals(List.of(), ended[0].uncaught(), "the thread did not end silently");
        assertEquals("", err);
        assertEquals(List.of("inner recover <nil>", "inner d1", "outer recover <nil>", "outer d1"), log());
    }

    @ParameterizedTest(name = "outer {0}, inner {1}")
    @MethodSource("pairs")
    void goexitInADeferredCallDuringTheNormalExitRunsTheRestAndEndsTheThread(Strategy outer, Strategy inner) {
        Threads.Ended[] ended = new Threads.Ended[1];
        String err = Threads.stderrDuring(() -> ended[0] = Threads.run(() -> {
            outer.targets.goexitOuter(inner.targets, true);
            OpenCoded.log("thread returned");
        }));
        assertEquals(List.of(), ended[0].uncaught(), "the thread did not end silently");
        assertEquals("", err);
        assertEquals(List.of("inner d3", "inner d2 goexit", "inner d1 recover <nil>", "outer recover <nil>", "outer d1"),
                log());
    }
}
