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

    private static void assertAtMostOneRuntimeFrame(String method, Supplier<Integer> call) {
        IllegalStateException thrown = assertThrows(IllegalStateException.class, call::get);
        // S9: the failure replaced the panic, which it keeps.
        assertEquals("panic", thrown.getSuppressed()[0].getMessage());
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
        assertTrue(runtime <= 1 && runtime == between.size(), method + ": between the failed deferred call ("
                + trace[0] + ") and its @Defers method the stack trace shows " + between + "; at most one "
                + "dev.defer.internal frame (DeferSupport.finish, the run loop) is expected: see 'Panics and "
                + "recover' in docs/design.md");
    }
}
