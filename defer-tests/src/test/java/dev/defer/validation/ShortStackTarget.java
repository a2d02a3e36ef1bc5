package dev.defer.validation;

import dev.defer.Defer;
import dev.defer.Defers;

/**
 * Loaded again and again by {@link ShortStackLoadMain}, each time by a new class loader and with little stack left:
 * {@link #run()} returns {@code "body, deferred"} only when the agent rewrote the copy.
 */
public final class ShortStackTarget {
    private ShortStackTarget() {
    }

    /** @return the body's result as the deferred call changed it */
    @Defers
    public static String run() {
        Defer.defer(() -> Defer.setResult(Defer.<String>result() + ", deferred"));
        return "body";
    }
}
