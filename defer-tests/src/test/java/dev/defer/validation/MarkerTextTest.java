package dev.defer.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.defer.Defer;
import dev.defer.Defers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A class is "rewritten already" only when it carries the rewrite's class attribute: a {@code @Defers} class that
 * merely holds the attribute's name as a string (here a log message) is rewritten by the agent like any other.
 */
class MarkerTextTest {
    static final class Logging {
        /** The text alone, so that the constant pool holds exactly the attribute's name. */
        static final String MARKER = "dev.defer.Rewritten";
        static final List<String> LOG = new ArrayList<>();

        @Defers
        static String work() {
            Defer.defer(() -> LOG.add(MARKER));
            Defer.defer(() -> Defer.setResult(Defer.<String>result() + ", deferred"));
            return "body";
        }
    }

    @Test
    void aDefersClassHoldingTheMarkerNameIsRewritten() {
        assertEquals("body, deferred", Logging.work());
        assertEquals(List.of("dev.defer.Rewritten"), Logging.LOG);
    }
}
