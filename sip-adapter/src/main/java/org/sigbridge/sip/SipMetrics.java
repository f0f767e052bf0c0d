package org.sigbridge.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.concurrent.atomic.LongAdder;
import org.sigbridge.metrics.Metrics;

/**
 * Exports one SIP adapter's {@code sigbridge_sip_*} series through the bridge's {@link Metrics} facade, the same way
 * the web and xmpp adapters export theirs: one counter per {@link SipStats} field, read at scrape time (recording
 * stays a {@code LongAdder} increment), and the gauge {@code sigbridge_sip_links} (channels open on this leg). Every
 * series is labelled by adapter name; several SIP adapters share the names. See conf/reference/sip.md.
 */
final class SipMetrics {

    private record Counter(String name, String help, Function<SipStats, LongAdder> value) {
    }

    /** The counters, in {@link SipStats} order; names as exposed. */
    static final List<Counter> COUNTERS = List.of(
            new Counter("requests_in", "SIP requests received (retransmissions absorbed by the stack not counted)", SipStats::requestsIn),
            new Counter("delivered", "Incoming MESSAGEs published on a channel (answered 200 or 202)", SipStats::delivered),
            new Counter("refused", "Incoming requests answered with a 4xx (malformed, not permitted, no channel)", SipStats::refused),
            new Counter("duplicates", "Incoming MESSAGEs recognised as retransmissions or loops and not published again", SipStats::duplicates),
            new Counter("overloaded", "Incoming requests answered 503 because of the rate limit or a drain", SipStats::overloaded),
            new Counter("messages_sent", "Outgoing MESSAGEs answered 2xx (or only by our own forked copy: nobody else bound)",
                    SipStats::messagesSent),
            new Counter("sent_over_tcp", "Outgoing MESSAGEs that went over TCP or TLS", SipStats::sentOverTcp),
            new Counter("send_failures", "Outgoing MESSAGEs that failed finally (4xx/5xx/6xx, timeout, transport error)", SipStats::sendFailures),
            new Counter("queue_overflows", "Envelopes refused because a member's conversation queue was full", SipStats::queueOverflows),
            new Counter("registrations", "Successful REGISTER refreshes", SipStats::registrations),
            new Counter("conference_info_in", "Incoming RFC 4575 participant announcements of other bridges applied",
                    SipStats::conferenceInfoIn),
            new Counter("conference_info_refused", "Incoming RFC 4575 bodies refused (400, 413, 488)", SipStats::conferenceInfoRefused),
            new Counter("conference_info_sent", "Participant announcements to other bridges answered 2xx", SipStats::conferenceInfoSent),
            new Counter("conference_info_failures", "Participant announcements to other bridges that failed finally",
                    SipStats::conferenceInfoFailures));

    private SipMetrics() {
    }

    /**
     * Exports one adapter's series until the returned handle is closed. Called by the adapter's start, on the
     * bridge's thread.
     *
     * @param links channels open on this leg now; read at scrape time, must not block
     */
    static Metrics.Registration register(Metrics metrics, String adapter, SipStats stats, IntSupplier links) {
        List<Metrics.Registration> all = new ArrayList<>();
        for (Counter c : COUNTERS) {
            all.add(metrics.counters("sigbridge_sip_" + c.name() + "_total", c.help(), List.of("adapter"),
                    out -> out.add(c.value().apply(stats).sum(), adapter)));
        }
        all.add(metrics.gauges("sigbridge_sip_links", "Channels open on this SIP leg (each with its conversation state)",
                List.of("adapter"), out -> out.add(links.getAsInt(), adapter)));
        return () -> all.forEach(Metrics.Registration::close);
    }
}
