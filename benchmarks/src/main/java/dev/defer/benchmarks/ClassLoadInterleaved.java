package dev.defer.benchmarks;

import java.io.PrintStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A paired measurement of {@link ClassLoadBenchmark}'s {@code define} case, for a question JMH's separate forks
 * answer only through the noise of a shared machine: how much of the agent's class-loading cost is the JVM's
 * ({@code java.lang.instrument} itself) and how much the defer agent's. One JVM defines the same
 * {@value ClassLoadBenchmark#CLASSES} generated classes (no {@code @Defers}) shot after shot, each shot in a new
 * loader, with no transformer, with the no-op transformer of {@link NoopAgent}, or with the defer agent's own
 * transformer, in a shuffled order each round, so that a slow minute of the machine falls on all three alike. The
 * transformers are registered and removed through one {@link Instrumentation} (the no-op agent's), so the JVM
 * posts its class-file-load hook only while one is registered. It then times each transformer's
 * {@code transform} alone over the same class files.
 *
 * <p>Run, from the repository root, after {@code mvn -B -q -DskipTests package}:
 *
 * <pre>
 * java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -Djdk.attach.allowAttachSelf=true \
 *     -cp benchmarks/target/benchmarks.jar:defer-agent/target/defer-agent.jar \
 *     dev.defer.benchmarks.ClassLoadInterleaved [ROUNDS]
 * </pre>
 *
 * (the defer agent's jar on the class path, not as {@code -javaagent}: its transformer is made here, as its
 * {@code premain} makes it, with no options). The first fifth of the rounds warm up and are not counted.
 * It prints each mode's median shot and, for each pair of modes, the median of the rounds' ratios (each round
 * times the three modes within a second or so of each other): the figure {@code benchmarks/run.sh} reports, from
 * three such JVMs.
 */
public final class ClassLoadInterleaved {
    private ClassLoadInterleaved() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int n = ClassLoadBenchmark.CLASSES;
        String[] names = new String[n];
        String[] internalNames = new String[n];
        byte[][] classFiles = new byte[n][];
        long classBytes = 0;
        for (int i = 0; i < n; i++) {
            internalNames[i] = "gen/p" + (i % 50) + "/Generated" + i;
            names[i] = internalNames[i].replace('/', '.');
            classFiles[i] = ClassLoadBenchmark.generateClass(internalNames[i], i);
            classBytes += classFiles[i].length;
        }
        ClassLoadBenchmark.attachNoopAgent();
        Instrumentation instrumentation = NoopAgent.instrumentation();
        ClassFileTransformer noop = NoopAgent.transformer();
        instrumentation.removeTransformer(noop);
        ClassFileTransformer defer = deferTransformer();

        Map<String, ClassFileTransformer> modes = new LinkedHashMap<>();
        modes.put("no agent", null);
        modes.put("no-op agent", noop);
        modes.put("defer agent", defer);
        Map<String, List<Double>> millis = new LinkedHashMap<>();
        Map<String, List<Double>> bytes = new LinkedHashMap<>();
        modes.keySet().forEach(m -> {
            millis.put(m, new ArrayList<>());
            bytes.put(m, new ArrayList<>());
        });
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Random random = new Random(42);
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            List<String> order = new ArrayList<>(modes.keySet());
            Collections.shuffle(order, random);
            for (String mode : order) {
                ClassFileTransformer transformer = modes.get(mode);
                if (transformer != null) {
                    instrumentation.addTransformer(transformer, false);
                }
                System.gc();
                ClassLoadBenchmark.GeneratedLoader loader = new ClassLoadBenchmark.GeneratedLoader();
                long allocated = threads.getCurrentThreadAllocatedBytes();
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    sink += loader.define(names[i], classFiles[i]).hashCode();
                }
                long time = System.nanoTime() - start;
                allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
                if (transformer != null) {
                    instrumentation.removeTransformer(transformer);
                }
                if (round >= rounds / 5) {
                    millis.get(mode).add(time / 1e6);
                    bytes.get(mode).add((double) allocated);
                }
            }
        }
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "%d classes of %.0f bytes on average, %d counted shots per mode%n", n,
                classBytes / (double) n, millis.get("no agent").size());
        double none = median(millis.get("no agent"));
        double noopMedian = median(millis.get("no-op agent"));
        for (String mode : modes.keySet()) {
            double median = median(millis.get(mode));
            out.printf(Locale.ROOT, "%-12s median %7.2f ms  min %7.2f ms  %6.2f us/class  %6.0f B/class  "
                            + "/ no agent %.3f  / no-op agent %.3f%n", mode, median, Collections.min(millis.get(mode)),
                    median * 1000 / n, median(bytes.get(mode)) / n, median / none, median / noopMedian);
        }
        // Each round's ratio pairs shots taken seconds apart, so a change of the machine's load between rounds
        // cancels out; the medians above pair shots across the whole run.
        out.printf(Locale.ROOT, "paired, median of the rounds' ratios: no-op agent / no agent %.3f  "
                        + "defer agent / no agent %.3f  defer agent / no-op agent %.3f%n",
                pairedMedian(millis, "no-op agent", "no agent"), pairedMedian(millis, "defer agent", "no agent"),
                pairedMedian(millis, "defer agent", "no-op agent"));
        for (String mode : List.of("no-op agent", "defer agent")) {
            ClassFileTransformer transformer = modes.get(mode);
            ClassLoader loader = new ClassLoadBenchmark.GeneratedLoader();
            long best = Long.MAX_VALUE;
            long allocated = threads.getCurrentThreadAllocatedBytes();
            int repeats = 200;
            for (int r = 0; r < repeats; r++) {
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    if (transformer.transform(loader, internalNames[i], null, null, classFiles[i]) != null) {
                        sink++;
                    }
                }
                best = Math.min(best, System.nanoTime() - start);
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
            out.printf(Locale.ROOT, "%-12s transform() alone: %6.1f ns/class (best of %d), %.2f B/class%n", mode,
                    best / (double) n, repeats, allocated / ((double) repeats * n));
        }
        if (sink == 42) {
            out.println();
        }
    }

    /** The defer agent's transformer with no options, as {@code -javaagent:defer-agent.jar} registers it. */
    private static ClassFileTransformer deferTransformer() throws ReflectiveOperationException {
        Class<?> options = Class.forName("dev.defer.agent.AgentOptions");
        Method parse = options.getDeclaredMethod("parse", String.class);
        parse.setAccessible(true);
        Class<?> type = Class.forName("dev.defer.agent.DeferTransformer");
        Constructor<?> constructor = type.getDeclaredConstructor(options, PrintStream.class);
        constructor.setAccessible(true);
        return (ClassFileTransformer) constructor.newInstance(parse.invoke(null, (Object) null), System.err);
    }

    /** The median over the counted rounds of each round's {@code numerator / denominator}. */
    private static double pairedMedian(Map<String, List<Double>> millis, String numerator, String denominator) {
        List<Double> top = millis.get(numerator);
        List<Double> bottom = millis.get(denominator);
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < top.size(); i++) {
            ratios.add(top.get(i) / bottom.get(i));
        }
        return median(ratios);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int k = sorted.size();
        return k % 2 == 1 ? sorted.get(k / 2) : (sorted.get(k / 2 - 1) + sorted.get(k / 2)) / 2;
    }
}
