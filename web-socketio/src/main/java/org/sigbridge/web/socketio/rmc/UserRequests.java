package org.sigbridge.web.socketio.rmc;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.web.socketio.sio.codec.SioPacket;

/**
 * The user events of rtcmulticonnection-server 1.3.3 (docs/dialects.md §6.4): the page's message event
 * ({@code msgEvent}) with its routing, {@code extra-data-updated}, {@code get-remote-user-extra-data},
 * {@code changed-uuid}, {@code disconnect-with}, the server-wide custom events ({@code socketCustomEvent} and
 * {@code set-custom-socket-event-listener}), and the disconnect notices.
 *
 * <p>Message routing: a message to oneself is dropped; a {@code newParticipationRequest} to an existing room fans out
 * to the room the sender is in (to its owner only in a one-way session), each copy's {@code remoteUserId} rewritten
 * to its recipient on delivery, and carries the sender's {@code extra} (the reference adds none there); the legacy {@code system}/{@code detectPresence} request is answered in its ack;
 * anything else goes to {@code remoteUserId} alone with the sender's {@code extra} added: to a user of this bridge
 * directly (the first message of a pair links them and emits {@code user-connected} to both), or by addressed delivery
 * in the sender's room (docs/design.md §2.5) to a user elsewhere. A recipient nowhere is told to the sender as
 * {@code user-not-found(remoteUserId)}, where the reference drops the message silently.
 *
 * <p>Called on the user's session reader; decisions under the family's lock, emits and hub calls after it.
 */
final class UserRequests {

    private UserRequests() {
    }

    static void message(RmcUser u, SioPacket event, Map<String, JsonValue> payload) {
        String remote = Json.text(payload, "remoteUserId");
        String self = u.userid;
        if (remote != null && remote.equals(self)) {
            return; // rule 1: to oneself, dropped
        }
        Map<String, JsonValue> inner = Json.fields(payload.get("message"));
        if (remote != null && !remote.equals("system") && Json.truthy(inner, "newParticipationRequest") && !u.scalable) {
            String myRoom;
            String recipient = null;
            boolean roomExists;
            JsonValue value;
            synchronized (u.family) {
                value = Json.with(payload, "extra", u.extra);
                roomExists = u.family.rooms.containsKey(remote);
                myRoom = u.room;
                Room r = myRoom == null ? null : u.family.rooms.get(myRoom);
                if (r == null) {
                    myRoom = null;
                } else if (r.oneWay() && r.owner != null) {
                    recipient = r.owner;
                }
            }
            if (roomExists) {
                if (myRoom != null && recipient != null) { // a one-way session: the owner only
                    u.publish(myRoom, Json.with(Json.fields(value), "remoteUserId", JsonValue.string(recipient)), recipient);
                } else if (myRoom != null) { // the room, each copy rewritten on delivery
                    u.publish(myRoom, value, null);
                }
                return; // a sender in no room: dropped, as the reference drops it
            }
        }
        if ("system".equals(remote) && Json.truthy(inner, "detectPresence")) {
            String who = Json.text(inner, "userid");
            boolean here = who != null && !who.equals(self) && u.family.user(who) != null;
            u.ack(event, new JsonValue(Boolean.toString(here)), who == null ? JsonValue.nullValue() : JsonValue.string(who));
            return;
        }
        if (remote == null) {
            u.family.stats.countIgnoredFrame();
            return;
        }
        pointToPoint(u, payload, remote, Json.truthy(inner, "userLeft"));
    }

    private static void pointToPoint(RmcUser u, Map<String, JsonValue> payload, String remote, boolean userLeft) {
        RmcUser target;
        boolean firstContact = false;
        boolean linked;
        String myRoom;
        JsonValue value;
        synchronized (u.family) {
            target = u.family.users.get(remote);
            if (target != null && !userLeft && !u.linked.contains(remote)) {
                u.linked.add(remote);
                target.linked.add(u.userid);
                firstContact = true;
            }
            linked = u.linked.contains(remote);
            myRoom = u.room;
            value = Json.with(payload, "extra", u.extra);
        }
        if (firstContact) {
            u.emit("user-connected", JsonValue.string(remote));
            target.emit("user-connected", JsonValue.string(u.userid));
        }
        if (target != null) {
            if (linked) {
                target.line.emitDirect(target.msgEvent, value, u);
            }
        } else if (myRoom != null) {
            u.publish(myRoom, value, remote); // a user elsewhere: addressed delivery in the sender's room
        } else {
            u.emit("user-not-found", JsonValue.string(remote));
        }
    }

