package dev.defer.difftest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A shrunk program kept as a file: a comment header (seed, removed statements, the traces when it was
 * found), then its Go source after a line {@code == go} and its Java class after a line {@code == java}.
 * The stored sources are replayed as they are, so later changes to the generator do not change them.
 */
record Regression(String file, String goId, String javaClass, String go, String java) implements Runner.Case {
    static Regression read(Path f) throws IOException {
        String text = Files.readString(f);
        int g = text.indexOf("\n== go\n");
        int j = text.indexOf("\n== java\n");
        if (g < 0 || j < g) {
            throw new IllegalStateException(f + ": expected sections '== go' and '== java'");
        }
        String go = text.substring(g + 7, j + 1);
        String java = text.substring(j + 9);
        String goId = go.substring(go.indexOf("func ") + 5, go.indexOf("()"));
        String cls = java.substring(java.indexOf("public class ") + 13);
        cls = cls.substring(0, cls.indexOf(' '));
        return new Regression(f.getFileName().toString(), goId, cls, go, java);
    }

    static Path write(Path dir, Program p, Runner.Result r) throws IOException {
        Files.createDirectories(dir);
        Path f = dir.resolve("seed-" + p.name() + ".txt");
        StringBuilder b = new StringBuilder();
        b.append("# difftest regression: seed ").append(p.seed).append(", statements removed by the shrink ")
                .append(p.removed).append('\n');
        b.append("# when found, Go printed:\n");
        r.go().forEach(l -> b.append("#   ").append(l).append('\n'));
        b.append("# and Java printed:\n");
        r.java().forEach(l -> b.append("#   ").append(l).append('\n'));
        b.append("\n== go\n").append(p.go()).append("== java\n").append(p.java());
        Files.writeString(f, b.toString());
        return f;
    }
}
