package org.sigbridge.hub;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Optional;
import java.util.Set;
import org.sigbridge.config.HistorySettings;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.EnvelopeIds;
import org.sigbridge.metrics.BridgeMetrics;
import org.sigbridge.metrics.Metrics;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.routing.RouteTarget;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.Backend;
import org.sigbridge.spi.ChannelLink;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.ResumeResult;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.spi.cluster.ClusterContext;
import org.sigbridge.spi.cluster.ClusterLayer;

/**
 * Channels, subscriptions, presence and fan-out. Thread-safe and lock-free on the publish path.
 *
 * <p>Channels are dynamic: one opens when its first local participant subscribes (or a client
 * publishes to a routed channel) and closes when its last local participant leaves; a routed channel's
 * back-end {@link ChannelLink} lives exactly as long. Membership changes for one channel are serialised
 * by {@link ConcurrentHashMap#compute}; fan-out reads a copy-on-write subscriber array.
 *
 * <p>Delivery rules (docs/design.md §2.3): an envelope goes to every subscriber but the endpoint it came from
 * (no self-echo) and to the channel's link unless it came through that link (no loops). A refusal by
 * the link is reported to the sender by envelope id; nothing is dropped silently. An addressed envelope
 * goes to its recipient only: a local subscriber presenting that participant id, else the channel's link
 * (see {@link FanOut}); a recipient that is nowhere is refused {@code no_such_recipient}.
 *
 * <p>Identity: every hub draws a random {@link #nodeId()} at construction and issues endpoint ids
 * qualified by it ({@link #endpointId}), so ids are unique across bridge instances.
 *
 * <p>Cluster: with a {@link ClusterLayer} attached ({@link #attachCluster}), shared channels get a cluster channel
 * that fan-out treats as a second link, and what other instances accepted comes in through the
 * {@link ClusterContext} (docs/cluster.md). Without one nothing changes.
 *
 * <p>The hub is the public face of its package; the work is done by one class a job: {@link Subscriptions} (endpoints,
 * their channels, joins and leaves), {@link EnvelopeIntake} (publishes from clients and from upstreams),
 * {@link FanOut} (delivery), {@link UpstreamPresence} (presence probes, channels held for upstream members),
 * {@link FailureReports} (failures back to senders), {@link Resumer} (resume) and {@link HubClusterContext} (what the
 * cluster layer brings in).
 */
public final class Hub implements AdapterContext {

    private final String bridgeName;
    private final EnvelopeIds ids;
    private final Clock clock;
    final Map<String, Backend> backends;
    final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, Registration> endpoints = new ConcurrentHashMap<>();
    final LegStates legs = new LegStates();
    final HubStats stats = new HubStats();
    private final BridgeMetrics metrics;
    final Routes routes;
    private final HubOps ops;
    private final String nodeId = NodeIds.random();
    private final AtomicLong endpointSerial = new AtomicLong();
    private volatile ClusterLayer cluster;
    /** Upstream envelopes delivered on shared channels, so that a second copy is not (docs/cluster.md §2). */
    final UpstreamCopies upstreamCopies = new UpstreamCopies();
    /** Channel histories for clients that resume, or {@code null} when {@code bridge.history.length} is 0. */
    private final Histories histories;
    /** Resume (docs/design.md §3.8), or {@code null} when no history is kept. */
    private final Resumer resumer;
    /** What comes in from the cluster layer and from back ends' upstream members ({@link HubClusterContext}). */
    private final HubClusterContext clusterSide;
    /** Endpoints and the channels they subscribe to. */
    private final Subscriptions subscriptions;
    /** Where envelopes enter: from clients and from upstreams. */
    private final EnvelopeIntake intake;
    /** Presence beyond local subscribers, and channels held open for upstream members. */
    private final UpstreamPresence upstream;
    /** Delivery failures back to their senders. */
    private final FailureReports failures;

    /**
     * @param bridgeName this instance's name
     * @param routing    the routing table
     * @param backends   back ends by adapter name; every leg target in {@code routing} must be here
     * @param clock      for timestamps
     */
    public Hub(String bridgeName, RoutingTable routing, Map<String, Backend> backends, Clock clock) {
        this(bridgeName, routing, backends, clock, new BridgeMetrics());
    }

    /**
     * @param metrics where the hub counts envelopes, drops and dispatch time
     */
    public Hub(String bridgeName, RoutingTable routing, Map<String, Backend> backends, Clock clock, BridgeMetrics metrics) {
        this(bridgeName, routing, backends, clock, metrics, HistorySettings.DEFAULTS);
    }