    /**
     * Stores the user's extra and emits {@code extra-data-updated(userid, extra)} to its linked users, then to every
     * participant of its room on this bridge, itself included (so a linked participant hears it twice, as from the
     * reference); an owner's update is also the room's extra.
     */
    static void extraDataUpdated(RmcUser u, JsonValue extra) {
        List<RmcUser> targets = new ArrayList<>();
        synchronized (u.family) {
            u.extra = extra;
            u.linked.stream().map(u.family.users::get).filter(t -> t != null).forEach(targets::add);
            Room r = u.room == null ? null : u.family.rooms.get(u.room);
            if (r != null) {
                if (u.userid.equals(r.owner)) {
                    r.extra = extra;
                }
                r.participants.stream().map(u.family.users::get).filter(t -> t != null).forEach(targets::add);
            }
        }
        u.saveState(); // a return on another instance brings it back
        JsonValue id = JsonValue.string(u.userid);
        targets.forEach(t -> t.emit("extra-data-updated", id, extra));
    }

    static void remoteExtra(RmcUser u, SioPacket event, JsonValue remoteUserId) {
        JsonValue extra = null;
        if (!remoteUserId.isFalsy()) {
            synchronized (u.family) {
                RmcUser other = u.family.users.get(RoomRequests.key(remoteUserId));
                extra = other == null ? null : other.extra;
            }
        }
        u.ack(event, extra != null ? extra : JsonValue.string("User ID does not exist"));
    }

    /**
     * Renames the user (its room's participant list and owner, and its links, follow), then acks. The same id is no
     * change and no ack, as in the reference; an id another user has is refused with {@code userid-already-taken} (the
     * reference would take the other user's entry over), then acked.
     */
    static void changedUuid(RmcUser u, SioPacket event, JsonValue newUserId) {
        String next = RoomRequests.key(newUserId);
        String old = u.userid;
        if (newUserId.isFalsy() || next.equals(old)) {
            return;
        }
        boolean taken;
        synchronized (u.family) {
            taken = u.family.users.containsKey(next);
            if (!taken) {
                u.family.users.remove(old, u);
                u.family.users.put(next, u);
                u.userid = next;
                Room r = u.room == null ? null : u.family.rooms.get(u.room);
                if (r != null) {
                    Set<String> renamed = new LinkedHashSet<>();
                    r.participants.forEach(p -> renamed.add(p.equals(old) ? next : p));
                    r.participants.clear();
                    r.participants.addAll(renamed);
                    if (old.equals(r.owner)) {
                        r.owner = next;
                    }
                }
                for (String peer : u.linked) {
                    RmcUser p = u.family.users.get(peer);
                    if (p != null && p.linked.remove(old)) {
                        p.linked.add(next);
                    }
                }
            }
        }
        if (taken) {
            u.emit("userid-already-taken", JsonValue.string(next), JsonValue.string(RmcFamily.randomDigits()));
        }
        u.ack(event);
    }

    static void disconnectWith(RmcUser u, SioPacket event, JsonValue remoteUserId) {
        String remote = RoomRequests.key(remoteUserId);
        boolean mine;
        RmcUser other;
        boolean theirs;
        synchronized (u.family) {
            mine = u.linked.remove(remote);
            other = u.family.users.get(remote);
            theirs = other != null && other.linked.remove(u.userid);
        }
        if (mine) {
            u.emit("user-disconnected", JsonValue.string(remote));
        }
        if (theirs) {
            other.emit("user-disconnected", JsonValue.string(u.userid));
        }
        u.ack(event);
    }

    /** {@code set-custom-socket-event-listener(name)}: from now on that event of this socket is broadcast too. */
    static void listenFor(RmcUser u, JsonValue name) {
        if (name.isString() && !name.asText().isEmpty()) {
            u.customListeners.add(name.asText());
        } else {
            u.family.stats.countIgnoredFrame();
        }
    }

    /** A custom event: to every other RTCMultiConnection user of this bridge (server-wide, not per room). */
    static void custom(RmcUser u, String name, JsonValue message) {
        u.family.everyoneBut(u).forEach(other -> other.emit(name, message));
    }

    /**
     * The user's socket is gone: {@code user-disconnected(userid)} to each linked user of this bridge, then it leaves
     * its room (an owner hands over, {@code set-isInitiator-true}) and is forgotten.
     */
    static void disconnected(RmcUser u) {
        forget(u, true);
    }

    /**
     * A kept user whose client came back on another instance of the cluster (docs/cluster.md §2): it leaves this
     * instance quietly — out of its linked users' links and its room (an owner hands over, {@code set-isInitiator-true})
     * and forgotten — without {@code user-disconnected}: it is still online, on the other instance.
     */
    static void movedAway(RmcUser u) {
        forget(u, false);
    }

    /** Unlinks {@code u} from its linked users (telling them when {@code tell}), takes it out of its room, forgets it. */
    private static void forget(RmcUser u, boolean tell) {
        List<RmcUser> peers = new ArrayList<>();
        List<Runnable> after;
        synchronized (u.family) {
            for (String peer : u.linked) {
                RmcUser p = u.family.users.get(peer);
                if (p != null) {
                    p.linked.remove(u.userid);
                    peers.add(p);
                }
            }
            after = RoomRequests.leaveLocked(u, false);
            u.family.users.remove(u.userid, u);
        }
        if (tell) {
            JsonValue id = JsonValue.string(u.userid);
            peers.forEach(p -> p.emit("user-disconnected", id));
        }
        after.forEach(Runnable::run);
    }
}
