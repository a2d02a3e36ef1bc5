package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.defer.Defer;
import dev.defer.Defers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs under Surefire without the agent: main classes rewritten by instrument, this one by instrument-test. */
class MainTest {
    @Test
    void mainClassesWereRewritten() {
        assertEquals(1, Main.f1());
        assertEquals(42, Main.a());
        assertEquals("recovered: java.lang.ArithmeticException: / by zero", Main.safeDivide(1, 0));
    }

    @Defers
    static List<String> closeInReverse() {
        List<String> log = new ArrayList<>();
        Defer.defer(log::add, "first opened, closed last");
        Defer.defer(log::add, "second opened, closed first");
        log.add("body");
        return log;
    }

    @Test
    void testClassesWereRewritten() {
        assertEquals(List.of("body", "second opened, closed first", "first opened, closed last"), closeInReverse());
    }
}
