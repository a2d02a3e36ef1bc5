package dev.defer.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Go benchmark, its samples gathered from {@code go test -bench . -benchmem -count N}: the median is the
 * score (Go prints no error bars), the smallest and largest sample the spread.
 *
 * @param name     the name without {@code Benchmark} and the {@code -GOMAXPROCS} suffix: {@code NoDefer}
 * @param nsPerOp  every sample's ns/op, in the order printed
 */
public record GoResult(String name, double[] nsPerOp, double[] bytesPerOp, double[] allocsPerOp) {
    private static final Pattern LINE = Pattern.compile(
            "^Benchmark(\\S+?)(?:-\\d+)?\\s+(\\d+)\\s+([0-9.e+]+) ns/op(.*)$");
    private static final Pattern BYTES = Pattern.compile("([0-9.]+) B/op");
    private static final Pattern ALLOCS = Pattern.compile("([0-9.]+) allocs/op");

    public double median() {
        return median(nsPerOp);
    }

    public double min() {
        return Arrays.stream(nsPerOp).min().orElse(Double.NaN);
    }

    public double max() {
        return Arrays.stream(nsPerOp).max().orElse(Double.NaN);
    }

    public double bytes() {
        return median(bytesPerOp);
    }

    public double allocs() {
        return median(allocsPerOp);
    }

    public int count() {
        return nsPerOp.length;
    }

    /** What {@code go test} printed about the machine and itself: {@code goos}, {@code goarch}, {@code cpu}, ... */
    public record Header(Map<String, String> fields) {
    }

    /** The benchmarks in the order Go first printed them. */
    public static List<GoResult> parse(List<String> lines) {
        Map<String, List<double[]>> samples = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line.trim());
            if (!m.matches()) {
                continue;
            }
            String rest = m.group(4);
            samples.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(new double[] {
                    Double.parseDouble(m.group(3)), find(BYTES, rest), find(ALLOCS, rest)});
        }
        List<GoResult> results = new ArrayList<>();
        samples.forEach((name, list) -> results.add(new GoResult(name,
                list.stream().mapToDouble(s -> s[0]).toArray(),
                list.stream().mapToDouble(s -> s[1]).toArray(),
                list.stream().mapToDouble(s -> s[2]).toArray())));
        return results;
    }

    public static List<GoResult> read(Path output) throws IOException {
        return parse(Files.readAllLines(output));
    }

    /** The {@code key: value} lines Go prints before the benchmarks, and any {@code go version} line. */
    public static Header header(List<String> lines) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.startsWith("go version ")) {
                fields.put("go", line.substring("go version ".length()).trim());
                continue;
            }
            int colon = line.indexOf(": ");
            if (colon > 0 && !line.startsWith("Benchmark") && line.substring(0, colon).matches("[a-z]+")) {
                fields.putIfAbsent(line.substring(0, colon), line.substring(colon + 2).trim());
            }
        }
        return new Header(fields);
    }

    private static double find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
