package dev.defer.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes docs/performance.md and docs/performance.png from one run of the suite:
 *
 * <pre>
 * java -jar benchmarks-report/target/benchmarks-report.jar --jmh benchmarks/target/jmh-result.json
 *     [--go benchmarks/target/go-bench.txt] [--info benchmarks/target/run-info.properties]
 *     [--markdown docs/performance.md] [--chart docs/performance.png] [--stack-depth benchmarks/target/stack-depth.txt]
 *     [--startup benchmarks/target/startup.txt] [--class-load benchmarks/target/class-load-interleaved.txt]
 *     [--panic-paired benchmarks/target/panic-interleaved.txt]
 * </pre>
 *
 * {@code --jmh} is JMH's JSON ({@code -rf json}, with {@code -prof gc} for bytes per operation); {@code --go} the
 * output of {@code go test -bench . -benchmem -count N} (a {@code go version} line may precede it); {@code --info}
 * the {@code key=value} file {@code benchmarks/run.sh} writes about the run and the machine. The chart's path is
 * written into the Markdown relative to the Markdown's folder. {@code --stack-depth} is the output of
 * {@code benchmarks/stack-depth.sh}, which becomes the report's "Stack depth" section; {@code --startup} the output
 * of {@code benchmarks/startup.sh}, {@code --class-load} that of {@code ClassLoadInterleaved}'s JVMs and
 * {@code --panic-paired} that of {@code PanicInterleaved}'s, each headed {@code == JVM n | COMMAND}: the start-up,
 * class-loading and panic targets and their sections.
 */
public final class PerformanceReport {
    private PerformanceReport() {
    }

    /**
     * Writes the report.
     *
     * @param args the options above
     * @throws IOException when a result cannot be read or the report written
     */
    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path jmh = null;
        Path go = null;
        Path info = null;
        Path markdown = Path.of("docs/performance.md");
        Path chart = Path.of("docs/performance.png");
        Path stackDepth = null;
        Path startup = null;
        Path classLoad = null;
        Path panicPaired = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                usage("missing value after " + option);
            }
            Path value = Path.of(args[++i]);
            switch (option) {
                case "--jmh" -> jmh = value;
                case "--go" -> go = value;
                case "--info" -> info = value;
                case "--markdown" -> markdown = value;
                case "--chart" -> chart = value;
                case "--stack-depth" -> stackDepth = value;
                case "--startup" -> startup = value;
                case "--class-load" -> classLoad = value;
                case "--panic-paired" -> panicPaired = value;
                default -> usage("unknown option " + option);
            }
        }
        if (jmh == null) {
            usage("--jmh is required");
        }
        List<String> goLines = go != null && Files.exists(go) ? Files.readAllLines(go) : List.of();
        Measurements measurements = new Measurements(JmhResult.read(jmh), GoResult.parse(goLines));
        RunInfo runInfo = RunInfo.read(info);

        Path markdownDir = markdown.toAbsolutePath().getParent();
        String chartLink = markdownDir.relativize(chart.toAbsolutePath()).toString().replace('\\', '/');
        new ChartWriter(measurements, "defer: " + runInfo.get("start", "") + ", " + runInfo.get("nproc", "?")
                + " CPUs, " + runInfo.get("cpu_model", "") + ", JDK "
                + measurements.jmh().values().stream().findFirst().map(JmhResult::jdkVersion).orElse("?")
                + (goLines.isEmpty() ? "" : ", " + GoResult.header(goLines).fields().getOrDefault("go", "Go"))
                + ("quick".equals(runInfo.get("mode")) ? " (quick mode)" : "")).write(chart);
        String text = new MarkdownReport(measurements, runInfo, GoResult.header(goLines), chartLink, markdownDir)
                .write(lines(stackDepth), lines(startup), lines(classLoad), lines(panicPaired));
        Files.createDirectories(markdownDir);
        Files.writeString(markdown, text, StandardCharsets.UTF_8);
        System.out.println("wrote " + markdown + " and " + chart);
    }

    /** The file's lines; none when no file was named or the run did not write it (a partial run). */
    private static List<String> lines(Path file) throws IOException {
        return file != null && Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    private static void usage(String problem) {
        System.err.println("benchmarks-report: " + problem);
        System.err.println("usage: java -jar benchmarks-report.jar --jmh JMH.json [--go GO.txt] [--info RUN.properties]"
                + " [--markdown OUT.md] [--chart OUT.png] [--stack-depth STACK-DEPTH.txt] [--startup STARTUP.txt]"
                + " [--class-load CLASS-LOAD.txt] [--panic-paired PANIC.txt]");
        System.exit(2);
    }
}
