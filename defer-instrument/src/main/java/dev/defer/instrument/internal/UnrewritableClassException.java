package dev.defer.instrument.internal;

import java.util.List;

/**
 * A class that cannot be rewritten, with each method and reason. The class is left exactly as it was;
 * its {@code Defer.defer} calls then fail at run time with an error that points back here.
 */
public final class UnrewritableClassException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String className;

    UnrewritableClassException(String className, List<String> problems) {
        super(message(className, String.join("; ", problems)));
        this.className = className;
    }

    UnrewritableClassException(String className, String method, String reason) {
        this(className, List.of(method + ": " + reason));
    }

    /**
     * @return the class's binary name, e.g. {@code com.example.Foo}
     */
    public String className() {
        return className.replace('/', '.');
    }

    private static String message(String className, String problems) {
        return "cannot rewrite " + className.replace('/', '.') + ", left unchanged (its Defer.defer calls will"
                + " throw IllegalStateException): " + problems;
    }
}
