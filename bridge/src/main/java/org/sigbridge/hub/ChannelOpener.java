package org.sigbridge.hub;

import java.util.Map;
import java.util.function.Supplier;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.routing.RouteTarget;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.spi.Backend;
import org.sigbridge.spi.ChannelLink;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.cluster.ClusterChannel;
import org.sigbridge.spi.cluster.ClusterLayer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens channels (resolving the route once, asking the back end for a link and, on a cluster, the cluster layer for a
 * cluster channel when the channel is shared: routed {@code local}, or to a back end whose upstream does not reach every
 * instance itself) and closes them.
 * {@link #open} runs inside the hub's {@code ConcurrentHashMap.compute} for the channel, so it and the
 * back end's {@link Backend#open} must not block or call back into the hub.
 */
final class ChannelOpener {

    private static final Logger log = LoggerFactory.getLogger(ChannelOpener.class);

    /** Why {@link #open} refused; filled inside {@code compute}, read after it. */
    static final class Refusal {
        ErrorCode code;
        String detail;
    }

    private final Supplier<RoutingTable> routing;
    private final Map<String, Backend> backends;
    private final HubStats stats;
    private final Supplier<ClusterLayer> cluster;
    private final Histories histories;

    /**
     * @param histories where a channel's history is kept across its openings, or {@code null} when none is kept
     */
    ChannelOpener(Supplier<RoutingTable> routing, Map<String, Backend> backends, HubStats stats, Supplier<ClusterLayer> cluster,
                  Histories histories) {
        this.histories = histories;
        this.routing = routing;
        this.backends = backends;
        this.stats = stats;
        this.cluster = cluster;
    }

    /** Whether a channel on {@code target} goes through the cluster layer (when there is one). */
    boolean shared(RouteTarget target) {
        if (target instanceof RouteTarget.Local) {
            return true;
        }
        return target instanceof RouteTarget.Leg leg && !backends.get(leg.adapter()).sharedAcrossInstances();
    }

    /** A new channel, or {@code null} with {@code refusal} filled when the route denies it or the link fails. */
    Channel open(String name, Refusal refusal) {
        return open(routing.get().peek(name), refusal);
    }

    /** {@link #open(String, Refusal)} for a route already resolved. */
    Channel open(RouteMatch route, Refusal refusal) {
        // A rule's hits count the channel openings it answered, denied ones included (docs/operations.md, Admin API);
        // lookups for presence probes, inbound messages or explanations do not count.
        route.rule().ifPresent(rule -> rule.hits().increment());
        String name = route.channel();
        RouteTarget target = route.target();
        if (target instanceof RouteTarget.Deny) {
            refusal.code = ErrorCode.NOT_PERMITTED;
            refusal.detail = "channel '" + name + "' is not permitted by the routing table";
            return null;
        }
        ChannelLink link = null;
        if (target instanceof RouteTarget.Leg leg) {
            try {
                link = backends.get(leg.adapter()).open(route);
            } catch (RuntimeException e) {
                log.error("{}: could not link channel '{}'", leg.adapter(), name, e);
                refusal.code = ErrorCode.INTERNAL;
                refusal.detail = leg.adapter() + " could not link the channel: " + e.getMessage();
                return null;
            }
        }
        ClusterChannel peer = null;
        ClusterLayer layer = cluster.get();
        if (layer != null && shared(target)) {
            try {
                peer = layer.open(route);
            } catch (RuntimeException e) {
                log.error("cluster: could not share channel '{}'", name, e);
                closeQuietly(link);
                refusal.code = ErrorCode.INTERNAL;
                refusal.detail = "the cluster layer could not share the channel: " + e.getMessage();
                return null;
            }
        }
        stats.channelsOpened.increment();
        log.debug("channel '{}' opened -> {}{}", name, target, peer == null ? "" : " (shared over the cluster)");
        return new Channel(name, route, link, peer, java.time.Instant.now(), histories == null ? null : histories.forChannel(name));
    }

    /** Closes a closed channel's link and cluster channel, if it has them; a failure is logged, never thrown. */
    void close(Channel channel) {
        log.debug("channel '{}' closed", channel.name);
        closeQuietly(channel.link);
        if (channel.peer != null) {
            try {
                channel.peer.close();
            } catch (RuntimeException e) {
                log.error("cluster channel {} failed to close", channel.peer.id(), e);
            }
        }
    }

    private static void closeQuietly(ChannelLink link) {
        if (link == null) {
            return;
        }
        try {
            link.close();
        } catch (RuntimeException e) {
            log.error("link {} failed to close", link.id(), e);
        }
    }
}
