package org.sigbridge.web.signalr;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.web.SignalRSettings;
import org.sigbridge.web.spi.WebHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ASP.NET Core SignalR side of one web adapter: connection tokens handed out by negotiate and not yet used, the
 * open connections, and the timer's pass over them; hub membership and publishing are the {@link HubRoster}'s.
 *
 * <p>Threads: {@link #negotiate} runs on Jetty threads, {@link #claim}, {@link #join}, {@link #send} and
 * {@link #leave} on connections' readers, {@link #sweep} on the host's timer. Tokens and connections are in concurrent
 * maps. Nothing blocks.
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
    /** Every open socket of this dialect, handshaken or not, for the timer. */
    private final Set<HubConnection> sockets = ConcurrentHashMap.newKeySet();
    /** Connection token → the Long Polling or SSE transport using it (kept a little after it closed, for a last poll). */
    private final Map<String, HubHttpTransport> http = new ConcurrentHashMap<>();

    /** What negotiate handed out: the connection's id (public), its token (the socket's secret {@code id}), when. */
    record Negotiated(String connectionId, String token, long atMillis) {
    }

    private final HubRoster roster;

    HubServer(WebHost host, SignalRSettings settings, HubRoster roster) {
        this.host = host;
        this.settings = settings;
        this.roster = roster;
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

    /** What a first GET of an HTTP transport found: the transport for its token, and whether it made it. */
    record Opened(HubHttpTransport transport, boolean fresh) {
    }

    /**
     * The first GET of a Long Polling or SSE connection with a negotiated token: makes its transport, or answers the one
     * another GET with the same token made first; empty when the token was never negotiated (or expired, or a WebSocket
     * took it). The transport's {@link HubConnection} claims the token when it starts. Jetty thread.
     */
    synchronized Optional<Opened> openHttp(String token, HubHttpTransport.Kind kind, String hub, String address) {
        HubHttpTransport existing = http.get(token);
        if (existing != null) {
            return Optional.of(new Opened(existing, false));
        }
        if (!negotiated.containsKey(token) || connections.containsKey(token)) {
            return Optional.empty();
        }
        HubHttpTransport made = new HubHttpTransport(this, kind, token, hub, address);
        http.put(token, made);
        return Optional.of(new Opened(made, true));
    }

    /** The Long Polling or SSE transport holding {@code token}, if any. Any thread. */
    Optional<HubHttpTransport> httpTransport(String token) {
        return Optional.ofNullable(http.get(token));
    }

    /** Whether {@code token} is held by a connection over a WebSocket. Any thread. */
    boolean isSocketConnection(String token) {
        return connections.containsKey(token) && !http.containsKey(token);
    }

    /** The handshake succeeded: the connection hears its hub's channels. Reader thread. */
    SubscribeResult join(HubConnection connection) {
        return roster.join(connection);
    }

    /** Publishes one {@code Send(text)} ({@link HubRoster#send}). Reader thread. */
    HubRoster.Sent send(HubConnection from, HubText.Routed routed) {
        return roster.send(from, routed);
    }

    /** The connection closed: it leaves its hub and the hub. Reader thread. */
    void leave(HubConnection connection) {
        sockets.remove(connection);
        if (connection.token() != null) {
            connections.remove(connection.token(), connection);
        }
        roster.leave(connection);
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
            for (HubHttpTransport t : new ArrayList<>(http.values())) {
                if (t.tick(now, handshake)) {
                    http.remove(t.token(), t);
                }
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
