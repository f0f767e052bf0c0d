package org.sigbridge.xmpp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.sigbridge.metrics.Metrics;
import org.sigbridge.xmpp.room.InboundGate;
import org.sigbridge.xmpp.room.RoomDirectory;
import org.sigbridge.xmpp.room.XmppStats;

/**
 * Exports one xmpp adapter's {@code sigbridge_xmpp_*} series through the bridge's {@link Metrics} facade: one counter
 * per {@link XmppStats} field ({@code sigbridge_xmpp_sent_total{adapter="xmpp"}} …) and
 * {@code sigbridge_xmpp_rooms{adapter,state}} (joined, joining, failing), and
 * {@code sigbridge_xmpp_inbound_refused_total{adapter,reason}} ({@link InboundGate}). Values are read from the adapter's counters
 * at scrape time, so recording stays a {@code LongAdder} increment. Several xmpp adapters of one bridge share the
 * names, each with its own {@code adapter} label (the facade keeps one family per name).
 */
final class XmppMetrics {

    private XmppMetrics() {
    }

    /**
     * Exports one adapter's counters and room summary until the returned handle is closed. Called by the adapter's
     * start, on the bridge's thread.
     *
     * @param rooms the latest room summary; read at scrape time on the scraping thread, so it must not block
     * @param inbound the inbound limit, for {@code sigbridge_xmpp_inbound_refused_total{adapter,reason}}
     */
    static AutoCloseable register(Metrics metrics, String adapter, XmppStats stats, Supplier<RoomDirectory.Summary> rooms,
                                  InboundGate inbound) {
        List<Metrics.Registration> all = new ArrayList<>();
        for (XmppStats.Metric m : XmppStats.METRICS) {
            all.add(metrics.counters("sigbridge_xmpp_" + m.name() + "_total", m.help(), List.of("adapter"),
                    out -> out.add(m.value().apply(stats).sum(), adapter)));
        }
        all.add(metrics.gauges("sigbridge_xmpp_rooms",
                "MUC rooms by state: joined, joining (no failure yet), failing (last join failed; retried with backoff)",
                List.of("adapter", "state"), out -> {
                    RoomDirectory.Summary r = rooms.get();
                    out.add(r.joined(), adapter, "joined");
                    out.add(r.joining(), adapter, "joining");
                    out.add(r.failing().size(), adapter, "failing");
                }));
        all.add(metrics.counters("sigbridge_xmpp_inbound_refused_total",
                "Room messages refused by the inbound limit, by reason: occupant_rate, room_rate, queue_full",
                List.of("adapter", "reason"), out -> InboundGate.reasons().forEach(r -> out.add(inbound.refused(r), adapter, r))));
        return () -> all.forEach(Metrics.Registration::close);
    }
}
