package org.sigbridge.web.socketio.rmc;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.web.session.EnvelopeReceipt;
import org.sigbridge.web.socketio.sio.SioSocket;
import org.sigbridge.web.socketio.sio.SocketFamily;
import org.sigbridge.web.socketio.sio.codec.SioPacket;

/**
 * One RTCMultiConnection user: its socket, and the hub endpoint presenting participant {@code userid}. Dispatches the
 * socket's events to {@link RoomRequests}, {@link UserRequests} and, when its query enables it, {@link ScalableBroadcast};
 * an event of no meaning here (scalable broadcast's when not enabled, the admin's, anything unknown) is ignored and
 * counted. A user whose {@code userid} was taken is inert: it ignores
 * everything, as the reference registers no handler for it.
 *
 * <p>Threads: events and {@link #onDisconnect} one at a time on the session's reader; {@link #deliver} from any thread.
 * Fields marked "guarded" are read and written under the family's lock.
 */
final class RmcUser implements SocketFamily.Member, Endpoint {

    final RmcFamily family;
    final SioSocket socket;
    /** What the user is sent, through the socket it is attached to now (connection state recovery: {@link RmcLine}). */
    final RmcLine line;
    final String msgEvent;
    final String customEvent;
    final int maxParticipants;
    /** The query's {@code enableScalableBroadcast} ({@link ScalableBroadcast}). */
    final boolean scalable;
    /** The query's {@code maxRelayLimitPerUser}: receivers this user may serve in a broadcast (default 2). */
    final int maxRelay;
    /** The userid this user's first {@code join-broadcast} registered, or {@code null} (guarded by {@link ScalableBroadcast}). */
    String broadcastKey;
    /** The userid; changed by {@code changed-uuid} (written under the family's lock). */
    volatile String userid;
    /** The user's extra data (guarded). */
    JsonValue extra;
    /** {@code autoCloseEntireSession}, forced on by opening a one-way session (guarded). */
    boolean autoClose;
    /** Users this one exchanged messages with (guarded). */
    final Set<String> linked = new LinkedHashSet<>();
    /** The room opened or joined, or {@code null} (guarded). */
    String room;
    /** Events this socket asked to have broadcast ({@code set-custom-socket-event-listener}); reader thread only. */
    final Set<String> customListeners = new HashSet<>();
    private volatile boolean inert;
    private volatile boolean gone;
    /** Let go because this instance goes away while the user was kept for recovery ({@link #handedOver}). */
    private volatile boolean handedOver;
    /**
     * Keeps the user's {@link RmcState} with its recovery session (connection state recovery on a cluster,
     * docs/cluster.md §2); a no-op until {@link RmcRecovery} sets it.
     */
    volatile java.util.function.Consumer<String> stateSink = state -> { };
    /** Where the user entered its room: its stream position, and the room channel's (guarded). */
    private Position enteredAt;
    private Position roomAt;

    RmcUser(RmcFamily family, SioSocket socket, String userid, String msgEvent, String customEvent, JsonValue extra,
            int maxParticipants, boolean autoClose, boolean offsets) {
        this(family, socket, userid, msgEvent, customEvent, extra, maxParticipants, autoClose, offsets, false);
    }

    /** @param held the user resumes on another instance: what it is sent is kept until its socket is attached ({@link RmcLine}) */
    RmcUser(RmcFamily family, SioSocket socket, String userid, String msgEvent, String customEvent, JsonValue extra,
            int maxParticipants, boolean autoClose, boolean offsets, boolean held) {
        this.family = family;
        this.socket = socket;
        this.line = new RmcLine(socket, offsets, held);
        this.userid = userid;
        this.msgEvent = msgEvent;
        this.customEvent = customEvent;
        this.extra = extra;
        this.maxParticipants = maxParticipants;
        this.autoClose = autoClose;
        String scalableQuery = socket.query().getValue("enableScalableBroadcast");
        this.scalable = "true".equals(scalableQuery);
        this.maxRelay = ScalableBroadcast.maxRelay(socket.query().getValue("maxRelayLimitPerUser"));
    }

