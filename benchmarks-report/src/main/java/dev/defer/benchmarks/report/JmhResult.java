package dev.defer.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One benchmark of JMH's JSON result ({@code -rf json}).
 *
 * @param benchmark   the full name, {@code dev.defer.benchmarks.OneDeferBenchmark.tryFinally}
 * @param mode        JMH's short mode name: {@code avgt}, {@code ss}, ...
 * @param score       the primary score
 * @param error       the half-width of JMH's 99.9% confidence interval, NaN when JMH gives none
 * @param unit        the primary score's unit, {@code ns/op}
 * @param bytesPerOp  {@code gc.alloc.rate.norm} ({@code -prof gc}), NaN when the run had no GC profiler
 * @param bytesError  its error, NaN when none
 * @param forks       forks
 * @param iterations  measured iterations per fork
 * @param jvmArgs     the forks' JVM arguments
 * @param jdkVersion  the forks' JDK
 * @param vm          the forks' VM name and version
 * @param raw         every measured iteration's score, all forks together
 */
public record JmhResult(String benchmark, String mode, double score, double error, String unit, double bytesPerOp,
        double bytesError, int forks, int iterations, String iterationTime, List<String> jvmArgs, String jdkVersion,
        String vm, double[] raw) {

    /** The median of the measured iterations: less moved than the mean by a few iterations another process slowed. */
    public double median() {
        return raw.length == 0 ? score : GoResult.median(raw);
    }

    /** The name without the package: {@code OneDeferBenchmark.tryFinally}. */
    public String shortName() {
        int method = benchmark.lastIndexOf('.');
        int type = benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }

    /** The low end of the confidence interval (the score itself when there is no error). */
    public double low() {
        return Double.isNaN(error) ? score : score - error;
    }

    /** The high end of the confidence interval. */
    public double high() {
        return Double.isNaN(error) ? score : score + error;
    }

    public static List<JmhResult> read(Path json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        if (!root.isArray()) {
            throw new IOException(json + " is not JMH's JSON result (an array of benchmarks)");
        }
        List<JmhResult> results = new ArrayList<>();
        for (JsonNode node : root) {
            JsonNode primary = node.path("primaryMetric");
            JsonNode norm = allocationNorm(node.path("secondaryMetrics"));
            List<String> args = new ArrayList<>();
            node.path("jvmArgs").forEach(a -> args.add(a.asText()));
            results.add(new JmhResult(
                    node.path("benchmark").asText(),
                    node.path("mode").asText(),
                    number(primary.path("score")),
                    number(primary.path("scoreError")),
                    primary.path("scoreUnit").asText(),
                    norm == null ? Double.NaN : number(norm.path("score")),
                    norm == null ? Double.NaN : number(norm.path("scoreError")),
                    node.path("forks").asInt(),
                    node.path("measurementIterations").asInt(),
                    node.path("measurementTime").asText(),
                    List.copyOf(args),
                    node.path("jdkVersion").asText(),
                    (node.path("vmName").asText() + " " + node.path("vmVersion").asText()).trim(),
                    raw(primary.path("rawData"))));
        }
        return results;
    }

    /** {@code gc.alloc.rate.norm}, named {@code ·gc.alloc.rate.norm} by JMH before 1.36. */
    private static JsonNode allocationNorm(JsonNode secondary) {
        for (Iterator<Map.Entry<String, JsonNode>> it = secondary.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> metric = it.next();
            if (metric.getKey().replace("\u00b7", "").equals("gc.alloc.rate.norm")) {
                return metric.getValue();
            }
        }
        return null;
    }

    /** {@code rawData}: one array of iteration scores per fork, flattened. */
    private static double[] raw(JsonNode rawData) {
        List<Double> values = new ArrayList<>();
        rawData.forEach(fork -> fork.forEach(v -> values.add(number(v))));
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A number, or NaN for JMH's {@code "NaN"} string and for anything missing. */
    private static double number(JsonNode node) {
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isTextual()) {
            try {
                return Double.parseDouble(node.asText());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
