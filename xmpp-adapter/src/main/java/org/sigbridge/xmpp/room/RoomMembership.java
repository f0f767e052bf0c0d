package org.sigbridge.xmpp.room;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.EntityBareJid;
import org.sigbridge.support.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge occupant's membership of one room (XEP-0045): joining through the bridge session without history,
 * rejoining with a backoff after a failed join, after a reconnect, after a removal by a moderator (§9; see
 * {@link RoomExit}) and whenever membership turns out lost, never rejoining a destroyed room (§10.9), and leaving.
 * What the room's envelopes and occupants do about it, {@link MucRoomBinding} decides through {@link Events}.
 *
 * <p>Threading: worker-confined, except {@link #isJoined()}, {@link #gone()} and {@link #troubleHint()}, which any
 * thread may call; the join itself runs on a request thread and reports back to the worker.
 */
final class RoomMembership {

    /** The room's logger: joins, losses and rejoins log under the name they always had. */
    private static final Logger log = LoggerFactory.getLogger(MucRoomBinding.class);

    private enum State { IDLE, JOINING, JOINED, LEFT }

    /** What the room does when its membership changes. Worker thread; must not block. */
    interface Events {
        /** Joined (again): announce the local participants, send what waits. */
        void joined();

        /** Membership dropped; {@code requeue}: what was sent but not reflected goes out again after the rejoin. */
        void dropped(boolean requeue);

        /** The room was destroyed; {@code why} says so. Everything waiting is to be reported. */
        void destroyed(String why);

        /** The channels linked to the room, for logs. */
        Set<String> channels();
    }

    private final EntityBareJid room;
    private final RoomServices s;
    private final String baseNick;
    private final Set<String> ownNicks;
    private final Events events;
    private final Backoff joinBackoff;
    /** Delays the rejoin after a moderator removed us; reset once the room kept us for a backoff cap. */
    private final Backoff removalBackoff;
    private final RoomTrouble trouble = new RoomTrouble();
    private volatile boolean joinedFlag;

    // worker-confined
    private State state = State.IDLE;
    private XMPPTCPConnection connection;
    private String nick;
    private int generation;
    private Instant lastRemoval;
    private ScheduledFuture<?> rejoinTimer;

    RoomMembership(EntityBareJid room, RoomServices services, String baseNick, Set<String> ownNicks, Events events) {
        this.room = room;
        this.s = services;
        this.baseNick = baseNick;
        this.ownNicks = ownNicks;
        this.events = events;
        this.joinBackoff = new Backoff(services.settings().reconnectBackoffBase(), services.settings().reconnectBackoffCap(),
                ThreadLocalRandom.current()::nextDouble);
        this.removalBackoff = new Backoff(services.settings().reconnectBackoffBase(), services.settings().reconnectBackoffCap(),
                ThreadLocalRandom.current()::nextDouble);
    }

    /** Whether the bridge occupant is in the room. Any thread. */
    boolean isJoined() {
        return joinedFlag;
    }

    /** Any thread: why the room is gone for good (destroyed), or {@code null}. */
    String gone() {
        return trouble.gone();
    }

    /** Any thread: the room's current trouble in a phrase for error frames, or {@code null}. */
    String troubleHint() {
        return trouble.hint();
    }

    /** Worker: joined now (not joining, not left). */
    boolean joinedNow() {
        return state == State.JOINED;
    }

    /** Worker: joining or joined, so the room's presences concern us. */
    boolean inRoom() {
        return state == State.JOINING || state == State.JOINED;
    }

    boolean isLeft() {
        return state == State.LEFT;
    }

    /** Worker: the bridge session's connection while joined, else {@code null}. */
    XMPPTCPConnection joinedConnection() {
        return state == State.JOINED ? connection : null;
    }

    /** Worker: the bridge session's connection, or {@code null} while it is down. */
    XMPPTCPConnection connection() {
        return connection;
    }

    /** Worker: our nick in the room, once joined. */
    String nick() {
        return nick;
    }

    /** Worker: a link attached; join unless joining or joined already. */
    void joinIfIdle() {
        if (state == State.IDLE && connection != null) {
            join();
        }
    }

    /** Worker: the bridge session logged in (again); joins when the room is {@code needed} by a link or an envelope. */
    void sessionOnline(XMPPTCPConnection conn, boolean needed) {
        if (connection == conn) {
            return;
        }
        connection = conn;
        if (state != State.LEFT && trouble.gone() == null && needed) {
            state = State.IDLE;
            join();
        }
    }

    /** Worker: the bridge session is gone: the room is not joined until it comes back. */
    void sessionOffline() {
        connection = null;
        drop();
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
        events.joined();
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

    /**
     * Worker: a presence for one of our nicks. A presence for our nick naming another session of the account means
     * the nick is shared ({@link #nickShared}); our own unavailable presence while joined means we were removed.
     */
    void ownPresence(String who, Presence presence) {
        if (who.equals(nick) && RoomTrouble.anotherSessionHolds(presence, connection)) {
            nickShared(who);
        }
        if (presence.getType() != Presence.Type.available && who.equals(nick) && state == State.JOINED) {
            removed(RoomExit.of(presence));
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
                lost("XEP-0410 self-ping says we are no longer an occupant");
            }
        }));
    }

    /** Worker: the room no longer counts us in (a bounce, a self-ping): drop and rejoin at once. */
    void lost(String why) {
        s.stats().membershipLost().increment();
        log.warn("{}: lost {} ({}); rejoining", s.adapter(), room, why);
        drop();
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
                    + " they close", s.adapter(), room, why, events.channels());
            trouble.destroyed(why); // before the drop, so that its leg report already says why
            drop();
            events.destroyed(why);
            return;
        }
        Instant now = s.context().clock().instant();
        if (lastRemoval != null && Duration.between(lastRemoval, now).compareTo(s.settings().reconnectBackoffCap()) > 0) {
            removalBackoff.reset();
        }
        lastRemoval = now;
        Duration delay = removalBackoff.next();
        String why = exit.describe() + "; rejoining in " + delay.toMillis() + " ms";
        log.warn("{}: lost {}: {}", s.adapter(), room, why);
        trouble.failing(why);
        drop();
        rejoinTimer = s.worker().schedule(this::join, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void drop() {
        generation++;
        joinedFlag = false;
        boolean requeue = state != State.LEFT;
        if (requeue) {
            state = State.IDLE;
        }
        cancel(rejoinTimer);
        events.dropped(requeue);
        s.roomStateChanged().run();
    }

    /**
     * Worker: marks the room left (grace over, or shutting down) and stops rejoining.
     *
     * @return the connection to send the leave presence through, or {@code null} when we were not in the room
     */
    XMPPTCPConnection leave() {
        boolean in = state == State.JOINED || state == State.JOINING;
        generation++;
        joinedFlag = false;
        trouble.left();
        state = State.LEFT;
        cancel(rejoinTimer);
        return in ? connection : null;
    }

    /** Worker: for the leg state; {@code needed}: a link is attached or an envelope waits. */
    MucRoomBinding.Standing standing(boolean needed) {
        if (state == State.LEFT || !needed) {
            return MucRoomBinding.Standing.UNNEEDED;
        }
        if (state == State.JOINED) {
            return trouble.lasting() ? MucRoomBinding.Standing.FAILING : MucRoomBinding.Standing.JOINED;
        }
        return trouble.any() ? MucRoomBinding.Standing.FAILING : MucRoomBinding.Standing.JOINING;
    }

    /** Worker: why the room is failing ({@link RoomTrouble#describe}). */
    String joinProblem() {
        return trouble.describe();
    }

    /**
     * Worker: another session shares our nick {@code who} ({@link RoomTrouble#nickShared}). Evidence: a message
     * from the nick that we did not send ({@link RoomInbox}), or a presence for the nick whose muc#user item names
     * a session of the account other than ours ({@link RoomTrouble#anotherSessionHolds}; our own earlier session,
     * should the server still hold it after a reconnect, has our resource and does not count). Logged once.
     */
    void nickShared(String who) {
        String problem = trouble.nickShared(who);
        if (problem != null) {
            log.error("{}: room {}: {}", s.adapter(), room, problem);
            s.roomStateChanged().run();
        }
    }

    /** Worker: {@code JOINED as relay}, for logs and admin. */
    String describe() {
        return state + " as " + nick;
    }

    static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
