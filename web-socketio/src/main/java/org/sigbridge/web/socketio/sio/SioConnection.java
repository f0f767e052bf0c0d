package org.sigbridge.web.socketio.sio;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.spi.Position;
import org.sigbridge.web.socketio.engine.HandshakeQuery;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.IdentitySettings;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.identity.IdentityGate;
import org.sigbridge.web.identity.SenderGuard;
import org.sigbridge.web.limit.RateGuard;
import org.sigbridge.web.session.SessionLimits;
import org.sigbridge.web.socketio.eio.codec.MalformedPacketException;
import org.sigbridge.web.socketio.engine.Engine;
import org.sigbridge.web.socketio.engine.Handshake;
import org.sigbridge.web.socketio.sio.codec.SioCodec;
import org.sigbridge.web.socketio.sio.codec.SioPacket;
import org.sigbridge.web.socketio.sio.codec.SioProtocol;
import org.sigbridge.web.spi.ConnectionHandler;
import org.sigbridge.web.spi.WebConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Socket.IO layer of one Engine.IO session (docs/dialects.md §7.2, §7.3): namespace sockets and their packets, in
 * protocol v4 over Engine.IO 3 and v5 over Engine.IO 4 ({@link SioProtocol}: v4 connects the root namespace
 * unprompted). Namespaces are dynamic: a CONNECT to any namespace is accepted; a packet for a
 * namespace not connected is ignored, as the reference does; a malformed packet ends the session, as the reference
 * does; binary events are refused in protocol terms (an {@code error} event, and the ack when one is asked for).
 *
 * <p>Threads: the session's reader calls {@link #onOpen}, {@link #onText}, {@link #onBinary} and {@link #onClosed} one
 * at a time; the namespace map is touched only there.
 */
public final class SioConnection implements ConnectionHandler, org.sigbridge.web.socketio.engine.InPlaceText {

    private static final Logger log = LoggerFactory.getLogger(SioConnection.class);
    static final String DIALECT = "socketio";

    private final WebConnection session;
    /** The Engine.IO session id (protocol v4 derives socket ids from it). */
    private final String sid;
    private final SioProtocol protocol;
    private final HandshakeQuery query;
    private final SocketFamily family;
    private final WebStats stats;
    /** Connected namespace sockets in connect order, with the identity rules of each. */
    private final NamespaceSockets sockets = new NamespaceSockets();
    private final Runnable onMalformed;
    private final String adapter;
    private final SessionLimits limits;
    /**
     * The rate limit on the session's events, made with its first event: a bucket starts full and refills up to its
     * burst, so one made then is the bucket one made at the handshake would be by then (an idle session needs none).
     * Reader thread only.
     */
    private RateGuard rate;
    private volatile Endpoint rootEndpoint;
    /** Connection state recovery's sessions, or {@code null} when it is off or the protocol is v4. */
    private final RecoverySessions recovery;
    /** The private session id of each connected namespace socket when recovery is on; {@code null} when it is off. */
    private final Map<String, String> pids;
    /** Set when the session closed: an answer that comes later (a claim or resume across instances) starts its window. */
    private volatile boolean closed;
    /** Verified identity's admission of each CONNECT (trusting in {@code identity.mode: client}). */
    private final SocketIdentity identity;

    /**
     * @param session     the Engine.IO session this layer writes to
     * @param handshake   the Engine.IO handshake: its revision picks the Socket.IO protocol
     * @param onMalformed counts a malformed packet (the engine's counter)
     * @param limits      the {@code rate-limit} of the web adapter, applied to the events of the whole session
     */
    public SioConnection(String adapter, WebConnection session, Handshake handshake, SocketFamily family, WebStats stats,
                         SessionLimits limits, Runnable onMalformed) {
        this(adapter, session, handshake, family, stats, limits, onMalformed, null,
                new SocketIdentity(IdentityGate.from(IdentitySettings.DEFAULTS, java.time.Clock.systemUTC()), stats));
    }

