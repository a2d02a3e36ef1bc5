package dev.defer.examples;

import dev.defer.Defer;
import dev.defer.Defers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The README example: copy a file, closing both streams with deferred calls. The streams are closed in
 * reverse order of opening, and the input is closed even when opening the output fails.
 */
public final class CopyFile {
    private CopyFile() {
    }

    /** Copies {@code from} to {@code to}; Go's {@code defer src.Close()} / {@code defer dst.Close()}. */
    @Defers
    static long copy(Path from, Path to) throws IOException {
        InputStream in = Loud.in(Files.newInputStream(from), "input");
        Defer.defer(in::close);
        OutputStream out = Loud.out(Files.newOutputStream(to), "output");
        Defer.defer(out::close);
        return in.transferTo(out);
    }

    /**
     * Copies a temporary file, then tries to copy into a directory that does not exist.
     *
     * @param args ignored
     * @throws IOException if the temporary files cannot be made
     */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("defer-copy");
        Path from = Files.writeString(dir.resolve("from.txt"), "hello, defer\n".repeat(100));
        Path to = dir.resolve("to.txt");

        System.out.println("copy(from.txt, to.txt)");
        long copied = copy(from, to);
        System.out.println("copied " + copied + " bytes; to.txt has " + Files.size(to));

        // The output cannot be opened: the deferred close of the input still runs, then the exception leaves copy.
        System.out.println("copy(from.txt, missing-dir/to.txt)");
        try {
            copy(from, dir.resolve("missing-dir").resolve("to.txt"));
        } catch (IOException e) {
            System.out.println("copy failed: " + e.getClass().getSimpleName());
        }

        Files.delete(to);
        Files.delete(from);
        Files.delete(dir);
    }
}
