package org.sigbridge.bench.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sigbridge.bench.report.Spread;
import org.sigbridge.bench.report.TextTable;

/**
 * Repeated measurements of several servers at several points of one scenario, reduced to medians with
 * min–max and to ratios of medians (first server over the baseline). Not thread-safe.
 */
public final class Comparison {
    /** A measured quantity; {@code ratio} adds a "subject/baseline" column of medians. */
    public record Metric(String name, int decimals, boolean ratio) {
    }

    private final String title;
    private final String pointHeader;
    private final List<String> servers;
    private final List<Metric> metrics;
    private final Map<String, Double> pointX = new LinkedHashMap<>();
    private final Map<String, List<Double>> values = new LinkedHashMap<>();

    /** @param servers subject first, baseline second (ratios are first/second) */
    public Comparison(String title, String pointHeader, List<String> servers, List<Metric> metrics) {
        this.title = title;
        this.pointHeader = pointHeader;
        this.servers = List.copyOf(servers);
        this.metrics = List.copyOf(metrics);
    }

    public String title() {
        return title;
    }

    /** Declares a point and its numeric x value (for plots), in display order. */
    public void point(String point, double x) {
        pointX.putIfAbsent(point, x);
    }

    public void add(String point, String server, String metric, double value) {
        pointX.putIfAbsent(point, (double) pointX.size());
        values.computeIfAbsent(key(point, server, metric), k -> new ArrayList<>()).add(value);
    }

    public Spread spread(String point, String server, String metric) {
        return Spread.of(values.getOrDefault(key(point, server, metric), List.of()));
    }

    /** Median of subject over median of baseline; NaN when either is missing or the baseline is 0. */
    public double ratio(String point, String metric) {
        if (servers.size() < 2) {
            return Double.NaN;
        }
        double a = spread(point, servers.get(0), metric).median();
        double b = spread(point, servers.get(1), metric).median();
        return b == 0 ? Double.NaN : a / b;
    }

    public List<String> points() {
        return List.copyOf(pointX.keySet());
    }

    public double x(String point) {
        return pointX.get(point);
    }

    public List<String> servers() {
        return servers;
    }

    public TextTable table() {
        List<String> header = new ArrayList<>(List.of(pointHeader));
        for (Metric m : metrics) {
            for (String s : servers) {
                header.add(m.name() + " " + s);
            }
            if (m.ratio() && servers.size() > 1) {
                header.add(m.name() + " " + servers.get(0) + "/" + servers.get(1));
            }
        }
        TextTable table = new TextTable(header);
        for (String point : pointX.keySet()) {
            List<String> row = new ArrayList<>(List.of(point));
            for (Metric m : metrics) {
                for (String s : servers) {
                    row.add(spread(point, s, m.name()).format(m.decimals()));
                }
                if (m.ratio() && servers.size() > 1) {
                    double r = ratio(point, m.name());
                    row.add(Double.isNaN(r) ? "—" : String.format(java.util.Locale.ROOT, "%.2f", r));
                }
            }
            table.row(row);
        }
        return table;
    }

    private static String key(String point, String server, String metric) {
        return point + "\u0000" + server + "\u0000" + metric;
    }
}
