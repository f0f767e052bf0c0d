package org.sigbridge.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart written as SVG text: linear or log-10 x axis, linear y axis from 0, one polyline with
 * dots per series, a legend. Enough for the benchmark plots; no dependencies. Not thread-safe.
 */
public final class SvgChart {
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};
    private static final int W = 640;
    private static final int H = 400;
    private static final int LEFT = 70;
    private static final int RIGHT = 170;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logX;
    private final List<Series> series = new ArrayList<>();

    /** One named line; x and y of equal length. */
    public record Series(String name, List<Double> x, List<Double> y) {
    }

    public SvgChart(String title, String xLabel, String yLabel, boolean logX) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logX = logX;
    }

    public SvgChart add(Series s) {
        if (s.x().size() != s.y().size()) {
            throw new IllegalArgumentException("series " + s.name() + ": x and y differ in length");
        }
        series.add(s);
        return this;
    }

    public String render() {
        double xMin = Double.MAX_VALUE;
        double xMax = -Double.MAX_VALUE;
        double yMax = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x().size(); i++) {
                xMin = Math.min(xMin, tx(s.x().get(i)));
                xMax = Math.max(xMax, tx(s.x().get(i)));
                if (Double.isFinite(s.y().get(i))) {
                    yMax = Math.max(yMax, s.y().get(i));
                }
            }
        }
        if (xMin >= xMax) {
            xMin = xMin - 1;
            xMax = xMax + 1;
        }
        yMax = yMax <= 0 ? 1 : niceCeiling(yMax);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", W, H));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
        sb.append(text(W / 2.0 - RIGHT / 2.0, 22, title, "middle", 14));
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#888\"/>%n", LEFT, TOP, plotW, plotH));
        for (int i = 0; i <= 5; i++) {
            double v = yMax * i / 5;
            double y = TOP + plotH - plotH * i / 5.0;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n",
                    LEFT, y, LEFT + plotW, y));
            sb.append(text(LEFT - 6, y + 4, label(v), "end", 11));
        }
        List<Double> ticks = new ArrayList<>();
        for (Series s : series) {
            for (double x : s.x()) {
                if (!ticks.contains(x)) {
                    ticks.add(x);
                }
            }
        }
        for (double x : ticks) {
            double px = LEFT + plotW * (tx(x) - xMin) / (xMax - xMin);
            sb.append(text(px, TOP + plotH + 16, label(x), "middle", 11));
        }
        sb.append(text(LEFT + plotW / 2.0, H - 12, xLabel, "middle", 12));
        sb.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 16 %.1f)\">%s</text>%n", TOP + plotH / 2.0, TOP + plotH / 2.0, esc(yLabel)));
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String color = COLORS[k % COLORS.length];
            StringBuilder points = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (int i = 0; i < s.x().size(); i++) {
                double yv = s.y().get(i);
                if (!Double.isFinite(yv)) {
                    continue;
                }
                double px = LEFT + plotW * (tx(s.x().get(i)) - xMin) / (xMax - xMin);
                double py = TOP + plotH - plotH * Math.min(yv, yMax) / yMax;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n",
                        px, py, color));
            }
            sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                    + "points=\"%s\"/>%n", color, points.toString().trim()));
            sb.append(dots);
            double ly = TOP + 10 + 18 * k;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" "
                    + "stroke-width=\"2\"/>%n", W - RIGHT + 10, ly, W - RIGHT + 30, ly, color));
            sb.append(text(W - RIGHT + 36, ly + 4, s.name(), "start", 11));
        }
        return sb.append("</svg>\n").toString();
    }

    private double tx(double x) {
        return logX ? Math.log10(Math.max(x, 1e-9)) : x;
    }

    private static double niceCeiling(double v) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String label(double v) {
        if (v == 0) {
            return "0";
        }
        if (v >= 1000 && v % 1000 == 0) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String text(double x, double y, String s, String anchor, int size) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x, y, anchor, size, esc(s));
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
