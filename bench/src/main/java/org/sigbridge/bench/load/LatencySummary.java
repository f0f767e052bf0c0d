package org.sigbridge.bench.load;

import org.HdrHistogram.AbstractHistogram;

/** Latency percentiles in milliseconds, read from an HdrHistogram of nanoseconds; all zero when empty. */
public record LatencySummary(long count, double p50Ms, double p90Ms, double p99Ms, double maxMs) {
    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0);

    public static LatencySummary ofNanos(AbstractHistogram nanos) {
        if (nanos.getTotalCount() == 0) {
            return EMPTY;
        }
        return new LatencySummary(nanos.getTotalCount(), ms(nanos.getValueAtPercentile(50)),
                ms(nanos.getValueAtPercentile(90)), ms(nanos.getValueAtPercentile(99)), ms(nanos.getMaxValue()));
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
