package dev.defer.examples;

import dev.defer.Defer;
import dev.defer.Defers;

import java.nio.file.NoSuchFileException;
import java.util.Map;

/**
 * Adding context to an error in one place, with a deferred call, as Go code does:
 * <pre>{@code
 * func readPort(name string) (port int, err error) {
 *     defer func() {
 *         if err != nil { err = fmt.Errorf("reading %s: %w", name, err) }
 *     }()
 *     ...
 * }
 * }</pre>
 * The deferred call wraps both an error the body returns and an exception it throws, and the original
 * error stays reachable as the cause (Go's {@code errors.Unwrap}).
 */
public final class ErrorWrapping {
    private ErrorWrapping() {
    }

    /**
     * A value or an error: Java's spelling of Go's {@code (T, error)} results.
     *
     * @param value the value, when there is no error
     * @param error the error, or {@code null}
     * @param <T> the value's type
     */
    public record Result<T>(T value, Exception error) {
        static <T> Result<T> ok(T value) {
            return new Result<>(value, null);
        }

        static <T> Result<T> fail(Exception error) {
            return new Result<>(null, error);
        }

        boolean failed() {
            return error != null;
        }

        @Override
        public String toString() {
            return failed() ? "error: " + error.getMessage() : "ok " + value;
        }
    }

    /** An error with context that wraps its cause: Go's {@code fmt.Errorf("%s: %w", context, err)}. */
    static final class WrappedError extends Exception {
        private static final long serialVersionUID = 1L;

        WrappedError(String context, Throwable cause) {
            super(context + ": " + cause.getMessage(), cause);
        }
    }

    // A pretend file system, so the example needs no setup.
    private static final Map<String, String> FILES = Map.of(
        "good.conf", "port=8080",
        "range.conf", "port=70000",
        "bad.conf", "port=80a");

    /** Reads the port from a config file; any error comes back wrapped with the file's name. */
    @Defers
    static Result<Integer> readPort(String name) {
        Defer.defer(() -> {
            Object p = Defer.recover();
            // The error is the panic, if the body threw, else whatever error the body returned.
            Result<Integer> result = p != null ? Result.fail(asException(p)) : Defer.result();
            if (result.failed()) {
                Defer.setResult(Result.fail(new WrappedError("reading " + name, result.error())));
            }
        });
        String text = FILES.get(name);
        if (text == null) {
            // Defer.panic throws a checked exception as it is, without declaring or wrapping it.
            throw Defer.panic(new NoSuchFileException(name));
        }
        int port = Integer.parseInt(text.substring("port=".length()));
        if (port > 65535) {
            return Result.fail(new IllegalArgumentException("port out of range: " + port));
        }
        return Result.ok(port);
    }

    private static Exception asException(Object recovered) {
        return recovered instanceof Exception e ? e : new RuntimeException(Panics.message(recovered));
    }

    /**
     * Reads a good file, one whose error is returned, one whose parse throws, and one that is missing.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        for (String name : new String[] {"good.conf", "range.conf", "bad.conf", "missing.conf"}) {
            Result<Integer> result = readPort(name);
            String line = "readPort(" + name + ") = " + result;
            if (result.failed()) {
                line += "   (wraps " + result.error().getCause().getClass().getSimpleName() + ")";
            }
            System.out.println(line);
        }
    }
}
