package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.defer.Defer;
import dev.defer.Deferred;
import dev.defer.Defers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 5: a deferred call that fails during a panic shows, in its stack trace, at most one runtime
 * frame between its own frame and the {@code @Defers} method's, for each strategy: the handler calls the run
 * loop directly ({@code DeferSupport.finish}), rather than through {@code panicX}, {@code Invocation.finish},
 * {@code runDeferredCalls} and {@code DeferRecord.call}.
 */
class DeferredFailureTraceTest {
    static final String RUNTIME = "dev.defer.internal.";

    static class Target {
        static final Deferred FAIL = Target::fail;

        static void fail() {
            throw new IllegalStateException("deferred call failed");
        }

        /** Open-coded: a lambda of the class at a top-level site; the panic hands it to the runtime. */
        @Defers
        static int openCoded() {
            Defer.defer(() -> {
                throw new IllegalStateException("deferred call failed");
            });
            throw new IllegalArgumentException("panic");
        }

        /** A stack-style record: the call is not made at the site. */
        @Defers
        static int stackRecord() {
            Defer.defer(FAIL);
            throw new IllegalArgumentException("panic");
        }

        /** A stack-style record whose deferred call fails at a normal return of a void method. */
        @Defers
        static void stackRecordReturningVoid() {
            Defer.defer(FAIL);
        }

        /** A pooled record whose deferred call fails at a normal return of a reference. */
        @Defers
        static String loopRecordReturningObject() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(Target::fail);
            }
            return "result";
        }

        /** A pooled record: the site is on a cycle. */
        @Defers
        static void loopRecord() {
            for (int i = 0; i < 1; i++) {
                Defer.defer(Target::fail);
            }
            throw new IllegalArgumentException("panic");
        }
    }

    @Test
    void openCodedFailureHasOneRuntimeFrame() {
        assertAtMostOneRuntimeFrame("openCoded", Target::openCoded);
    }

    @Test
    void stackRecordFailureHasOneRuntimeFrame() {
        assertAtMostOneRuntimeFrame("stackRecord", Target::stackRecord);
    }

    @Test
    void loopRecordFailureHasOneRuntimeFrame() {
        assertAtMostOneRuntimeFrame("loopRecord", () -> {
            Target.loopRecord();
            return 0;
        });
    }

    /**
     * At a normal return of a records method, the exit entry point ({@code exitVoid}, {@code exitObject}) calls
     * the run loop: two runtime frames (an open-coded method runs its calls inline, with none).
     */
    @Test
    void aFailureAtANormalReturnHasTwoRuntimeFrames() {
        assertRuntimeFrames("stackRecordReturningVoid", () -> {
            Target.stackRecordReturningVoid();
            return 0;
        }, false, 2);
        assertRuntimeFrames("loopRecordReturningObject", () -> Target.loopRecordReturningObject().length(), false, 2);
    }

    private static void assertAtMostOneRuntimeFrame(String method, Supplier<Integer> call) {
        assertRuntimeFrames(method, call, true, 1);
    }

    private static void assertRuntimeFrames(String method, Supplier<Integer> call, boolean panicking, int most) {
        IllegalStateException thrown = assertThrows(IllegalStateException.class, call::get);
        if (panicking) {
            // S9: the failure replaced the panic, which it keeps.
            assertEquals("panic", thrown.getSuppressed()[0].getMessage());
        } else {
            assertEquals(0, thrown.getSuppressed().length, "no panic was running");
        }
        StackTraceElement[] trace = thrown.getStackTrace();
        int caller = -1;
        for (int i = 1; i < trace.length; i++) {
            if (trace[i].getClassName().equals(Target.class.getName()) && trace[i].getMethodName().equals(method)) {
                caller = i;
                break;
            }
        }
        assertTrue(caller > 0, method + ": the @Defers method's frame is missing from the failure's stack trace: "
                + Arrays.toString(trace));
        List<String> between = new ArrayList<>();
        for (int i = 1; i < caller; i++) {
            between.add(trace[i].getClassName() + "." + trace[i].getMethodName());
        }
        long runtime = between.stream().filter(frame -> frame.startsWith(RUNTIME)).count();
        assertTrue(runtime <= most && runtime == between.size(), method + ": between the failed deferred call ("
                + trace[0] + ") and its @Defers method the stack trace shows " + between + "; at most " + most
                + " dev.defer.internal frame(s) (the exit entry point and DeferSupport.finish, the run loop) are "
                + "expected: see 'Panics and recover' in docs/design.md");
    }
}
