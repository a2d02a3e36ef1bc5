package dev.defer.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerformanceReportTest {
    @TempDir
    Path dir;

    private static String benchmark(String name, String mode, double score, String error, String unit,
            String normKey, double bytes, String... jvmArgs) {
        return benchmark(3, name, mode, score, error, unit, normKey, bytes, jvmArgs);
    }

    private static String benchmark(int forks, String name, String mode, double score, String error, String unit,
            String normKey, double bytes, String... jvmArgs) {
        StringBuilder args = new StringBuilder();
        for (String a : jvmArgs) {
            args.append(args.length() == 0 ? "" : ",").append('"').append(a).append('"');
        }
        return """
                {"jmhVersion":"1.37","benchmark":"dev.defer.benchmarks.%s","mode":"%s","threads":1,"forks":%d,
                 "jvm":"/usr/bin/java","jvmArgs":[%s],"jdkVersion":"17.0.15","vmName":"OpenJDK 64-Bit Server VM",
                 "vmVersion":"17.0.15+6","warmupIterations":3,"warmupTime":"1 s","measurementIterations":5,
                 "measurementTime":"1 s",
                 "primaryMetric":{"score":%s,"scoreError":%s,"scoreUnit":"%s","rawData":[[%s,%s]]},
                 "secondaryMetrics":{"%s":{"score":%s,"scoreError":"NaN","scoreUnit":"B/op","rawData":[[0.0]]}}}
                """.formatted(name, mode, forks, args, score, error, unit, score, score, normKey, bytes);
    }

    private Path jmhJson() throws IOException {
        String agent = "-javaagent:/repo/defer-agent/target/defer-agent.jar";
        String json = "[" + String.join(",",
                benchmark("OneDeferBenchmark.tryFinally", "avgt", 1.25, "0.05", "ns/op", "gc.alloc.rate.norm",
                        0.00001, agent),
                benchmark("OneDeferBenchmark.oneDeferStatic", "avgt", 3.0, "0.2", "ns/op", "gc.alloc.rate.norm",
                        0.0001, agent),
                benchmark("LoopDeferBenchmark.loopDefer16", "avgt", 50.0, "\"NaN\"", "ns/op",
                        "\u00b7gc.alloc.rate.norm", 24.0, agent),
                benchmark("LoopDeferBenchmark.arrayDeque16", "avgt", 70.0, "1.0", "ns/op", "gc.alloc.rate.norm",
                        88.0, agent),
                benchmark("GoAnchorBenchmark.OneDeferOpenCoded", "avgt", 12.0, "1.0", "ns/op",
                        "gc.alloc.rate.norm", 16.0, agent),
                benchmark("ClassLoadBenchmark.defineWithAgent", "ss", 80.0, "4.0", "ms/op", "gc.alloc.rate.norm",
                        9.0e6, agent, "-Xms1g"),
                benchmark("ClassLoadBenchmark.defineWithoutAgent", "ss", 78.0, "4.0", "ms/op",
                        "gc.alloc.rate.norm", 1.5e6, "-Xms1g"),
                benchmark("ClassLoadBenchmark.defineWithNoopAgent", "ss", 79.0, "4.0", "ms/op",
                        "gc.alloc.rate.norm", 9.0e6, "-Xms1g", "-Djdk.attach.allowAttachSelf=true")) + "]";
        Path file = dir.resolve("jmh.json");
        Files.writeString(file, json);
        return file;
    }

    private static final List<String> GO = List.of(
            "go version go1.19.8 linux/amd64",
            "goos: linux",
            "goarch: amd64",
            "pkg: anchors/deferbench",
            "cpu: AMD EPYC",
            "BenchmarkNoDefer-2                	372278934	         3.215 ns/op	       0 B/op	       0 allocs/op",
            "BenchmarkOneDeferOpenCoded-2      	207692288	         5.800 ns/op	       0 B/op	       0 allocs/op",
            "BenchmarkLoopDefer16-2            	   1626482	       735.0 ns/op	     384 B/op	      16 allocs/op",
            "BenchmarkNoDefer-2                	372278934	         3.100 ns/op	       0 B/op	       0 allocs/op",
            "BenchmarkOneDeferOpenCoded-2      	207692288	         6.000 ns/op	       0 B/op	       0 allocs/op",
            "BenchmarkLoopDefer16-2            	   1626482	       700.0 ns/op	     384 B/op	      16 allocs/op",
            "BenchmarkNoDefer-2                	372278934	         3.300 ns/op	       0 B/op	       0 allocs/op",
            "BenchmarkOneDeferOpenCoded-2      	207692288	         5.000 ns/op	       0 B/op	       0 allocs/op",
            "BenchmarkLoopDefer16-2            	   1626482	       800.0 ns/op	     384 B/op	      16 allocs/op",
            "PASS",
            "ok  	anchors/deferbench	25.3s");

    @Test
    void readsJmhJson() throws IOException {
        List<JmhResult> results = JmhResult.read(jmhJson());
        assertEquals(8, results.size());
        JmhResult first = results.get(0);
        assertEquals("OneDeferBenchmark.tryFinally", first.shortName());
        assertEquals(1.25, first.score());
        assertEquals(0.05, first.error());
        assertEquals("ns/op", first.unit());
        assertEquals(3, first.forks());
        assertEquals(List.of("-javaagent:/repo/defer-agent/target/defer-agent.jar"), first.jvmArgs());
        JmhResult loop = results.get(2);
        assertTrue(Double.isNaN(loop.error()), "JMH writes a missing error as the string NaN");
        assertEquals(24.0, loop.bytesPerOp(), "the allocation metric is found under its pre-1.36 name too");
        assertEquals(50.0, loop.median());
    }

    @Test
    void medianOfAllForksIterations() throws IOException {
        Path file = dir.resolve("raw.json");
        Files.writeString(file, benchmark("OneDeferBenchmark.tryFinally", "avgt", 20.0, "1.0", "ns/op",
                "gc.alloc.rate.norm", 0.0).replace("\"rawData\":[[20.0,20.0]]", "\"rawData\":[[1.0,2.0],[100.0]]")
                .transform(b -> "[" + b + "]"));
        assertEquals(2.0, JmhResult.read(file).get(0).median());
    }

    @Test
    void gathersGoSamples() {
        List<GoResult> results = GoResult.parse(GO);
        assertEquals(List.of("NoDefer", "OneDeferOpenCoded", "LoopDefer16"),
                results.stream().map(GoResult::name).toList());
        GoResult loop = results.get(2);
        assertEquals(3, loop.count());
        assertEquals(735.0, loop.median());
        assertEquals(700.0, loop.min());
        assertEquals(800.0, loop.max());
        assertEquals(384.0, loop.bytes());
        assertEquals(16.0, loop.allocs());
        GoResult.Header header = GoResult.header(GO);
        assertEquals("go1.19.8 linux/amd64", header.fields().get("go"));
        assertEquals("AMD EPYC", header.fields().get("cpu"));
    }

    @Test
    void judgesRatiosAgainstTheirTargets() throws IOException {
        Measurements m = new Measurements(JmhResult.read(jmhJson()), GoResult.parse(GO));
        Measurements.Measured oneDefer = m.measure(Suite.EARLIER.get(0)).orElseThrow();
        assertEquals(2.4, oneDefer.value(), 1e-9);
        assertEquals(0, oneDefer.extraBytes());
        assertTrue(oneDefer.met(), "2.4 <= 3.0 and no extra bytes");
        assertEquals(3.0 - 0.2, oneDefer.numerator().low(), 1e-9);

        Measurements.Measured loop = m.measure(Suite.LOOP_GOALS.get(0)).orElseThrow();
        assertTrue(loop.timeMet(), "50 / 70 <= 0.8");
        assertFalse(loop.bytesMet(), "24 bytes per operation where 0 is required");
        assertEquals(Verdict.State.MISSED, loop.verdict().state());
        assertEquals("**missed** (bytes)", loop.verdict().markdown());

        Measurements.Measured go = m.measure(Suite.EARLIER.get(2)).orElseThrow();
        assertEquals(12.0 / 5.8, go.value(), 1e-9, "Go's score is the median of its samples");
        assertEquals(12.0 / 5.0 + 1.0 / 5.0, go.high(), 1e-9, "the range uses Go's smallest sample");

        assertTrue(m.measure(Suite.EARLIER.get(1)).isEmpty(), "three defers were not run");
    }

    @Test
    void writesMarkdownAndChart() throws IOException {
        Path go = dir.resolve("go.txt");
        Files.write(go, GO);
        Path info = dir.resolve("run.properties");
        Files.writeString(info, "command=benchmarks/run.sh\nroot=/repo\nnproc=2\ncpu_model=AMD EPYC\n"
                + "start=2026-11-23 06:00 UTC\nduration_s=725\nload_start=0.50 0.40 0.30\n");
        Path markdown = dir.resolve("docs/performance.md");
        Path chart = dir.resolve("docs/performance.png");
        Path startup = dir.resolve("startup.txt");
        Files.write(startup, StartupSectionTest.output(30, 70, 85));
        Path classLoad = dir.resolve("class-load-interleaved.txt");
        Files.write(classLoad, ClassLoadSectionTest.output(1.01, 1.05, 0.99));
        Path panic = dir.resolve("panic-interleaved.txt");
        Files.write(panic, PanicPairedSectionTest.output(new double[] {1.19, 1.25, 1.13}, new double[] {1.1, 1.1, 1.1}));
        PerformanceReport.main(new String[] {"--jmh", jmhJson().toString(), "--go", go.toString(), "--info",
                info.toString(), "--markdown", markdown.toString(), "--chart", chart.toString(), "--startup",
                startup.toString(), "--class-load", classLoad.toString(), "--panic-paired", panic.toString()});

        String text = Files.readString(markdown);
        assertTrue(text.contains("| one defer / try/finally | `OneDeferBenchmark.oneDeferStatic` | "
                + "`OneDeferBenchmark.tryFinally` | 2.40 |"), text);
        assertTrue(text.contains("**missed** (bytes)"), "16 loop defers allocate: " + text);
        assertTrue(text.contains("| three defers / three nested try/finally |") && text.contains("not measured"));
        assertTrue(text.contains("| define 5,000 classes, defer agent / no-op agent, single shots in separate forks: "
                + "the defer agent's own work | `ClassLoadBenchmark.defineWithAgent` | "
                + "`ClassLoadBenchmark.defineWithNoopAgent` | 1.01 |"), text);
        assertTrue(text.contains("`ClassLoadBenchmark.defineWithNoopAgent` | `ClassLoadBenchmark.defineWithoutAgent` | 1.01 |"),
                text);
        assertTrue(text.contains("## Targets\n") && !text.contains("Issue 3"), text);
        assertTrue(text.contains("| start-up: CPU the defer agent adds to an empty `main` (defer - none) | "
                + "`java -javaagent:defer-agent.jar Empty` | `java Empty` | +55.0 ms |"), text);
        assertTrue(text.contains("| 1.010 (3 JVMs) |"), text);
        assertTrue(text.indexOf("## Targets") < text.indexOf("## Start-up")
                && text.indexOf("## Start-up") < text.indexOf("## Class loading, paired")
                && text.indexOf("## Class loading, paired") < text.indexOf("## Panic and recover, paired"), text);
        assertTrue(text.contains("| 1.190, 1.250, 1.130 | 1.130–1.250 | 1.190 (3 JVMs) | – | ≤ 1.2 | met |"), text);
        assertTrue(text.contains("the whole run took 12 min 05 s"));
        assertTrue(text.contains("`-javaagent:defer-agent/target/defer-agent.jar`"), "paths relative to the root");
        assertTrue(text.contains("![") && text.contains("](performance.png)"));
        BufferedImage image = ImageIO.read(chart.toFile());
        assertTrue(image.getWidth() >= 1000 && image.getHeight() >= 300);
    }
}
