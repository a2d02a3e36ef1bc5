package dev.defer.validation;

import dev.defer.Defer;
import dev.defer.Defers;
import dev.defer.validation.StrategyMatrixTest.Targets;

/**
 * {@link StrategyMatrixTest}'s scenarios with lazy records: {@code StrategyMatrixTest.Pooled}'s code (every site
 * in a loop that runs once), with deferred calls that log through this class's own {@code log}, which calls the
 * platform only, so that the methods pass the open-coding screen. Each method keeps its first deferred call
 * without arguments in its local and enters the runtime at its second defer, or at its first with arguments.
 * The scenarios that read or write the result slot from a deferred call fail the screen and keep pooled records.
 */
final class LazyTargets implements Targets {
    /** OpenCoded.log's code, in this class: a call of another application class would keep records. */
    static void log(Object... parts) {
        StringBuilder line = new StringBuilder();
        for (Object p : parts) {
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(p == null ? "<nil>" : p instanceof Throwable ? ((Throwable) p).getMessage() : String.valueOf(p));
        }
        StrategyMatrixTest.LOG.add(line.toString());
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
            int k = i;
            Defer.defer(() -> seen(k));
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
                StrategyMatrixTest.RECOVERED.add(p);
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
                StrategyMatrixTest.RECOVERED.add(p);
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
                    StrategyMatrixTest.RECOVERED.add(p);
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
            Defer.defer(LazyTargets::direct);
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
