package dev.defer.examples;

/** What the examples print for a recovered panic value. */
final class Panics {
    private Panics() {
    }

    /**
     * The message of a recovered value: a throwable's message (recover() returns a thrown exception
     * itself), or the value given to {@code Defer.panic}.
     */
    static String message(Object recovered) {
        return recovered instanceof Throwable t ? t.getMessage() : String.valueOf(recovered);
    }
}
