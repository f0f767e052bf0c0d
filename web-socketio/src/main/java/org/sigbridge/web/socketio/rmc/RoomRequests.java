package org.sigbridge.web.socketio.rmc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.web.socketio.sio.codec.SioPacket;

/**
 * The room events of rtcmulticonnection-server 1.3.3 (docs/dialects.md §6.4), with its ack tuples and texts:
 * {@code check-presence}, {@code open-room}, {@code join-room}, {@code set-password}, {@code is-valid-password},
 * {@code get-public-rooms} and {@code close-entire-session}; and leaving a room (the owner hands over to the first
 * remaining participant, {@code set-isInitiator-true}, unless auto-close). A room unknown to this bridge but present
 * on its hub channel (opened on another bridge, or by a page of another dialect) is present to {@code check-presence}
 * and can be joined: the answer then waits for the hub's presence probe. Where this differs from the reference is in
 * docs/socketio.md ("RTCMultiConnection").
 *
 * <p>Called on the user's session reader; decisions under the family's lock, emits and hub calls after it.
 */
final class RoomRequests {

    static final String ROOM_NOT_AVAILABLE = "Room not available";
    static final String INVALID_PASSWORD = "Invalid password";
    static final String ROOM_FULL = "Room full";
    static final String PERMISSION_DENIED = "Room permission denied";
    private static final JsonValue ROOM_FREE = new JsonValue("{\"_room\":{\"isFull\":false,\"isPasswordProtected\":false}}");
    private static final JsonValue TRUE = new JsonValue("true");
    private static final JsonValue FALSE = new JsonValue("false");

    private RoomRequests() {
    }

    /** A value as the reference uses it as a key or text: a string's content, else its JSON. */
    static String key(JsonValue v) {
        return v.isString() ? v.asText() : v.json();
    }

    /** JavaScript's {@code !value || !String(value).replace(/ /g, '').length}. */
    private static boolean blank(JsonValue v) {
        return v.isFalsy() || key(v).replace(" ", "").isEmpty();
    }

    static void checkPresence(RmcUser u, SioPacket event, JsonValue roomid) {
        String id = key(roomid);
        JsonValue answer;
        synchronized (u.family) {
            Room r = u.family.rooms.get(id);
            answer = r == null || r.participants.isEmpty() ? null : r.extraWithRoom();
        }
        if (answer != null) {
            u.ack(event, TRUE, roomid, answer);
        } else if (event.wantsAck()) {
            u.family.hub.probePresence(id).whenComplete((present, error) ->
                    u.ack(event, error == null && Boolean.TRUE.equals(present) ? TRUE : FALSE, roomid, ROOM_FREE));
        }
    }

    /**
     * The room an {@code open-room} or {@code join-room} enters: its {@code sessionid}; for a user with scalable broadcast
     * on, its {@code extra.broadcastId} instead, as the reference rewrites it ({@link ScalableBroadcast}).
     */
    static String roomOf(RmcUser u, Map<String, JsonValue> arg) {
        return u.scalable ? Json.text(Json.fields(arg.get("extra")), "broadcastId") : Json.text(arg, "sessionid");
    }

    static void open(RmcUser u, SioPacket event, Map<String, JsonValue> arg) {
        String asked = Json.text(arg, "sessionid");
        String id = roomOf(u, arg);
        if (asked == null || asked.isEmpty() || id == null || id.isEmpty()) {
            u.ack(event, FALSE, JsonValue.string("Invalid room id"));
            return;
        }
        boolean created;
        List<Runnable> after;
        synchronized (u.family) {
            after = leaveLocked(u, false);
            Room r = u.family.rooms.get(asked);
            created = r == null || r.participants.isEmpty();
            if (created && u.scalable) {
                openScalableLocked(u, id, arg);
            } else if (created) {
                if (arg.containsKey("extra")) {
                    u.extra = arg.get("extra");
                }
                r = new Room(id, u.maxParticipants);
                r.owner = u.userid;
                r.participants.add(u.userid);
                r.session = arg.getOrDefault("session", r.session);
                r.extra = arg.getOrDefault("extra", Json.EMPTY);
                JsonValue identifier = arg.get("identifier");
                r.identifier = identifier == null || blank(identifier) ? null : key(identifier);
                JsonValue password = arg.get("password");
                r.password = password == null || password.isNull() || key(password).isEmpty() ? null : key(password);
                if (r.oneWay()) {
                    u.autoClose = true;
                }
                u.family.rooms.put(id, r);
                u.room = id;
            }
        }
        after.forEach(Runnable::run);
        if (!created) {
            u.ack(event, FALSE, JsonValue.string(ROOM_NOT_AVAILABLE));
        } else if (u.subscribe(id)) {
            u.ack(event, TRUE);
        } else {
            synchronized (u.family) {
                after = leaveLocked(u, false);
            }
            after.forEach(Runnable::run);
            u.ack(event, FALSE, JsonValue.string(ROOM_NOT_AVAILABLE));
        }
    }

