package dev.defer.validation;

import dev.defer.Defer;
import dev.defer.Defers;

/**
 * Run by {@link S13MisuseTest} in a JVM started without the agent: every Defer.defer must fail with an
 * IllegalStateException that says how to fix it. Prints one line per case.
 */
public final class NoAgentMain {
    private NoAgentMain() {
    }

    @Defers
    static void annotated() {
        Defer.defer(() -> { });
    }

    static void plain() {
        Defer.defer(() -> { });
    }

    public static void main(String[] args) {
        try {
            annotated();
            System.out.println("annotated: no exception");
        } catch (RuntimeException e) {
            System.out.println("annotated: " + e);
        }
        try {
            plain();
            System.out.println("plain: no exception");
        } catch (RuntimeException e) {
            System.out.println("plain: " + e);
        }
    }
}
