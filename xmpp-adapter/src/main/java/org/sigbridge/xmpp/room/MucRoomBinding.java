package org.sigbridge.xmpp.room;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.jxmpp.stringprep.XmppStringprepException;
import org.sigbridge.xmpp.mapping.BridgeParticipants;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Participant;
import org.sigbridge.xmpp.config.BodyMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MUC room and the channels linked to it (docs/design.md §4.5, XEP-0045): it ties together the links and their
 * grace ({@link RoomLinks}), the join/rejoin lifecycle ({@link RoomMembership}), the outgoing side ({@link RoomOutbox}),
 * the incoming side ({@link RoomInbox}), what bounces of our messages mean ({@link RoomBounces}) and the occupants
 * ({@link Occupants}).
 *
 * <p>Joined through the bridge's session when its first channel links, without history; left when the
 * last link has been closed for the grace period (a link reopened meanwhile reuses the room). Rejoined
 * after every reconnect and whenever membership turns out lost ({@link RoomMembership}: a kick or a ban, a
 * {@code not-acceptable} bounce of our groupchat message, an XEP-0410 self-ping answered "not joined"); a destroyed
 * room is not rejoined, and its browsers' envelopes are refused until the channel closes. On every such loss what
 * was sent but not yet reflected by the room goes out again after the rejoin (see {@link AwaitingReflection}).
 * Other occupants become channel participants.
 *
 * <p>Addressed delivery (conf/reference/xmpp.md): an addressed envelope goes as a private message to the
 * occupant it names, or to the occupant of the bridge that announced the participant it names; a recipient
 * known to neither is refused {@code no_such_recipient}. The channels' local participants are announced in
 * our occupant's presence ({@link BridgeParticipants}), so other bridges in the room can address them; a
 * private message to one of our occupants reaches the local participant it names ({@link RoomInbox#privateInbound}).
 *
 * <p>Threading: {@link #deliver} runs on hub threads (pure mapping plus a bounded queue offer); {@link #reserve} and
 * {@link #isReleasable} run on any thread; everything else runs on the adapter's worker thread, and blocking Smack
 * calls go to the request threads. The parts it ties together keep to the same rule.
 */
public final class MucRoomBinding {

    private static final Logger log = LoggerFactory.getLogger(MucRoomBinding.class);

    /** Where a room stands, for the leg state. */
    enum Standing { UNNEEDED, JOINED, JOINING, FAILING }

    private final EntityBareJid room;
    private final RoomServices s;
    private final RoomDirectory directory;
    private final RoomMembership membership;
    private final RoomOutbox outbox;
    private final RoomInbox inbox;
    private final RoomArchive archive;
    private final RoomBounces bounces;
    private final RoomLinks links;
    private final InboundRate inboundRate;
    private final Set<String> ownNicks = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean pumpQueued = new AtomicBoolean();

    // worker-confined
    private final Occupants occupants;
    private final LocalAnnouncement announcement = new LocalAnnouncement();

    MucRoomBinding(EntityBareJid room, RoomServices services, RoomDirectory directory, String baseNick) {
        this.room = room;
        this.s = services;
        this.directory = directory;
        this.membership = new RoomMembership(room, services, baseNick, ownNicks, new MembershipEvents());
        this.outbox = new RoomOutbox(room, services, this);
        this.inbox = new RoomInbox(room, services, membership::nickShared);
        this.archive = new RoomArchive(room, services);
        this.bounces = new RoomBounces(room, services, membership, outbox);
        this.links = new RoomLinks(services.worker());
        this.inboundRate = new InboundRate(services.settings().inboundLimit(), System::nanoTime);
        this.occupants = new Occupants(services.adapter());
    }

    /** What the room does when its membership changes (worker). */
    private final class MembershipEvents implements RoomMembership.Events {
        @Override
        public void joined() {
            if (!announcement.isEmpty()) {
                announceLocal();
            }
            archive.ask(membership.joinedConnection());
            pump();
        }

        @Override
        public void dropped(boolean requeue) {
            if (requeue) {
                outbox.requeueUnconfirmed();
            }
            archive.forget();
            occupants.forgetAll(links.channels(), s.context());
        }

        @Override
        public void destroyed(String why) {
            outbox.failAll(ErrorCode.UPSTREAM_UNAVAILABLE, "XMPP room " + room + ": " + why);
        }

        @Override
        public Set<String> channels() {
            return links.channels();
        }
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
        return membership.isJoined();
    }

    /** A link is about to attach: keeps the room from being released. Any thread, under the directory's lock. */
    void reserve() {
        links.reserve();
    }

    /** No link is attached or about to attach. Any thread. */
    boolean isReleasable() {
        return links.isReleasable();
    }

    // --- hub threads ---------------------------------------------------------------------------------

    DeliveryResult deliver(Envelope envelope, BodyMode body) {
        String gone = membership.gone();
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
            result = outbox.deliverPrivate(envelope, occupant, target.get().participant(), body, archive.privateHint(),
                    membership.isJoined());
        } else {
            result = outbox.deliver(envelope, body, archive.groupchatHint(), membership.isJoined());
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
        XMPPTCPConnection in = membership.joinedConnection();
        announcement.announce(in, room, in != null ? membership.nick() : null, s.adapter());
    }

    // --- worker: links and grace ---------------------------------------------------------------------------

    void attach(RoomLink link) {
        links.attach(link);
        for (Participant p : occupants.all(link.channel())) {
            s.context().participantJoined(link.channel(), p);
        }
        membership.joinIfIdle();
    }

    private void detached(RoomLink link) {
        if (links.detach(link)) {
            links.armGrace(s.settings().roomGrace(), this::graceOver);
        }
    }

    private void graceOver() {
        if (!isReleasable() || membership.isLeft()) {
            return;
        }
        if (!outbox.isEmpty()) {
            links.armGrace(Duration.ofSeconds(1), this::graceOver); // envelopes from a publish-only channel still wait to be confirmed or expire
            return;
        }
        directory.release(this);
    }

    // --- worker: session and join ------------------------------------------------------------------------

    /** The bridge session logged in (again): join. */
    void sessionOnline(XMPPTCPConnection conn) {
        membership.sessionOnline(conn, !links.isEmpty() || !outbox.isEmpty());
    }

    /** The bridge session is gone: the room is not joined until it comes back. */
    void sessionOffline() {
        membership.sessionOffline();
    }

    private void queuedPump() {
        pumpQueued.set(false);
        pump();
    }

    /** Worker: sends what waits, in order, while the room is joined. Also called when a per-user seat settles. */
    void pump() {
        XMPPTCPConnection conn = membership.joinedConnection();
        if (conn != null) {
            outbox.pump(conn);
        }
    }

    // --- worker: incoming --------------------------------------------------------------------------------

    /** A groupchat message from this room, from the bridge session's stanza listener. */
    void inbound(Message message) {
        if (RoomArchive.announcesChange(message)) {
            archive.ask(membership.joinedConnection()); // whether it archives may have changed
        }
        if (inbox.inbound(message, links.byChannel(), ownNicks, outbox)) {
            bounces.reflected(); // the room takes our messages again
            pump(); // the confirmation opened the send window
        }
    }

    /**
     * A private message (XEP-0045 §7.5) from an occupant of this room to one of our occupants.
     *
     * @param seat the per-user occupant it was sent to, or {@code null} for the bridge occupant
     */
    void privateInbound(Message message, SenderOccupant seat) {
        inbox.privateInbound(message, links.byChannel(), ownNicks, seat, seat != null ? seat.connection() : membership.connection());
    }

    /**
     * An error bounce of a message we sent to this room (XEP-0045 §7.4, RFC 6120 §8.3), classified by
     * {@link RoomBounces}: {@code not-acceptable} through the bridge session means the room no longer counts us as an
     * occupant, so rejoin and send again; anything else is reported to the sender.
     *
     * @param viaBridge whether it came to the bridge session (else to a per-user session)
     */
    void bounced(Message error, boolean viaBridge) {
        bounces.bounced(error, viaBridge);
    }

    /** A presence from this room's occupants (ours included), from the bridge session's reader hand-off. */
    void presence(Presence presence) {
        if (!membership.inRoom() || presence.getFrom() == null || presence.getFrom().getResourceOrNull() == null) {
            return;
        }
        String who = presence.getFrom().getResourceOrThrow().toString();
        boolean available = presence.getType() == Presence.Type.available;
        if (ownNicks.contains(who)) {
            membership.ownPresence(who, presence);
            return;
        }
        occupants.seen(who, presence.getFrom().toString(), available, BridgeParticipants.from(presence), links.channels(), s.context());
    }

    /** Worker: XEP-0410 self-ping of our occupant; a definite "not joined" answer triggers a rejoin. */
    void selfPing() {
        membership.selfPing();
    }

    /** Worker: expires envelopes that waited too long and reports them to their senders. */
    void expire() {
        outbox.expire();
    }

    /** Worker: leaves the room (grace over, or shutting down); reports what is not confirmed with {@code code}. */
    void leave(ErrorCode code, String detail) {
        if (membership.isLeft()) {
            return;
        }
        String n = membership.nick();
        XMPPTCPConnection conn = membership.leave();
        links.cancelGrace();
        outbox.failAll(code, detail);
        if (conn != null && n != null) {
            s.onRequests(() -> MucJoin.leaveQuietly(conn, room, n));
        }
        log.debug("{}: left {}", s.adapter(), room);
        s.roomStateChanged().run();
    }

    /** Worker: for the leg state. */
    Standing standing() {
        return membership.standing(!links.isEmpty() || !outbox.isEmpty());
    }

    /**
     * Worker: why the room is {@link Standing#FAILING}: its destruction, the last join's failure or removal, or a
     * nick shared with another session.
     */
    String joinProblem() {
        return membership.joinProblem();
    }

    /** Any thread: the room's current trouble in a phrase for error frames, or {@code null}. */
    String troubleHint() {
        return membership.troubleHint();
    }

    /** Worker: nothing waits to be sent or confirmed. */
    boolean isDrained() {
        return outbox.isEmpty();
    }

    /** Worker: for logs and admin. */
    List<String> describe() {
        return List.of(room + " " + membership.describe() + ", channels " + links.channels() + ", " + outbox.describe());
    }
}
