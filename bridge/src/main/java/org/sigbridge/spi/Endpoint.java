package org.sigbridge.spi;

import org.sigbridge.envelope.Envelope;

/**
 * Anything the hub can hand an envelope to: a browser session, or a back end's {@link ChannelLink}.
 *
 * <p>Every method is called on the publishing thread (a Jetty, Smack or JAIN-SIP thread) and must not
 * block: translate, enqueue into a bounded queue, return.
 */
public interface Endpoint {

    /** Unique within the bridge and stable for the endpoint's life; matches {@code Origin.endpoint()}. */
    String id();

    /** The adapter instance this endpoint belongs to. */
    String adapter();

    /**
     * Who this endpoint is on its channels: the participant id addressed envelopes name
     * ({@link org.sigbridge.envelope.Envelope#recipient()}) and the name rosters and presence events show
     * (the page's userid, a PeerJS id, an occupant nick). The hub reads it on the publishing thread when the
     * endpoint subscribes, leaves, and whenever an addressed envelope is matched, so it must not block and
     * must stay the same while the endpoint is subscribed. Ids should be unique across bridge instances
     * ({@link AdapterContext#endpointId}). Default: {@link #id()} as both id and name.
     */
    default Participant participant() {
        return new Participant(adapter(), id(), id());
    }

    /**
     * Takes an envelope for delivery. Never blocks; never throws for expected outcomes.
     *
     * <p>Who tells the sender of a refusal (docs/design.md §2.4, "nothing dropped silently"), exactly once:
     * <ul>
     *   <li>A channel's <b>subscriber</b> (a browser session, any endpoint that subscribed) that answers
     *       {@link DeliveryResult.Rejected} has told the envelope's sender itself, by envelope id, through
     *       {@link AdapterContext#reportFailure} (the web dialects through their {@code EnvelopeReceipt}), as it does for a
     *       frame it accepted and dropped unwritten later. The hub only counts a subscriber's refusal. That includes a
     *       subscriber that has closed, or left the channel: fan-out hands an envelope to the subscribers it read when it
     *       began (a copy-on-write array), so an endpoint that left meanwhile is still handed it, and the envelope was
     *       owed to it.</li>
     *   <li>A channel's <b>link</b> ({@link ChannelLink}, and a cluster channel) does not report its own
     *       {@code Rejected}: the hub reports it to the sender, as it reports a subscriber that threw.</li>
     * </ul>
     * The endpoint reports rather than the hub because only it knows whether a frame it refused had been queued and is
     * reported when dropped, and what a dialect's own bookkeeping (a PeerJS message waiting for its peer) does with
     * the refusal; the hub reporting too would tell the sender twice.
     *
     * @return {@link DeliveryResult.Delivered} if handed to the transport, {@link DeliveryResult.Queued}
     *         if waiting for the upstream to be ready, {@link DeliveryResult.Rejected} if it will not be
     *         delivered (a subscriber has then told the sender; a link's refusal the hub reports)
     */
    DeliveryResult deliver(Envelope envelope);

    /**
     * {@link #deliver(Envelope)} with the envelope's position in its channel's history (docs/design.md §3.8), for
     * endpoints whose clients resume ({@link AdapterContext#resume}). The hub calls this one on subscribers, in
     * position order per channel; {@code position} is {@code null} when the bridge keeps no history. Same contract as
     * {@link #deliver(Envelope)}. Default: ignores the position.
     */
    default DeliveryResult deliver(Envelope envelope, Position position) {
        return deliver(envelope);
    }

    /**
     * Whether this endpoint's client may resume from a position it was handed ({@link #deliver(Envelope, Position)},
     * {@link AdapterContext#resume}): while one subscriber of a channel may, the channel's history keeps its envelopes
     * (docs/design.md §3.8); a channel none of whose subscribers may keeps none. May change while subscribed (a client
     * that opts in to positions later), and is read on publishing threads, so it must not block. Default: true.
     */
    default boolean resumes() {
        return true;
    }

    /**
     * Whether this endpoint's client, when this instance of a cluster drains or stops and closes it, comes back on
     * another instance presenting the same {@link #participant()} (docs/cluster.md §4): its leave is then held back for
     * {@code cluster.presence-grace}, so the other members see it as continuously present. Read at the leave; must not
     * block. Default: false (the leave is announced at once).
     */
    default boolean resumesElsewhere() {
        return false;
    }

    /** A participant joined or left a channel this endpoint is subscribed to. Default: ignored. */
    default void presenceChanged(PresenceEvent event) {
    }

    /**
     * An envelope this endpoint published was not delivered upstream (refused, expired, 4xx/5xx,
     * timeout). The endpoint tells its client in the dialect's terms. Default: ignored.
     */
    default void deliveryFailed(DeliveryFailure failure) {
    }
}
