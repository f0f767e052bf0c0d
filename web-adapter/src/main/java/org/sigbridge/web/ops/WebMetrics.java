package org.sigbridge.web.ops;

import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.sigbridge.metrics.Metrics;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.UpgradeRefusal;
import org.sigbridge.web.WebStats;

/**
 * Exports one web adapter's {@code sigbridge_web_*} series through the bridge's {@link Metrics} facade, read from
 * {@link WebStats} and the open sockets at scrape time (nothing extra on the frame path). Labelled by adapter name;
 * every web adapter of a bridge is exported under the same names (docs/operations.md, section Metrics).
 */
public final class WebMetrics {

    private static final List<String> ADAPTER = List.of("adapter");

    private WebMetrics() {
    }

    /**
     * @param byDialect open connections by dialect name, read at scrape time
     * @param draining  1 while draining
     * @return closing it stops exporting this adapter's series
     */
    public static AutoCloseable register(Metrics metrics, String adapter, WebStats stats,
                                         Supplier<Map<String, Integer>> byDialect, Supplier<Boolean> draining) {
        List<Metrics.Registration> all = List.of(
                metrics.gauges("sigbridge_web_connections", "Open browser WebSockets by dialect (undecided: no frame yet)",
                        List.of("adapter", "dialect"),
                        out -> byDialect.get().forEach((d, n) -> out.add(n, adapter, d))),
                metrics.gauges("sigbridge_web_draining", "1 while the web adapter drains (refuses new connections)", ADAPTER,
                        out -> out.add(draining.get() ? 1 : 0, adapter)),
                counter(metrics, "sigbridge_web_frames_in_total", "Text frames received from browsers", adapter, stats::framesIn),
                counter(metrics, "sigbridge_web_frames_out_total", "Text frames written to browsers", adapter, stats::framesOut),
                counter(metrics, "sigbridge_web_write_batches_total",
                        "Batches of text frames written to browsers together; frames_out / write_batches is the coalescing", adapter,
                        stats::writeBatches),
                counter(metrics, "sigbridge_web_connections_opened_total", "WebSockets accepted", adapter, stats::connectionsOpened),
                counter(metrics, "sigbridge_web_connections_refused_total",
                        "WebSocket upgrades refused (origin, per-address limit, draining, token)", adapter, stats::connectionsRefused),
                counter(metrics, "sigbridge_web_slow_consumer_closes_total",
                        "Sockets closed with 1013 because their outbound queue overflowed", adapter, stats::slowConsumers),
                counter(metrics, "sigbridge_web_bad_frames_total",
                        "Frames a dialect could not read (not JSON, wrong shape, binary where text is expected)", adapter,
                        stats::badFrames),
                counter(metrics, "sigbridge_web_ignored_frames_total", "Well-formed frames a dialect ignores (unknown types)",
                        adapter, stats::ignoredFrames),
                counter(metrics, "sigbridge_web_rate_limited_total", "WebSocket frames and XHR posts refused by the rate limit", adapter,
                        stats::rateLimited),
                counter(metrics, "sigbridge_web_xhr_long_polls_not_held_total",
                        "XHR long polls answered at once with nothing because xhr.max-waiters polls were held", adapter,
                        stats::xhrPollsNotHeld),
                metrics.counters("sigbridge_web_upgrades_refused_total",
                        "WebSocket upgrades refused, by reason (origin 403, too_many_connections 429, draining 503, token 401)",
                        List.of("adapter", "reason"), out -> {
                            for (UpgradeRefusal reason : UpgradeRefusal.values()) {
                                out.add(stats.upgradesRefused(reason), adapter, reason.label());
                            }
                        }),
                metrics.counters("sigbridge_web_checkpoints_total",
                        "Seed-dialect checkpoints (docs/design.md §3.8), by event: written at a close, claimed and recovered or not_recovered, unshared when the cluster could not be reached",
                        List.of("adapter", "event"), out -> {
                            for (WebStats.Checkpoint event : WebStats.Checkpoint.values()) {
                                out.add(stats.checkpoints(event), adapter, event.label());
                            }
                        }),
                metrics.counters("sigbridge_web_errors_total",
                        "Error frames, refused upgrades and XHR error responses sent to browsers, by error code", List.of("adapter", "code"),
                        out -> {
                            for (ErrorCode code : ErrorCode.values()) {
                                out.add(stats.errors(code), adapter, code.wire());
                            }
                        }));
        return () -> all.forEach(Metrics.Registration::close);
    }

    private static Metrics.Registration counter(Metrics metrics, String name, String help, String adapter, LongSupplier value) {
        return metrics.counters(name, help, ADAPTER, out -> out.add(value.getAsLong(), adapter));
    }
}