    void makeInert() {
        inert = true;
    }

    @Override
    public void onEvent(SioPacket event) {
        if (inert) {
            family.stats.countIgnoredFrame();
            return;
        }
        if (!RmcIdentity.permits(this, event)) {
            return; // verified identity refused it, in the event's terms
        }
        String name = event.eventName();
        List<JsonValue> args = event.eventArgs();
        JsonValue first = args.isEmpty() ? JsonValue.nullValue() : args.get(0);
        switch (name) {
            case "check-presence" -> RoomRequests.checkPresence(this, event, first);
            case "open-room" -> RoomRequests.open(this, event, Json.fields(first));
            case "join-room" -> RoomRequests.join(this, event, Json.fields(first));
            case "set-password" -> RoomRequests.setPassword(this, event, first);
            case "is-valid-password" -> RoomRequests.isValidPassword(this, event, first, args.size() > 1 ? args.get(1) : JsonValue.nullValue());
            case "get-public-rooms" -> RoomRequests.publicRooms(this, event, first);
            case "close-entire-session" -> RoomRequests.closeEntireSession(this, event);
            case "extra-data-updated" -> UserRequests.extraDataUpdated(this, first);
            case "get-remote-user-extra-data" -> UserRequests.remoteExtra(this, event, first);
            case "changed-uuid" -> UserRequests.changedUuid(this, event, first);
            case "disconnect-with" -> UserRequests.disconnectWith(this, event, first);
            case "set-custom-socket-event-listener" -> UserRequests.listenFor(this, first);
            default -> {
                if (name.equals(msgEvent)) {
                    UserRequests.message(this, event, Json.fields(first));
                } else if (name.equals(customEvent) || customListeners.contains(name)) {
                    UserRequests.custom(this, name, first);
                } else if (!scalable || !family.broadcasts.onEvent(this, event, first)) {
                    family.stats.countIgnoredFrame(); // scalable broadcast's when not enabled, admin, or unknown: docs/socketio.md
                }
            }
        }
    }

    /** Answers the event's ack request, if it made one. */
    void ack(SioPacket event, JsonValue... args) {
        if (event.wantsAck()) {
            line.ack(event.ackId(), List.of(args));
        }
    }

    void emit(String name, JsonValue... args) {
        line.emit(name, List.of(args));
    }

    /** Subscribes to a room's channel; a refusal by the routes is an {@code error} event. */
    boolean subscribe(String channel) {
        if (family.hub.subscribe(this, channel) instanceof SubscribeResult.Refused refused) {
            emit("error", RmcFamily.errorValue(refused.code(), refused.detail(), null));
            return false;
        }
        enteredRoom(channel, family.hub.position(channel).orElse(null));
        return true;
    }

    /**
     * The user is in room {@code channel} from {@code at} (the channel's position then, or {@code null}): its offsets
     * carry the room's position from now on, and its state is saved for a return elsewhere.
     */
    void enteredRoom(String channel, Position at) {
        long before = line.enteredRoom(channel, at);
        synchronized (family) {
            enteredAt = new Position(line.position().epoch(), before);
            roomAt = at;
        }
        saveState();
    }

    /** The user left its room (called after the unsubscription). */
    void leftRoom() {
        line.leftRoom();
        saveState();
    }

    /** Saves the user's {@link RmcState} with its recovery session: its room, ownership, extra; none without a room. */
    void saveState() {
        String state = null;
        synchronized (family) {
            Room r = room == null ? null : family.rooms.get(room);
            if (r != null && enteredAt != null) {
                state = new RmcState(room, userid.equals(r.owner), extra, enteredAt, roomAt).write();
            }
        }
        stateSink.accept(state);
    }

