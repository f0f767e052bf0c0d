package org.sigbridge.hub;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.ResumeResult;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.spi.cluster.ClusterContext;
import org.sigbridge.spi.cluster.ClusterLayer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 */
public final class Hub implements AdapterContext {

    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final String bridgeName;
    private final EnvelopeIds ids;
    private final Clock clock;
    final Map<String, Backend> backends;
    final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, Registration> endpoints = new ConcurrentHashMap<>();
    final LegStates legs = new LegStates();
    final HubStats stats = new HubStats();
    private final FanOut fanOut;
    private final ChannelOpener opener;
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
        this.fanOut = new FanOut(stats, metrics, this::reportFailure, clock);
        this.routes = new Routes(Objects.requireNonNull(routing, "routing"), this.backends);
        this.opener = new ChannelOpener(routes::table, this.backends, stats, () -> cluster, histories);
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
        Registration reg = register(endpoint);
        if (reg.channels.contains(channel)) {
            return SubscribeResult.SUBSCRIBED;
        }
        ChannelOpener.Refusal refusal = new ChannelOpener.Refusal();
        Channel ch = channels.compute(channel, (name, existing) -> {
            Channel c = existing != null ? existing : opener.open(name, refusal);
            if (c != null) {
                c.add(endpoint);
            }
            return c;
        });
        if (ch == null) {
            return new SubscribeResult.Refused(refusal.code, refusal.detail);
        }
        reg.channels.add(channel);
        Participant who = local(endpoint);
        ch.announce(new PresenceEvent(channel, who, PresenceEvent.Kind.JOINED, true, endpoint.id()), endpoint, true);
        return SubscribeResult.SUBSCRIBED;
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

    @Override
    public Optional<Position> position(String channel) {
        History history = histories == null ? null : histories.existing(channel);
        if (history == null) {
            return Optional.empty();
        }
        synchronized (history) {
            return Optional.of(history.top());
        }
    }

    @Override
    public void unsubscribe(Endpoint endpoint, String channel) {
        Registration reg = endpoints.get(endpoint.id());
        if (reg == null || !reg.channels.remove(channel)) {
            return;
        }
        leave(endpoint, channel);
    }

    @Override
    public void detach(Endpoint endpoint) {
        Registration reg = endpoints.remove(endpoint.id());
        if (reg == null) {
            return;
        }
        for (String channel : reg.channels) {
            leave(endpoint, channel);
        }
        reg.channels.clear();
    }

    @Override
    public PublishResult publish(Envelope envelope, Endpoint from) {
        register(from);
        Channel ch = channels.get(envelope.channel());
        if (ch == null) {
            return publishToClosedChannel(envelope, from);
        }
        return fanOut.deliver(ch, envelope, from);
    }

    @Override
    public PublishResult publishInbound(Envelope envelope) {
        String adapter = envelope.origin().adapter();
        Channel ch = channels.get(envelope.channel());
        RouteMatch route = ch != null ? ch.route : routes.table().peek(envelope.channel());
        if (!(route.target() instanceof RouteTarget.Leg leg) || !leg.adapter().equals(adapter)) {
            return refuse(ErrorCode.NOT_PERMITTED, "channel '" + envelope.channel() + "' is routed to " + route.target() + ", not " + adapter);
        }
        if (ch == null) {
            return refuse(ErrorCode.NO_SUCH_CHANNEL, "channel '" + envelope.channel() + "' has no participant on this bridge");
        }
        if (ch.peer != null && !upstreamCopies.first(envelope)) {
            log.debug("envelope {} on '{}' from {} already came through the cluster: not delivered twice", envelope.id(),
                    envelope.channel(), adapter);
            return new PublishResult.Published(0, 0); // a registrar's fork reached another instance too (docs/cluster.md §2)
        }
        return fanOut.deliver(ch, envelope, ch.link);
    }

    @Override
    public boolean openForUpstream(String channel, String adapter) {
        if (channels.containsKey(channel)) {
            return true;
        }
        if (cluster == null) {
            return false;
        }
        RouteMatch route = routes.table().peek(channel);
        if (!(route.target() instanceof RouteTarget.Leg leg) || !leg.adapter().equals(adapter) || !opener.shared(route.target())) {
            return false;
        }
        ChannelOpener.Refusal refusal = new ChannelOpener.Refusal();
        Channel ch = channels.compute(channel, (name, existing) -> existing != null ? existing : opener.open(route, refusal));
        if (ch == null) {
            log.debug("channel '{}' not opened for an upstream member of {}: {}", channel, adapter, refusal.detail);
        }
        return ch != null;
    }

    @Override
    public void reportFailure(Envelope envelope, ErrorCode code, String detail) {
        Registration reg = endpoints.get(envelope.origin().endpoint());
        ClusterLayer layer = cluster;
        if (reg == null && layer != null && !envelope.origin().endpoint().startsWith(nodeId + ":")) {
            layer.reportFailure(envelope, code, detail); // its sender is on another instance (docs/cluster.md §2)
            return;
        }
        if (reg == null) {
            log.info("envelope {} on channel '{}' not delivered upstream ({}: {}); its sender has gone", envelope.id(),
                    envelope.channel(), code.wire(), detail);
            return;
        }
        stats.failuresReported.increment();
        safely(reg.endpoint, e -> e.deliveryFailed(new DeliveryFailure(envelope.id(), envelope.channel(), code, detail)));
    }

