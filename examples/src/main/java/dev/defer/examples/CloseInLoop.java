package dev.defer.examples;

import dev.defer.Defer;
import dev.defer.Defers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A defer in a loop runs when the method returns, not at the end of the iteration: every file stays open
 * until then, and they close last-in-first-out. When that is too late, put the loop body in its own
 * {@code @Defers} method, as Go code does with a function per iteration.
 */
public final class CloseInLoop {
    private CloseInLoop() {
    }

    /** Reads every file; all of them are closed only when this method returns. */
    @Defers
    static long totalSize(List<Path> files) throws IOException {
        long total = 0;
        for (Path file : files) {
            String name = file.getFileName().toString();
            InputStream in = Loud.in(Files.newInputStream(file), name);
            Defer.defer(in::close);
            System.out.println("opened " + name);
            total += in.readAllBytes().length;
        }
        System.out.println("loop done, returning " + total);
        return total;
    }

    /** The same loop with one invocation per file, so that each file is closed before the next opens. */
    static long totalSizeOneAtATime(List<Path> files) throws IOException {
        long total = 0;
        for (Path file : files) {
            total += size(file);
        }
        System.out.println("loop done, returning " + total);
        return total;
    }

    @Defers
    private static long size(Path file) throws IOException {
        String name = file.getFileName().toString();
        InputStream in = Loud.in(Files.newInputStream(file), name);
        Defer.defer(in::close);
        System.out.println("opened " + name);
        return in.readAllBytes().length;
    }

    /**
     * Reads three temporary files both ways.
     *
     * @param args ignored
     * @throws IOException if the temporary files cannot be made
     */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("defer-loop");
        List<Path> files = new ArrayList<>();
        for (String name : List.of("a.txt", "b.txt", "c.txt")) {
            files.add(Files.writeString(dir.resolve(name), name));
        }

        System.out.println("-- defer in the loop --");
        totalSize(files);
        System.out.println("-- one @Defers method per file --");
        totalSizeOneAtATime(files);

        for (Path file : files) {
            Files.delete(file);
        }
        Files.delete(dir);
    }
}
