package org.sigbridge.web.socketio.engine;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.sigbridge.web.SocketIoSettings;
import org.sigbridge.web.spi.ConnectionHandler;
import org.sigbridge.web.spi.WebConnection;
import org.sigbridge.web.spi.WebHost;

/**
 * The Engine.IO server of one web adapter (revisions 3 and 4, {@link EioRevision}): its sessions by id, its settings
 * and the factory of the layer above (Socket.IO). Thread-safe; never blocks. Created by {@code SocketIoDialect.mount} and closed by the mount's
 * {@code onClose}.
 */
public final class Engine {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Builds the handler of the layer above Engine.IO for a new session (its {@link WebConnection}). */
    @FunctionalInterface
    public interface Upper {
        ConnectionHandler open(WebConnection session, Handshake handshake);
    }

    private final WebHost host;
    private final SocketIoSettings settings;
    private final Upper upper;
    private final Map<String, EioSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong malformed = new AtomicLong();
    /** Engine.IO 4's keep-alive waits, every session's on two queues (pings: same interval and timeout for all). */
    private final ServerPings.Queues pingQueues;
    private volatile boolean closed;

    public Engine(WebHost host, SocketIoSettings settings, Upper upper) {
        this.host = host;
        this.settings = settings;
        this.upper = upper;
        this.pingQueues = new ServerPings.Queues(host.timer(), EioRevision.EIO4.pingInterval(settings),
                EioRevision.EIO4.pingTimeout(settings));
    }

    WebHost host() {
        return host;
    }

    SocketIoSettings settings() {
        return settings;
    }

    ServerPings.Queues pingQueues() {
        return pingQueues;
    }

    /** A new random session id: 15 random bytes, base64url (20 characters, as the reference's length). */
    public static String newId() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Opens a session and registers it; the open packet is its first queued packet.
     *
     * @param id        the hub endpoint id
     * @param websocket the WebSocket it starts on, or {@code null} for polling
     * @param revision  the revision the handshake asked for
     * @param origin    the handshake's {@code Origin} header, or {@code null}
     * @return the session, or {@code null} when the engine is closed
     */
    EioSession open(String id, String address, WebConnection websocket, HandshakeQuery query, EioRevision revision, String origin) {
        if (closed) {
            return null;
        }
        EioSession session = new EioSession(this, newId(), id, address, websocket, revision, revision.framing(query));
        sessions.put(session.sid(), session);
        session.start(upper.open(session, new Handshake(session.sid(), revision, query, origin)));
        return session;
    }

    EioSession find(String sid) {
        return sid == null ? null : sessions.get(sid);
    }

    void forget(EioSession session) {
        sessions.remove(session.sid(), session);
    }

    /** Counts a malformed packet or request: a bad frame and an {@code invalid_frame} error in the web stats. Any thread. */
    public void countMalformed() {
        malformed.incrementAndGet();
        host.stats().countBadFrame();
        host.stats().countError(org.sigbridge.spi.ErrorCode.INVALID_FRAME);
    }

    /** Packets or requests refused as malformed since start. */
    public long malformed() {
        return malformed.get();
    }

    /** Sessions open now. */
    public int sessions() {
        return sessions.size();
    }

    /** Closes every session (held polls answer a CLOSE packet). Any thread; idempotent. */
    public void close() {
        closed = true;
        for (EioSession session : new ArrayList<>(sessions.values())) {
            session.close("server shutting down");
        }
    }

    List<EioSession> snapshot() {
        return List.copyOf(sessions.values());
    }
}
