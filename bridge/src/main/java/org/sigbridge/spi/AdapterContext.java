package org.sigbridge.spi;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.EnvelopeIds;
import org.sigbridge.metrics.Metrics;
import org.sigbridge.routing.RouteMatch;

/**
 * What an adapter may ask of the hub. Thread-safe; every method is non-blocking and may be called from
 * any thread, including Jetty, Smack and JAIN-SIP threads. Implemented by the hub. Operations (leg states,
 * snapshots, routing, reload) are not here: they are the {@link org.sigbridge.spi.ops.OpsView}.
 */
public interface AdapterContext {

    /** This bridge's instance name from config. */
    String bridgeName();

    /** Issues envelope ids unique across bridges. */
    EnvelopeIds envelopeIds();

    /** The clock for timestamps and expiry. */
    Clock clock();

    /**
     * This bridge instance's node id: random per process, so two instances that share one config file and
     * bridge name still differ. Default: {@link #bridgeName()}.
     */
    default String nodeId() {
        return bridgeName();
    }

    /**
     * Whether {@code nodeId} is this instance or another instance of its cluster (docs/cluster.md §2, "SIP announcements
     * on a cluster"), for an adapter that must tell another instance's announcement from another bridge's: those
     * instances' participants already reach this one through the cluster. Any thread, never blocks; the stage may complete
     * later on a cluster thread, with {@code false} when the cluster cannot be asked. Default: only this instance.
     */
    default java.util.concurrent.CompletionStage<Boolean> isClusterInstance(String nodeId) {
        return java.util.concurrent.CompletableFuture.completedFuture(nodeId().equals(nodeId));
    }

    /**
     * Issues an endpoint id unique across bridge instances: {@code <nodeId>:<kind>-<n>}, e.g.
     * {@code k3q9z0m2xa:web-17}, so ids (and the default {@link Endpoint#participant()} ids made from them)
     * can travel to other instances and be addressed there. Any thread, never blocks.
     *
     * @param kind a short label for the kind of endpoint, e.g. the adapter name
     * @throws UnsupportedOperationException if this context issues no ids (the default)
     */
    default String endpointId(String kind) {
        throw new UnsupportedOperationException("this context issues no endpoint ids");
    }

    /**
     * The roster of a channel now: the participant of every local subscriber (one entry per participant
     * id and adapter) followed by the remote participants its link reported ({@link #participantJoined}),
     * consistent with presence: the list is empty exactly when {@link #isPresent} is false. Any thread,
     * never blocks. Default: empty.
     */
    default List<Participant> participants(String channel) {
        return List.of();
    }

    /** How a channel name is routed, as the routing table says now. */
    RouteMatch route(String channel);

    /**
     * The upstream address of a routed channel as its back end spells it ({@link Backend#upstreamAddress});
     * empty for local and denied routes. Any thread, never blocks.
     */
    default String upstreamAddress(RouteMatch match) {
        return match.target() instanceof org.sigbridge.routing.RouteTarget.Leg ? match.expandTarget(v -> v) : "";
    }

    /**
     * Subscribes a front-end endpoint to a channel, opening the channel (and its back-end link) if it
     * is new. Subscribing twice is a no-op.
     *
     * @return {@link SubscribeResult.Subscribed}, or {@link SubscribeResult.Refused} when the route denies it
     */
    SubscribeResult subscribe(Endpoint endpoint, String channel);

    /**
     * Subscribes a reconnecting client's new endpoint and hands it, first, what the channel carried after
     * {@code since} (docs/design.md §3.8): once, in order, before anything published later, leaving out what the client
     * sent itself (origin endpoint in {@code ownEndpointIds}) and addressed envelopes for anyone but {@code endpoint}'s
     * id or participant id ({@code ownEndpointIds} are the client's word: they only hide envelopes, never reveal one). When the history
     * no longer holds {@code since} (trimmed by length or age, another epoch, no history kept) nothing is replayed and
     * the answer is {@link ResumeResult.NotRecovered}: the client must be told plainly. {@code endpoint} must not be
     * subscribed to {@code channel} yet. Any thread; holds the channel's history while it replays (replay only enqueues).
     *
     * @param since          the position of the last envelope the client got on this channel
     * @param ownEndpointIds the endpoint ids the client had before (and may have published from)
     */
    default ResumeResult resume(Endpoint endpoint, String channel, Position since, java.util.Set<String> ownEndpointIds) {
        if (subscribe(endpoint, channel) instanceof SubscribeResult.Refused r) {
            return new ResumeResult.Refused(r.code(), r.detail());
        }
        return new ResumeResult.NotRecovered("this bridge keeps no history", null);
    }

    /**
     * {@link #resume} that also resumes, on a shared channel of a cluster, from a position taken on another instance
     * (docs/design.md §3.8, "Across instances"): the endpoint is subscribed before this returns; what it missed is read
     * from the cluster's log and handed to it, once, in order, before anything newer, and the stage completes after
     * that, on a thread of the cluster layer (or at once when no read is needed). Live deliveries of the channel wait
     * for the endpoint meanwhile. Never blocks; the stage never completes exceptionally. Default: {@link #resume}.
     */
    default java.util.concurrent.CompletionStage<ResumeResult> resumeAsync(Endpoint endpoint, String channel, Position since,
                                                                          java.util.Set<String> ownEndpointIds) {
        return java.util.concurrent.CompletableFuture.completedFuture(resume(endpoint, channel, since, ownEndpointIds));
    }

