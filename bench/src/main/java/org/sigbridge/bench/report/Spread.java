package org.sigbridge.bench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Median with min and max over repeated measurements of one point. Immutable. */
public record Spread(double median, double min, double max, int n) {
    public static final Spread NONE = new Spread(Double.NaN, Double.NaN, Double.NaN, 0);

    public static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            return NONE;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Spread(median, sorted.get(0), sorted.get(n - 1), n);
    }

    /** e.g. {@code 21,300 (20,900–22,100)}; a single value shows without a range. */
    public String format(int decimals) {
        if (n == 0) {
            return "—";
        }
        String m = number(median, decimals);
        return n == 1 ? m : m + " (" + number(min, decimals) + "–" + number(max, decimals) + ")";
    }

    static String number(double v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }
}
