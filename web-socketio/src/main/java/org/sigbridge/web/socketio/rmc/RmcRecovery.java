package org.sigbridge.web.socketio.rmc;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.ResumeResult;
import org.sigbridge.spi.cluster.SharedRecords;
import org.sigbridge.web.socketio.sio.SioSocket;
import org.sigbridge.web.socketio.sio.SocketFamily;
import org.sigbridge.web.socketio.sio.codec.SioPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * socket.io 4.6+ connection state recovery for RTCMultiConnection users (docs/socketio.md, "Connection state
 * recovery"). An RTCMultiConnection page never joins its room again after a reconnect (the library only acts on its
 * first {@code connect}), so a user whose transport breaks is kept as it is — userid, room, links, hub subscription,
 * present to the others — for {@code max-disconnection-duration}, and what it is sent meanwhile is kept in its
 * {@link RmcLine}. A socket that comes back with the session's {@code pid} and the offset of the last event it got takes
 * the user over ({@code socket.recovered === true}) and gets the events after that offset, once, in order, before any
 * newer one. Anything else — after the window, an offset the line no longer holds, a token of another sender — ends the
 * kept user as a disconnect would ({@code user-disconnected} to its peers, the room handed over) and admits the socket
 * afresh ({@code recovered === false}). A user that leaves on purpose (a DISCONNECT packet) is gone at once.
 *
 * <p>On a cluster (docs/cluster.md §2, docs/design.md §3.8) a socket may come back to an instance that never kept its
 * user: the session it claimed from Redis carries the user's {@link RmcState} and its offset the room's position
 * ({@link RmcOffset}), so the user is put back into its room and resumed from the room channel's log
 * ({@link #elsewhere}). The instance that kept it lets it go when it hears the userid join the room from elsewhere
 * ({@link #takenElsewhere}) and hands on what its own users had sent it directly ({@link RmcUser#movedAway}). An
 * instance that goes away (a stop, a drain's deadline) keeps nobody: it hands its kept users over at once, their leaves
 * held for the cluster's presence grace ({@link #handOverKept}, docs/cluster.md §4).
 *
 * <p>Threads: connects on the new session's reader (or a Redis thread after a claim from the cluster), transport ends
 * on the old one's, expiries and let-gos on the web host's timer, the end of a resume across instances on the cluster's
 * thread.
 * The map of kept users is guarded by this object's lock, taken before the family's and a line's lock, never after; a
 * kept user is ended under it.
 */
final class RmcRecovery {

    private static final Logger log = LoggerFactory.getLogger(RmcRecovery.class);

    private final RmcFamily family;
    private final Duration window;
    private final ScheduledExecutorService timer;
    /** Users whose transport broke, by endpoint id; each entry a new object, so a late expiry cannot end a newer one. */
    private final Map<String, Away> away = new HashMap<>();

    private static final class Away {
        final RmcUser user;
        /** When the window ends ({@link System#nanoTime}): a return after it is no recovery, however late the timer. */
        final long deadlineNanos;

        Away(RmcUser user, long deadlineNanos) {
            this.user = user;
            this.deadlineNanos = deadlineNanos;
        }
    }

    RmcRecovery(RmcFamily family, Duration window, ScheduledExecutorService timer) {
        this.family = family;
        this.window = window;
        this.timer = timer;
    }

    /**
     * A CONNECT with recovery on: takes a kept user of this instance over when it can; else, when the session it
     * claimed carries an {@link RmcState} (its user was kept on another instance of a cluster), puts the user back into
     * its room from the room channel's log ({@link #elsewhere}); else admits the socket afresh.
     */
    SocketFamily.Member connect(SioSocket socket, SocketFamily.Recovery r) {
        Optional<RmcOffset> offset = RmcOffset.parse(r.offset());
        Position since = offset.map(RmcOffset::line).orElse(r.since());
        RmcUser back = r.since() == null ? null : take(r.ownEndpointIds());
        if (back != null) {
            boolean sameSender = socket.verifiedSender().map(back.userid::equals).orElse(true);
            int replayed = sameSender ? back.line.resume(socket, since, () -> r.answer(true, back.line.position())) : -1;
            if (replayed >= 0) {
                log.debug("{}: RTCMultiConnection user {} recovered its session on {} ({} events sent again)",
                        socket.session().id(), back.userid, socket.id(), replayed);
                back.stateSink = r::save;
                back.saveState();
                return new Attachment(back, socket, false);
            }
            log.debug("{}: RTCMultiConnection user {} came back but could not recover (offset {} not kept); it starts afresh",
                    socket.session().id(), back.userid, since == null ? null : since.wire());
            back.onDisconnect(); // gone for good, before the new socket takes its userid
        } else if (r.since() != null && family.hub.sharedRecords().isPresent()) { // kept on another instance of a cluster
            Optional<RmcState> state = RmcState.parse(r.state());
            Position roomSince = state.map(st -> roomSince(st, offset, r.offset() == null)).orElse(null);
            if (roomSince != null) {
                Position pageAt = offset.map(RmcOffset::line).orElse(new Position(state.get().entered().epoch(), 0));
                return elsewhere(socket, r, state.get(), roomSince, pageAt);
            }
        }
        RmcUser user = family.newUser(socket, true, false);
        user.stateSink = r::save;
        boolean registered = family.register(user); // before the answer: a peer told of the connect finds the userid
        r.answer(false, user.line.position());
        family.tellIfTaken(user, registered);
        return new Attachment(user, socket, false);
    }

    /**
     * Where in its room's channel a user kept elsewhere resumes: the room position its offset carries, or where it
     * entered the room when it got no room envelope since; {@code null} when its offset is of before it entered (it
     * missed more than the room) or names no room position (no cluster log cut: the log cannot resume it).
     */
    static Position roomSince(RmcState state, Optional<RmcOffset> offset, boolean noOffset) {
        if (noOffset) {
            return state.entered().offset() == 0 ? state.at() : null;
        }
        if (offset.isEmpty() || !offset.get().line().epoch().equals(state.entered().epoch())
                || offset.get().line().offset() < state.entered().offset()) {
            return null;
        }
        return offset.get().room() != null ? offset.get().room() : state.at();
    }

    /**
     * A user whose stream was kept on another instance (docs/cluster.md §2): made again from the reconnecting
     * handshake's query and its {@link RmcState}, put back into its room, and subscribed from {@code roomSince} by
     * {@code AdapterContext.resumeAsync}, which replays what the room channel's log holds after it — the room's
     * messages and those addressed to this userid, never the user's own — before anything newer. What arrives meanwhile
     * is kept in the user's line ({@link RmcLine#attachHeld}) and written after the CONNECT answer, which is
     * {@code recovered} when the log held the position. The user is registered under its userid only then, so a peer of
     * this instance that messages it meanwhile goes through the room's channel, behind the replay.
     */
    private SocketFamily.Member elsewhere(SioSocket socket, SocketFamily.Recovery r, RmcState state, Position roomSince,
                                         Position pageAt) {
        // for the old instance, if it lives: what its users sent the page directly after this is handed on (movedAway);
        // written before the user joins the room here, which is what tells that instance
        family.hub.sharedRecords().ifPresent(records -> records.put(movedKey(pageAt.epoch()), pageAt.wire(), window)
                .whenComplete((ok, e) -> {
                    if (e != null) {
                        log.debug("RTCMultiConnection user's page position not written to the cluster ({})", e.toString());
                    }
                }));
        RmcUser user = family.newUser(socket, true, true);
        synchronized (family) {
            Room room = family.rooms.get(state.room());
            if (room == null || room.participants.isEmpty()) {
                room = new Room(state.room(), user.maxParticipants);
                room.owner = state.owner() ? user.userid : null;
                family.rooms.put(state.room(), room);
            }
            room.participants.add(user.userid);
            user.room = state.room();
            user.extra = state.extra();
        }
        user.enteredRoom(state.room(), roomSince);
        Attachment attachment = new Attachment(user, socket, true);
        family.hub.resumeAsync(user, state.room(), roomSince, r.ownEndpointIds())
                .thenAccept(result -> resumedElsewhere(user, socket, r, result, attachment));
        return attachment;
    }

    private void resumedElsewhere(RmcUser user, SioSocket socket, SocketFamily.Recovery r, ResumeResult result, Attachment attachment) {
        boolean registered = family.register(user);
        boolean recovered = registered && result instanceof ResumeResult.Recovered;
        if (!recovered && registered) {
            List<Runnable> after;
            synchronized (family) {
                after = RoomRequests.leaveLocked(user, false);
            }
            after.forEach(Runnable::run);
        } else if (!registered) { // another page holds the userid here: its room entry is that one's, left alone
            String room;
            synchronized (family) {
                room = user.room;
                user.room = null;
            }
            family.hub.unsubscribe(user, room);
            user.leftRoom();
        }
        int written = user.line.attachHeld(socket, complete -> r.answer(recovered && complete, user.line.position()));
        log.debug("{}: RTCMultiConnection user {} came back from another instance: {} ({} events written)", socket.session().id(),
                user.userid, recovered ? "recovered" : "not recovered (" + result + ")", written);
        user.stateSink = r::save;
        user.saveState();
        family.tellIfTaken(user, registered);
        if (attachment.answered()) {
            away(user, socket); // the transport broke while the log was read: kept for the window, as any other
        }
    }

    /**
     * The transport of {@code socket} broke: its user is kept for the window, unless another socket took it over. On a
     * cluster whose instance closes its connections for good ({@link RmcFamily#handingOver}: a stop, a drain's
     * deadline) the kept users are handed over at once instead ({@link #handOverKept}).
     */
    void away(RmcUser user, SioSocket socket) {
        Away entry = new Away(user, System.nanoTime() + window.toNanos());
        synchronized (this) {
            if (!user.line.current(socket)) {
                return;
            }
            user.line.detach(socket);
            away.put(user.id(), entry);
            if (family.handingOver() && family.hub.sharedRecords().isPresent()) {
                handOverKept();
                return;
            }
        }
        try {
            timer.schedule(() -> expire(entry), window.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            expire(entry);
        }
    }

    /**
     * A kept user whose page came back afresh (a reload, or after the window: no recovery) under its userid: gone for
     * good now. Waits for an expiry that is ending it at the same moment, so that the userid is free on return.
     */
    synchronized void release(RmcUser user) {
        Away entry = away.get(user.id());
        if (entry != null && entry.user == user) {
            away.remove(user.id());
            user.onDisconnect();
        }
    }

    /**
     * A kept user's userid joined its room from another instance of the cluster: its client came back there and took
     * its session (docs/cluster.md §2). Any thread (the cluster's, during a presence announcement): only enqueues on
     * the timer, which lets the user go quietly ({@link RmcUser#movedAway}) if it is still kept.
     */
    void takenElsewhere(RmcUser user) {
        Optional<SharedRecords> records = family.hub.sharedRecords();
        if (records.isEmpty()) {
            return;
        }
        // where its page stands in this instance's stream, as the instance it came back to wrote it down (elsewhere)
        records.get().take(movedKey(user.line.position().epoch())).handle((got, failure) -> {
            Position page = got == null ? null : got.flatMap(Position::parse).orElse(null);
            try {
                timer.execute(() -> endMoved(user, page));
            } catch (RejectedExecutionException stopping) {
                // the web host is stopping: its users end with it
            }
            return null;
        });
    }

    private synchronized void endMoved(RmcUser user, Position page) {
        Away entry = away.get(user.id());
        if (entry != null && entry.user == user) {
            away.remove(user.id());
            log.debug("RTCMultiConnection user {} came back on another instance (its page at {}); let go here", user.userid,
                    page == null ? "an unknown place" : page.wire());
            user.movedAway(page, timer);
        }
    }

    /**
     * This instance goes away (docs/cluster.md §4, the presence grace): every kept user is let go quietly now, as one
     * taken elsewhere is ({@link RmcUser#handedOver}): its session in Redis keeps its room, so its client resumes on
     * another instance, and its leave is held back for {@code cluster.presence-grace}, so the room's members elsewhere
     * never see it leave when it comes back within the grace. What this instance's users had written to it directly is
     * published again, addressed to it in their rooms. Under this lock.
     */
    private void handOverKept() {
        List<Away> all = List.copyOf(away.values());
        away.clear();
        for (Away a : all) {
            log.debug("RTCMultiConnection user {} handed over: its instance goes away", a.user.userid);
            a.user.handedOver(timer);
        }
    }

    /** The cluster record where an instance that takes a user over writes where its page stood in the old stream. */
    private static String movedKey(String streamEpoch) {
        return "rmc:moved:" + streamEpoch;
    }

    /**
     * The window passed: the user ends as a disconnect ends it. Under this lock (the disconnect only takes the family's
     * lock and enqueues), so {@link #release} never sees a user half ended.
     */
    private synchronized void expire(Away entry) {
        if (away.remove(entry.user.id(), entry)) {
            entry.user.onDisconnect();
        }
    }

    /**
     * The user a returning session names by its former endpoint ids: a kept one (no longer kept then), or one whose old
     * session has not noticed yet that its transport broke (the new connection came first).
     */
    private RmcUser take(Set<String> endpointIds) {
        synchronized (this) {
            for (String id : endpointIds) {
                Away entry = away.remove(id);
                if (entry != null) {
                    if (System.nanoTime() - entry.deadlineNanos > 0) {
                        // the window has passed and its expiry is late (a busy timer): ended now, as the expiry
                        // would have (socket.io's own restore checks the disconnection time the same way)
                        entry.user.onDisconnect();
                        continue;
                    }
                    return entry.user;
                }
            }
        }
        synchronized (family) {
            return family.users.values().stream().filter(u -> endpointIds.contains(u.id())).findFirst().orElse(null);
        }
    }

    /**
     * One socket's hold on a user. Events and a DISCONNECT count only while this socket is the user's current one (an
     * old session that closes late cannot end a user another socket took over).
     */
    private final class Attachment implements SocketFamily.Member {
        private final RmcUser user;
        private final SioSocket socket;
        /** Resuming from another instance: the line is attached when the log was read (guarded by this). */
        private boolean pending;
        /** The transport broke while pending (guarded by this). */
        private boolean closedWhilePending;
        /** The socket left on purpose (a DISCONNECT) while pending (guarded by this). */
        private boolean leftWhilePending;

        Attachment(RmcUser user, SioSocket socket, boolean pending) {
            this.user = user;
            this.socket = socket;
            this.pending = pending;
        }

        /**
         * The line is attached now: a socket that left on purpose meanwhile ends the user; whether the transport broke
         * meanwhile (the caller then keeps the user for the window).
         */
        boolean answered() {
            boolean left;
            boolean closed;
            synchronized (this) {
                pending = false;
                left = leftWhilePending;
                closed = closedWhilePending;
            }
            if (left) {
                user.onDisconnect();
                return false;
            }
            return closed;
        }

        @Override
        public void onEvent(SioPacket event) {
            if (user.line.current(socket)) {
                user.onEvent(event);
            } else {
                family.stats.countIgnoredFrame();
            }
        }

        @Override
        public void onDisconnect() {
            synchronized (this) {
                if (pending) {
                    leftWhilePending = true;
                    return;
                }
            }
            if (user.line.current(socket)) {
                user.onDisconnect();
            }
        }

        @Override
        public void onTransportClosed() {
            synchronized (this) {
                if (pending) {
                    closedWhilePending = true;
                    return;
                }
            }
            away(user, socket);
        }
    }
}