    /**
     * The cluster's short-lived records that every instance can read (docs/cluster.md §2), for state a client may claim
     * on another instance (socket.io recovery sessions, seed-dialect checkpoints); empty without a cluster. Any thread,
     * never blocks. Default: empty.
     */
    default java.util.Optional<org.sigbridge.spi.cluster.SharedRecords> sharedRecords() {
        return java.util.Optional.empty();
    }

    /**
     * The position of the newest envelope in a channel's history, for a client that has received nothing yet;
     * empty when the bridge keeps no history. The history keeps what comes after it for {@code max-age} from now (a
     * client may resume from it; docs/design.md §3.8). Any thread, never blocks. Default: empty.
     */
    default java.util.Optional<Position> position(String channel) {
        return java.util.Optional.empty();
    }

    /**
     * The cluster's shared session state, for dialects whose clients any instance may serve (XHR polling,
     * docs/cluster.md §2); empty without a {@code cluster:} section. Any thread, never blocks. Default: empty.
     */
    default java.util.Optional<org.sigbridge.spi.cluster.SessionStore> sharedSessions() {
        return java.util.Optional.empty();
    }

    /**
     * A front end is about to close its clients' connections because this instance goes away (a drain's deadline, a
     * stop): on a cluster, the leaves of those whose clients resume on another instance as the same participant are held
     * back for {@code cluster.presence-grace} (docs/cluster.md §4). Any thread, never blocks. Default: nothing.
     */
    default void handingOver() {
    }

    /** Removes one subscription; closes the channel when it was the last local participant. */
    void unsubscribe(Endpoint endpoint, String channel);

    /** Removes every subscription of an endpoint that is going away. Idempotent. */
    void detach(Endpoint endpoint);

    /**
     * Publishes an envelope from a front-end endpoint: every other subscriber of the channel and the
     * channel's back-end link get it. An upstream refusal, now or later, reaches {@code from} through
     * {@link Endpoint#deliveryFailed}.
     *
     * <p>An addressed envelope ({@link Envelope#isAddressed()}) goes only to the local subscribers (but
     * {@code from}) whose {@link Endpoint#participant()} id, or whose endpoint id (adapters know it from an
     * envelope's {@link org.sigbridge.envelope.Origin}), equals the recipient; when there is none, to the
     * channel's link, which delivers it upstream or refuses it {@code no_such_recipient}. With neither the
     * result is {@link PublishResult.Refused} {@code no_such_recipient}.
     */
    PublishResult publish(Envelope envelope, Endpoint from);

    /**
     * Publishes an envelope that arrived from this adapter's upstream on an open channel: every local
     * subscriber gets it; the link it came through does not (no loops).
     *
     * <p>An addressed envelope goes only to the local subscribers whose participant id (or endpoint id) equals
     * the recipient.
     *
     * @return {@link PublishResult.Refused} with {@code not_permitted} if the channel is not routed to
     *         {@code envelope.origin().adapter()}, {@code no_such_channel} if it is not open here, or
     *         {@code no_such_recipient} if it is addressed to nobody here
     */
    PublishResult publishInbound(Envelope envelope);

    /** Tells the endpoint that published {@code envelope} that it was not delivered upstream. */
    void reportFailure(Envelope envelope, ErrorCode code, String detail);

    /** Whether a channel has any participant right now, on any leg. */
    boolean isPresent(String channel);

    /** {@link #isPresent}, or else asks the channel's back end; completes within its request timeout. */
    CompletionStage<Boolean> probePresence(String channel);

    /**
     * Opens {@code channel} on this instance for an upstream member that writes to it (a SIP UA's MESSAGE) when no local
     * participant has it open here, if the channel is shared across a cluster (docs/cluster.md §2): its participants may
     * all be on other instances. The channel then stays open while {@code adapter}'s back end reports members on it
     * ({@link Backend#probePresence}) or local participants join, so that this instance, which alone reaches the member,
     * announces it and sends it what the others accept. Call it before announcing the member and publishing its envelope.
     * Any thread; non-blocking (must not be called while opening a channel).
     *
     * @return whether the channel is open here now; {@code false} without a cluster, when the route does not name
     *         {@code adapter}, or when the channel is not shared (then {@link #publishInbound} refuses it as before)
     */
    default boolean openForUpstream(String channel, String adapter) {
        return false;
    }

    /** A remote participant (MUC occupant, SIP member) joined an open channel. */
    void participantJoined(String channel, Participant participant);

    /** A remote participant left an open channel. */
    void participantLeft(String channel, Participant participant);

    /** Reports this adapter's upstream state, for logs and readiness. */
    void legState(LegState state);

    /**
     * The bridge's metrics facade. Adapters export their own counters there (connections, upstream requests, ignored
     * input) under names {@code sigbridge_<adapter type>_*}, labelled by adapter name; see {@link Metrics}.
     */
    Metrics metrics();
}
