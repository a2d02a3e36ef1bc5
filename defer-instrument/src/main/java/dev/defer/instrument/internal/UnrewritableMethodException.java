package dev.defer.instrument.internal;

/** Thrown when a method's bytecode cannot be rewritten; the message says why and what to do. */
final class UnrewritableMethodException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnrewritableMethodException(String reason) {
        super(reason);
    }
}
