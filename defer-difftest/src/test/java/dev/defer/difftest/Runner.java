package dev.defer.difftest;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Runs a batch of programs on both sides: one Go file ({@code go build}, one binary) and one javac task
 * (in-process), whose classes a fresh {@link URLClassLoader} defines, so that the agent rewrites them at
 * load. Returns each program's trace, keyed by its Go id.
 */
final class Runner {
    private final Path go;

    Runner(Path go) {
        this.go = go;
    }

    /** The {@code go} command on the PATH, if any. */
    static Optional<Path> goCommand() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "go");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A program as the runner needs it: its names and its two sources. */
    interface Case {
        String goId();

        String javaClass();

        String go();

        String java();
    }

    /** One program's two traces. */
    record Result(Case program, List<String> go, List<String> java) {
        boolean matches() {
            return go.equals(java);
        }
    }

    static String goSource(List<? extends Case> programs) {
        StringBuilder b = new StringBuilder();
        b.append("package main\n\nimport (\n\t\"bufio\"\n\t\"fmt\"\n\t\"os\"\n)\n\n");
        b.append("var w = bufio.NewWriterSize(os.Stdout, 1<<16)\n\n");
        b.append("func out(id string, parts ...interface{}) {\n");
        b.append("\tfmt.Fprintln(w, append([]interface{}{id}, parts...)...)\n}\n\n");
        for (Case p : programs) {
            b.append(p.go());
        }
        b.append("func main() {\n\tdefer w.Flush()\n");
        for (Case p : programs) {
            b.append("\t").append(p.goId()).append("()\n");
        }
        b.append("}\n");
        return b.toString();
    }

    List<Result> run(List<? extends Case> programs) {
        Path work;
        try {
            work = Files.createTempDirectory("difftest-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.writeString(work.resolve("main.go"), goSource(programs));
            // Go builds in its own process while javac runs here.
            Process build = new ProcessBuilder(go.toString(), "build", "-o", "prog", "main.go")
                    .directory(work.toFile()).redirectErrorStream(true).start();
            long t0 = System.nanoTime();
            Map<String, List<String>> javaTraces = runJava(programs, work.resolve("classes"));
            long t1 = System.nanoTime();
            String buildOut = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!build.waitFor(5, TimeUnit.MINUTES) || build.exitValue() != 0) {
                throw new IllegalStateException("go build failed (generator bug), source kept in " + work + ":\n" + buildOut);
            }
            long t2 = System.nanoTime();
            Map<String, List<String>> goTraces = runGo(work);
            if (Boolean.getBoolean("difftest.verbose")) {
                System.out.printf("difftest: batch of %d: java %.1f s, go build waited %.1f s, go run %.1f s%n",
                        programs.size(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9);
            }
            List<Result> results = new ArrayList<>();
            for (Case p : programs) {
                results.add(new Result(p, goTraces.getOrDefault(p.goId(), List.of()),
                        javaTraces.getOrDefault(p.goId(), List.of())));
            }
            delete(work);
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, List<String>> runGo(Path work) throws IOException, InterruptedException {
        Process proc = new ProcessBuilder(work.resolve("prog").toString()).directory(work.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String text = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!proc.waitFor(5, TimeUnit.MINUTES)) {
            proc.destroyForcibly();
            throw new IllegalStateException("the Go program did not end");
        }
        Map<String, List<String>> traces = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int sp = line.indexOf(' ');
            traces.computeIfAbsent(line.substring(0, sp), k -> new ArrayList<>()).add(line.substring(sp + 1));
        }
        if (proc.exitValue() != 0) {
            // Go died (a fatal error): every program without its final line differs, which shows it.
            System.err.println("difftest: the Go program exited with " + proc.exitValue());
        }
        return traces;
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String cls, String code) {
            super(URI.create("string:///" + cls + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }

    private static Map<String, List<String>> runJava(List<? extends Case> programs, Path classes) throws IOException {
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<JavaFileObject> sources = new ArrayList<>();
        for (Case p : programs) {
            sources.add(new Source(p.javaClass(), p.java()));
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("-d", classes.toString(), "-classpath", System.getProperty("java.class.path"),
                "-proc:none", "-g", "-nowarn", "-Xlint:none", "-implicit:none");
        long c0 = System.nanoTime();
        boolean ok = javac.getTask(null, null, diagnostics, options, null, sources).call();
        if (Boolean.getBoolean("difftest.verbose")) {
            System.out.printf("difftest: javac %.1f s%n", (System.nanoTime() - c0) / 1e9);
        }
        if (!ok) {
            StringBuilder b = new StringBuilder("javac failed (generator bug):\n");
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    b.append(d.getSource() == null ? "" : d.getSource().getName()).append(':').append(d.getLineNumber())
                            .append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
                    if (b.length() > 4000) {
                        break;
                    }
                }
            }
            throw new IllegalStateException(b.toString());
        }
        Map<String, List<String>> traces = new LinkedHashMap<>();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                Runner.class.getClassLoader())) {
            for (Case p : programs) {
                List<String> trace;
                try {
                    Class<?> c = Class.forName(p.javaClass(), true, loader);
                    @SuppressWarnings("unchecked")
                    List<String> t = (List<String>) c.getMethod("run").invoke(null);
                    trace = t;
                } catch (InvocationTargetException e) {
                    trace = List.of("java harness: run() threw " + e.getCause());
                } catch (ReflectiveOperationException | LinkageError e) {
                    trace = List.of("java harness: " + e);
                }
                traces.put(p.goId(), trace);
            }
        }
        return traces;
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    /**
     * Shrinks a mismatching program: each round tries, as one batch, every program with one more statement
     * removed, and keeps the first that still mismatches, until none does.
     */
    Program shrink(Program p) {
        Program current = p;
        for (int round = 0; round < 60; round++) {
            List<Program> candidates = new ArrayList<>();
            for (int id : current.presentStatements()) {
                candidates.add(current.without(id, candidates.size() + 1));
            }
            if (candidates.isEmpty()) {
                break;
            }
            Program next = null;
            for (Result r : run(candidates)) {
                if (!r.matches()) {
                    next = (Program) r.program();
                    break;
                }
            }
            if (next == null) {
                break;
            }
            current = next;
        }
        return current.named(0);
    }

    /** Both traces side by side, the first difference marked. */
    static String diff(Result r) {
        StringBuilder b = new StringBuilder();
        int n = Math.max(r.go().size(), r.java().size());
        b.append(String.format("  %-40s | %s%n", "Go", "Java"));
        for (int i = 0; i < n; i++) {
            String g = i < r.go().size() ? r.go().get(i) : "";
            String j = i < r.java().size() ? r.java().get(i) : "";
            b.append(g.equals(j) ? "  " : "* ").append(String.format("%-40s | %s%n", g, j));
        }
        return b.toString();
    }
}
