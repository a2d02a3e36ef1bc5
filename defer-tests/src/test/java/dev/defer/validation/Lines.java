package dev.defer.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Line numbers that a test expects in a stack trace, found in the test's own source file: the line that
 * carries the comment {@code // @line NAME}. This does not depend on the line numbers the JVM reports, so
 * a rewrite that shifts or drops them cannot hide itself.
 */
final class Lines {
    private static final Path SOURCES = Path.of("src", "test", "java", "dev", "defer", "validation");

    private Lines() {
    }

    /** The line of {@code file} that ends with the marker {@code // @line name}. */
    static int marked(String file, String name) {
        List<String> lines;
        try {
            lines = Files.readAllLines(SOURCES.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException("the tests run in the defer-tests module directory", e);
        }
        int found = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().endsWith("// @line " + name)) {
                if (found != -1) {
                    throw new IllegalStateException("marker @line " + name + " twice in " + file);
                }
                found = i + 1;
            }
        }
        if (found == -1) {
            throw new IllegalStateException("no marker @line " + name + " in " + file);
        }
        return found;
    }

    /** The line after the caller's, as the JVM reports the caller's line. */
    static int next() {
        return new Throwable().getStackTrace()[1].getLineNumber() + 1;
    }

    /** The first frame of {@code t}'s stack trace that is not the defer runtime's own. */
    static StackTraceElement firstUserFrame(Throwable t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            String c = frame.getClassName();
            if (!c.startsWith("dev.defer.internal.") && !c.equals("dev.defer.Defer")) {
                return frame;
            }
        }
        throw new AssertionError("no user frame in the stack trace of " + t);
    }
}
