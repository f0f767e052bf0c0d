package org.sigbridge.xmpp.room;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.PresenceListener;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jxmpp.jid.EntityBareJid;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Participant;
import org.sigbridge.xmpp.config.BodyMode;
import org.sigbridge.xmpp.config.OccupantMode;
import org.sigbridge.xmpp.mapping.Inbound;
import org.sigbridge.xmpp.mapping.Outbound;
import org.sigbridge.xmpp.mapping.XmppEnvelopeMapper;
import org.sigbridge.xmpp.session.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MUC room and the channels linked to it (DESIGN.md §4, XEP-0045).
 *
 * <p>Joined through the bridge's session when its first channel links, without history; left when the
 * last link has been closed for the grace period (a link reopened meanwhile reuses the room). Rejoined
 * after every reconnect and whenever membership turns out lost (a kick, or XEP-0410 self-ping). Other
 * occupants become channel participants. Outgoing envelopes queue in an {@link OutboundQueue} and flush in
 * order once joined; incoming groupchat messages are mapped, our own reflections dropped (nick or
 * XEP-0359 origin-id), and published to the hub.
 *
 * <p>Threading: {@link #deliver} runs on hub threads (pure mapping plus a bounded queue offer); everything
 * else runs on the adapter's worker thread, and blocking Smack calls go to the request threads.
 */
public final class MucRoomBinding {

    private static final Logger log = LoggerFactory.getLogger(MucRoomBinding.class);

    private enum State { IDLE, JOINING, JOINED, LEFT }

    private final EntityBareJid room;
    private final RoomServices s;
    private final RoomDirectory directory;
    private final String baseNick;
    private final OutboundQueue outbound;
    private final Set<String> ownNicks = ConcurrentHashMap.newKeySet();
    private final AtomicInteger reservations = new AtomicInteger();
    private volatile boolean joinedFlag;

    // worker-confined
    private final Map<String, RoomLink> links = new LinkedHashMap<>();
    private final Map<String, SenderOccupant> senders = new HashMap<>();
    private final Occupants occupants;
    private final Backoff joinBackoff;
    private State state = State.IDLE;
    private XMPPTCPConnection connection;
    private MultiUserChat muc;
    private PresenceListener presenceListener;
    private String nick;
    private int generation;
    private ScheduledFuture<?> graceTimer;
    private ScheduledFuture<?> rejoinTimer;

    MucRoomBinding(EntityBareJid room, RoomServices services, RoomDirectory directory, String baseNick) {
        this.room = room;
        this.s = services;
        this.directory = directory;
        this.baseNick = baseNick;
        this.outbound = new OutboundQueue(services.settings().pendingQueueSize(), services.settings().pendingMaxAge(),
                services.context().clock());
        this.occupants = new Occupants(services.adapter());
        this.joinBackoff = new Backoff(services.settings().reconnectBackoffBase(), services.settings().reconnectBackoffCap(),
                java.util.concurrent.ThreadLocalRandom.current()::nextDouble);
    }

    public EntityBareJid jid() {
        return room;
    }

    /** Our nicks in this room (the bridge occupant, per-user occupants). Thread-safe. */
    Set<String> ownNicks() {
        return ownNicks;
    }

    /** Whether the bridge occupant is in the room. Any thread. */
    public boolean isJoined() {
        return joinedFlag;
    }

    /** A link is about to attach: keeps the room from being released. Any thread, under the directory's lock. */
    void reserve() {
        reservations.incrementAndGet();
    }

    boolean isReleasable() {
        return reservations.get() == 0;
    }

    // --- hub threads ---------------------------------------------------------------------------------

    DeliveryResult deliver(Envelope envelope, BodyMode body) {
        Outbound out = s.mapper().toStanza(envelope, room, body);
        if (out instanceof Outbound.Refused refused) {
            if (refused.code() == ErrorCode.TOO_LARGE) {
                s.stats().tooLarge().increment();
            }
            return new DeliveryResult.Rejected(refused.code(), refused.detail());
        }
        Message stanza = ((Outbound.Stanza) out).message();
        if (!outbound.offer(new Waiting(envelope, stanza, s.context().clock().instant()))) {
            s.stats().queueRejected().increment();
            return new DeliveryResult.Rejected(ErrorCode.UPSTREAM_UNAVAILABLE, "room " + room + " is not joined yet and "
                    + outbound.capacity() + " envelopes already wait for it (pending-queue-size)");
        }
        s.onWorker(this::pump);
        return joinedFlag ? DeliveryResult.DELIVERED : DeliveryResult.QUEUED;
    }

    void detach(RoomLink link) {
        s.onWorker(() -> detached(link));
    }

    void endpointLeft(String endpointId) {
        s.onWorker(() -> {
            senders.values().removeIf(o -> {
                if (o.leftBy(endpointId)) {
                    o.close();
                    return true;
                }
                return false;
            });
        });
    }

    // --- worker ----------------------------------------------------------------------------------------

    void attach(RoomLink link) {
        cancel(graceTimer);
        links.put(link.channel(), link);
        for (Participant p : occupants.all()) {
            s.context().participantJoined(link.channel(), p);
        }
        if (state == State.IDLE && connection != null) {
            join();
        }
    }

    private void detached(RoomLink link) {
        links.remove(link.channel(), link);
        if (reservations.decrementAndGet() == 0) {
            armGrace(s.settings().roomGrace());
        }
    }

    private void armGrace(Duration delay) {
        cancel(graceTimer);
        graceTimer = s.worker().schedule(this::graceOver, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void graceOver() {
        if (!isReleasable() || state == State.LEFT) {
            return;
        }
        if (!outbound.isEmpty()) {
            armGrace(Duration.ofSeconds(1)); // envelopes from a publish-only channel still wait to be sent or expire
            return;
        }
        directory.release(this);
    }

    /** The bridge session logged in (again): join. */
    void sessionOnline(XMPPTCPConnection conn) {
        if (connection == conn) {
            return;
        }
        connection = conn;
        if (state != State.LEFT && (!links.isEmpty() || !outbound.isEmpty())) {
            state = State.IDLE;
            join();
        }
    }

    /** The bridge session is gone: the room is not joined until it comes back. */
    void sessionOffline() {
        connection = null;
        dropMembership();
    }

    private void join() {
        cancel(rejoinTimer);
        XMPPTCPConnection conn = connection;
        if (conn == null || state == State.LEFT) {
            return;
        }
        int gen = ++generation;
        state = State.JOINING;
        MultiUserChat m = MultiUserChatManager.getInstanceFor(conn).getMultiUserChat(room);
        if (muc == m && presenceListener != null) {
            m.removeParticipantListener(presenceListener);
        }
        presenceListener = presence -> s.onWorker(() -> presence(gen, presence));
        m.addParticipantListener(presenceListener);
        muc = m;
        String base = nick != null ? nick : baseNick;
        boolean submitted = s.onRequests(() -> {
            try {
                if (m.isJoined()) {
                    leaveQuietly(m); // Smack still thinks we are in; the server says otherwise
                }
                String got = MucJoin.join(m, base, ownNicks, s.settings().joinTimeout());
                s.onWorker(() -> joined(gen, got));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) { // any join failure: retry with backoff while the session is up
                s.onWorker(() -> joinFailed(gen, e));
            }
        });
        if (!submitted) {
            state = State.IDLE;
        }
    }

    private void joined(int gen, String got) {
        if (gen != generation) {
            return;
        }
        state = State.JOINED;
        joinedFlag = true;
        nick = got;
        joinBackoff.reset();
        s.stats().joins().increment();
        log.info("{}: joined {} as {}", s.adapter(), room, got);
        pump();
        s.roomStateChanged().run();
    }

    private void joinFailed(int gen, Exception e) {
        if (gen != generation) {
            return;
        }
        state = State.IDLE;
        Duration delay = joinBackoff.next();
        log.warn("{}: cannot join {} ({}); retrying in {} ms", s.adapter(), room, e.toString(), delay.toMillis());
        rejoinTimer = s.worker().schedule(this::join, delay.toMillis(), TimeUnit.MILLISECONDS);
        s.roomStateChanged().run();
    }

    /** Sends what waits, in order, while the room is joined. */
    void pump() {
        while (state == State.JOINED) {
            Waiting w = outbound.peek();
            if (w == null) {
                return;
            }
            XMPPTCPConnection via = connection;
            if (s.settings().occupants() == OccupantMode.PER_USER) {
                Optional<SenderOccupant> own = senderOccupant(w.envelope());
                if (own.isPresent()) {
                    if (own.get().isPending()) {
                        return; // keep order: wait for this sender's seat, or its fallback
                    }
                    own.get().usedBy(w.envelope().origin().endpoint());
                    if (own.get().isJoined()) {
                        via = own.get().connection();
                    }
                }
            }
            try {
                via.sendStanza(w.stanza());
            } catch (SmackException.NotConnectedException e) {
                return; // the session's offline event follows; the envelope stays at the head
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            outbound.removeHead();
            s.sent().add(w.envelope());
            s.stats().sent().increment();
            log.debug("{}: sent envelope {} to {}", s.adapter(), w.envelope().id(), room);
        }
    }

    private Optional<SenderOccupant> senderOccupant(Envelope envelope) {
        if (envelope.sender().isNull()) {
            return Optional.empty();
        }
        String sender = envelope.senderText();
        SenderOccupant o = senders.get(sender);
        if (o == null) {
            if (s.userSessions().incrementAndGet() > s.settings().maxUserSessions()) {
                s.userSessions().decrementAndGet();
                return Optional.empty();
            }
            o = new SenderOccupant(this, s, sender);
            senders.put(sender, o);
            o.start();
        }
        return Optional.of(o);
    }

    /** A groupchat message from this room, from the bridge session's stanza listener. */
    void inbound(Message message) {
        String fromNick = message.getFrom() == null ? null : String.valueOf(message.getFrom().getResourceOrNull());
        Optional<String> originId = XmppEnvelopeMapper.originId(message);
        if ((fromNick != null && ownNicks.contains(fromNick)) || originId.filter(s.sent()::contains).isPresent()) {
            s.stats().reflections().increment();
            return;
        }
        Inbound in = s.mapper().fromStanza(message);
        if (in instanceof Inbound.Signal signal) {
            RoomLink link = links.get(signal.channel());
            if (link == null) {
                s.stats().ignored().increment(); // a channel sharing this room that is not open here
                return;
            }
            publish(link, signal.id(), signal.sender(), signal.message(), signal.channel());
        } else if (in instanceof Inbound.Native n) {
            String id = n.id().orElseGet(() -> s.context().envelopeIds().next());
            for (RoomLink link : links.values()) {
                publish(link, Optional.of(id), org.sigbridge.envelope.JsonValue.string(n.nick()), n.message(), link.channel());
            }
        } else if (in instanceof Inbound.Malformed bad) {
            s.stats().malformed().increment();
            log.debug("{}: ignored a malformed message in {} from {}: {}", s.adapter(), room, message.getFrom(), bad.reason());
        } else {
            s.stats().ignored().increment();
        }
    }

    private void publish(RoomLink link, Optional<String> id, org.sigbridge.envelope.JsonValue sender,
                         org.sigbridge.envelope.JsonValue message, String channel) {
        Envelope envelope = new Envelope(id.orElseGet(() -> s.context().envelopeIds().next()), channel, sender, message,
                new Origin(s.adapter(), link.id()), s.context().clock().instant());
        s.stats().received().increment();
        var result = s.context().publishInbound(envelope);
        log.debug("{}: envelope {} from {} -> {}", s.adapter(), envelope.id(), room, result);
    }

    private void presence(int gen, Presence presence) {
        if (gen != generation || presence.getFrom() == null || presence.getFrom().getResourceOrNull() == null) {
            return;
        }
        String who = presence.getFrom().getResourceOrThrow().toString();
        boolean available = presence.getType() == Presence.Type.available;
        if (ownNicks.contains(who)) {
            if (!available && who.equals(nick) && state == State.JOINED) {
                membershipLost("our occupant was removed (kicked, banned or the room was destroyed)");
            }
            return;
        }
        if (available) {
            occupants.joined(who, presence.getFrom().toString())
                    .ifPresent(p -> links.keySet().forEach(c -> s.context().participantJoined(c, p)));
        } else {
            occupants.left(who).ifPresent(p -> links.keySet().forEach(c -> s.context().participantLeft(c, p)));
        }
    }

    /** Worker: XEP-0410 self-ping of our occupant; a definite "not joined" answer triggers a rejoin. */
    void selfPing() {
        if (state != State.JOINED) {
            return;
        }
        int gen = generation;
        SelfPing.start(s, connection, room, nick, verdict -> s.onWorker(() -> {
            if (gen == generation && state == State.JOINED && verdict == SelfPing.Verdict.NOT_JOINED) {
                membershipLost("XEP-0410 self-ping says we are no longer an occupant");
            }
        }));
    }

    private void membershipLost(String why) {
        s.stats().membershipLost().increment();
        log.warn("{}: lost {} ({}); rejoining", s.adapter(), room, why);
        dropMembership();
        join();
    }

    private void dropMembership() {
        generation++;
        joinedFlag = false;
        if (state != State.LEFT) {
            state = State.IDLE;
        }
        cancel(rejoinTimer);
        for (Participant p : occupants.clear()) {
            links.keySet().forEach(c -> s.context().participantLeft(c, p));
        }
        s.roomStateChanged().run();
    }

    /** Worker: expires envelopes that waited too long and reports them to their senders. */
    void expire() {
        for (Waiting w : outbound.expire()) {
            s.stats().expired().increment();
            s.context().reportFailure(w.envelope(), ErrorCode.EXPIRED, "waited longer than pending-max-age ("
                    + s.settings().pendingMaxAge().toSeconds() + "s) for XMPP room " + room);
        }
    }

    /** Worker: leaves the room (grace over, or shutting down); reports what still waits with {@code code}. */
    void leave(ErrorCode code, String detail) {
        if (state == State.LEFT) {
            return;
        }
        generation++;
        joinedFlag = false;
        state = State.LEFT;
        cancel(graceTimer);
        cancel(rejoinTimer);
        for (Waiting w : outbound.drainAll()) {
            s.context().reportFailure(w.envelope(), code, detail);
        }
        senders.values().forEach(SenderOccupant::close);
        senders.clear();
        MultiUserChat m = muc;
        if (m != null && connection != null && m.isJoined()) {
            s.onRequests(() -> leaveQuietly(m));
        }
        log.debug("{}: left {}", s.adapter(), room);
    }

    /** Worker: the room joined or nobody needs it joined. */
    boolean isSettled() {
        return state == State.JOINED || state == State.LEFT || (links.isEmpty() && outbound.isEmpty());
    }

    /** Worker: nothing waits to be sent. */
    boolean isDrained() {
        return outbound.isEmpty();
    }

    /** Worker: for logs and admin. */
    List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add(room + " " + state + " as " + nick + ", channels " + links.keySet() + ", senders " + senders.values());
        return lines;
    }

    private static void leaveQuietly(MultiUserChat m) {
        try {
            m.leave();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) { // leaving a room we may no longer be in: any answer will do
            log.debug("leaving {}: {}", m.getRoom(), e.toString());
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
