package org.sigbridge.hub;

import java.util.function.Predicate;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.metrics.BridgeMetrics;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.PublishResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands one envelope to every endpoint of a channel but its sender: subscribers first, then the
 * channel's back-end link. Runs on the publishing thread; every endpoint only enqueues. A refusal by the
 * link goes back to the sender through {@link Failures}; a refusal by a local subscriber is counted, and the subscriber
 * has told the sender itself ({@link Endpoint#deliver}'s contract, docs/design.md §2.4: it may have been handed the
 * envelope after it closed and left, since fan-out iterates the subscribers it read when it began). A subscriber that
 * throws could not report: the hub reports that one ({@code internal}).
 *
 * <p>An addressed envelope (docs/architecture.md, "Addressed delivery") goes to the subscribers (but the
 * sender) whose participant id, or endpoint id, is the recipient; when no subscriber is, to the link (unless it came
 * through the link), which knows its upstream and delivers it to that participant or refuses it
 * {@code no_such_recipient}. With neither, the publish is refused {@code no_such_recipient} and nothing is
 * delivered.
 *
 * <p>On a cluster (docs/cluster.md) a shared channel's cluster channel ({@link Channel#peer}) is a second link: it gets
 * every broadcast this instance accepted (from a local endpoint or from the link) and every addressed envelope whose
 * recipient is not local but on another instance ({@code ClusterChannel.reaches}), before the link is asked. What
 * comes from the cluster channel goes to local subscribers, and to the link only for the upstream members this instance
 * alone holds ({@code ChannelLink.deliverToMembersHere}: SIP UAs that wrote here); never to the link's other targets
 * (the instance where it entered sent it there), never back.
 *
 * <p>History (docs/design.md §3.8): when the channel keeps one ({@link Channel#history}), fan-out holds it while it
 * numbers the envelope and hands it out, so every subscriber gets the channel's envelopes in offset order with their
 * {@link Position}. A broadcast is numbered always; an addressed envelope when it reaches a local subscriber or the
 * cluster (one only handed to the link, or refused, is not kept).
 */
final class FanOut {

    private static final Logger log = LoggerFactory.getLogger(FanOut.class);

    /** Where a link's refusal is reported. */
    interface Failures {
        void report(Envelope envelope, ErrorCode code, String detail);
    }

    /** For envelopes not from the cluster: no link member is sent them elsewhere. */
    private static final Predicate<String> NOWHERE_ELSE = id -> false;

    private final HubStats stats;
    private final BridgeMetrics metrics;
    private final Failures failures;
    private final java.time.Clock clock;

    FanOut(HubStats stats, BridgeMetrics metrics, Failures failures, java.time.Clock clock) {
        this.clock = clock;
        this.stats = stats;
        this.metrics = metrics;
        this.failures = failures;
    }

    PublishResult deliver(Channel ch, Envelope envelope, Endpoint from) {
        return deliver(ch, envelope, from, null, null, NOWHERE_ELSE);
    }

    /**
     * @param logMark       for an envelope from the cluster, its log mark (it advances the history's log cursor), else
     *                      {@code null}
     * @param stamp         for an envelope from the cluster, its mark on the instance that accepted it, else {@code null}
     * @param sentElsewhere for an envelope from the cluster ({@code from} is the channel's peer): the link's upstream
     *                      members another instance sends it to; the link delivers to the rest of its members held here
     *                      ({@link org.sigbridge.spi.ChannelLink#deliverToMembersHere}, docs/cluster.md §2)
     */
    PublishResult deliver(Channel ch, Envelope envelope, Endpoint from, Position.Mark logMark, Position.Mark stamp,
                          Predicate<String> sentElsewhere) {
        History history = ch.history;
        if (history == null) {
            return deliver(ch, envelope, from, null, 0, null, null, sentElsewhere);
        }
        long now = clock.millis();
        synchronized (history) {
            return deliver(ch, envelope, from, history, now, logMark, stamp, sentElsewhere);
        }
    }

    private PublishResult deliver(Channel ch, Envelope envelope, Endpoint from, History history, long now, Position.Mark logMark,
                                  Position.Mark stamp, Predicate<String> sentElsewhere) {
        if (envelope.isAddressed()) {
            return deliverAddressed(ch, envelope, from, history, now, logMark, stamp, sentElsewhere);
        }
        Position position = history == null ? null : history.append(envelope, now, logMark, stamp, anyResumes(ch));
        java.util.Map<Endpoint, ResumeGate> gates = ch.gates();
        long t0 = System.nanoTime();
        boolean fromCluster = from != null && from == ch.peer;
        stats.published.increment();
        ch.countIn(metrics, envelope.origin().adapter());
        int delivered = 0;
        int queued = 0;
        for (Endpoint e : ch.subscribers()) {
            if (e == from) {
                continue;
            }
            DeliveryResult r = toSubscriber(e, gates, envelope, position, logMark, stamp);
            if (r instanceof DeliveryResult.Rejected rejected) {
                stats.rejected.increment();
                metrics.drop(e.adapter(), rejected.code());
                continue;
            }
            if (r instanceof DeliveryResult.Delivered) {
                delivered++;
            } else {
                queued++;
            }
            ch.countOut(metrics, e.adapter());
        }
        if (!fromCluster && ch.link != null && ch.link != from) {
            DeliveryResult r = toLink(ch, ch.link, envelope);
            if (r instanceof DeliveryResult.Delivered) {
                delivered++;
            } else if (r instanceof DeliveryResult.Queued) {
                queued++;
            }
        }
        if (!fromCluster && ch.peer != null) {
            DeliveryResult r = toLink(ch, ch.peer, envelope, position);
            if (r instanceof DeliveryResult.Delivered) {
                delivered++;
            } else if (r instanceof DeliveryResult.Queued) {
                queued++;
            }
        }
        if (fromCluster && ch.link != null) {
            DeliveryResult r = toMembersHere(ch, envelope, sentElsewhere);
            if (r instanceof DeliveryResult.Delivered) {
                delivered++;
            } else if (r instanceof DeliveryResult.Queued) {
                queued++;
            }
        }
        stats.delivered.add(delivered);
        stats.queued.add(queued);
        metrics.dispatched(System.nanoTime() - t0);
        return new PublishResult.Published(delivered, queued);
    }

    /** Whether a subscriber of {@code ch} may resume, so its history keeps what comes ({@link History}). */
    private static boolean anyResumes(Channel ch) {
        for (Endpoint e : ch.subscribers()) {
            if (e.resumes()) {
                return true;
            }
        }
        return false;
    }

    private PublishResult deliverAddressed(Channel ch, Envelope envelope, Endpoint from, History history, long now,
                                           Position.Mark logMark, Position.Mark stamp, Predicate<String> sentElsewhere) {
        java.util.Map<Endpoint, ResumeGate> gates = ch.gates();
        long t0 = System.nanoTime();
        String recipient = envelope.recipient();
        Position position = null;
        int delivered = 0;
        int queued = 0;
        boolean found = false;
        for (Endpoint e : ch.subscribers()) {
            if (e == from || !(recipient.equals(e.id()) || recipient.equals(Channel.local(e).id()))) {
                continue;
            }
            if (!found) {
                found = true;
                stats.published.increment();
                ch.countIn(metrics, envelope.origin().adapter());
                position = history == null ? null : history.append(envelope, now, logMark, stamp, anyResumes(ch));
            }
            DeliveryResult r = toSubscriber(e, gates, envelope, position, logMark, stamp);
            if (r instanceof DeliveryResult.Rejected rejected) {
                stats.rejected.increment();
                metrics.drop(e.adapter(), rejected.code());
                continue;
            }
            if (r instanceof DeliveryResult.Delivered) {
                delivered++;
            } else {
                queued++;
            }
            ch.countOut(metrics, e.adapter());
        }
        boolean fromCluster = from != null && from == ch.peer;
        if (!found && !fromCluster && ch.peer != null && ch.peer.reaches(recipient)) {
            // On another instance of the cluster: its instance delivers it, or tells the sender it was gone.
            found = true;
            Position kept = history == null ? null : history.append(envelope, now, null, anyResumes(ch));
            stats.published.increment();
            ch.countIn(metrics, envelope.origin().adapter());
            DeliveryResult r = toLink(ch, ch.peer, envelope, kept);
            if (r instanceof DeliveryResult.Delivered) {
                delivered++;
            } else if (r instanceof DeliveryResult.Queued) {
                queued++;
            }
        }
        if (!found && fromCluster && ch.link != null) {
            // An upstream member this instance holds (a SIP UA that wrote here): this instance sends it.
            DeliveryResult r = toMembersHere(ch, envelope, sentElsewhere);
            if (!(r instanceof DeliveryResult.Rejected rejected) || rejected.code() != ErrorCode.NO_SUCH_RECIPIENT) {
                found = true; // held here: sent, or refused and reported by toMembersHere
                stats.published.increment();
                ch.countIn(metrics, envelope.origin().adapter());
                if (r instanceof DeliveryResult.Delivered) {
                    delivered++;
                } else {
                    queued++;
                }
            }
        }
        if (!found) {
            if (fromCluster || ch.link == null || ch.link == from) {
                stats.refused.increment();
                metrics.drop("hub", ErrorCode.NO_SUCH_RECIPIENT);
                log.debug("envelope {} on channel '{}' is addressed to '{}', who is not on the channel here", envelope.id(),
                        ch.name, recipient);
                return new PublishResult.Refused(ErrorCode.NO_SUCH_RECIPIENT, "'" + recipient + "' is not a participant of channel '"
                        + ch.name + "'" + (ch.link == null ? "" : " on this bridge"));
            }
            // Not here: the link knows its upstream (occupants, members) and delivers or refuses no_such_recipient.
            stats.published.increment();
            ch.countIn(metrics, envelope.origin().adapter());
            DeliveryResult r = toLink(ch, ch.link, envelope);
            if (r instanceof DeliveryResult.Delivered) {
                delivered++;
            } else if (r instanceof DeliveryResult.Queued) {
                queued++;
            }
        }
        stats.delivered.add(delivered);
        stats.queued.add(queued);
        metrics.dispatched(System.nanoTime() - t0);
        return new PublishResult.Published(delivered, queued);
    }

    /** Hands the envelope to the channel's link or cluster channel; a refusal goes back to the sender by envelope id. */
    private DeliveryResult toLink(Channel ch, Endpoint link, Envelope envelope) {
        return toLink(ch, link, envelope, null);
    }

    /** {@link #toLink(Channel, Endpoint, Envelope)} with the envelope's position (its stamp, for the cluster log). */
    private DeliveryResult toLink(Channel ch, Endpoint link, Envelope envelope, Position position) {
        DeliveryResult r = deliverSafely(link, envelope, position);
        if (r instanceof DeliveryResult.Rejected rejected) {
            stats.rejected.increment();
            metrics.drop(link.adapter(), rejected.code());
            failures.report(envelope, rejected.code(), rejected.detail());
        } else {
            ch.countOut(metrics, link.adapter());
        }
        return r;
    }

    /**
     * Hands an envelope from the cluster to the link's members held here. {@code no_such_recipient} is the link's
     * usual answer (none of its members is held here) and no failure; any other refusal (the SIP leg's queue full, a
     * body too large, the leg stopping) is one, and goes to the sender by envelope id, through the cluster when the
     * sender is on another instance ({@link FailureReports}).
     */
    private DeliveryResult toMembersHere(Channel ch, Envelope envelope, Predicate<String> sentElsewhere) {
        DeliveryResult r;
        try {
            r = ch.link.deliverToMembersHere(envelope, sentElsewhere);
        } catch (RuntimeException e) {
            log.error("link {} failed to take envelope {} for its members", ch.link.id(), envelope.id(), e);
            r = new DeliveryResult.Rejected(ErrorCode.INTERNAL, "link failed: " + e);
        }
        if (!(r instanceof DeliveryResult.Rejected rejected)) {
            ch.countOut(metrics, ch.link.adapter());
        } else if (rejected.code() != ErrorCode.NO_SUCH_RECIPIENT) {
            stats.rejected.increment();
            metrics.drop(ch.link.adapter(), rejected.code());
            failures.report(envelope, rejected.code(), rejected.detail());
        }
        return r;
    }

    /**
     * To a local subscriber, which reports its own refusal ({@link Endpoint#deliver}), perhaps behind a resume gate;
     * one that throws cannot, so its failure is reported here. A bug in one endpoint must not cost the others their copy.
     */
    private DeliveryResult toSubscriber(Endpoint e, java.util.Map<Endpoint, ResumeGate> gates, Envelope envelope, Position position,
                                        Position.Mark logMark, Position.Mark stamp) {
        ResumeGate gate = gates == null ? null : gates.get(e);
        try {
            if (gate == null || position == null) {
                return position == null ? e.deliver(envelope) : e.deliver(envelope, position);
            }
            return gate.offer(envelope, position, logMark, logMark == null ? position.history() : stamp);
        } catch (RuntimeException ex) {
            log.error("endpoint {} failed to take envelope {}", e.id(), envelope.id(), ex);
            failures.report(envelope, ErrorCode.INTERNAL, "not delivered to " + e.id() + ": it failed (" + ex + ")");
            return new DeliveryResult.Rejected(ErrorCode.INTERNAL, "endpoint failed: " + ex);
        }
    }

    /** To a link or cluster channel, whose refusal the caller reports; one that throws is refused {@code internal}. */
    private static DeliveryResult deliverSafely(Endpoint endpoint, Envelope envelope, Position position) {
        try {
            return position == null ? endpoint.deliver(envelope) : endpoint.deliver(envelope, position);
        } catch (RuntimeException e) {
            log.error("endpoint {} failed to take envelope {}", endpoint.id(), envelope.id(), e);
            return new DeliveryResult.Rejected(ErrorCode.INTERNAL, "endpoint failed: " + e);
        }
    }
}
