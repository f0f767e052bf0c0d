package org.sigbridge.hub;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.metrics.BridgeMetrics;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.routing.RouteTarget;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.cluster.ClusterLayer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where envelopes enter the {@link Hub} (docs/design.md §2.3): from a client's endpoint ({@link #publish}, which opens a
 * routed channel nobody here subscribes to for the one envelope) and from a back end's upstream ({@link #publishInbound},
 * only on a channel routed to that back end, and on a shared channel of a cluster only the first copy,
 * {@link UpstreamCopies}). Then {@link FanOut} delivers. An addressed envelope whose channel has nobody on it is
 * refused {@code no_such_recipient}.
 *
 * <p>Thread-safe and lock-free on the publish path of an open channel; runs on the publishing thread.
 */
final class EnvelopeIntake {

    /** The hub's logger, so that its lines keep the name they always had. */
    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final ConcurrentHashMap<String, Channel> channels;
    private final Routes routes;
    private final ChannelOpener opener;
    private final Subscriptions subscriptions;
    private final FanOut fanOut;
    private final UpstreamCopies upstreamCopies;
    private final HubStats stats;
    private final BridgeMetrics metrics;
    private final Supplier<ClusterLayer> cluster;

    EnvelopeIntake(ConcurrentHashMap<String, Channel> channels, Routes routes, ChannelOpener opener, Subscriptions subscriptions,
                   FanOut fanOut, UpstreamCopies upstreamCopies, HubStats stats, BridgeMetrics metrics,
                   Supplier<ClusterLayer> cluster) {
        this.channels = channels;
        this.routes = routes;
        this.opener = opener;
        this.subscriptions = subscriptions;
        this.fanOut = fanOut;
        this.upstreamCopies = upstreamCopies;
        this.stats = stats;
        this.metrics = metrics;
        this.cluster = cluster;
    }

    /** {@code AdapterContext.publish}. */
    PublishResult publish(Envelope envelope, Endpoint from) {
        subscriptions.register(from);
        Channel ch = channels.get(envelope.channel());
        if (ch == null) {
            return publishToClosedChannel(envelope, from);
        }
        return fanOut.deliver(ch, envelope, from);
    }

    /** {@code AdapterContext.publishInbound}. */
    PublishResult publishInbound(Envelope envelope) {
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

    /** A refusal, counted and measured as the hub's drop. */
    PublishResult refuse(ErrorCode code, String detail) {
        stats.refused.increment();
        metrics.drop("hub", code);
        return new PublishResult.Refused(code, detail);
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
            if (route.target() instanceof RouteTarget.Local && cluster.get() == null) {
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
            subscriptions.closeIfIdle(envelope.channel());
        }
        return result;
    }
}
