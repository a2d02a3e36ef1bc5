package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A class loaded with little stack left is rewritten all the same (issue 9, item 4): the JVM calls the agent on
 * the loading thread, and when the rewrite overflows that thread's stack the agent does it again on its own thread.
 * In a fresh JVM on the default stack, copies of a {@code @Defers} class load at every depth near the overflow;
 * every copy that was defined must be rewritten, or, when even the hand-over found no stack, be reported by name.
 */
class ShortStackLoadTest {
    private static final Pattern SUMMARY = Pattern.compile(
            "attempts (\\d+), overflows at load (\\d+), defined (\\d+), rewritten (\\d+), unrewritten (\\d+)");

    @Test
    void everyCopyLoadedNearTheOverflowIsRewrittenOrReportedByName() throws Exception {
        String agentJar = Jvm.agentJar().orElseThrow(() -> new AssertionError("the tests run under the agent"));
        Jvm.Result result = Jvm.run(agentJar + "=verbose", ShortStackLoadMain.class, "8");
        assertEquals(0, result.exitCode, result.output);
        Matcher summary = SUMMARY.matcher(result.output);
        assertTrue(summary.find(), result.output);
        int defined = Integer.parseInt(summary.group(3));
        int rewritten = Integer.parseInt(summary.group(4));
        int unrewritten = Integer.parseInt(summary.group(5));
        String target = ShortStackTarget.class.getName();
        long handedOver = count(result.output, "defer-agent: rewrote " + target + " on the agent's own thread");
        long reported = count(result.output, "defer-agent: cannot rewrite " + target + ", left unchanged");
        String figures = summary.group() + ", handed over " + handedOver + ", reported " + reported;
        assertEquals(defined, rewritten + unrewritten, figures);
        assertTrue(rewritten >= 100, "copies defined rewritten near the overflow: " + figures);
        assertTrue(handedOver > 0, "no load overflowed in the rewrite, so the hand-over was not tried: " + figures);
        assertEquals(unrewritten, reported, "each copy left un-rewritten is reported by name, and only those: "
                + figures);
        assertEquals(reported, count(result.output, "defer-agent: cannot rewrite "),
                "no other class is reported: " + result.output.lines().filter(l -> l.contains("cannot rewrite"))
                        .filter(l -> !l.contains(target)).findFirst().orElse(""));
    }

    private static long count(String text, String line) {
        return text.lines().filter(l -> l.startsWith(line)).count();
    }
}
