package org.sigbridge.web.socketio.rmc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.sigbridge.web.socketio.engine.HandshakeQuery;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.socketio.sio.SioSocket;
import org.sigbridge.web.socketio.sio.SocketFamily;

/**
 * RTCMultiConnection v3's server (rtcmulticonnection-server 1.3.3, docs/dialects.md §6.4, docs/socketio.md
 * "RTCMultiConnection"). Rooms are hub channels named by the room id; a user is a hub endpoint whose participant id is
 * its {@code userid} ({@link RmcUser}). This class admits users (a {@code userid} already connected gets
 * {@code userid-already-taken} and an inert socket, as the reference does) and keeps the users and rooms of this bridge;
 * the events are served by {@link RoomRequests} (rooms, passwords, public rooms) and {@link UserRequests} (messages,
 * extra data, renames, custom events).
 *
 * <p>Threads: a user's events come one at a time from its session's reader; {@link #users} and {@link #rooms} are
 * shared and guarded by this object's lock, held only to decide: emits and hub calls happen after it is released.
 */
public final class RmcFamily implements SocketFamily {

    final String adapter;
    final AdapterContext hub;
    final WebStats stats;
    /** Connected users by userid (guarded by this). */
    final Map<String, RmcUser> users = new HashMap<>();
    /** Rooms by id (guarded by this). */
    final Map<String, Room> rooms = new HashMap<>();

    /** The relay trees of scalable broadcast, for users whose query enables it. */
    final ScalableBroadcast broadcasts = new ScalableBroadcast();

    /** Connection state recovery for RTCMultiConnection users, or {@code null} when it is off. */
    private final RmcRecovery recovery;
    private final java.util.function.BooleanSupplier drainDeadlinePassed;
    /** Set by {@link #stopping}: the web host closes its connections for good. */
    private volatile boolean stopping;

    public RmcFamily(String adapter, AdapterContext hub, WebStats stats) {
        this(adapter, hub, stats, null, null);
    }

    /**
     * @param recoveryWindow {@code socketio.connection-state-recovery.max-disconnection-duration}, or {@code null} when
     *                       recovery is off
     * @param timer          the web host's timer, which ends a user that did not come back within the window
     */
    public RmcFamily(String adapter, AdapterContext hub, WebStats stats, java.time.Duration recoveryWindow,
                     java.util.concurrent.ScheduledExecutorService timer) {
        this(adapter, hub, stats, recoveryWindow, timer, () -> false);
    }

    /**
     * @param drainDeadlinePassed whether the web host's drain deadline passed ({@code DrainState.deadlinePassed}): the
     *                            connections closed from then on are closed for good, as by a stop ({@link #stopping})
     */
    public RmcFamily(String adapter, AdapterContext hub, WebStats stats, java.time.Duration recoveryWindow,
                     java.util.concurrent.ScheduledExecutorService timer, java.util.function.BooleanSupplier drainDeadlinePassed) {
        this.drainDeadlinePassed = drainDeadlinePassed;
        this.adapter = adapter;
        this.hub = hub;
        this.stats = stats;
        this.recovery = recoveryWindow == null ? null : new RmcRecovery(this, recoveryWindow, timer);
    }

    /** Whether a connection's handshake query is RTCMultiConnection's: it always names its {@code msgEvent}. */
    public static boolean speaks(HandshakeQuery query) {
        return query.getValue("msgEvent") != null;
    }

    @Override
    public String name() {
        return "rtcmulticonnection";
    }

    /** Verified identity: a {@code userid} other than the token's sender is refused at the CONNECT ({@link RmcIdentity}). */
    @Override
    public java.util.Optional<String> refusal(SioSocket socket) {
        return RmcIdentity.refusal(socket);
    }

    /**
     * Admits a socket: {@code userid} (random digits when missing), {@code extra} (JSON text; invalid is {@code {}}),
     * {@code msgEvent}, {@code socketCustomEvent}, {@code maxParticipantsAllowed} and {@code autoCloseEntireSession} from
     * the handshake query. Called on the session's reader.
     */
    @Override
    public Member connect(SioSocket socket) {
        RmcUser user = newUser(socket, false);
        tellIfTaken(user, register(user));
        return user;
    }

    /**
     * Registers the user under its userid before the CONNECT is answered ({@link SocketFamily#connect(SioSocket, Runnable)}'s
     * contract): a peer that hears of it and addresses it by userid at once finds it, instead of {@code user-not-found}.
     */
    @Override
    public Member connect(SioSocket socket, Runnable answer) {
        RmcUser user = newUser(socket, false);
        boolean registered = register(user);
        answer.run();
        tellIfTaken(user, registered);
        return user;
    }