    @Override
    public boolean isPresent(String channel) {
        Channel ch = channels.get(channel);
        return ch != null && ch.isPresent();
    }

    @Override
    public CompletionStage<Boolean> probePresence(String channel) {
        if (isPresent(channel)) {
            return CompletableFuture.completedFuture(true);
        }
        RouteMatch route = routes.table().peek(channel);
        ClusterLayer layer = cluster;
        boolean shared = layer != null && opener.shared(route.target());
        if (route.target() instanceof RouteTarget.Leg leg) {
            CompletionStage<Boolean> upstream = backends.get(leg.adapter()).probePresence(route);
            return shared ? upstream.thenCombine(layer.probePresence(channel), Boolean::logicalOr) : upstream;
        }
        if (shared && route.target() instanceof RouteTarget.Local) {
            return layer.probePresence(channel);
        }
        return CompletableFuture.completedFuture(false);
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
        Channel[] closed = new Channel[1];
        channels.computeIfPresent(channel, (name, c) -> {
            if (c.subscribers().length == 0 && c.route.target() instanceof RouteTarget.Leg leg
                    && !backends.get(leg.adapter()).probePresence(c.route).toCompletableFuture().getNow(true)) {
                closed[0] = c;
                return null;
            }
            return c;
        });
        if (closed[0] != null) {
            opener.close(closed[0]);
        }
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

    private Registration register(Endpoint endpoint) {
        Registration reg = endpoints.get(endpoint.id());
        return reg != null ? reg : endpoints.computeIfAbsent(endpoint.id(), id -> new Registration(endpoint));
    }

    /** A client published to a channel nobody here subscribes to. */
    private PublishResult publishToClosedChannel(Envelope envelope, Endpoint from) {
        ChannelOpener.Refusal refusal = new ChannelOpener.Refusal();
        Channel[] opened = new Channel[1];
        Channel ch = channels.compute(envelope.channel(), (name, existing) -> {
            if (existing != null) {
                return existing;
            }
            RouteMatch route = routes.table().peek(name);
            if (route.target() instanceof RouteTarget.Local && cluster == null) {
                return null; // nobody to deliver to, and nothing to keep open
            }
            opened[0] = opener.open(route, refusal);
            return opened[0];
        });
        if (ch == null) {
            if (refusal.code != null) {
                return refuse(refusal.code, refusal.detail);
            }
            if (envelope.isAddressed()) {
                return refuse(ErrorCode.NO_SUCH_RECIPIENT, "'" + envelope.recipient() + "' is not a participant of channel '"
                        + envelope.channel() + "': nobody is on it");
            }
            stats.published.increment();
            return new PublishResult.Published(0, 0);
        }
        PublishResult result = fanOut.deliver(ch, envelope, from);
        if (opened[0] != null) {
            closeIfIdle(envelope.channel());
        }
        return result;
    }

    private void leave(Endpoint endpoint, String channel) {
        Channel[] closed = new Channel[1];
        boolean[] left = new boolean[1];
        Channel ch = channels.computeIfPresent(channel, (name, c) -> {
            left[0] = c.remove(endpoint);
            if (c.subscribers().length == 0) {
                closed[0] = c;
                return null;
            }
            return c;
        });
        if (closed[0] != null) {
            // The last local participant left: the link still hears it (per-user occupants close on it)
            // before it is closed itself.
            if (left[0]) {
                closed[0].announce(new PresenceEvent(channel, local(endpoint), PresenceEvent.Kind.LEFT, false, endpoint.id()), endpoint, true);
            }
            opener.close(closed[0]);
        } else if (ch != null && left[0]) {
            ch.announce(new PresenceEvent(channel, local(endpoint), PresenceEvent.Kind.LEFT, ch.isPresent(), endpoint.id()), endpoint, true);
        }
    }

    private void closeIfIdle(String channel) {
        Channel[] closed = new Channel[1];
        channels.computeIfPresent(channel, (name, c) -> {
            if (c.subscribers().length == 0) {
                closed[0] = c;
                return null;
            }
            return c;
        });
        if (closed[0] != null) {
            opener.close(closed[0]);
        }
    }

    private static void safely(Endpoint endpoint, Consumer<Endpoint> call) {
        try {
            call.accept(endpoint);
        } catch (RuntimeException e) {
            log.error("endpoint {} failed to take an event", endpoint.id(), e);
        }
    }

    private static Participant local(Endpoint endpoint) {
        return Channel.local(endpoint);
    }

    PublishResult refuse(ErrorCode code, String detail) {
        stats.refused.increment();
        metrics.drop("hub", code);
        return new PublishResult.Refused(code, detail);
    }
}