    /**
     * A scalable broadcast's {@code open-room} (under the family's lock): the user enters the broadcast's room, as a
     * participant when it is open already, else as its owner with the session and nothing else (the reference keeps no
     * password, identifier or extra for these rooms).
     */
    private static void openScalableLocked(RmcUser u, String id, Map<String, JsonValue> arg) {
        if (arg.containsKey("extra")) {
            u.extra = arg.get("extra");
        }
        Room r = u.family.rooms.get(id);
        if (r == null || r.participants.isEmpty()) {
            r = new Room(id, u.maxParticipants);
            r.owner = u.userid;
            r.session = arg.getOrDefault("session", r.session);
            u.family.rooms.put(id, r);
        }
        r.participants.add(u.userid);
        if (Room.oneWay(arg.get("session"))) {
            u.autoClose = true;
        }
        u.room = id;
    }

    static void join(RmcUser u, SioPacket event, Map<String, JsonValue> arg) {
        String id = roomOf(u, arg);
        JsonValue password = arg.get("password");
        List<Runnable> after;
        boolean known;
        synchronized (u.family) {
            after = leaveLocked(u, false);
            if (arg.containsKey("extra")) {
                u.extra = arg.get("extra");
            }
            Room r = id == null ? null : u.family.rooms.get(id);
            known = r != null && !r.participants.isEmpty();
        }
        after.forEach(Runnable::run);
        if (id == null) {
            u.ack(event, FALSE, JsonValue.string(ROOM_NOT_AVAILABLE));
        } else if (known) {
            admit(u, event, id, password, false);
        } else {
            // not a room of this bridge: one on the hub channel (another bridge, another dialect) can be joined
            u.family.hub.probePresence(id).whenComplete((present, error) -> {
                if (error == null && Boolean.TRUE.equals(present)) {
                    admit(u, event, id, password, true);
                } else {
                    u.ack(event, FALSE, JsonValue.string(ROOM_NOT_AVAILABLE));
                }
            });
        }
    }

    /** Adds the user to a room after the reference's checks; {@code elsewhere} makes an ownerless room when none is here. */
    private static void admit(RmcUser u, SioPacket event, String id, JsonValue password, boolean elsewhere) {
        String refusal = null;
        synchronized (u.family) {
            Room r = u.family.rooms.get(id);
            if ((r == null || r.participants.isEmpty()) && elsewhere) {
                r = new Room(id, u.maxParticipants);
                u.family.rooms.put(id, r);
            }
            if (r == null || (r.participants.isEmpty() && !elsewhere)) {
                refusal = ROOM_NOT_AVAILABLE;
            } else if (r.password != null && (password == null || !r.password.equals(key(password)))) {
                refusal = INVALID_PASSWORD;
            } else if (r.isFull()) {
                refusal = ROOM_FULL;
            } else {
                r.participants.add(u.userid);
                u.room = id;
            }
        }
        if (refusal != null) {
            u.ack(event, FALSE, JsonValue.string(refusal));
        } else if (u.subscribe(id)) {
            u.ack(event, TRUE);
        } else {
            List<Runnable> after;
            synchronized (u.family) {
                after = leaveLocked(u, false);
            }
            after.forEach(Runnable::run);
            u.ack(event, FALSE, JsonValue.string(ROOM_NOT_AVAILABLE));
        }
    }

    static void setPassword(RmcUser u, SioPacket event, JsonValue password) {
        String id;
        boolean owner = false;
        synchronized (u.family) {
            id = u.room;
            Room r = id == null ? null : u.family.rooms.get(id);
            if (r != null && u.userid.equals(r.owner)) {
                owner = true;
                r.password = password.isFalsy() ? null : key(password);
            }
        }
        if (id == null) {
            u.ack(event, JsonValue.nullValue(), JsonValue.nullValue(), JsonValue.string("Did not join any room yet"));
        } else if (owner) {
            u.ack(event, TRUE, JsonValue.string(id), JsonValue.nullValue());
        } else {
            u.ack(event, FALSE, JsonValue.string(id), JsonValue.string(PERMISSION_DENIED));
        }
    }

