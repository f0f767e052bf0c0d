package org.sigbridge.web.signalr;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.web.SignalRSettings;
import org.sigbridge.web.signalr.protocol.HubProtocolException;
import org.sigbridge.web.spi.DrainParticipant;
import org.sigbridge.web.spi.WebHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic ASP.NET SignalR 2 hub of one web adapter (docs/signalr.md#classic): its connections by token, the hub
 * invocations they make, and the timer's pass over them. Hub membership and publishing are the shared
 * {@link HubRoster}'s, so a classic page and a Core page of hubs with the same name meet on the same channels only
 * when their names match exactly (classic clients lower-case hub names).
 *
 * <p>Threads: Jetty threads (negotiate, long polls, sends), socket readers, the timer; the map is concurrent and each
 * connection guards itself. Nothing blocks.
 */
final class ClassicServer implements DrainParticipant {

    private static final Logger log = LoggerFactory.getLogger(ClassicServer.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How long a long poll is held: ASP.NET SignalR 2's {@code ConnectionTimeout}. */
    static final Duration POLL_TIMEOUT = Duration.ofSeconds(110);
    private static final String SEND = "send";

    private final WebHost host;
    private final SignalRSettings settings;
    private final HubRoster roster;
    private final Map<String, ClassicConnection> connections = new ConcurrentHashMap<>();

    ClassicServer(WebHost host, SignalRSettings settings, HubRoster roster) {
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

    Duration pollTimeout() {
        return POLL_TIMEOUT;
    }

    /**
     * {@code negotiate}: a connection of the first hub in {@code connectionData}, in its hub from now on. Empty when too
     * many connections exist already ({@code max-connections-per-address} × 4, at least 1024) or the hub refuses.
     * Jetty thread.
     */
    Optional<ClassicConnection> negotiate(List<String> hubs) {
        if (connections.size() >= Math.max(1024, host.settings().maxConnectionsPerAddress() * 4)) {
            return Optional.empty();
        }
        String hubName = hubs.isEmpty() ? "" : hubs.get(0);
        ClassicConnection connection = new ClassicConnection(this, random(), java.util.UUID.randomUUID().toString(),
                host.connectionIds().get(), hubName, host.hub().clock().millis());
        if (!hubName.isEmpty() && roster.join(connection) instanceof SubscribeResult.Refused refused) {
            host.stats().countError(refused.code());
            log.info("{}: classic SignalR hub '{}' refused a connection: {} {}", host.adapter(), hubName, refused.code(), refused.detail());
            return Optional.empty();
        }
        connections.put(connection.token(), connection);
        return Optional.of(connection);
    }

    /** The connection of a {@code connectionToken}, if it still exists. */
    Optional<ClassicConnection> connection(String token) {
        return token == null ? Optional.empty() : Optional.ofNullable(connections.get(token));
    }

    /**
     * One hub invocation from {@code connection}: {@code Send(text)} publishes, echoes to the sender under
     * {@code clients: all}, and answers {@code {"I":id,"R":envelopeId}}; anything else answers {@code {"I":id,"E":…}}.
     * Answers {@code null} for text that is not an invocation (counted). Any thread.
     */
    String invoke(ClassicConnection connection, String text) {
        ClassicProtocol.Invocation call;
        try {
            call = ClassicProtocol.invocation(text);
        } catch (HubProtocolException e) {
            host.stats().countBadFrame();
            host.stats().countError(ErrorCode.INVALID_JSON);
            log.debug("{}: ignored a classic SignalR message that is not a hub invocation: {}", connection.id(), e.getMessage());
            return null;
        }
        switch (connection.rate()) {
            case REFUSE -> {
                host.stats().countRateLimited();
                return ClassicProtocol.error(call.id(), ErrorCode.RATE_LIMITED.wire() + ": too many messages; this call was dropped.");
            }
            case CLOSE -> {
                host.stats().countRateLimited();
                connection.end("Rate limit exceeded: too many messages; the connection was closed.");
                return ClassicProtocol.error(call.id(), ErrorCode.RATE_LIMITED.wire() + ": too many messages; the connection was closed.");
            }
            case ACCEPT -> {
                // go on
            }
        }
        if (connection.hubName().isEmpty() || !call.hub().toLowerCase(Locale.ROOT).equals(connection.hubName())) {
            host.stats().countIgnoredFrame();
            return ClassicProtocol.error(call.id(), "'" + call.hub() + "' Hub could not be resolved: this connection subscribed to "
                    + (connection.hubName().isEmpty() ? "no hub (declare a client method before start)" : "'" + connection.hubName() + "'")
                    + ".");
        }
        if (!call.method().toLowerCase(Locale.ROOT).equals(SEND)) {
            host.stats().countIgnoredFrame();
            return ClassicProtocol.error(call.id(), "'" + call.method() + "' method could not be resolved.");
        }
        if (call.arguments().size() != 1 || !call.arguments().get(0).isString()) {
            host.stats().countBadFrame();
            return ClassicProtocol.error(call.id(), "Error binding arguments: the hub method is Send(string).");
        }
        String message = call.arguments().get(0).asText();
        HubRoster.Sent sent = roster.send(connection, HubText.route(message, settings.channelOf(connection.hubName()),
                settings.routeByHub()));
        if (sent instanceof HubRoster.Sent.Published published) {
            if (settings.echo()) {
                connection.push(ClassicProtocol.clientCall(connection.hubName(), SignalRDialect.CLIENT_METHOD, JsonValue.string(message)));
            }
            return ClassicProtocol.result(call.id(), JsonValue.string(published.envelopeId()));
        }
        return ClassicProtocol.error(call.id(), ((HubRoster.Sent.Failed) sent).error());
    }

    /** A connection ended: it leaves its hub and this server. Called by the connection, outside its lock. */
    void ended(ClassicConnection connection) {
        connections.remove(connection.token(), connection);
        roster.leave(connection);
    }

    /** The timer's pass ({@link ClassicConnection#tick}). Timer thread; short. */
    void sweep() {
        try {
            long now = host.hub().clock().millis();
            for (ClassicConnection c : new ArrayList<>(connections.values())) {
                c.tick(now);
            }
        } catch (RuntimeException e) {
            log.warn("{}: classic SignalR sweep failed: {}", host.adapter(), e.toString(), e);
        }
    }

    @Override
    public int activeClients() {
        return (int) connections.values().stream().filter(ClassicConnection::polling).count();
    }

    @Override
    public void deadlinePassed() {
        closeAll("The server is shutting down; connect to another.");
    }

    /** Ends every connection (drain deadline, adapter close); held polls hear why. */
    void closeAll(String why) {
        for (ClassicConnection c : new ArrayList<>(connections.values())) {
            c.end(why);
        }
    }

    private static String random() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