    /**
     * Connection state recovery (docs/socketio.md): a user whose transport broke is kept, in its room, for the window;
     * a socket that comes back with its session's offset takes it over and gets what it was sent meanwhile
     * ({@link RmcRecovery}). Without {@code connection-state-recovery}, as {@link SocketFamily}'s default.
     */
    @Override
    public Member connect(SioSocket socket, Recovery r) {
        return recovery == null ? SocketFamily.super.connect(socket, r) : recovery.connect(socket, r);
    }

    /**
     * The web host is about to close its connections for good (a stop): on a cluster, the users kept for connection
     * state recovery are handed over from then on ({@link RmcRecovery}, docs/cluster.md §4). Any thread; before the
     * engine's sessions are closed.
     */
    public void stopping() {
        stopping = true;
    }

    /** Whether this instance closes its connections for good now: it stops, or its drain deadline passed. */
    boolean handingOver() {
        return stopping || drainDeadlinePassed.getAsBoolean();
    }

    /** A kept user's userid joined its room from another instance: its client came back there ({@link RmcRecovery}). */
    void takenElsewhere(RmcUser user) {
        if (recovery != null) {
            recovery.takenElsewhere(user);
        }
    }

    /** A user from a socket's handshake query; it writes nothing yet. {@code offsets}: recovery is on for it. */
    RmcUser newUser(SioSocket socket, boolean offsets) {
        return newUser(socket, offsets, false);
    }

    /** As {@link #newUser(SioSocket, boolean)}; {@code held}: what it is sent is kept until its line is attached ({@link RmcRecovery}). */
    RmcUser newUser(SioSocket socket, boolean offsets, boolean held) {
        HandshakeQuery q = socket.query();
        String userid = socket.verifiedSender().orElse(q.getValue("userid")); // verified: the token's (RmcIdentity)
        if (userid == null || userid.isEmpty()) {
            userid = randomDigits();
        }
        JsonValue extra;
        try {
            String text = q.getValue("extra");
            extra = text == null ? Json.EMPTY : JsonValue.parse(text);
        } catch (InvalidJsonException e) {
            extra = Json.EMPTY;
        }
        String msgEvent = q.getValue("msgEvent");
        String customEvent = q.getValue("socketCustomEvent");
        RmcUser user = new RmcUser(this, socket, userid, msgEvent == null ? "RTCMultiConnection-Message" : msgEvent,
                customEvent == null || customEvent.isEmpty() ? "custom-message" : customEvent, extra,
                parseInt(q.getValue("maxParticipantsAllowed"), 1000), "true".equals(q.getValue("autoCloseEntireSession")), offsets, held);
        return user;
    }

    /**
     * Registers a new user under its userid; a userid already connected makes it inert instead (it writes nothing: the
     * caller answers the CONNECT, then {@link #tellIfTaken}). A kept user of that userid (connection state recovery)
     * whose page came back afresh is ended first.
     *
     * @return whether the user was registered
     */
    boolean register(RmcUser user) {
        String userid = user.userid;
        RmcUser previous = user(userid);
        if (previous != null && recovery != null) {
            recovery.release(previous); // kept for a return; a page come back afresh (reloaded) ends it now
        }
        boolean taken;
        synchronized (this) {
            taken = users.containsKey(userid);
            if (!taken) {
                users.put(userid, user);
            }
        }
        if (taken) {
            user.makeInert();
        }
        return !taken;
    }

    /** After the CONNECT answer: a user that was not registered is told {@code userid-already-taken}, as the reference does. */
    void tellIfTaken(RmcUser user, boolean registered) {
        if (!registered) {
            user.emit("userid-already-taken", JsonValue.string(user.userid), JsonValue.string(randomDigits()));
        }
    }

    /** The user of this bridge with that userid, or {@code null}. */
    synchronized RmcUser user(String userid) {
        return users.get(userid);
    }

    /** Every admitted user of this bridge but {@code except}, for the server-wide custom events. */
    synchronized List<RmcUser> everyoneBut(RmcUser except) {
        List<RmcUser> all = new ArrayList<>(users.values());
        all.remove(except);
        return all;
    }

    static String randomDigits() {
        return Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000_000L, 9_999_999_999_999L));
    }

    private static int parseInt(String s, int otherwise) {
        try {
            return s == null ? otherwise : Math.max(1, Integer.parseInt(s.strip()));
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** {@code {code, detail[, id]}} with the docs/design.md error codes, for {@code error} events. */
    static JsonValue errorValue(ErrorCode code, String detail, String id) {
        return new JsonValue("{\"code\":" + JsonValue.string(code.wire()).json() + ",\"detail\":" + JsonValue.string(detail).json()
                + (id == null ? "" : ",\"id\":" + JsonValue.string(id).json()) + "}");
    }
}
