package org.sigbridge.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.DoubleSupplier;
import org.sigbridge.spi.ErrorCode;

/**
 * The bridge's metrics, named {@code sigbridge_*}. Thread-safe; recording is lock-free.
 *
 * <p>Label values are bounded by configuration: adapter names, route patterns, error codes.
 */
public final class BridgeMetrics {

    /** The content type of {@link #scrape}: Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter envelopesIn;
    private final Counter envelopesOut;
    private final Counter drops;
    private final Histogram dispatchSeconds;

    public BridgeMetrics() {
        envelopesIn = Counter.builder().name("sigbridge_envelopes_in_total")
                .help("Envelopes published into the hub, by the adapter they came from and the route of their channel")
                .labelNames("adapter", "route").register(registry);
        envelopesOut = Counter.builder().name("sigbridge_envelopes_out_total")
                .help("Envelopes handed to endpoints, by the adapter of the endpoint and the route")
                .labelNames("adapter", "route").register(registry);
        drops = Counter.builder().name("sigbridge_drops_total")
                .help("Envelopes not delivered, by adapter and reason (error code); each one was reported to its sender or counted here")
                .labelNames("adapter", "reason").register(registry);
        dispatchSeconds = Histogram.builder().name("sigbridge_hub_dispatch_seconds")
                .help("Time the hub takes to fan one envelope out to its endpoints' queues")
                .classicUpperBounds(0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.005, 0.025)
                // Observed once per envelope: keeping native (exponential) buckets as well showed in the relay profiles.
                .classicOnly()
                .register(registry);
        JvmMetrics.builder().register(registry);
    }

    /** The registry, for adapters that register metrics of their own (names {@code sigbridge_<adapter>_*}). */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** The counter of envelopes in from {@code adapter} on channels of {@code route}; cache it per channel. */
    public CounterDataPoint envelopesIn(String adapter, String route) {
        return envelopesIn.labelValues(adapter, route);
    }

    /** The counter of envelopes out to endpoints of {@code adapter} on channels of {@code route}; cache it. */
    public CounterDataPoint envelopesOut(String adapter, String route) {
        return envelopesOut.labelValues(adapter, route);
    }

    /** An envelope that will not reach some endpoint, and why. */
    public void drop(String adapter, ErrorCode reason) {
        drops.labelValues(adapter, reason.wire()).inc();
    }

    public void dispatched(long nanos) {
        dispatchSeconds.observe(nanos / 1e9);
    }

    /** Registers a gauge read at scrape time. */
    public void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }

    /** Registers {@code sigbridge_leg_up{adapter}}: 1 while a back end reports READY, else 0. */
    public void legs(java.util.function.Supplier<java.util.Map<String, Boolean>> readiness) {
        GaugeWithCallback.builder().name("sigbridge_leg_up")
                .help("1 while the back end is connected and ready (registered, rooms joined), else 0")
                .labelNames("adapter")
                .callback(cb -> readiness.get().forEach((adapter, up) -> cb.call(up ? 1 : 0, adapter)))
                .register(registry);
    }

    /** Writes every metric in the Prometheus text format. */
    public void scrape(OutputStream out) throws IOException {
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
    }

    /** {@link #scrape} as a string, for tests and small endpoints. */
    public String scrapeText() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            scrape(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
