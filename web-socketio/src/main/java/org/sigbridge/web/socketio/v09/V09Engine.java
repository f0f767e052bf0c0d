package org.sigbridge.web.socketio.v09;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.sigbridge.web.socketio.engine.HandshakeQuery;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.SocketIoSettings;
import org.sigbridge.web.socketio.engine.Engine;
import org.sigbridge.web.spi.WebHost;

/**
 * The Socket.IO 0.9 server of one web adapter (docs/socketio-09.md): its sessions by id, its timings and the factory
 * of the namespace layer. Timings come from the {@code socketio:} settings: heartbeats every {@code ping-interval};
 * a client that does not answer one within {@code ping-timeout}, or polls again within the close timeout
 * ({@code ping-interval + ping-timeout}, advertised in the handshake as both heartbeat and close timeout), is
 * disconnected; a long poll is held at most 20 s (or {@code ping-interval} if shorter) and then answered {@code 8::}.
 * Thread-safe; never blocks. Created by {@code SocketIoDialect.mount}, closed by the mount's {@code onClose}.
 */
public final class V09Engine {

    /** Builds the namespace layer of a new session. */
    @FunctionalInterface
    interface Upper {
        V09Connection open(V09Session session, HandshakeQuery handshakeQuery);
    }

    private static final Duration POLL_HOLD = Duration.ofSeconds(20);

    private final WebHost host;
    private final SocketIoSettings settings;
    private final Upper upper;
    private final Map<String, V09Session> sessions = new ConcurrentHashMap<>();
    private final AtomicLong malformed = new AtomicLong();
    private volatile boolean closed;

    V09Engine(WebHost host, SocketIoSettings settings, Upper upper) {
        this.host = host;
        this.settings = settings;
        this.upper = upper;
    }

    WebHost host() {
        return host;
    }

    SocketIoSettings settings() {
        return settings;
    }

    /** Heartbeat and close timeout, whole seconds (as advertised in the handshake). */
    long timeoutSeconds() {
        return Math.max(1, (settings.pingInterval().plus(settings.pingTimeout()).toMillis() + 999) / 1000);
    }

    /** How long a GET is held before it is answered {@code 8::}. */
    Duration pollHold() {
        return settings.pingInterval().compareTo(POLL_HOLD) < 0 ? settings.pingInterval() : POLL_HOLD;
    }

    /** A handshake: a new session, not yet attached to a transport, or {@code null} when the engine is closed. */
    V09Session open(String address, HandshakeQuery query) {
        if (closed) {
            return null;
        }
        V09Session session = new V09Session(this, Engine.newId(), host.connectionIds().get(), address);
        sessions.put(session.sid(), session);
        if (!session.start(query, upper)) {
            return null;
        }
        return session;
    }

    V09Session find(String sid) {
        return sid == null ? null : sessions.get(sid);
    }

    void forget(V09Session session) {
        sessions.remove(session.sid(), session);
    }

    /** Counts a malformed packet or request: a bad frame and an {@code invalid_frame} error. Any thread. */
    public void countMalformed() {
        malformed.incrementAndGet();
        host.stats().countBadFrame();
        host.stats().countError(ErrorCode.INVALID_FRAME);
    }

    /** Packets or requests refused as malformed since start. */
    public long malformed() {
        return malformed.get();
    }

    /** Sessions open now (handshaken or connected). */
    public int sessions() {
        return sessions.size();
    }

    /** Closes every session. Any thread; idempotent. */
    public void close() {
        closed = true;
        for (V09Session session : new ArrayList<>(sessions.values())) {
            session.close("server shutting down", true);
        }
    }
}