    /**
     * Publishes a message on a room's channel, to its participants (recipient {@code null}) or to one of them. A
     * recipient nowhere is told to the sender as {@code user-not-found(recipient)}; other refusals as {@code error}.
     */
    void publish(String channel, JsonValue value, String recipient) {
        Envelope envelope = new Envelope(family.hub.envelopeIds().next(), channel, JsonValue.string(userid), value,
                new Origin(family.adapter, id()), family.hub.clock().instant());
        if (recipient != null) {
            envelope = envelope.addressedTo(recipient);
        }
        if (family.hub.publish(envelope, this) instanceof PublishResult.Refused refused) {
            if (refused.code() == ErrorCode.NO_SUCH_RECIPIENT && recipient != null) {
                emit("user-not-found", JsonValue.string(recipient));
            } else {
                emit("error", RmcFamily.errorValue(refused.code(), refused.detail(), envelope.id()));
            }
        }
    }

    /** Leaves the room, tells the linked users {@code user-disconnected}, and detaches from the hub. */
    @Override
    public void onDisconnect() {
        if (gone) {
            return; // once: a kept user (connection state recovery) may be ended by its expiry and by a late close
        }
        gone = true;
        if (!inert) {
            UserRequests.disconnected(this);
            family.broadcasts.disconnected(this);
        }
        family.hub.detach(this);
        // messages kept for a return that never came (connection state recovery): their senders are told by id
        line.takeUnsent().forEach(r -> r.notWritten("user " + userid + " did not come back within max-disconnection-duration"));
    }

    /**
     * Its client came back on another instance of the cluster, which took its session ({@link RmcRecovery}): this
     * instance lets it go without telling its peers it left, keeps no state for it (its session is the other
     * instance's now: nothing is saved for it any more) and reports nothing kept for it (what came through the room's
     * log reached it there). The messages users of this instance wrote into its line directly after the last event its
     * page got ({@code got}, which the instance it came back to wrote down; {@code null} when unknown: those since its
     * transport broke), which are on no log, are published again, addressed to it in their senders' rooms, so they
     * reach it there through the room's channel, after what it missed from the log, in each sender's order; so is any
     * such message written after this ({@link RmcLine#forwardTo}). docs/design.md §3.8 states what is not recovered.
     */
    void movedAway(Position got, java.util.concurrent.Executor notices) {
        if (gone) {
            return;
        }
        gone = true;
        stateSink = state -> { };
        if (!inert) {
            UserRequests.movedAway(this);
            family.broadcasts.disconnected(this);
        }
        family.hub.detach(this);
        line.takeUnsent();
        String to = userid;
        // under the line's lock (so in order): the hub only enqueues for the cluster; a refusal is told to its sender
        // through {@code notices}, never from under this lock
        line.forwardTo(got, (from, value) -> from.publishTo(to, value, notices));
    }

    /**
     * This instance goes away while the user is kept for connection state recovery on a cluster ({@link RmcRecovery}):
     * let go as {@link #movedAway} lets it go (its page position unknown), but its leaves are marked
     * {@linkplain #resumesElsewhere resuming elsewhere}, so the cluster holds them back for its presence grace.
     */
    void handedOver(java.util.concurrent.Executor notices) {
        handedOver = true;
        movedAway(null, notices);
    }

    /**
     * Publishes a message of this user's, written for user {@code to} of this instance before {@code to} moved to
     * another one, addressed to it in this user's room; a refusal ({@code user-not-found}, {@code error}) is emitted
     * through {@code notices}. Called under {@code to}'s line lock, so it takes no line lock itself.
     */
    private void publishTo(String to, JsonValue value, java.util.concurrent.Executor notices) {
        String myRoom = roomNow();
        if (myRoom == null) { // a sender in no room cannot address it elsewhere, as pointToPoint
            later(notices, () -> emit("user-not-found", JsonValue.string(to)));
            return;
        }
        Envelope envelope = new Envelope(family.hub.envelopeIds().next(), myRoom, JsonValue.string(userid), value,
                new Origin(family.adapter, id()), family.hub.clock().instant()).addressedTo(to);
        if (family.hub.publish(envelope, this) instanceof PublishResult.Refused refused) {
            String id = envelope.id();
            later(notices, () -> {
                if (refused.code() == ErrorCode.NO_SUCH_RECIPIENT) {
                    emit("user-not-found", JsonValue.string(to));
                } else {
                    emit("error", RmcFamily.errorValue(refused.code(), refused.detail(), id));
                }
            });
        }
    }

