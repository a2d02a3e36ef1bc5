package dev.defer.validation;

import dev.defer.Defer;
import dev.defer.Defers;
import dev.defer.Panic;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.ExecutionException;

/**
 * For {@link PanicSiteLinkingTest}, in a child JVM under the agent: two {@code Defer.panic} call sites of a
 * rewritten class panic; prints, for each, its message, the first frame of its trace printed as the cause of
 * another exception, then the first frame {@code getStackTrace} returns.
 */
public final class PanicFallbackMain {
    private PanicFallbackMain() {
    }

    @Defers
    static void first() {
        Defer.defer(() -> { });
        throw Defer.panic("first");
    }

    @Defers
    static void second() {
        Defer.defer(() -> { });
        throw Defer.panic("second");
    }

    /**
     * Runs both sites.
     *
     * @param args none
     */
    public static void main(String[] args) {
        for (int i = 0; i < 2; i++) {
            try {
                if (i == 0) {
                    first();
                } else {
                    second();
                }
            } catch (Panic p) {
                StringWriter text = new StringWriter();
                new ExecutionException(p).printStackTrace(new PrintWriter(text));
                String printed = text.toString();
                int cause = printed.indexOf("Caused by:");
                String frame = printed.substring(cause).split("\\R")[1].trim();
                StackTraceElement read = p.getStackTrace()[0];
                System.out.println(p.getMessage() + " | printed " + frame + " | read " + read.getClassName() + "."
                        + read.getMethodName());
            }
        }
    }
}