    /**
     * @param recovery connection state recovery's sessions (docs/socketio.md, "Connection state recovery"), or
     *                 {@code null} when it is off; used on protocol v5 only, as in socket.io 4.6+
     * @param identity verified identity (docs/socketio.md, "Verified identity"): every CONNECT presents a token, or is
     *                 refused with a CONNECT_ERROR
     */
    public SioConnection(String adapter, WebConnection session, Handshake handshake, SocketFamily family, WebStats stats,
                         SessionLimits limits, Runnable onMalformed, RecoverySessions recovery, SocketIdentity identity) {
        this.identity = identity;
        this.adapter = adapter;
        this.limits = limits;
        this.session = session;
        this.sid = handshake.sid();
        this.protocol = switch (handshake.revision()) {
            case EIO3 -> SioProtocol.V4;
            case EIO4 -> SioProtocol.V5;
        };
        this.query = handshake.query();
        this.family = family;
        this.stats = stats;
        this.onMalformed = onMalformed;
        this.recovery = protocol == SioProtocol.V5 ? recovery : null;
        this.pids = this.recovery == null ? null : new java.util.concurrent.ConcurrentHashMap<>();
    }

    @Override
    public String dialect() {
        return DIALECT;
    }

    /** The root namespace's socket's endpoint when it is connected, else an endpoint that accepts nothing. */
    @Override
    public Endpoint endpoint() {
        Endpoint e = rootEndpoint;
        return e != null ? e : new Unconnected(adapter, session.id());
    }

    /** Protocol v4 connects the root namespace as the session opens ({@code 40}, unprompted). */
    @Override
    public void onOpen() {
        if (protocol.connectsRootUnprompted()) {
            connect(SioPacket.connect("/", null));
        }
    }

    @Override
    public void onText(String text) {
        onText(text, 0);
    }

    /** A packet that starts at {@code from} in {@code text} (a WebSocket frame's text: {@code from} 1, no copy). */
    @Override
    public void onText(String text, int from) {
        SioPacket packet;
        try {
            packet = SioCodec.decode(text, from, protocol);
        } catch (MalformedPacketException e) {
            onMalformed.run();
            log.debug("{}: malformed Socket.IO packet ({}); closing the session as the reference does", session.id(), e.getMessage());
            session.close(1002, "parse error");
            return;
        }
        String nsp = packet.namespace();
        switch (packet.type()) {
            case CONNECT -> connect(packet);
            case DISCONNECT -> {
                String pid = pids == null ? null : pids.remove(nsp);
                if (pid != null) {
                    recovery.forget(pid); // left on purpose: nothing to recover, as in socket.io
                }
                SocketFamily.Member member = sockets.remove(nsp);
                if (member != null) {
                    member.onDisconnect();
                }
            }
            case EVENT -> {
                SocketFamily.Member member = sockets.member(nsp);
                if (member == null) {
                    stats.countIgnoredFrame();
                } else if (current(nsp) && allowed(packet)) {
                    member.onEvent(packet);
                }
            }
            case BINARY_EVENT, BINARY_ACK -> refuseBinary(packet);
            default -> stats.countIgnoredFrame(); // ACK (this server asks none), CONNECT_ERROR from a client
        }
    }

    private void connect(SioPacket packet) {
        String nsp = packet.namespace();
        String socketId = protocol.socketId(sid, nsp, Engine.newId());
        SioSocket socket = new SioSocket(socketId, nsp, nsp.equals("/") ? session.id() : session.id() + nsp, query,
                packet.data(), session);
        if (sockets.contains(nsp)) {
            socket.write(protocol.connectError(nsp, "already connected to " + nsp));
            return;
        }
        SocketIdentity.Admission admission = identity.admit(identity.token(packet.data(), query));
        if (admission instanceof SocketIdentity.Refused refused) {
            identity.countRefused(session.id() + nsp, refused.detail());
            socket.write(protocol.connectError(nsp, refused.detail()));
            return;
        }
        SenderGuard guard = ((SocketIdentity.Admitted) admission).guard();
        socket = new SioSocket(socketId, nsp, socket.endpointId(), query, packet.data(), session, guard);
        if (identity.verified()) {
            Optional<String> outOfScope = family.refusal(socket);
            if (outOfScope.isPresent()) {
                identity.countOutOfScope(session.id() + nsp, outOfScope.get());
                socket.write(protocol.connectError(nsp, outOfScope.get()));
                return;
            }
        }
        SocketFamily.Member member;
        if (recovery != null) {
            member = connectRecovering(packet, socket);
        } else {
            SioSocket connecting = socket;
            member = family.connect(socket, () -> connecting.write(protocol.connectAnswer(nsp, socketId)));
        }
        sockets.put(nsp, member, guard);
        if (nsp.equals("/") && member instanceof Endpoint e) {
            rootEndpoint = e;
        }
    }