    /**
     * @param history what each channel keeps for clients that resume (docs/design.md §3.8); length 0 keeps nothing
     */
    public Hub(String bridgeName, RoutingTable routing, Map<String, Backend> backends, Clock clock, BridgeMetrics metrics,
               HistorySettings history) {
        this.histories = history.enabled() ? new Histories(history, clock, channels::containsKey) : null;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.bridgeName = Objects.requireNonNull(bridgeName, "bridgeName");
        this.backends = Map.copyOf(backends);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = new EnvelopeIds();
        FanOut fanOut = new FanOut(stats, metrics, this::reportFailure, clock);
        this.routes = new Routes(Objects.requireNonNull(routing, "routing"), this.backends);
        ChannelOpener opener = new ChannelOpener(routes::table, this.backends, stats, () -> cluster, histories);
        this.subscriptions = new Subscriptions(channels, endpoints, opener);
        this.intake = new EnvelopeIntake(channels, routes, opener, subscriptions, fanOut, upstreamCopies, stats, metrics,
                () -> cluster);
        this.upstream = new UpstreamPresence(channels, routes, opener, this.backends, () -> cluster);
        this.failures = new FailureReports(endpoints, nodeId, () -> cluster, stats);
        this.ops = new HubOps(this);
        this.clusterSide = new HubClusterContext(this, channels, fanOut);
        this.resumer = histories == null ? null : new Resumer(this, histories, stats, channels);
        metrics.gauge("sigbridge_channels", "Open channels", channels::size);
        metrics.facade().counters("sigbridge_resumes_total", "Clients that resumed with a position (docs/design.md §3.8), by outcome",
                List.of("outcome"), out -> {
                    out.add(stats.resumesRecovered(), "recovered");
                    out.add(stats.resumesNotRecovered(), "not_recovered");
                });
        metrics.facade().counters("sigbridge_replayed_envelopes_total", "Envelopes replayed to resuming clients", List.of(),
                out -> out.add(stats.replayed()));
        metrics.gauge("sigbridge_endpoints", "Endpoints known to the hub (sessions, links)", endpoints::size);
        metrics.legs(() -> {
            Map<String, Boolean> up = new java.util.TreeMap<>();
            this.backends.keySet().forEach(name -> up.put(name, legs.isReady(name)));
            return up;
        });
    }

    @Override
    public Metrics metrics() {
        return metrics.facade();
    }

    /**
     * Shares this hub's channels through {@code layer} from now on, and gives the layer its way in. The bridge that
     * owns the hub calls it once, before the layer starts and before any channel opens (channels open before it stay
     * unshared). Any thread.
     *
     * @throws IllegalStateException if a layer is already attached
     */
    public synchronized ClusterContext attachCluster(ClusterLayer layer) {
        if (cluster != null) {
            throw new IllegalStateException("a cluster layer is already attached");
        }
        cluster = Objects.requireNonNull(layer, "layer");
        return clusterSide;
    }

    /** The operations view of this hub (legs, snapshots, routing, reload, metrics) and its host API. */
    public HubOps ops() {
        return ops;
    }

