package dev.defer.validation;

import dev.defer.Defer;

/**
 * Defined by {@link PanicTraceTest} only from its bytes with the class file version set to 50 (Java 6), which
 * cannot hold {@code invokedynamic}: the agent leaves its {@code Defer.panic} call as it is, so its
 * {@code Panic} keeps the lazily trimmed trace. Never loaded by name.
 */
final class OldPanicTarget {
    private OldPanicTarget() {
    }

    static void panics() {
        throw Defer.panic("old"); // @line old
    }
}