    /**
     * Connection state recovery (socket.io 4.6+, docs/socketio.md): a CONNECT whose auth carries the {@code pid} of a
     * session within its window, and the {@code offset} of the last event it got, resumes it (the family replays what
     * was missed after the answer {@code 40{"sid","pid"}} with the same pid and socket id); anything else — no session,
     * or one the family could not recover (its offset no longer in the history) — is a fresh session with a new pid and
     * a new socket id, as socket.io 4 makes a new socket when it cannot restore one. On a cluster the session may be another instance's: it is then claimed from Redis
     * ({@link RecoverySessions#claim}) and the socket is connected when the claim completes, on a Redis thread, behind a
     * {@link Deferred} member (docs/design.md §3.8).
     */
    private SocketFamily.Member connectRecovering(SioPacket packet, SioSocket fresh) {
        String nsp = packet.namespace();
        Map<String, JsonValue> auth = authOf(packet.data());
        String pid = text(auth.get("pid"));
        String offset = text(auth.get("offset"));
        java.util.concurrent.CompletableFuture<Optional<RecoverySessions.Session>> claim = recovery
                .claim(pid, nsp, family.name(), fresh.verifiedSender().orElse(null)).toCompletableFuture();
        if (claim.isDone()) {
            return recover(nsp, pid, offset, fresh, claim.join());
        }
        Deferred deferred = new Deferred(stats);
        claim.thenAccept(previous -> {
            SocketFamily.Member member = deferred.start(() -> recover(nsp, pid, offset, fresh, previous));
            if (member == null) {
                previous.ifPresent(recovery::putBack); // the socket closed meanwhile: the client may still come back
            }
        });
        return deferred;
    }

    private SocketFamily.Member recover(String nsp, String pid, String offset, SioSocket fresh, Optional<RecoverySessions.Session> previous) {
        SioSocket socket = previous.map(p -> new SioSocket(p.socketId(), nsp, fresh.endpointId(), fresh.query(), fresh.auth(), session,
                        fresh.guard()))
                .orElse(fresh);
        Position since = previous.map(p -> Position.parse(offset).orElse(p.baseline())).orElse(null);
        Set<String> own = previous.map(RecoverySessions.Session::endpointIds).orElse(Set.of());
        String sender = fresh.verifiedSender().orElse(null);
        String state = previous.map(RecoverySessions.Session::state).orElse(null);
        SocketFamily.Member member = family.connect(socket, new SocketFamily.Recovery(since, own, (recovered, joinedAt) -> {
            // socket.io 4 (socket.ts): a session that is not restored makes a new socket, with a new id and a new pid;
            // only a recovered one keeps both (docs/socketio.md, "Connection state recovery")
            String newPid = recovered ? pid : Engine.newId();
            String socketId = recovered ? socket.id() : fresh.id();
            socket.write(SioPacket.connect(nsp, new JsonValue("{\"sid\":" + JsonValue.string(socketId).json() + ",\"pid\":"
                    + JsonValue.string(newPid).json() + "}")));
            recovery.connected(newPid, nsp, family.name(), sender, socketId, socket.endpointId(), joinedAt, recovered ? own : Set.of());
            pids.put(nsp, newPid);
            if (closed) {
                recovery.disconnected(newPid); // answered after the transport broke (a resume across instances)
            }
            if (previous.isPresent()) {
                log.debug("{}: socket {} on {} {}", session.id(), socket.id(), nsp,
                        recovered ? "recovered its session" : "came back but could not recover its session; it starts afresh as " + socketId);
            }
        }, previous.isPresent() ? offset : null, state, saved -> recovery.save(pids.get(nsp), saved)));
        if (nsp.equals("/") && member instanceof Endpoint e) {
            rootEndpoint = e;
        }
        return member;
    }

    private static Map<String, JsonValue> authOf(JsonValue data) {
        if (data == null) {
            return Map.of();
        }
        try {
            return JsonObjectReader.readObject(data.json());
        } catch (InvalidJsonException notAnObject) {
            return Map.of();
        }
    }

