package org.sigbridge.metrics;

import java.util.List;

/**
 * The bridge's metrics facade: what the hub and adapters count, with no exposition format in it. One instance per
 * bridge, handed to adapters by {@link org.sigbridge.spi.AdapterContext#metrics()}; thread-safe; every method may be
 * called from any thread and never blocks.
 *
 * <p>Names are the names as exposed, {@code sigbridge_<adapter type>_*} for an adapter's own series; a counter's
 * name ends in {@code _total}. Label values must be bounded by configuration (adapter names, route patterns, error
 * codes, states), never by client input.
 *
 * <p>Two ways to count: a {@link Counter} or {@link Timer} the caller increments on its own path (the hub caches
 * {@link Cell}s per channel), or a {@link Sampler} read at scrape time from counters the adapter keeps anyway
 * (its {@code LongAdder} stats), so recording stays one increment. Registering a sampler under a name that is
 * already registered with the same kind and label names adds it to that family: several adapters of one type
 * export under one name, each with its own {@code adapter} label. The default for a bridge without an exporter
 * is {@link #none()}; the ops module (sigbridge-ops) provides a Prometheus-backed one through
 * {@link MetricsProvider}.
 */
public interface Metrics {

    /**
     * A counter family incremented by the caller.
     *
     * @throws IllegalArgumentException if {@code name} is registered already with another kind or other labels
     */
    Counter counter(String name, String help, String... labelNames);

    /** A histogram of durations, in seconds as exposed, with these bucket upper bounds (seconds). */
    Timer timer(String name, String help, double... upperBoundsSeconds);

    /**
     * Gauges read at scrape time: {@code sampler} is called on the scraping thread and must not block.
     *
     * @return closing it removes this sampler (the family stays, maybe empty)
     */
    Registration gauges(String name, String help, List<String> labelNames, Sampler sampler);

    /** Monotonic counters read at scrape time (an adapter's own {@code LongAdder}s); as {@link #gauges}. */
    Registration counters(String name, String help, List<String> labelNames, Sampler sampler);

    /** A counter family; {@link #labels} may be cached by the caller. */
    interface Counter {
        /** The cell for these label values, in the order of the family's label names. */
        Cell labels(String... labelValues);
    }

    /** One labelled counter. */
    interface Cell {
        void inc();
    }

    /** A histogram of durations. */
    interface Timer {
        void observeNanos(long nanos);
    }

    /** Reads values at scrape time into {@link Samples}. */
    @FunctionalInterface
    interface Sampler {
        void sample(Samples out);
    }

    /** Where a {@link Sampler} puts its values. */
    interface Samples {
        /** One value, with label values in the order of the family's label names. */
        void add(double value, String... labelValues);
    }

    /** A sampler's registration. */
    interface Registration extends AutoCloseable {
        /** Stops sampling. Idempotent. */
        @Override
        void close();
    }

    /** Metrics that record nothing: the default for an embedding host without the ops module. */
    static Metrics none() {
        return NoMetrics.INSTANCE;
    }
}
