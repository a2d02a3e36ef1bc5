package dev.defer.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Opens real files and records which are open, the most open at once, and the order they were closed in. */
final class TrackingOpener implements StockImporter.Opener {
    private final Set<Path> open = new LinkedHashSet<>();
    final List<Path> closed = new ArrayList<>();
    int mostOpenAtOnce;

    @Override
    public BufferedReader open(Path file) throws IOException {
        BufferedReader reader = new BufferedReader(Files.newBufferedReader(file)) {
            @Override
            public void close() throws IOException {
                super.close();
                open.remove(file);
                closed.add(file);
            }
        };
        open.add(file);
        mostOpenAtOnce = Math.max(mostOpenAtOnce, open.size());
        return reader;
    }

    /** The files opened and not closed. */
    Set<Path> stillOpen() {
        return Set.copyOf(open);
    }
}
