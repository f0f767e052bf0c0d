package org.sigbridge.web.ops;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.UpgradeRefusal;
import org.sigbridge.web.WebStats;

/**
 * Registers the web adapter's {@code sigbridge_web_*} metrics in the bridge's registry, read from {@link WebStats}
 * and the open sockets at scrape time (nothing extra on the frame path). Labelled by adapter name; a bridge with
 * two web adapters registers the names once, for the first.
 */
public final class WebMetrics {

    private WebMetrics() {
    }

    /**
     * @param byDialect open connections by dialect name, read at scrape time
     * @param draining  1 while draining
     * @return false if another web adapter already registered them
     */
    public static boolean register(PrometheusRegistry registry, String adapter, WebStats stats,
                                   Supplier<Map<String, Integer>> byDialect, Supplier<Boolean> draining) {
        try {
            GaugeWithCallback.builder().name("sigbridge_web_connections")
                    .help("Open browser WebSockets by dialect (undecided: no frame yet)").labelNames("adapter", "dialect")
                    .callback(cb -> byDialect.get().forEach((d, n) -> cb.call(n, adapter, d)))
                    .register(registry);
            GaugeWithCallback.builder().name("sigbridge_web_draining")
                    .help("1 while the web adapter drains (refuses new connections)").labelNames("adapter")
                    .callback(cb -> cb.call(draining.get() ? 1 : 0, adapter)).register(registry);
            counter(registry, "sigbridge_web_frames_in", "Text frames received from browsers", adapter, stats::framesIn);
            counter(registry, "sigbridge_web_frames_out", "Text frames written to browsers", adapter, stats::framesOut);
            counter(registry, "sigbridge_web_write_batches",
                    "Batches of text frames written to browsers together; frames_out / write_batches is the coalescing", adapter,
                    stats::writeBatches);
            counter(registry, "sigbridge_web_connections_opened", "WebSockets accepted", adapter, stats::connectionsOpened);
            counter(registry, "sigbridge_web_connections_refused",
                    "WebSocket upgrades refused (origin, per-address limit, draining, token)", adapter, stats::connectionsRefused);
            counter(registry, "sigbridge_web_slow_consumer_closes",
                    "Sockets closed with 1013 because their outbound queue overflowed", adapter, stats::slowConsumers);
            counter(registry, "sigbridge_web_rate_limited", "WebSocket frames and XHR posts refused by the rate limit", adapter, stats::rateLimited);
            CounterWithCallback.builder().name("sigbridge_web_upgrades_refused")
                    .help("WebSocket upgrades refused, by reason (origin 403, too_many_connections 429, draining 503, token 401)")
                    .labelNames("adapter", "reason")
                    .callback(cb -> {
                        for (UpgradeRefusal reason : UpgradeRefusal.values()) {
                            cb.call(stats.upgradesRefused(reason), adapter, reason.label());
                        }
                    })
                    .register(registry);
            CounterWithCallback.builder().name("sigbridge_web_errors")
                    .help("Error frames, refused upgrades and XHR error responses sent to browsers, by error code").labelNames("adapter", "code")
                    .callback(cb -> {
                        for (ErrorCode code : ErrorCode.values()) {
                            cb.call(stats.errors(code), adapter, code.wire());
                        }
                    })
                    .register(registry);
            return true;
        } catch (IllegalArgumentException alreadyRegistered) {
            return false;
        }
    }

    private static void counter(PrometheusRegistry registry, String name, String help, String adapter, LongSupplier value) {
        CounterWithCallback.builder().name(name).help(help).labelNames("adapter")
                .callback(cb -> cb.call(value.getAsLong(), adapter)).register(registry);
    }
}