    static void isValidPassword(RmcUser u, SioPacket event, JsonValue password, JsonValue roomid) {
        String refusal;
        if (blank(password)) {
            refusal = "You did not enter the password.";
        } else if (blank(roomid)) {
            refusal = "You did not enter the room-id.";
        } else {
            synchronized (u.family) {
                Room r = u.family.rooms.get(key(roomid));
                if (r == null) {
                    refusal = ROOM_NOT_AVAILABLE;
                } else if (r.password == null) {
                    refusal = "This room do not have any password.";
                } else {
                    refusal = password.isString() && r.password.equals(password.asText()) ? null : INVALID_PASSWORD;
                }
            }
        }
        u.ack(event, refusal == null ? TRUE : FALSE, roomid, refusal == null ? FALSE : JsonValue.string(refusal));
    }

    static void publicRooms(RmcUser u, SioPacket event, JsonValue identifier) {
        if (blank(identifier)) {
            u.ack(event, JsonValue.nullValue(), JsonValue.string("publicRoomIdentifier is required"));
            return;
        }
        String wanted = key(identifier);
        StringBuilder list = new StringBuilder("[");
        synchronized (u.family) {
            for (Room r : u.family.rooms.values()) {
                if (wanted.equals(r.identifier)) {
                    list.append(list.length() == 1 ? "" : ",").append(r.publicEntry().json());
                }
            }
        }
        u.ack(event, new JsonValue(list.append(']').toString()));
    }

    /**
     * The owner closes its room: every other participant of this bridge gets {@code closed-entire-session(roomid,
     * extra)} and leaves it, the room is gone, and the owner is acked {@code true}. The 1.3.3 reference always answers
     * {@code (false, "Room not available")} (it checks a field it never sets); its client waits for the participants to
     * leave, which this notice makes them do.
     */
    static void closeEntireSession(RmcUser u, SioPacket event) {
        String refusal = null;
        String id;
        JsonValue extra = null;
        List<RmcUser> others = new ArrayList<>();
        List<Runnable> after = new ArrayList<>();
        synchronized (u.family) {
            id = u.room;
            Room r = id == null ? null : u.family.rooms.get(id);
            if (r == null) {
                refusal = ROOM_NOT_AVAILABLE;
            } else if (!u.userid.equals(r.owner)) {
                refusal = PERMISSION_DENIED;
            } else {
                extra = r.extra;
                for (String p : List.copyOf(r.participants)) {
                    RmcUser other = u.family.users.get(p);
                    if (other != null && other != u) {
                        others.add(other);
                        after.addAll(leaveLocked(other, true));
                    }
                }
                after.addAll(leaveLocked(u, true));
            }
        }
        after.forEach(Runnable::run);
        if (refusal != null) {
            u.ack(event, FALSE, JsonValue.string(refusal));
            return;
        }
        for (RmcUser other : others) {
            other.emit("closed-entire-session", JsonValue.string(id), extra);
        }
        u.ack(event, TRUE);
    }

    /**
     * Leaves the user's room (under the family's lock): the room goes when it empties, when {@code close} or when its
     * owner leaves with auto-close; else a leaving owner hands over to the first remaining participant of this bridge.
     *
     * @return what to do once the lock is released: the hand-over notice and the hub unsubscription
     */
    static List<Runnable> leaveLocked(RmcUser u, boolean close) {
        List<Runnable> after = new ArrayList<>();
        String left = u.room;
        if (left == null) {
            return after;
        }
        u.room = null;
        Room r = u.family.rooms.get(left);
        if (r != null) {
            boolean owner = u.userid.equals(r.owner);
            r.participants.remove(u.userid);
            RmcUser next = owner ? r.participants.stream().map(u.family.users::get).filter(n -> n != null).findFirst().orElse(null) : null;
            if (r.participants.isEmpty() || close || (owner && (u.autoClose || next == null))) {
                u.family.rooms.remove(left);
            } else if (owner) {
                r.owner = next.userid;
                after.add(() -> next.emit("set-isInitiator-true", JsonValue.string(left)));
            }
        }
        after.add(() -> {
            u.family.hub.unsubscribe(u, left);
            u.leftRoom();
        });
        return after;
    }
}
