package org.sigbridge.web.socketio.v09;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sigbridge.web.socketio.engine.HandshakeQuery;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.identity.SenderGuard;
import org.sigbridge.web.limit.RateGuard;
import org.sigbridge.web.session.SessionLimits;
import org.sigbridge.web.socketio.eio.codec.MalformedPacketException;
import org.sigbridge.web.socketio.engine.Engine;
import org.sigbridge.web.socketio.sio.SioSocket;
import org.sigbridge.web.socketio.sio.SocketFamily;
import org.sigbridge.web.socketio.sio.codec.SioPacket;
import org.sigbridge.web.socketio.v09.codec.V09Events;
import org.sigbridge.web.socketio.v09.codec.V09Packet;
import org.sigbridge.web.spi.ConnectionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The namespace layer of one 0.9 session (docs/socketio-09.md): the root socket connects when a transport first carries
 * the session ({@code 1::}); {@code 1::/ns} connects any namespace (answered {@code 1::/ns}); {@code 0::/ns}
 * disconnects one. EVENT, MESSAGE ({@code 3}) and JSON ({@code 4}) packets become {@link SioPacket} events of the
 * namespace's {@link SocketFamily} member ({@link V09Events#toEvent}); an id without {@code +} is acknowledged at once
 * ({@code 6:::<id>}), as the reference does; the event {@code disconnect} is blacklisted, as in the reference. A packet
 * whose data is malformed is counted and ignored (the reference ignores it); a packet for a namespace not connected
 * is ignored. The web adapter's {@code rate-limit} applies to the session's events; more namespaces than its
 * {@code max-channels-per-connection} are refused with {@code 7::/ns:2} ("unauthorized").
 *
 * <p>Threads: the session calls {@link #onOpen}, {@link #onPacket} and {@link #onClosed} one at a time under its
 * inbound lock; the namespace map is touched only there.
 */
public final class V09Connection implements ConnectionHandler {

    private static final Logger log = LoggerFactory.getLogger(V09Connection.class);
    static final String DIALECT = "socketio";

    private final String adapter;
    private final V09Session session;
    private final HandshakeQuery query;
    private final V09Families families;
    private final WebStats stats;
    private final RateGuard rate;
    private final Runnable onMalformed;
    private final int maxNamespaces;
    private final Map<String, SocketFamily.Member> sockets = new LinkedHashMap<>();
    private final Map<String, SioSocket> sioSockets = new LinkedHashMap<>();
    private V09Families.Mode mode;
    private volatile Endpoint rootEndpoint;
    /** Verified identity's rules for every socket of the session; {@code null} when its token was refused. */
    private final SenderGuard guard;

    V09Connection(String adapter, V09Session session, HandshakeQuery query, V09Families families, V09Families.Mode mode,
                  WebStats stats, SessionLimits limits, Runnable onMalformed, SenderGuard guard) {
        this.guard = guard;
        this.adapter = adapter;
        this.session = session;
        this.query = query;
        this.families = families;
        this.mode = mode;
        this.stats = stats;
        this.rate = new RateGuard(limits.messagesPerSecond(), limits.burst(), limits.closeAfter(), System::nanoTime);
        this.onMalformed = onMalformed;
        this.maxNamespaces = limits.maxChannels();
    }

    @Override
    public String dialect() {
        return DIALECT;
    }

    /** The root socket's endpoint once connected, else one that takes nothing. */
    @Override
    public Endpoint endpoint() {
        Endpoint e = rootEndpoint;
        return e != null ? e : new Unconnected(adapter, session.id());
    }

    /** A transport carries the session for the first time: {@code 1::} and the root socket. */
    @Override
    public void onOpen() {
        if (guard == null) { // the root socket is not scope-checked: its family is decided by its first event
            stats.countError(ErrorCode.NOT_PERMITTED);
            session.send(V09Packet.error("", V09Packet.Reason.UNAUTHORIZED, false));
            session.close("identity token refused", false);
            return;
        }
        session.send(V09Packet.connect(""));
        connect("");
    }

    /**
     * Verified identity (docs/socketio.md, "Verified identity"): whether a socket on {@code endpoint} may connect under
     * the session's token (its channel within the token's {@code channels}); always in {@code identity.mode: client}.
     */
    private boolean admitted(String endpoint) {
        if (!guard.isVerified()) {
            return true;
        }
        String nsp = V09Events.namespace(endpoint);
        SioSocket probe = new SioSocket("", nsp, session.id() + nsp, query, null, session, guard);
        java.util.Optional<String> refusal = families.pick(mode, nsp).refusal(probe);
        refusal.ifPresent(detail -> log.info("{}: 0.9 socket on {} refused (identity.mode: verified): {}", session.id(), nsp, detail));
        return refusal.isEmpty();
    }

    /** Text packets are decoded by the session ({@link #onPacket}); not called. */
    @Override
    public void onText(String text) {
        throw new UnsupportedOperationException("0.9 packets reach onPacket");
    }

    /** One packet other than a heartbeat or the root disconnect (the session handles those). */
    void onPacket(V09Packet packet) {
        String endpoint = packet.endpoint();
        switch (packet.type()) {
            case CONNECT -> {
                if (endpoint.isEmpty() || sockets.containsKey(endpoint)) {
                    stats.countIgnoredFrame();
                } else if (sockets.size() > maxNamespaces) {
                    // the root plus max-channels-per-connection namespaces; refused as the reference refuses an
                    // unauthorized namespace: 7::/ns:2
                    stats.countError(ErrorCode.TOO_MANY_CHANNELS);
                    log.debug("{}: namespace {} refused: more than {} namespaces", session.id(), endpoint, maxNamespaces);
                    session.send(V09Packet.error(endpoint, V09Packet.Reason.UNAUTHORIZED, false));
                } else if (!admitted(endpoint)) {
                    // outside the token's channels: refused as the reference refuses an unauthorized namespace
                    stats.countError(ErrorCode.NOT_PERMITTED);
                    session.send(V09Packet.error(endpoint, V09Packet.Reason.UNAUTHORIZED, false));
                } else {
                    session.send(V09Packet.connect(endpoint));
                    connect(endpoint);
                }
            }
            case DISCONNECT -> {
                SocketFamily.Member member = sockets.remove(endpoint);
                sioSockets.remove(endpoint);
                if (member != null) {
                    member.onDisconnect();
                }
            }
            case MESSAGE, JSON, EVENT -> event(packet);
            default -> stats.countIgnoredFrame(); // acks (this server asks none), errors and noops from a client
        }
    }

    private void event(V09Packet packet) {
        if (packet.id() >= 0 && !packet.ackData()) {
            session.send(V09Packet.bareAck(packet.endpoint(), packet.id()));
        }
        SocketFamily.Member member = sockets.get(packet.endpoint());
        if (member == null) {
            stats.countIgnoredFrame();
            return;
        }
        SioPacket event;
        try {
            event = V09Events.toEvent(packet);
        } catch (MalformedPacketException e) {
            onMalformed.run();
            log.debug("{}: malformed 0.9 {} ignored: {}", session.id(), packet.type(), e.getMessage());
            return;
        }
        if (event.eventName().equals("disconnect")) {
            stats.countIgnoredFrame(); // blacklisted, as in the reference
            return;
        }
        if (!allowed(event, sioSockets.get(packet.endpoint()))) {
            return;
        }
        SenderGuard.Check current = guard.current();
        if (!current.allowed()) { // verified identity: the token expired; the page must come back with a fresh one
            stats.countError(ErrorCode.NOT_PERMITTED);
            sioSockets.get(packet.endpoint()).emit("error", List.of(new JsonValue("{\"code\":\"" + ErrorCode.NOT_PERMITTED.wire()
                    + "\",\"detail\":" + JsonValue.string(current.detail()).json() + "}")));
            session.close("identity token expired", false);
            return;
        }
        if (mode == V09Families.Mode.AUTO && packet.endpoint().isEmpty() && V09Families.announcesOverNodeJs(event.eventName())) {
            mode = V09Families.Mode.OVER_NODEJS;
            member.onDisconnect();
            sockets.remove("");
            member = connect("");
        }
        member.onEvent(event);
    }

    private SocketFamily.Member connect(String endpoint) {
        String nsp = V09Events.namespace(endpoint);
        SioSocket socket = new SioSocket(Engine.newId(), nsp, endpoint.isEmpty() ? session.id() : session.id() + nsp, query, null, session,
                guard);
        SocketFamily.Member member = families.pick(mode, nsp).connect(socket);
        sockets.put(endpoint, member);
        sioSockets.put(endpoint, socket);
        if (endpoint.isEmpty()) {
            rootEndpoint = member instanceof Endpoint e ? e : null;
        }
        return member;
    }

    /**
     * The {@code rate-limit} on events: over it an event is dropped and answered {@code rate_limited} (an
     * {@code error} event, and the ack when one is asked for); {@code close-after} refusals in a row end the session.
     */
    private boolean allowed(SioPacket event, SioSocket socket) {
        RateGuard.Verdict verdict = rate.check();
        if (verdict == RateGuard.Verdict.ACCEPT) {
            return true;
        }
        stats.countRateLimited();
        if (verdict == RateGuard.Verdict.CLOSE) {
            session.close("rate limit exceeded", false);
            return false;
        }
        JsonValue error = new JsonValue("{\"code\":\"" + ErrorCode.RATE_LIMITED.wire()
                + "\",\"detail\":\"more events per second than rate-limit allows; this one was dropped\"}");
        if (event.wantsAck()) {
            socket.ack(event.ackId(), List.of(error));
        }
        socket.emit("error", List.of(error));
        return false;
    }

    @Override
    public void onBinary() {
        stats.countIgnoredFrame();
    }

    @Override
    public void onClosed() {
        for (SocketFamily.Member member : sockets.values()) {
            member.onDisconnect();
        }
        sockets.clear();
        sioSockets.clear();
    }

    /** The endpoint of a session whose root socket is not connected yet: it takes no deliveries. */
    private record Unconnected(String adapter, String id) implements Endpoint {
        @Override
        public DeliveryResult deliver(Envelope envelope) {
            return new DeliveryResult.Rejected(ErrorCode.NO_SUCH_CHANNEL, "socket.io 0.9 session " + id + " is not connected yet");
        }
    }
}
