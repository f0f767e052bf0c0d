package org.sigbridge.xmpp.room;

import java.util.List;
import java.util.function.Function;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one XMPP adapter, for logs and for the {@code sigbridge_xmpp_*} metrics. Thread-safe; every
 * field only grows.
 *
 * @param sent             groupchat stanzas handed to Smack (a resend counts again)
 * @param received         envelopes published to the hub from rooms
 * @param reflections      our own messages coming back from a room (XEP-0045 §7.2.2), dropped
 * @param malformed        bad {@code signal} elements or JSON from XMPP, and stanzas Smack could not parse; ignored
 * @param unknownRoom      groupchat messages from rooms we have no binding for, ignored
 * @param ignored          messages with nothing to relay (subjects, chat states, unknown error bounces)
 * @param tooLarge         envelopes refused at the edge as above the stanza limit
 * @param queueRejected    envelopes refused because a room's wait queue was full
 * @param expired          envelopes that waited too long for a room (or its reflection) and were reported {@code expired}
 * @param upstreamErrors   groupchat messages the server bounced with an error, reported to the sender
 * @param joins            successful room joins (first joins and rejoins)
 * @param membershipLost   rooms found not joined by XEP-0410 self-ping, a kick or a bounce, then rejoined
 * @param sessionsOpened   per-user sessions opened
 * @param resent           sent envelopes whose reflection never came before the session or membership was lost, sent again
 * @param duplicates       incoming envelopes whose id this room delivered recently (another bridge's resend), dropped
 */
public record XmppStats(LongAdder sent, LongAdder received, LongAdder reflections, LongAdder malformed,
                        LongAdder unknownRoom, LongAdder ignored, LongAdder tooLarge, LongAdder queueRejected,
                        LongAdder expired, LongAdder upstreamErrors, LongAdder joins, LongAdder membershipLost,
                        LongAdder sessionsOpened, LongAdder resent, LongAdder duplicates) {

    public XmppStats() {
        this(new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(),
                new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(),
                new LongAdder(), new LongAdder(), new LongAdder());
    }

    /**
     * One counter as a metric: {@code sigbridge_xmpp_<name>_total}.
     *
     * @param name  the metric name without {@code sigbridge_xmpp_} and {@code _total}
     * @param help  what it counts
     * @param value reads the counter from a stats instance
     */
    public record Metric(String name, String help, Function<XmppStats, LongAdder> value) {
    }

    /** Every counter, in a stable order. */
    public static final List<Metric> METRICS = List.of(
            new Metric("sent", "Groupchat stanzas handed to the XMPP connection (resends count again)", XmppStats::sent),
            new Metric("received", "Envelopes published to the hub from MUC rooms", XmppStats::received),
            new Metric("reflections", "Our own messages reflected by a room (XEP-0045 7.2.2), dropped", XmppStats::reflections),
            new Metric("malformed", "Malformed signal elements or JSON from XMPP, and stanzas Smack could not parse, ignored", XmppStats::malformed),
            new Metric("unknown_room", "Groupchat messages from rooms without a binding, ignored", XmppStats::unknownRoom),
            new Metric("ignored", "Messages with nothing to relay (subjects, chat states, unknown bounces)", XmppStats::ignored),
            new Metric("too_large", "Envelopes refused as above the server's stanza limit", XmppStats::tooLarge),
            new Metric("queue_rejected", "Envelopes refused because a room's wait queue was full", XmppStats::queueRejected),
            new Metric("expired", "Envelopes reported expired: no join or no reflection within pending-max-age", XmppStats::expired),
            new Metric("upstream_errors", "Groupchat messages bounced by the server, reported to their senders", XmppStats::upstreamErrors),
            new Metric("joins", "MUC room joins, first joins and rejoins", XmppStats::joins),
            new Metric("membership_lost", "Rooms found not joined (self-ping, kick, bounce), then rejoined", XmppStats::membershipLost),
            new Metric("user_sessions_opened", "Per-user XMPP sessions opened", XmppStats::sessionsOpened),
            new Metric("resent", "Sent envelopes not reflected before the session or membership was lost, sent again", XmppStats::resent),
            new Metric("duplicates", "Incoming envelopes already delivered from the same room, dropped", XmppStats::duplicates));

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Metric m : METRICS) {
            sb.append(sb.length() == 0 ? "" : " ").append(m.name()).append('=').append(m.value().apply(this).sum());
        }
        return sb.toString();
    }
}
