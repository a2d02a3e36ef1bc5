package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PaymentsTest {
    @Test
    void advisedDeferredCallsRecoverAndChangeTheResult() {
        Payments.TRACE.clear();
        assertEquals("declined: amount 0", Payments.charge(0));
        assertEquals("charged 5", Payments.charge(5));
        assertEquals(35, Payments.fee(50));
        // The advice is part of the body that the defer rewrite wraps: a body that panics exits "by" the
        // throwable before its deferred calls run, as a finally block of the body would.
        assertEquals(List.of(
                "enter charge", "exit charge by IllegalArgumentException", "enter onPanic", "exit onPanic",
                "enter charge", "exit charge", "enter onPanic", "exit onPanic",
                "enter fee", "exit fee"), Payments.TRACE);
    }
}
