package org.sigbridge.xmpp;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.sigbridge.metrics.BridgeMetrics;
import org.sigbridge.xmpp.room.RoomDirectory;
import org.sigbridge.xmpp.room.XmppStats;

/**
 * The {@code sigbridge_xmpp_*} metrics of a bridge: one counter per {@link XmppStats} field
 * ({@code sigbridge_xmpp_sent_total{adapter="xmpp"}} …) and {@code sigbridge_xmpp_rooms{adapter,state}}
 * (joined, joining, failing). Values are read from the adapters' counters at scrape time, so recording
 * stays a {@code LongAdder} increment.
 *
 * <p>A registry holds one family per name, and a bridge may run several xmpp adapters, so the families are
 * registered once per registry and list every adapter registered with it (a weak map keyed by the
 * registry: a closed bridge's registry is not kept alive). Thread-safe.
 */
final class XmppMetrics {

    private static final Map<PrometheusRegistry, XmppMetrics> BY_REGISTRY = new WeakHashMap<>();

    private record Source(String adapter, XmppStats stats, Supplier<RoomDirectory.Summary> rooms) {
    }

    private final List<Source> sources = new CopyOnWriteArrayList<>();

    private XmppMetrics(PrometheusRegistry registry) {
        for (XmppStats.Metric m : XmppStats.METRICS) {
            CounterWithCallback.builder().name("sigbridge_xmpp_" + m.name()).help(m.help()).labelNames("adapter")
                    .callback(cb -> sources.forEach(s -> cb.call(m.value().apply(s.stats()).sum(), s.adapter())))
                    .register(registry);
        }
        GaugeWithCallback.builder().name("sigbridge_xmpp_rooms")
                .help("MUC rooms by state: joined, joining (no failure yet), failing (last join failed; retried with backoff)")
                .labelNames("adapter", "state")
                .callback(cb -> sources.forEach(s -> {
                    RoomDirectory.Summary r = s.rooms().get();
                    cb.call(r.joined(), s.adapter(), "joined");
                    cb.call(r.joining(), s.adapter(), "joining");
                    cb.call(r.failing().size(), s.adapter(), "failing");
                }))
                .register(registry);
    }

    /**
     * Exports one adapter's counters and room summary until the returned handle is closed.
     *
     * @param rooms the latest room summary; read at scrape time on the scraping thread, so it must not block
     */
    static AutoCloseable register(BridgeMetrics metrics, String adapter, XmppStats stats, Supplier<RoomDirectory.Summary> rooms) {
        XmppMetrics families;
        synchronized (BY_REGISTRY) {
            families = BY_REGISTRY.computeIfAbsent(metrics.registry(), XmppMetrics::new);
        }
        Source source = new Source(adapter, stats, rooms);
        families.sources.add(source);
        return () -> families.sources.remove(source);
    }
}