    private static String text(JsonValue v) {
        return v != null && v.isString() ? v.asText() : null;
    }

    /**
     * Verified identity: a socket whose token expired since it connected gets an {@code error} event
     * {@code not_permitted} and is disconnected from its namespace ({@code 41}, "io server disconnect": the client does
     * not reconnect by itself; it must come back with a fresh token).
     */
    private boolean current(String nsp) {
        SenderGuard guard = sockets.guard(nsp);
        SenderGuard.Check check = guard == null ? null : guard.current();
        if (check == null || check.allowed()) {
            return true;
        }
        stats.countError(ErrorCode.NOT_PERMITTED);
        log.info("{}: socket on {} disconnected: {}", session.id(), nsp, check.detail());
        SioSocket socket = new SioSocket("", nsp, session.id(), query, null, session);
        socket.emit("error", List.of(new JsonValue("{\"code\":\"" + ErrorCode.NOT_PERMITTED.wire() + "\",\"detail\":"
                + JsonValue.string(check.detail()).json() + "}")));
        socket.write(SioPacket.disconnect(nsp));
        String pid = pids == null ? null : pids.remove(nsp);
        if (pid != null) {
            recovery.forget(pid);
        }
        SocketFamily.Member member = sockets.remove(nsp);
        if (member != null) {
            member.onDisconnect();
        }
        return false;
    }

    /**
     * The web adapter's {@code rate-limit} on events: over it an event is dropped and answered {@code rate_limited}
     * (an {@code error} event, and the ack when one is asked for); {@code close-after} refusals in a row end the
     * session.
     */
    private boolean allowed(SioPacket packet) {
        if (rate == null) {
            rate = new RateGuard(limits.messagesPerSecond(), limits.burst(), limits.closeAfter(), System::nanoTime);
        }
        RateGuard.Verdict verdict = rate.check();
        if (verdict == RateGuard.Verdict.ACCEPT) {
            return true;
        }
        stats.countRateLimited();
        if (verdict == RateGuard.Verdict.CLOSE) {
            session.close(1008, "rate limit exceeded");
            return false;
        }
        SioSocket socket = new SioSocket("", packet.namespace(), session.id(), query, null, session);
        JsonValue error = new JsonValue("{\"code\":\"" + ErrorCode.RATE_LIMITED.wire()
                + "\",\"detail\":\"more events per second than rate-limit allows; this one was dropped\"}");
        if (packet.wantsAck()) {
            socket.ack(packet.ackId(), List.of(error));
        }
        socket.emit("error", List.of(error));
        return false;
    }

    private void refuseBinary(SioPacket packet) {
        onMalformed.run(); // counted as a bad frame and an invalid_frame error
        SioSocket socket = new SioSocket("", packet.namespace(), session.id(), query, null, session);
        JsonValue error = new JsonValue("{\"code\":\"" + ErrorCode.INVALID_FRAME.wire()
                + "\",\"detail\":\"binary attachments are not supported; signaling is text\"}");
        if (packet.wantsAck() && packet.type() == SioPacket.Type.BINARY_EVENT) {
            socket.ack(packet.ackId(), List.of(error));
        }
        socket.emit("error", List.of(error));
    }

    /** A binary Engine.IO message (an attachment): dropped; its event was refused. */
    @Override
    public void onBinary() {
        stats.countIgnoredFrame();
    }

    @Override
    public void onClosed() {
        closed = true;
        if (pids != null) {
            for (String pid : pids.values()) {
                recovery.disconnected(pid); // the window starts
            }
            pids.clear();
        }
        for (SocketFamily.Member member : sockets.removeAll()) {
            if (recovery != null) {
                member.onTransportClosed(); // the client may come back within the window (docs/socketio.md)
            } else {
                member.onDisconnect();
            }
        }
    }

    /** The endpoint of a session whose root namespace is not connected: it takes no deliveries. */
    private record Unconnected(String adapter, String id) implements Endpoint {
        @Override
        public DeliveryResult deliver(Envelope envelope) {
            return new DeliveryResult.Rejected(ErrorCode.NO_SUCH_CHANNEL, "socket.io session " + id + " joined nothing");
        }
    }
}
