package org.sigbridge.xmpp.room;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.SmackException;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.jxmpp.stringprep.XmppStringprepException;
import org.sigbridge.xmpp.mapping.BridgeParticipants;
import org.sigbridge.xmpp.mapping.XmppEnvelopeMapper;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Participant;
import org.sigbridge.xmpp.config.BodyMode;
import org.sigbridge.support.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MUC room and the channels linked to it (docs/design.md §4.5, XEP-0045): the join/rejoin lifecycle, with
 * the outgoing side in a {@link RoomOutbox} and the incoming side in a {@link RoomInbox}.
 *
 * <p>Joined through the bridge's session when its first channel links, without history; left when the
 * last link has been closed for the grace period (a link reopened meanwhile reuses the room). Rejoined
 * after every reconnect and whenever membership turns out lost: our occupant removed (a kick, a ban, the
 * room destroyed: an unavailable self-presence, XEP-0045 §7.2.7), a {@code not-acceptable} bounce of our
 * groupchat message ("not an occupant"), or an XEP-0410 self-ping answered "not joined". On every such
 * loss what was sent but not yet reflected by the room goes out again after the rejoin (see
 * {@link AwaitingReflection}). Other occupants become channel participants.
 *
 * <p>Addressed delivery (conf/reference/xmpp.md): an addressed envelope goes as a private message to the
 * occupant it names, or to the occupant of the bridge that announced the participant it names; a recipient
 * known to neither is refused {@code no_such_recipient}. The channels' local participants are announced in
 * our occupant's presence ({@link BridgeParticipants}), so other bridges in the room can address them; a
 * private message to one of our occupants reaches the local participant it names ({@link RoomInbox#privateInbound}).
 *
 * <p>Threading: {@link #deliver} runs on hub threads (pure mapping plus a bounded queue offer); everything
 * else runs on the adapter's worker thread, and blocking Smack calls go to the request threads.
 */
public final class MucRoomBinding {

    private static final Logger log = LoggerFactory.getLogger(MucRoomBinding.class);
    /** {@code not-acceptable} bounces in a row (no reflection between) after which we stop rejoining for them. */
    private static final int MAX_NOT_ACCEPTABLE_STREAK = 3;

    private enum State { IDLE, JOINING, JOINED, LEFT }

    /** Where a room stands, for the leg state. */
    enum Standing { UNNEEDED, JOINED, JOINING, FAILING }

    private final EntityBareJid room;
    private final RoomServices s;
    private final RoomDirectory directory;
    private final String baseNick;
    private final RoomOutbox outbox;
    private final RoomInbox inbox;
    private final Set<String> ownNicks = ConcurrentHashMap.newKeySet();
    private final AtomicInteger reservations = new AtomicInteger();
    private final AtomicBoolean pumpQueued = new AtomicBoolean();
    private final AtomicBoolean announceQueued = new AtomicBoolean();
    private volatile boolean joinedFlag;

    // worker-confined
    private final Map<String, RoomLink> links = new LinkedHashMap<>();
    private final Occupants occupants;
    /** The linked channels' local participants, announced in our presence. */
    private final Map<String, Set<BridgeParticipants.Announced>> local = new LinkedHashMap<>();
    private final Backoff joinBackoff;
    private State state = State.IDLE;
    private XMPPTCPConnection connection;
    private String nick;
    private int generation;
    private String joinProblem;
    /** Why our nick is shared with another session, or {@code null}; see {@link #nickShared}. */
    private String sharedNickProblem;
    private int notAcceptableStreak;
    private ScheduledFuture<?> graceTimer;
    private ScheduledFuture<?> rejoinTimer;

    MucRoomBinding(EntityBareJid room, RoomServices services, RoomDirectory directory, String baseNick) {
        this.room = room;
        this.s = services;
        this.directory = directory;
        this.baseNick = baseNick;
        this.outbox = new RoomOutbox(room, services, this);
        this.inbox = new RoomInbox(room, services, this::nickShared);
        this.occupants = new Occupants(services.adapter());
        this.joinBackoff = new Backoff(services.settings().reconnectBackoffBase(), services.settings().reconnectBackoffCap(),
                ThreadLocalRandom.current()::nextDouble);
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
        DeliveryResult result;
        if (envelope.isAddressed()) {
            Optional<Occupants.Target> target = occupants.resolve(envelope.channel(), envelope.recipient());
            if (target.isEmpty()) {
                return new DeliveryResult.Rejected(ErrorCode.NO_SUCH_RECIPIENT, "'" + envelope.recipient()
                        + "' is neither an occupant of XMPP room " + room + " nor a participant another bridge announced there");
            }
            EntityFullJid occupant;
            try {
                occupant = JidCreate.entityFullFrom(room, Resourcepart.from(target.get().nick()));
            } catch (XmppStringprepException e) {
                return new DeliveryResult.Rejected(ErrorCode.NO_SUCH_RECIPIENT, "occupant nick '" + target.get().nick() + "' is not addressable");
            }
            result = outbox.deliverPrivate(envelope, occupant, target.get().participant(), body, joinedFlag);
        } else {
            result = outbox.deliver(envelope, body, joinedFlag);
        }
        if (!(result instanceof DeliveryResult.Rejected) && pumpQueued.compareAndSet(false, true)) {
            // One worker task per burst, not per envelope: the flag is cleared before the pump reads the
            // queue, so an envelope offered after that read finds it clear and queues the next pump.
            s.onWorker(this::queuedPump);
        }
        return result;
    }

    void detach(RoomLink link) {
        s.onWorker(() -> detached(link));
    }

    void endpointLeft(String endpointId) {
        s.onWorker(() -> outbox.endpointLeft(endpointId));
    }

    /** Hub thread: a local participant joined or left a linked channel; our presence announces the change. */
    void localParticipant(String channel, Participant participant, boolean joined) {
        s.onWorker(() -> {
            BridgeParticipants.Announced a = new BridgeParticipants.Announced(channel, participant.id(), participant.name());
            boolean changed = joined ? local.computeIfAbsent(channel, c -> new java.util.LinkedHashSet<>()).add(a)
                    : local.getOrDefault(channel, Set.of()).contains(a) && local.get(channel).remove(a);
            if (local.containsKey(channel) && local.get(channel).isEmpty()) {
                local.remove(channel);
            }
            if (changed && announceQueued.compareAndSet(false, true)) {
                s.onWorker(this::announceLocal); // one presence per burst of joins and leaves
            }
        });
    }

    /** Worker: our occupant's presence update with the local participants (XEP-0045 §7.7), while joined. */
    private void announceLocal() {
        announceQueued.set(false);
        XMPPTCPConnection conn = connection;
        if (state != State.JOINED || conn == null || nick == null) {
            return; // joined() announces
        }
        List<BridgeParticipants.Announced> all = new ArrayList<>();
        local.values().forEach(all::addAll);
        try {
            conn.sendStanza(conn.getStanzaFactory().buildPresenceStanza()
                    .to(JidCreate.entityFullFrom(room, Resourcepart.from(nick)))
                    .addExtension(BridgeParticipants.element(all))
                    .build());
        } catch (SmackException.NotConnectedException e) {
            // the session's offline event follows; the rejoin announces again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (XmppStringprepException e) {
            log.warn("{}: cannot announce participants in {}: {}", s.adapter(), room, e.toString());
        }
    }

    // --- worker: links and grace ---------------------------------------------------------------------------

    void attach(RoomLink link) {
        cancel(graceTimer);
        links.put(link.channel(), link);
        for (Participant p : occupants.all(link.channel())) {
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
        if (!outbox.isEmpty()) {
            armGrace(Duration.ofSeconds(1)); // envelopes from a publish-only channel still wait to be confirmed or expire
            return;
        }
        directory.release(this);
    }

    // --- worker: session and join ------------------------------------------------------------------------

    /** The bridge session logged in (again): join. */
    void sessionOnline(XMPPTCPConnection conn) {
        if (connection == conn) {
            return;
        }
        connection = conn;
        if (state != State.LEFT && (!links.isEmpty() || !outbox.isEmpty())) {
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
        String base = nick != null ? nick : baseNick;
        boolean submitted = s.onRequests(() -> {
            try {
                // Should the room still count us in, the join presence is a presence update and is answered alike.
                String got = MucJoin.join(conn, room, base, ownNicks, s.settings().joinTimeout());
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
        joinProblem = null;
        nick = got;
        joinBackoff.reset();
        s.stats().joins().increment();
        log.info("{}: joined {} as {}", s.adapter(), room, got);
        if (!local.isEmpty()) {
            announceLocal();
        }
        pump();
        s.roomStateChanged().run();
    }

    private void joinFailed(int gen, Exception e) {
        if (gen != generation) {
            return;
        }
        state = State.IDLE;
        joinProblem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replaceAll("\\s*\\R\\s*", " ");
        Duration delay = joinBackoff.next();
        log.warn("{}: cannot join {} ({}); retrying in {} ms", s.adapter(), room, joinProblem, delay.toMillis());
        rejoinTimer = s.worker().schedule(this::join, delay.toMillis(), TimeUnit.MILLISECONDS);
        s.roomStateChanged().run();
    }

    private void queuedPump() {
        pumpQueued.set(false);
        pump();
    }

    /** Worker: sends what waits, in order, while the room is joined. Also called when a per-user seat settles. */
    void pump() {
        if (state == State.JOINED && connection != null) {
            outbox.pump(connection);
        }
    }

    // --- worker: incoming --------------------------------------------------------------------------------

    /** A groupchat message from this room, from the bridge session's stanza listener. */
    void inbound(Message message) {
        if (inbox.inbound(message, links, ownNicks, outbox)) {
            notAcceptableStreak = 0; // the room takes our messages again
            pump(); // the confirmation opened the send window
        }
    }

    /**
     * A private message (XEP-0045 §7.5) from an occupant of this room to one of our occupants.
     *
     * @param seat the per-user occupant it was sent to, or {@code null} for the bridge occupant
     */
    void privateInbound(Message message, SenderOccupant seat) {
        inbox.privateInbound(message, links, ownNicks, seat, seat != null ? seat.connection() : connection);
    }

    /**
     * An error bounce of a groupchat message we sent to this room (XEP-0045 §7.4, RFC 6120 §8.3).
     * {@code not-acceptable} through the bridge session means the room no longer counts us as an occupant:
     * rejoin and send again. Anything else is reported to the sender as {@code upstream_rejected}.
     *
     * @param viaBridge whether it came to the bridge session (else to a per-user session)
     */
    void bounced(Message error, boolean viaBridge) {
        StanzaError e = error.getError();
        StanzaError.Condition condition = e == null ? null : e.getCondition();
        Optional<Envelope> direct = error.getStanzaId() == null ? Optional.empty() : outbox.bouncedPrivate(error.getStanzaId());
        if (direct.isPresent()) {
            String text = e == null ? "unknown error" : condition + (e.getDescriptiveText() == null ? "" : " (" + e.getDescriptiveText() + ")");
            boolean nobody = XmppEnvelopeMapper.isNoSuchRecipient(error);
            s.stats().upstreamErrors().increment();
            log.info("{}: private message {} in {} bounced: {}", s.adapter(), direct.get().id(), room, text);
            s.context().reportFailure(direct.get(), nobody ? ErrorCode.NO_SUCH_RECIPIENT : ErrorCode.UPSTREAM_REJECTED,
                    "XMPP room " + room + ": " + (nobody ? "no participant '" + direct.get().recipient() + "' there: " : "refused it: ") + text);
            if (!(viaBridge && condition == StanzaError.Condition.not_acceptable && state == State.JOINED)) {
                return;
            }
        }
        if (viaBridge && condition == StanzaError.Condition.not_acceptable && notAcceptableStreak < MAX_NOT_ACCEPTABLE_STREAK) {
            if (state == State.JOINED) {
                notAcceptableStreak++;
                membershipLost("the room bounced our message as not-acceptable: we are not an occupant");
            }
            return; // the envelope was put back in the queue with the rest, or already was
        }
        Optional<Envelope> original = error.getStanzaId() == null ? Optional.empty() : outbox.bounced(error.getStanzaId());
        if (original.isEmpty()) {
            s.stats().ignored().increment();
            return;
        }
        s.stats().upstreamErrors().increment();
        String text = e == null ? "unknown error" : condition + (e.getDescriptiveText() == null ? "" : " (" + e.getDescriptiveText() + ")");
        log.info("{}: room {} bounced envelope {}: {}", s.adapter(), room, original.get().id(), text);
        s.context().reportFailure(original.get(), ErrorCode.UPSTREAM_REJECTED, "XMPP room " + room + " refused it: " + text);
    }

    /** A presence from this room's occupants (ours included), from the bridge session's reader hand-off. */
    void presence(Presence presence) {
        if ((state != State.JOINING && state != State.JOINED) || presence.getFrom() == null
                || presence.getFrom().getResourceOrNull() == null) {
            return;
        }
        String who = presence.getFrom().getResourceOrThrow().toString();
        boolean available = presence.getType() == Presence.Type.available;
        if (ownNicks.contains(who)) {
            if (who.equals(nick) && anotherSessionHolds(presence)) {
                nickShared(who);
            }
            if (!available && who.equals(nick) && state == State.JOINED) {
                membershipLost("our occupant was removed (kicked, banned or the room was destroyed)");
            }
            return;
        }
        occupants.seen(who, presence.getFrom().toString(), available, BridgeParticipants.from(presence), links.keySet(), s.context());
    }

    /**
     * Whether the room names another session than ours as our nick's occupant: the muc#user item's {@code jid}
     * (XEP-0045 §7.2.3; shown to moderators and in non-anonymous rooms) is a full JID other than the bridge
     * session's. Prosody shows the first session of a shared nick there, so the bridge that joins second sees it
     * in its own presence at once.
     */
    private boolean anotherSessionHolds(Presence presence) {
        MUCUser user = MUCUser.from(presence);
        XMPPTCPConnection conn = connection;
        if (user == null || user.getItem() == null || user.getItem().getJid() == null || conn == null || conn.getUser() == null) {
            return false;
        }
        org.jxmpp.jid.Jid occupant = user.getItem().getJid();
        return occupant.hasResource() && !occupant.equals(conn.getUser());
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
            outbox.requeueUnconfirmed();
        }
        cancel(rejoinTimer);
        occupants.forgetAll(links.keySet(), s.context());
        s.roomStateChanged().run();
    }

    /** Worker: expires envelopes that waited too long and reports them to their senders. */
    void expire() {
        outbox.expire();
    }

    /** Worker: leaves the room (grace over, or shutting down); reports what is not confirmed with {@code code}. */
    void leave(ErrorCode code, String detail) {
        if (state == State.LEFT) {
            return;
        }
        boolean in = state == State.JOINED || state == State.JOINING;
        generation++;
        joinedFlag = false;
        joinProblem = null;
        sharedNickProblem = null;
        state = State.LEFT;
        cancel(graceTimer);
        cancel(rejoinTimer);
        outbox.failAll(code, detail);
        XMPPTCPConnection conn = connection;
        String n = nick;
        if (in && conn != null && n != null) {
            s.onRequests(() -> MucJoin.leaveQuietly(conn, room, n));
        }
        log.debug("{}: left {}", s.adapter(), room);
        s.roomStateChanged().run();
    }

    /** Worker: for the leg state. */
    Standing standing() {
        if (state == State.LEFT || (links.isEmpty() && outbox.isEmpty())) {
            return Standing.UNNEEDED;
        }
        if (state == State.JOINED) {
            return sharedNickProblem != null ? Standing.FAILING : Standing.JOINED;
        }
        return joinProblem != null || sharedNickProblem != null ? Standing.FAILING : Standing.JOINING;
    }

    /** Worker: why the room is {@link Standing#FAILING}: the last join's failure, or a nick shared with another session. */
    String joinProblem() {
        return joinProblem != null ? joinProblem : sharedNickProblem;
    }

    /**
     * Worker: another session shares our nick {@code who}. XEP-0045 lets one account occupy a room from several
     * sessions under one nick (no §7.2.9 conflict), so two bridges sharing a config and account end up as one
     * occupant. Evidence: a message from the nick that we did not send ({@link RoomInbox}), or a presence for the
     * nick whose muc#user item names a session of the account other than ours ({@link #anotherSessionHolds}; our
     * own earlier session, should the server still hold it after a reconnect, has our resource and does not count).
     * Kept until the room is left: the room counts as failing, which keeps the leg (and {@code /readyz}) not ready
     * until the operator gives each bridge its own nick. Logged once.
     */
    private void nickShared(String who) {
        if (sharedNickProblem != null) {
            return;
        }
        sharedNickProblem = "nick " + who + " is also used by another session of this account (another bridge with the"
                + " same config?); messages are delivered, but presence and private messages cannot be told apart: give"
                + " each bridge its own nick (xmpp nick, or bridge.name)";
        log.error("{}: room {}: {}", s.adapter(), room, sharedNickProblem);
        s.roomStateChanged().run();
    }

    /** Worker: nothing waits to be sent or confirmed. */
    boolean isDrained() {
        return outbox.isEmpty();
    }

    /** Worker: for logs and admin. */
    List<String> describe() {
        return List.of(room + " " + state + " as " + nick + ", channels " + links.keySet() + ", " + outbox.describe());
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
