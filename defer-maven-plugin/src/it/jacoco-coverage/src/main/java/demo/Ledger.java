package demo;

import dev.defer.Defer;
import dev.defer.Defers;

/** @Defers code with six branches, all covered by LedgerTest: open-coded, recovered, and loop defers. */
public final class Ledger {
    private final StringBuilder log = new StringBuilder();

    @Defers
    public String transfer(int amount) {
        log.append("begin;");
        Defer.defer(() -> log.append("end;"));
        if (amount <= 0) {
            throw new IllegalArgumentException("amount " + amount);
        }
        return "moved " + amount;
    }

    @Defers
    public String safeTransfer(int amount) {
        Defer.defer(() -> {
            Object p = Defer.recover();
            if (p != null) {
                Defer.setResult("refused: " + ((Throwable) p).getMessage());
            }
        });
        return transfer(amount);
    }

    @Defers
    public int closeAll(int n) {
        int closed = 0;
        for (int i = 0; i < n; i++) {
            int k = i;
            Defer.defer(() -> log.append("close ").append(k).append(';'));
            closed++;
        }
        return closed;
    }

    public String log() {
        return log.toString();
    }
}
