package org.sigbridge.metrics;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.sigbridge.spi.ErrorCode;

/**
 * The hub's own series, named {@code sigbridge_*} (docs/operations.md, section Metrics), over a {@link Metrics}
 * facade. Thread-safe; recording is one increment on a cached cell.
 *
 * <p>Label values are bounded by configuration: adapter names, route patterns, error codes.
 */
public final class BridgeMetrics {

    private final Metrics metrics;
    private final Metrics.Counter envelopesIn;
    private final Metrics.Counter envelopesOut;
    private final Metrics.Counter drops;
    private final Metrics.Timer dispatchSeconds;

    /** The hub's series in {@code metrics}. */
    public BridgeMetrics(Metrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        envelopesIn = metrics.counter("sigbridge_envelopes_in_total",
                "Envelopes published into the hub, by the adapter they came from and the route of their channel", "adapter", "route");
        envelopesOut = metrics.counter("sigbridge_envelopes_out_total",
                "Envelopes handed to endpoints, by the adapter of the endpoint and the route", "adapter", "route");
        drops = metrics.counter("sigbridge_drops_total",
                "Envelopes not delivered, by adapter and reason (error code); each one was reported to its sender or counted here",
                "adapter", "reason");
        dispatchSeconds = metrics.timer("sigbridge_hub_dispatch_seconds", "Time the hub takes to fan one envelope out to its endpoints' queues",
                0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.005, 0.025);
    }

    /** Series that record nothing (a hub built without a bridge's metrics). */
    public BridgeMetrics() {
        this(Metrics.none());
    }

    /** The facade these series are in; adapters register theirs there too. */
    public Metrics facade() {
        return metrics;
    }

    /** The counter of envelopes in from {@code adapter} on channels of {@code route}; cache it per channel. */
    public Metrics.Cell envelopesIn(String adapter, String route) {
        return envelopesIn.labels(adapter, route);
    }

    /** The counter of envelopes out to endpoints of {@code adapter} on channels of {@code route}; cache it. */
    public Metrics.Cell envelopesOut(String adapter, String route) {
        return envelopesOut.labels(adapter, route);
    }

    /**
     * Starts {@code sigbridge_drops_total} at 0 for each of {@code adapters} and the hub itself and every reason,
     * so that the series is there from the first scrape (a Prometheus counter without samples is not exported,
     * and {@code rate()} over a series that appears at its first drop misses that drop). Called once, at build time.
     */
    public void startDropsAtZero(java.util.Collection<String> adapters) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>(adapters);
        names.add("hub");
        for (String adapter : names) {
            for (ErrorCode reason : ErrorCode.values()) {
                drops.labels(adapter, reason.wire());
            }
        }
    }

    /** An envelope that will not reach some endpoint, and why. */
    public void drop(String adapter, ErrorCode reason) {
        drops.labels(adapter, reason.wire()).inc();
    }

    public void dispatched(long nanos) {
        dispatchSeconds.observeNanos(nanos);
    }

    /** Registers an unlabelled gauge read at scrape time. */
    public void gauge(String name, String help, DoubleSupplier value) {
        metrics.gauges(name, help, List.of(), out -> out.add(value.getAsDouble()));
    }

    /** Registers {@code sigbridge_leg_up{adapter}}: 1 while a back end reports READY, else 0. */
    public void legs(Supplier<Map<String, Boolean>> readiness) {
        metrics.gauges("sigbridge_leg_up", "1 while the back end is connected and ready (registered, rooms joined), else 0",
                List.of("adapter"), out -> readiness.get().forEach((adapter, up) -> out.add(up ? 1 : 0, adapter)));
    }
}
