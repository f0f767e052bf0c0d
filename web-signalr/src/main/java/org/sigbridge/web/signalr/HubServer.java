package org.sigbridge.web.signalr;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.web.SignalRSettings;
import org.sigbridge.web.spi.WebHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ASP.NET Core SignalR hubs of one web adapter: connection tokens handed out by negotiate and not yet used, the
 * connections of each hub, and the hub channels each hub's connections hear (docs/signalr.md#channels).
 *
 * <p>{@code Clients.All} across channels: every connection of a hub is subscribed to the hub's fallback channel and to
 * every channel a connection of that hub has sent on, so a page hears a channel before it sends on it, as with the
 * seed's one broadcast hub; a hub has at most {@code max-channels-per-connection} channels.
 *
 * <p>Threads: {@link #negotiate} runs on Jetty threads, {@link #claim}, {@link #join}, {@link #send} and
 * {@link #leave} on connections' readers, {@link #sweep} on the host's timer. Tokens and connections are in concurrent
 * maps; a hub's membership is guarded by its {@link Hub} object (short sections: subscribing only enqueues). Nothing
 * blocks.
 */
final class HubServer {

    private static final Logger log = LoggerFactory.getLogger(HubServer.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WebHost host;
    private final SignalRSettings settings;
    /** Negotiated connection token → what negotiate answered. */
    private final Map<String, Negotiated> negotiated = new ConcurrentHashMap<>();
    /** Connection token → the open connection using it. */
    private final Map<String, HubConnection> connections = new ConcurrentHashMap<>();
    private final Map<String, Hub> hubs = new ConcurrentHashMap<>();
    /** Every open socket of this dialect, handshaken or not, for the timer. */
    private final Set<HubConnection> sockets = ConcurrentHashMap.newKeySet();

    /** What negotiate handed out: the connection's id (public), its token (the socket's secret {@code id}), when. */
    record Negotiated(String connectionId, String token, long atMillis) {
    }

    /** One hub's members and channels. Guarded by itself. */
    private static final class Hub {
        final Set<HubConnection> members = new LinkedHashSet<>();
        final Set<String> channels = new LinkedHashSet<>();
    }

    HubServer(WebHost host, SignalRSettings settings) {
        this.host = host;
        this.settings = settings;
    }

    WebHost host() {
        return host;
    }

    SignalRSettings settings() {
        return settings;
    }

    AdapterContext hub() {
        return host.hub();
    }

    /**
     * Hands out a connection: its id (public, in logs) and its token (the secret the WebSocket presents as {@code id}).
     * At most {@code max-connections-per-address} × 4 tokens wait unused; beyond it the answer is empty (503).
     * Jetty thread.
     */
    Optional<Negotiated> negotiate() {
        if (negotiated.size() >= Math.max(1024, host.settings().maxConnectionsPerAddress() * 4)) {
            return Optional.empty();
        }
        Negotiated n = new Negotiated(random(), random(), host.hub().clock().millis());
        negotiated.put(n.token(), n);
        return Optional.of(n);
    }

    /** What {@link #claim} found for a socket's {@code id}. */
    sealed interface Claim {
        record Fresh(String token, String connectionId) implements Claim {
        }

        record Refused(String error) implements Claim {
        }
    }

    /**
     * A socket opened with {@code ?id=token} (or without one, {@code skipNegotiation}): takes the negotiated token, or
     * says why not in the words of ASP.NET Core's 404 and 409 answers. Reader thread.
     */
    Claim claim(String token, HubConnection connection) {
        sockets.add(connection);
        if (token == null) {
            String fresh = random();
            connections.put(fresh, connection);
            return new Claim.Fresh(fresh, random());
        }
        if (connections.containsKey(token)) {
            return new Claim.Refused("Another connection already uses this connection id.");
        }
        Negotiated n = negotiated.remove(token);
        if (n == null) {
            return new Claim.Refused("No Connection with that ID");
        }
        if (connections.putIfAbsent(token, connection) != null) {
            return new Claim.Refused("Another connection already uses this connection id.");
        }
        return new Claim.Fresh(token, n.connectionId());
    }

    /** The handshake succeeded: the connection hears its hub's channels. Reader thread. */
    SubscribeResult join(HubConnection connection) {
        while (true) {
            Hub hub = hubs.computeIfAbsent(connection.hubName(), k -> new Hub());
            synchronized (hub) {
                if (hubs.get(connection.hubName()) != hub) {
                    continue; // its last member left meanwhile and the hub was forgotten: take the new one
                }
                hub.channels.add(settings.channelOf(connection.hubName()));
                for (String channel : hub.channels) {
                    SubscribeResult result = host.hub().subscribe(connection, channel);
                    if (result instanceof SubscribeResult.Refused) {
                        host.hub().detach(connection);
                        return result;
                    }
                }
                hub.members.add(connection);
                return SubscribeResult.SUBSCRIBED;
            }
        }
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

    /**
     * Publishes one {@code Send(text)}: the hub's connections hear the channel (added to the hub if new), then the
     * envelope goes out. Reader thread.
     */
    Sent send(HubConnection from, HubText.Routed routed) {
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
                for (HubConnection member : hub.members) {
                    if (host.hub().subscribe(member, routed.channel()) instanceof SubscribeResult.Refused refused) {
                        for (HubConnection m : hub.members) {
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

    /** The connection closed: it leaves its hub, which is forgotten with its last member. Reader thread. */
    void leave(HubConnection connection) {
        sockets.remove(connection);
        if (connection.token() != null) {
            connections.remove(connection.token(), connection);
        }
        Hub hub = hubs.get(connection.hubName());
        if (hub != null) {
            synchronized (hub) {
                if (hub.members.remove(connection) && hub.members.isEmpty()) {
                    hubs.remove(connection.hubName(), hub);
                }
            }
        }
        host.hub().detach(connection);
    }

    /**
     * The timer's pass: unused tokens older than {@code handshake-timeout} are forgotten; each connection pings,
     * times out or gives up waiting for its handshake ({@link HubConnection#tick}). Timer thread; short.
     */
    void sweep() {
        try {
            long now = host.hub().clock().millis();
            long handshake = settings.handshakeTimeout().toMillis();
            negotiated.values().removeIf(n -> now - n.atMillis() > handshake);
            List<HubConnection> open = new ArrayList<>(sockets);
            for (HubConnection c : open) {
                c.tick(now);
            }
        } catch (RuntimeException e) {
            log.warn("{}: SignalR sweep failed: {}", host.adapter(), e.toString(), e);
        }
    }

    /** Connections open now. */
    int connected() {
        return connections.size();
    }

    /** Tokens negotiated and not used yet. */
    int waitingTokens() {
        return negotiated.size();
    }

    private static String random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
