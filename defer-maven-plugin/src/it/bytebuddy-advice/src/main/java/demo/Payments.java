package demo;

import dev.defer.Defer;
import dev.defer.Defers;
import java.util.ArrayList;
import java.util.List;

/** @Defers methods that a tracing agent advises, its deferred handlers included. */
public final class Payments {
    /** What the advice recorded: "enter m", "exit m" or "exit m by E". */
    public static final List<String> TRACE = new ArrayList<>();

    private Payments() {
    }

    /** A deferred method reference that recovers. */
    @Defers
    public static String charge(int cents) {
        Defer.defer(Payments::onPanic);
        if (cents <= 0) {
            throw new IllegalArgumentException("amount " + cents);
        }
        return "charged " + cents;
    }

    static void onPanic() {
        Object p = Defer.recover();
        if (p != null) {
            Defer.setResult("declined: " + ((Throwable) p).getMessage());
        }
    }

    /** A deferred lambda that changes the result. */
    @Defers
    public static int fee(int cents) {
        Defer.defer(() -> Defer.setResult(Defer.<Integer>result() + 30));
        return cents / 10;
    }
}
