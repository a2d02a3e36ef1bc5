package demo;

import dev.defer.Defer;
import dev.defer.Defers;
import java.util.ArrayList;
import java.util.List;

/** A @Defers class whose deferred calls write a log, so that a test sees the agent rewrote it. */
public final class Ledger {
    /** What the deferred calls did, in the order they ran. */
    public final List<String> log = new ArrayList<>();

    /** Opens each account in turn and closes them last-in-first-out; a negative amount panics, recovered. */
    @Defers
    public int post(int... amounts) {
        Defer.defer(() -> {
            Object p = Defer.recover();
            if (p != null) {
                log.add("recovered " + p);
                Defer.setResult(-1);
            }
        });
        int total = 0;
        for (int i = 0; i < amounts.length; i++) {
            int account = i;
            Defer.defer(() -> log.add("close " + account));
            if (amounts[i] < 0) {
                throw Defer.panic("negative amount in account " + i);
            }
            total += amounts[i];
        }
        return total;
    }
}
