package org.sigbridge.web.signalr;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.web.spi.WebHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broadcast hubs of one web adapter by name: their members and the hub channels they hear (docs/signalr.md#channels).
 *
 * <p>{@code Clients.All} across channels: every member of a hub is subscribed to the hub's fallback channel and to every
 * channel a member of that hub has sent on, so a page hears a channel before it sends on it, as with the seed's one
 * broadcast hub; a hub has at most {@code max-channels-per-connection} channels.
 *
 * <p>Threads: any; each hub's membership is guarded by its {@link Hub} object (short sections: subscribing only
 * enqueues). Nothing blocks.
 */
final class HubRoster {

    private static final Logger log = LoggerFactory.getLogger(HubRoster.class);

    private final WebHost host;
    /** A hub's fallback channel by hub name. */
    private final UnaryOperator<String> fallback;
    private final Map<String, Hub> hubs = new ConcurrentHashMap<>();

    /** One hub's members and channels. Guarded by itself. */
    private static final class Hub {
        final Set<HubMember> members = new LinkedHashSet<>();
        final Set<String> channels = new LinkedHashSet<>();
    }

    /** What became of one {@code Send}. */
    sealed interface Sent {
        /** Published as envelope {@code envelopeId}. */
        record Published(String envelopeId) implements Sent {
        }

        /** Not published; {@code error} is for the sender's completion. */
        record Failed(String error) implements Sent {
        }
    }

    HubRoster(WebHost host, UnaryOperator<String> fallback) {
        this.host = host;
        this.fallback = fallback;
    }

    /** The member hears its hub's channels from now on; refused if the hub refuses one of them. */
    SubscribeResult join(HubMember member) {
        while (true) {
            Hub hub = hubs.computeIfAbsent(member.hubName(), k -> new Hub());
            synchronized (hub) {
                if (hubs.get(member.hubName()) != hub) {
                    continue; // its last member left meanwhile and the hub was forgotten: take the new one
                }
                hub.channels.add(fallback.apply(member.hubName()));
                for (String channel : hub.channels) {
                    SubscribeResult result = host.hub().subscribe(member, channel);
                    if (result instanceof SubscribeResult.Refused) {
                        host.hub().detach(member);
                        return result;
                    }
                }
                hub.members.add(member);
                return SubscribeResult.SUBSCRIBED;
            }
        }
    }

    /**
     * Publishes one {@code Send(text)}: the hub's members hear the channel (added to the hub if new), then the envelope
     * goes out.
     */
    Sent send(HubMember from, HubText.Routed routed) {
        Hub hub = hubs.get(from.hubName());
        if (hub == null) {
            return new Sent.Failed("The connection has left its hub.");
        }
        synchronized (hub) {
            if (!hub.channels.contains(routed.channel())) {
                if (hub.channels.size() >= host.limits().maxChannels()) {
                    host.stats().countError(ErrorCode.NOT_PERMITTED);
                    return new Sent.Failed(ErrorCode.NOT_PERMITTED.wire() + ": hub '" + from.hubName() + "' already has "
                            + hub.channels.size() + " channels (max-channels-per-connection); channel '" + routed.channel()
                            + "' not joined.");
                }
                for (HubMember member : hub.members) {
                    if (host.hub().subscribe(member, routed.channel()) instanceof SubscribeResult.Refused refused) {
                        for (HubMember m : hub.members) {
                            host.hub().unsubscribe(m, routed.channel());
                        }
                        host.stats().countError(refused.code());
                        return new Sent.Failed(refused.code().wire() + ": " + refused.detail());
                    }
                }
                hub.channels.add(routed.channel());
            }
        }
        String envelopeId = host.hub().envelopeIds().next();
        Envelope envelope = new Envelope(envelopeId, routed.channel(), JsonValue.string(from.connectionId()),
                routed.message(), new Origin(host.adapter(), from.id()), host.hub().clock().instant());
        PublishResult result = host.hub().publish(envelope, from);
        if (result instanceof PublishResult.Refused refused) {
            host.stats().countError(refused.code());
            log.debug("{}: envelope {} on '{}' refused: {} {}", from.id(), envelopeId, routed.channel(), refused.code(), refused.detail());
            return new Sent.Failed(refused.code().wire() + ": " + refused.detail());
        }
        log.debug("{}: envelope {} sent on '{}' from hub '{}'", from.id(), envelopeId, routed.channel(), from.hubName());
        return new Sent.Published(envelopeId);
    }

    /** The member is gone: it leaves its hub, which is forgotten with its last member, and the hub. */
    void leave(HubMember member) {
        Hub hub = hubs.get(member.hubName());
        if (hub != null) {
            synchronized (hub) {
                if (hub.members.remove(member) && hub.members.isEmpty()) {
                    hubs.remove(member.hubName(), hub);
                }
            }
        }
        host.hub().detach(member);
    }
}
