package dev.defer.instrument;

/**
 * A class file that cannot be rewritten. The message names the class, the method, the reason and the
 * fix; the class must be used as it was, never half-rewritten.
 */
public final class InstrumentationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String className;

    InstrumentationException(String message, String className, Throwable cause) {
        super(message, cause);
        this.className = className;
    }

    /**
     * @return the binary name of the class, or null when the class file could not be read
     */
    public String className() {
        return className;
    }
}
