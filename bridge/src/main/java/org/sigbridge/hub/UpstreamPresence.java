package org.sigbridge.hub;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.routing.RouteTarget;
import org.sigbridge.spi.Backend;
import org.sigbridge.spi.cluster.ClusterLayer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence beyond the {@link Hub}'s local subscribers: whether anyone is on a channel here, upstream or on another
 * instance ({@link #probePresence}), and, on a cluster, a shared channel kept open for a back end's upstream members
 * alone (docs/cluster.md §2): opened when one joins ({@link #openForUpstream}), closed when the last leaves
 * ({@link #closeIfUnheld}).
 *
 * <p>Thread-safe; openings and closings are serialised per channel by {@link ConcurrentHashMap#compute} on the channel
 * map. Never blocks: a probe's stage completes on the back end's or the cluster layer's thread.
 */
final class UpstreamPresence {

    /** The hub's logger, so that its lines keep the name they always had. */
    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final ConcurrentHashMap<String, Channel> channels;
    private final Routes routes;
    private final ChannelOpener opener;
    private final Map<String, Backend> backends;
    private final Supplier<ClusterLayer> cluster;

    UpstreamPresence(ConcurrentHashMap<String, Channel> channels, Routes routes, ChannelOpener opener,
                     Map<String, Backend> backends, Supplier<ClusterLayer> cluster) {
        this.channels = channels;
        this.routes = routes;
        this.opener = opener;
        this.backends = backends;
        this.cluster = cluster;
    }

    /** {@code AdapterContext.isPresent}: a local subscriber or a remote participant is on the open channel. */
    boolean isPresent(String channel) {
        Channel ch = channels.get(channel);
        return ch != null && ch.isPresent();
    }

    /** {@code AdapterContext.probePresence}: here, else upstream, else (on a shared channel) on another instance. */
    CompletionStage<Boolean> probePresence(String channel) {
        if (isPresent(channel)) {
            return CompletableFuture.completedFuture(true);
        }
        RouteMatch route = routes.table().peek(channel);
        ClusterLayer layer = cluster.get();
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

    /** {@code AdapterContext.openForUpstream}: only on a cluster, for a shared channel routed to {@code adapter}. */
    boolean openForUpstream(String channel, String adapter) {
        if (channels.containsKey(channel)) {
            return true;
        }
        if (cluster.get() == null) {
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
}
