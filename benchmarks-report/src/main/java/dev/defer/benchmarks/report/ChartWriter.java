package dev.defer.benchmarks.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Draws docs/performance.png with XChart: three bar charts one above the other, each with log-scaled or linear
 * ns/op (ms/op for class loading) and the value on each bar:
 * the defer beside the hand-written Java it replaces, the Java translation beside Go, and class loading with and
 * without the agent. XChart has no horizontal bars, so the bars stand and the case names sit below them.
 */
final class ChartWriter {
    private static final int WIDTH = 1500;
    private static final Color DEFER = new Color(0xD3, 0x5F, 0x1F);
    private static final Color BY_HAND = new Color(0x3A, 0x6E, 0xA5);
    private static final Color GO = new Color(0x00, 0xAD, 0xD8);
    private static final Color JAVA_GO = new Color(0x8E, 0x44, 0xAD);
    private static final Color WITHOUT = new Color(0x7F, 0x8C, 0x8D);

    private final Measurements m;
    private final String subtitle;

    ChartWriter(Measurements measurements, String subtitle) {
        this.m = measurements;
        this.subtitle = subtitle;
    }

    void write(Path png) throws IOException {
        List<BufferedImage> panels = new ArrayList<>();
        deferVersusByHand().ifPresent(panels::add);
        javaVersusGo().ifPresent(panels::add);
        classLoading().ifPresent(panels::add);
        int header = 50;
        int height = header + panels.stream().mapToInt(BufferedImage::getHeight).sum();
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        g.drawString(subtitle, 20, 32);
        int y = header;
        for (BufferedImage panel : panels) {
            g.drawImage(panel, 0, y, null);
            y += panel.getHeight();
        }
        g.dispose();
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private Optional<BufferedImage> deferVersusByHand() {
        List<String> labels = new ArrayList<>();
        List<Double> defer = new ArrayList<>();
        List<Double> byHand = new ArrayList<>();
        for (Suite.Pair pair : Suite.CHART_PAIRS) {
            JmhResult d = m.jmh().get(pair.defer());
            JmhResult h = m.jmh().get(pair.byHand());
            if (d != null && h != null) {
                labels.add(pair.label());
                defer.add(d.score());
                byHand.add(h.score());
            }
        }
        if (labels.isEmpty()) {
            return Optional.empty();
        }
        CategoryChart chart = chart("defer beside the hand-written Java it replaces (ns/op, log scale; lower is better)",
                "ns/op", 560, true);
        chart.addSeries("Java: defer", labels, defer).setFillColor(DEFER);
        chart.addSeries("Java by hand: try/finally, nested try/finally, ArrayDeque, Guava Closer, throw/catch", labels, byHand)
                .setFillColor(BY_HAND);
        logBounds(chart, defer, byHand);
        return Optional.of(render(chart, 560));
    }

    private Optional<BufferedImage> javaVersusGo() {
        List<String> labels = new ArrayList<>();
        List<Double> javaScores = new ArrayList<>();
        List<Double> go = new ArrayList<>();
        for (String name : Suite.GO_ANCHORS) {
            JmhResult j = m.jmh().get(Suite.javaTranslation(name));
            GoResult g = m.go().get(name);
            if (j != null && g != null) {
                labels.add(name);
                javaScores.add(j.score());
                go.add(g.median());
            }
        }
        if (labels.isEmpty()) {
            return Optional.empty();
        }
        CategoryChart chart = chart("The same programs in Java (GoAnchorBenchmark, under the agent) and in Go "
                + "(ns/op, log scale)", "ns/op", 520, true);
        chart.addSeries("Java (translation of the Go benchmark)", labels, javaScores).setFillColor(JAVA_GO);
        chart.addSeries("Go (median of its samples)", labels, go).setFillColor(GO);
        logBounds(chart, javaScores, go);
        return Optional.of(render(chart, 520));
    }

    private Optional<BufferedImage> classLoading() {
        List<String> labels = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        String unit = null;
        for (Suite.Pair pair : Suite.CLASS_LOADING) {
            JmhResult w = m.jmh().get(pair.defer());
            JmhResult wo = m.jmh().get(pair.byHand());
            if (w != null && wo != null) {
                labels.add(pair.label());
                with.add(w.score());
                without.add(wo.score());
                unit = w.unit();
            }
        }
        if (labels.isEmpty()) {
            return Optional.empty();
        }
        CategoryChart chart = chart("Class loading, 5,000 generated classes without @Defers, each shot in a new loader ("
                + unit + ")", unit, 340, false);
        chart.getStyler().setAvailableSpaceFill(0.5);
        chart.addSeries("with the agent", labels, with).setFillColor(DEFER);
        chart.addSeries("without the agent", labels, without).setFillColor(WITHOUT);
        return Optional.of(render(chart, 340));
    }

    private static CategoryChart chart(String title, String yTitle, int height, boolean log) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(height).title(title)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setYAxisLogarithmic(log);
        chart.getStyler()
                .setLabelsVisible(true)
                .setLabelsRotation(0)
                .setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12))
                .setAvailableSpaceFill(0.75)
                .setOverlapped(false);
        chart.getStyler()
                .setLegendPosition(Styler.LegendPosition.InsideNW)
                .setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13))
                .setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16))
                .setChartBackgroundColor(Color.WHITE)
                .setPlotBackgroundColor(Color.WHITE)
                .setDecimalPattern("#,##0.#");
        chart.getStyler()
                .setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13))
                .setPlotGridVerticalLinesVisible(false);
        return chart;
    }

    /** A log axis must start above 0: from the power of ten below the smallest bar to above the tallest. */
    @SafeVarargs
    private static void logBounds(CategoryChart chart, List<Double>... series) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (List<Double> values : series) {
            for (double v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
        chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max * 2))));
    }

    private static BufferedImage render(CategoryChart chart, int height) {
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        chart.paint(g, WIDTH, height);
        g.dispose();
        return image;
    }
}
