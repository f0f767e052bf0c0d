package org.sigbridge.xmpp.room;

import java.time.Duration;
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
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
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
 * after every reconnect and whenever membership turns out lost: our occupant removed by a moderator (a kick or
 * a ban: an unavailable self-presence, XEP-0045 §9; rejoined after a backoff, see {@link RoomExit}), a
 * {@code not-acceptable} bounce of our groupchat message ("not an occupant"), or an XEP-0410 self-ping answered
 * "not joined". A destroyed room (§10.9) is not rejoined: its browsers' envelopes are refused until the channel
 * closes, and a later open of the channel joins afresh. On every such
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
    private final InboundRate inboundRate;
    private final Set<String> ownNicks = ConcurrentHashMap.newKeySet();
    private final AtomicInteger reservations = new AtomicInteger();
    private final AtomicBoolean pumpQueued = new AtomicBoolean();
    private volatile boolean joinedFlag;

    // worker-confined
    private final Map<String, RoomLink> links = new LinkedHashMap<>();
    private final Occupants occupants;
    private final LocalAnnouncement announcement = new LocalAnnouncement();
    private final Backoff joinBackoff;
    /** Delays the rejoin after a moderator removed us; reset once the room kept us for a backoff cap. */
    private final Backoff removalBackoff;
    private final RoomTrouble trouble = new RoomTrouble();
    private State state = State.IDLE;
    private XMPPTCPConnection connection;
    private String nick;
    private int generation;
    private java.time.Instant lastRemoval;
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
        this.inboundRate = new InboundRate(services.settings().inboundLimit(), System::nanoTime);
        this.occupants = new Occupants(services.adapter());
        this.joinBackoff = new Backoff(services.settings().reconnectBackoffBase(), services.settings().reconnectBackoffCap(),
                ThreadLocalRandom.current()::nextDouble);
        this.removalBackoff = new Backoff(services.settings().reconnectBackoffBase(), services.settings().reconnectBackoffCap(),
                ThreadLocalRandom.current()::nextDouble);
    }

    public EntityBareJid jid() {
        return room;
    }

    /** Our nicks in this room (the bridge occupant, per-user occupants). Thread-safe. */
    Set<String> ownNicks() {
        return ownNicks;
    }

    /** The room's inbound rate state, for {@link InboundGate}. Reader thread. */
    InboundRate inboundRate() {
        return inboundRate;
    }

    /** The adapter's inbound limit, for the private messages to per-user occupants ({@link SenderOccupant}). Any thread. */
    InboundGate inboundGate() {
        return directory.inboundGate();
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
        String gone = trouble.gone();
        if (gone != null) {
            return new DeliveryResult.Rejected(ErrorCode.UPSTREAM_UNAVAILABLE, "XMPP room " + room + ": " + gone
                    + "; the bridge does not create it again while this channel is open (close the channel and open it again)");
        }
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
            if (announcement.changed(channel, participant, joined)) {
                s.onWorker(this::announceLocal); // one presence per burst of joins and leaves
            }
        });
    }

    /** Worker: our occupant's presence update with the local participants (XEP-0045 §7.7), while joined. */
    private void announceLocal() {
        boolean in = state == State.JOINED;
        announcement.announce(in ? connection : null, room, in ? nick : null, s.adapter());
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
        if (state != State.LEFT && trouble.gone() == null && (!links.isEmpty() || !outbox.isEmpty())) {
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
        if (conn == null || state == State.LEFT || trouble.gone() != null) {
            return;
        }
        int gen = ++generation;
        state = State.JOINING;
        String base = nick != null ? nick : baseNick;
        String password = MucJoin.password(s.settings());
        boolean submitted = s.onRequests(() -> {
            try {
                // Should the room still count us in, the join presence is a presence update and is answered alike.
                String got = MucJoin.join(conn, room, base, ownNicks, s.settings().joinTimeout(), password);
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
        trouble.joined();
        nick = got;
        joinBackoff.reset();
        s.stats().joins().increment();
        log.info("{}: joined {} as {}", s.adapter(), room, got);
        if (!announcement.isEmpty()) {
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
        String joinProblem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replaceAll("\\s*\\R\\s*", " ");
        trouble.failing(joinProblem);
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
            if (who.equals(nick) && RoomTrouble.anotherSessionHolds(presence, connection)) {
                nickShared(who);
            }
            if (!available && who.equals(nick) && state == State.JOINED) {
                removed(RoomExit.of(presence));
            }
            return;
        }
        occupants.seen(who, presence.getFrom().toString(), available, BridgeParticipants.from(presence), links.keySet(), s.context());
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

    /**
     * Worker: the room removed our occupant (XEP-0045 §9, §10.9). A destroyed room is not rejoined: a join would
     * create it again, so what waits is reported and later envelopes are refused until the channel closes. After
     * any other removal the bridge rejoins once a backoff has passed (doubling while removals follow each other
     * within {@code reconnect-backoff-cap}); a ban then fails that join with {@code forbidden}. See {@link RoomExit}.
     */
    private void removed(RoomExit exit) {
        s.stats().membershipLost().increment();
        if (exit.staysOut()) {
            String why = exit.describe();
            log.warn("{}: {}: {}; not rejoining (a join would create it again). Envelopes for channels {} are refused until"
                    + " they close", s.adapter(), room, why, links.keySet());
            trouble.destroyed(why); // before the drop, so that its leg report already says why
            dropMembership();
            outbox.failAll(ErrorCode.UPSTREAM_UNAVAILABLE, "XMPP room " + room + ": " + why);
            return;
        }
        java.time.Instant now = s.context().clock().instant();
        if (lastRemoval != null && Duration.between(lastRemoval, now).compareTo(s.settings().reconnectBackoffCap()) > 0) {
            removalBackoff.reset();
        }
        lastRemoval = now;
        Duration delay = removalBackoff.next();
        String why = exit.describe() + "; rejoining in " + delay.toMillis() + " ms";
        log.warn("{}: lost {}: {}", s.adapter(), room, why);
        trouble.failing(why);
        dropMembership();
        rejoinTimer = s.worker().schedule(this::join, delay.toMillis(), TimeUnit.MILLISECONDS);
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
        trouble.left();
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
            return trouble.lasting() ? Standing.FAILING : Standing.JOINED;
        }
        return trouble.any() ? Standing.FAILING : Standing.JOINING;
    }

    /**
     * Worker: why the room is {@link Standing#FAILING}: its destruction, the last join's failure or removal, or a
     * nick shared with another session.
     */
    String joinProblem() {
        return trouble.describe();
    }

    /** Any thread: the room's current trouble in a phrase for error frames, or {@code null}. */
    String troubleHint() {
        return trouble.hint();
    }

    /**
     * Worker: another session shares our nick {@code who} ({@link RoomTrouble#nickShared}). Evidence: a message
     * from the nick that we did not send ({@link RoomInbox}), or a presence for the nick whose muc#user item names
     * a session of the account other than ours ({@link RoomTrouble#anotherSessionHolds}; our own earlier session,
     * should the server still hold it after a reconnect, has our resource and does not count). Logged once.
     */
    private void nickShared(String who) {
        String problem = trouble.nickShared(who);
        if (problem != null) {
            log.error("{}: room {}: {}", s.adapter(), room, problem);
            s.roomStateChanged().run();
        }
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
