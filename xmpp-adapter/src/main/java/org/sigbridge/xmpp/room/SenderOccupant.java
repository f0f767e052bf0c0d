package org.sigbridge.xmpp.room;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.sigbridge.xmpp.session.ReaderHandOff;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.parts.Resourcepart;
import org.jxmpp.stringprep.XmppStringprepException;
import org.sigbridge.xmpp.session.ClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code per-user} mode: one browser sender as its own occupant of one room, through its own XMPP session
 * (SASL ANONYMOUS or the configured account), nick = sender (docs/design.md §4.4). Opened on the sender's first
 * envelope; closed when the last endpoint that sent as it leaves the channel, or with the room.
 *
 * <p>If the session cannot log in, or every nick candidate is taken, the sender falls back to the room's
 * shared occupant (its envelopes still name it in the {@code signal} element): nothing is held back for a
 * sender that will never get a seat. Worker-confined, except the session's own request-thread work.
 */
final class SenderOccupant implements ClientSession.Listener {

    private static final Logger log = LoggerFactory.getLogger(SenderOccupant.class);

    enum State { CONNECTING, JOINING, JOINED, FAILED, CLOSED }

    private final MucRoomBinding room;
    private final RoomServices services;
    private final String baseNick;
    private final Set<String> endpoints = new HashSet<>();
    private ClientSession session;
    private State state = State.CONNECTING;
    private boolean everJoined;
    private String nick;
    private String lastEndpoint;
    private XMPPTCPConnection connection;
    private int generation;

    SenderOccupant(MucRoomBinding room, RoomServices services, String sender) {
        this.room = room;
        this.services = services;
        this.baseNick = nickFor(sender);
    }

    /** Opens the session. Worker. */
    void start() {
        services.stats().sessionsOpened().increment();
        session = services.userSession().apply(this);
        session.start();
    }

    /** A nick for a sender: the sender itself when it is a valid resourcepart of at most 48 characters. */
    static String nickFor(String sender) {
        String s = sender.strip();
        if (!s.isEmpty() && s.length() <= 48) {
            try {
                if (Resourcepart.from(s).toString().equals(s)) {
                    return s;
                }
            } catch (XmppStringprepException e) {
                // fall through to the hashed form
            }
        }
        return "user-" + Integer.toHexString(java.util.Arrays.hashCode(sender.getBytes(StandardCharsets.UTF_8)));
    }

    boolean isPending() {
        return state == State.CONNECTING || state == State.JOINING;
    }

    boolean isJoined() {
        return state == State.JOINED;
    }

    XMPPTCPConnection connection() {
        return connection;
    }

    String nick() {
        return nick;
    }

    void usedBy(String endpointId) {
        endpoints.add(endpointId);
        lastEndpoint = endpointId;
    }

    /** The endpoint that last sent as this occupant: where a native private message to it goes. */
    String lastEndpoint() {
        return lastEndpoint;
    }

    /** Forgets an endpoint; true when no endpoint uses this sender any more. */
    boolean leftBy(String endpointId) {
        boolean removed = endpoints.remove(endpointId);
        if (endpointId.equals(lastEndpoint)) {
            lastEndpoint = endpoints.isEmpty() ? null : endpoints.iterator().next();
        }
        return removed && endpoints.isEmpty();
    }

    @Override
    public void online(ClientSession s, XMPPTCPConnection conn) {
        if (state == State.CLOSED || state == State.FAILED) {
            return;
        }
        state = State.JOINING;
        connection = conn;
        // Bounces of what this seat sends come back to this session; the room reports them by envelope id.
        conn.addSyncStanzaListener(stanza -> services.onWorker(() -> room.bounced((Message) stanza, false)), MessageTypeFilter.ERROR);
        // Private messages to this occupant (XEP-0045 §7.5) are for the browser user it stands for. They pass the
        // inbound limit first, in the sending occupant's bucket of the room, as those to the bridge occupant do.
        InboundGate gate = room.inboundGate();
        ReaderHandOff.register(conn, new AndFilter(MessageTypeFilter.CHAT, FromMatchesFilter.createBare(room.jid())),
                stanza -> gate.pass((Message) stanza, conn, () -> room.privateInbound((Message) stanza, this)));
        int gen = ++generation;
        Duration timeout = services.settings().joinTimeout();
        String password = MucJoin.password(services.settings());
        boolean submitted = services.onRequests(() -> {
            try {
                String got = MucJoin.join(conn, room.jid(), baseNick, room.ownNicks(), timeout, password);
                services.onWorker(() -> joined(gen, got));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) { // every Smack join failure means the same here: no seat for this sender
                services.onWorker(() -> fail(gen, "cannot join " + room.jid() + " as " + baseNick + ": " + e.getMessage()));
            }
        });
        if (!submitted) {
            state = State.CLOSED;
        }
    }

    @Override
    public void offline(ClientSession s, String reason, Duration retryIn) {
        if (state == State.CLOSED || state == State.FAILED) {
            return;
        }
        generation++;
        connection = null;
        if (!everJoined) {
            fail(generation, reason);
            return;
        }
        state = State.CONNECTING; // an outage: the session retries, the room waits for it
    }

    private void joined(int gen, String got) {
        if (gen != generation || state != State.JOINING) {
            return;
        }
        state = State.JOINED;
        everJoined = true;
        nick = got;
        services.stats().joins().increment();
        log.debug("{}: per-user occupant {}/{} joined", services.adapter(), room.jid(), got);
        room.pump();
    }

    private void fail(int gen, String reason) {
        if (gen != generation || state == State.CLOSED) {
            return;
        }
        log.info("{}: sender '{}' has no occupant of its own in {} ({}); it shares the bridge occupant", services.adapter(),
                baseNick, room.jid(), reason);
        shutdown();
        state = State.FAILED;
        room.pump();
    }

    /** Leaves the room by closing the session. Worker. Idempotent. */
    void close() {
        if (state != State.CLOSED) {
            shutdown();
            state = State.CLOSED;
        }
    }

    private void shutdown() {
        if (state == State.CLOSED || state == State.FAILED) {
            return;
        }
        generation++;
        if (nick != null) {
            room.ownNicks().remove(nick);
        }
        connection = null;
        if (session != null) {
            session.close(services.requests());
            services.userSessions().decrementAndGet();
        }
    }

    /** For logs. */
    @Override
    public String toString() {
        return baseNick + "(" + state + ")";
    }
}