    private static void later(java.util.concurrent.Executor notices, Runnable notice) {
        try {
            notices.execute(notice);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the web host is stopping: its users end with it
        }
    }

    /** The user's room now, or {@code null}. */
    String roomNow() {
        synchronized (family) {
            return room;
        }
    }

    /**
     * The hub's presence events on its room: this userid joining from another instance while this user is kept for a
     * return ({@link RmcLine#detached}) means its client came back there. Called on the hub's or the cluster's thread:
     * only hands the case to the recovery's timer.
     */
    @Override
    public void presenceChanged(PresenceEvent event) {
        if (event.kind() == PresenceEvent.Kind.JOINED && event.endpointId() == null && event.participant().id().equals(userid)
                && line.detached()) {
            family.takenElsewhere(this);
        }
    }

    // ---- Endpoint -----------------------------------------------------------------------------------------------

    @Override
    public String id() {
        return socket.endpointId();
    }

    @Override
    public String adapter() {
        return family.adapter;
    }

    @Override
    public Participant participant() {
        String u = userid;
        return new Participant(family.adapter, u, u);
    }

    /**
     * Whether the user was handed over ({@link #handedOver}): its client comes back on another instance with its
     * userid, which its recovery session in Redis names (docs/cluster.md §4).
     */
    @Override
    public boolean resumesElsewhere() {
        return handedOver;
    }

    /** An RTCMultiConnection user recovers from its own stream ({@link RmcLine}), never from the hub's history (docs/design.md §3.8): its channels' history need not keep envelopes for it. */
    @Override
    public boolean resumes() {
        return false;
    }

    /**
     * A message for this user: an addressed one as it is; a room fan-out (a participation request) with
     * {@code remoteUserId} rewritten to this user, as the reference rewrites each copy.
     */
    @Override
    public DeliveryResult deliver(Envelope envelope) {
        return deliver(envelope, null);
    }

    /** As {@link #deliver(Envelope)}; an envelope of the user's room moves the room position its offsets carry ({@link RmcOffset}). */
    @Override
    public DeliveryResult deliver(Envelope envelope, Position position) {
        String u = userid;
        if (gone) { // handed after it left (a fan-out's subscribers are read when it begins): told by id, docs/design.md §2.4
            new EnvelopeReceipt(envelope, family.hub, id()).notWritten("the RTCMultiConnection user has left");
            return new DeliveryResult.Rejected(ErrorCode.SHUTTING_DOWN, "user " + u + " is gone");
        }
        JsonValue value = envelope.message();
        if (!envelope.isAddressed()) {
            value = Json.with(Json.fields(value), "remoteUserId", JsonValue.string(u));
        }
        if (!line.emit(msgEvent, List.of(value), new EnvelopeReceipt(envelope, family.hub, id()), envelope.channel(), position)) {
            return new DeliveryResult.Rejected(ErrorCode.UPSTREAM_UNAVAILABLE, "user " + u + " is closed or a slow consumer");
        }
        return DeliveryResult.DELIVERED;
    }

    @Override
    public void deliveryFailed(DeliveryFailure failure) {
        // a report (through the queue's reserve, SioSocket#report): it may be one of a burst after a slow consumer's close
        line.report("error", List.of(RmcFamily.errorValue(failure.code(), failure.detail(), failure.envelopeId())));
    }
}