    @Override
    public String bridgeName() {
        return bridgeName;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public CompletionStage<Boolean> isClusterInstance(String node) {
        ClusterLayer layer = cluster;
        if (nodeId.equals(node)) {
            return CompletableFuture.completedFuture(true);
        }
        return layer == null ? CompletableFuture.completedFuture(false) : layer.isInstance(node);
    }

    @Override
    public String endpointId(String kind) {
        Objects.requireNonNull(kind, "kind");
        return nodeId + ":" + kind + "-" + endpointSerial.incrementAndGet();
    }

    @Override
    public List<Participant> participants(String channel) {
        Channel ch = channels.get(channel);
        return ch == null ? List.of() : List.copyOf(ch.participants());
    }

    @Override
    public EnvelopeIds envelopeIds() {
        return ids;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public RouteMatch route(String channel) {
        return routes.table().peek(channel);
    }

    @Override
    public String upstreamAddress(RouteMatch match) {
        if (match.target() instanceof RouteTarget.Leg leg) {
            Backend backend = backends.get(leg.adapter());
            return backend == null ? match.expandTarget(v -> v) : backend.upstreamAddress(match);
        }
        return "";
    }

    @Override
    public SubscribeResult subscribe(Endpoint endpoint, String channel) {
        return subscriptions.subscribe(endpoint, channel);
    }

    /**
     * Subscribes and replays under the channel's history (docs/design.md §3.8): live envelopes of the channel wait
     * while this runs, so the endpoint gets the missed ones first, then the rest, each once. This instance's history
     * only; {@link #resumeAsync} resumes across instances too.
     */
    @Override
    public ResumeResult resume(Endpoint endpoint, String channel, Position since, Set<String> ownEndpointIds) {
        if (resumer == null) {
            return AdapterContext.super.resume(endpoint, channel, since, ownEndpointIds);
        }
        return resumer.resumeHere(endpoint, channel, since, ownEndpointIds);
    }

    /** {@link #resume}, and on a shared channel from another instance's position through the cluster log ({@link Resumer}). */
    @Override
    public CompletionStage<ResumeResult> resumeAsync(Endpoint endpoint, String channel, Position since, Set<String> ownEndpointIds) {
        if (resumer == null) {
            return CompletableFuture.completedFuture(AdapterContext.super.resume(endpoint, channel, since, ownEndpointIds));
        }
        return resumer.resume(endpoint, channel, since, ownEndpointIds, true);
    }

    /** The attached cluster layer's records, or empty without one (docs/cluster.md §2). */
    @Override
    public Optional<org.sigbridge.spi.cluster.SharedRecords> sharedRecords() {
        ClusterLayer layer = cluster;
        return layer == null ? Optional.empty() : layer.records();
    }

    /** The attached cluster layer's shared session store for polling dialects, or empty without one (docs/cluster.md §2). */
    @Override
    public Optional<org.sigbridge.spi.cluster.SessionStore> sharedSessions() {
        ClusterLayer layer = cluster;
        return layer == null ? Optional.empty() : layer.sessions();
    }

    /** Tells the attached cluster layer, if any ({@link ClusterLayer#handOver()}). */
    @Override
    public void handingOver() {
        ClusterLayer layer = cluster;
        if (layer != null) {
            layer.handOver();
        }
    }

    @Override
    public Optional<Position> position(String channel) {
        History history = histories == null ? null : histories.existing(channel);
        if (history == null) {
            return Optional.empty();
        }
        synchronized (history) {
            history.retain(histories.now()); // asked for a position to resume from: keep what comes after it
            return Optional.of(history.top());
        }
    }

    @Override
    public void unsubscribe(Endpoint endpoint, String channel) {
        subscriptions.unsubscribe(endpoint, channel);
    }

    @Override
    public void detach(Endpoint endpoint) {
        subscriptions.detach(endpoint);
    }

    @Override
    public PublishResult publish(Envelope envelope, Endpoint from) {
        return intake.publish(envelope, from);
    }

    @Override
    public PublishResult publishInbound(Envelope envelope) {
        return intake.publishInbound(envelope);
    }

    @Override
    public boolean openForUpstream(String channel, String adapter) {
        return upstream.openForUpstream(channel, adapter);
    }

    @Override
    public void reportFailure(Envelope envelope, ErrorCode code, String detail) {
        failures.report(envelope, code, detail);
    }

    @Override
    public boolean isPresent(String channel) {
        return upstream.isPresent(channel);
    }

    @Override
    public CompletionStage<Boolean> probePresence(String channel) {
        return upstream.probePresence(channel);
    }

    /** A back end's upstream member joined; on a shared channel the cluster hears it too (docs/cluster.md §2). */
    @Override
    public void participantJoined(String channel, Participant participant) {
        clusterSide.remoteJoined(channel, participant, true);
    }

    @Override
    public void participantLeft(String channel, Participant participant) {
        clusterSide.remoteLeft(channel, participant, true);
    }

    /** Closes a shared channel with no local participant whose back end holds no member on it any more. */
    void closeIfUnheld(String channel) {
        upstream.closeIfUnheld(channel);
    }

    @Override
    public void legState(LegState state) {
        legs.report(state);
    }

    // --- internals ---------------------------------------------------------------------------------

    /** Whether an envelope entered the bridge from an upstream (a back end's adapter), not from a client. */
    boolean fromUpstream(Envelope envelope) {
        return backends.containsKey(envelope.origin().adapter());
    }

    /** A refusal, counted and measured as the hub's drop. */
    PublishResult refuse(ErrorCode code, String detail) {
        return intake.refuse(code, detail);
    }
}
