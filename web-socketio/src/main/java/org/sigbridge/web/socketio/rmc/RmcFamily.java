package org.sigbridge.web.socketio.rmc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.session.EnvelopeReceipt;
import org.sigbridge.web.socketio.sio.SioSocket;
import org.sigbridge.web.socketio.sio.SocketFamily;
import org.sigbridge.web.socketio.sio.codec.SioPacket;

/**
 * RTCMultiConnection v3's server (rtcmulticonnection-server 1.3.3, docs/dialects.md §6.4), its core. Rooms are hub
 * channels named by the room id; a user is a hub endpoint whose participant id is its {@code userid}. Served:
 * {@code check-presence}, {@code open-room}, {@code join-room}, the query's {@code msgEvent} (a
 * {@code newParticipationRequest} to a room id fans out to the sender's room, each copy's {@code remoteUserId}
 * rewritten to its recipient; anything else goes to {@code remoteUserId} alone by addressed delivery, the first
 * message of a pair emitting {@code user-connected} to both, with the sender's {@code extra} added), and on
 * disconnect {@code user-disconnected} to linked users and the owner's hand-over ({@code set-isInitiator-true}).
 * A target nowhere is reported to the sender as {@code user-not-found(remoteUserId)}, where the reference drops it.
 * Not served yet: extra-data updates, passwords changes, public rooms, custom events, scalable broadcast; such
 * events are ignored (counted).
 *
 * <p>Threads: a user's events come one at a time from its session's reader; rooms and users are shared and kept
 * under this object's lock, held only to decide (emits happen after). Deliveries come from any thread.
 */
public final class RmcFamily implements SocketFamily {

    private static final JsonValue ROOM_FREE = new JsonValue("{\"_room\":{\"isFull\":false,\"isPasswordProtected\":false}}");

    private final String adapter;
    private final AdapterContext hub;
    private final WebStats stats;
    private final Map<String, User> users = new HashMap<>();
    private final Map<String, Room> rooms = new HashMap<>();

    public RmcFamily(String adapter, AdapterContext hub, WebStats stats) {
        this.adapter = adapter;
        this.hub = hub;
        this.stats = stats;
    }

    /** Whether a connection's handshake query is RTCMultiConnection's: it always names its {@code msgEvent}. */
    public static boolean speaks(org.eclipse.jetty.util.Fields query) {
        return query.getValue("msgEvent") != null;
    }

    @Override
    public String name() {
        return "rtcmulticonnection";
    }

    /** One room: owner, participants in join order, extra, password, size. Guarded by the family's lock. */
    private static final class Room {
        String owner;
        final Set<String> participants = new LinkedHashSet<>();
        final JsonValue extra;
        final String password;
        final int maxParticipants;

        Room(String owner, JsonValue extra, String password, int maxParticipants) {
            this.owner = owner;
            this.extra = extra;
            this.password = password;
            this.maxParticipants = maxParticipants;
        }

        JsonValue extraWithRoom() {
            Map<String, JsonValue> fields = Json.fields(extra);
            if (fields.isEmpty() && !extra.json().strip().equals("{}")) {
                fields = Map.of("value", extra);
            }
            return Json.with(fields, "_room", new JsonValue("{\"isFull\":" + (participants.size() >= maxParticipants)
                    + ",\"isPasswordProtected\":" + (password != null) + "}"));
        }
    }

    @Override
    public Member connect(SioSocket socket) {
        String userid = socket.query().getValue("userid");
        if (userid == null || userid.isEmpty()) {
            userid = randomDigits();
        }
        JsonValue extra;
        try {
            String text = socket.query().getValue("extra");
            extra = text == null ? Json.EMPTY : JsonValue.parse(text);
        } catch (InvalidJsonException e) {
            extra = Json.EMPTY;
        }
        String msgEvent = socket.query().getValue("msgEvent");
        int max = parseInt(socket.query().getValue("maxParticipantsAllowed"), 1000);
        boolean autoClose = "true".equals(socket.query().getValue("autoCloseEntireSession"));
        User user = new User(socket, userid, msgEvent == null ? "RTCMultiConnection-Message" : msgEvent, extra, max, autoClose);
        boolean taken;
        synchronized (this) {
            taken = users.containsKey(userid);
            if (!taken) {
                users.put(userid, user);
            }
        }
        if (taken) {
            user.inert = true;
            socket.emit("userid-already-taken", List.of(JsonValue.string(userid), JsonValue.string(randomDigits())));
        }
        return user;
    }

    private static String randomDigits() {
        return Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000_000L, 9_999_999_999_999L));
    }

    private static int parseInt(String s, int otherwise) {
        try {
            return s == null ? otherwise : Math.max(1, Integer.parseInt(s.strip()));
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** One RTCMultiConnection user: its socket, and a hub endpoint presenting participant {@code userid}. */
    final class User implements Member, Endpoint {
        private final SioSocket socket;
        private final String userid;
        private final String msgEvent;
        private final JsonValue extra;
        private final int maxParticipants;
        private final boolean autoClose;
        /** Users this one exchanged messages with (guarded by the family's lock). */
        private final Set<String> linked = new LinkedHashSet<>();
        private volatile boolean inert;
        private volatile boolean gone;
        /** The room joined (guarded by the family's lock). */
        private String room;

        User(SioSocket socket, String userid, String msgEvent, JsonValue extra, int maxParticipants, boolean autoClose) {
            this.socket = socket;
            this.userid = userid;
            this.msgEvent = msgEvent;
            this.extra = extra;
            this.maxParticipants = maxParticipants;
            this.autoClose = autoClose;
        }

        @Override
        public void onEvent(SioPacket event) {
            if (inert) {
                stats.countIgnoredFrame();
                return;
            }
            String name = event.eventName();
            List<JsonValue> args = event.eventArgs();
            JsonValue first = args.isEmpty() ? JsonValue.nullValue() : args.get(0);
            switch (name) {
                case "check-presence" -> checkPresence(event, first);
                case "open-room" -> openRoom(event, Json.fields(first));
                case "join-room" -> joinRoom(event, Json.fields(first));
                default -> {
                    if (name.equals(msgEvent)) {
                        message(Json.fields(first));
                    } else {
                        stats.countIgnoredFrame(); // not served yet: see the class comment
                    }
                }
            }
        }

        private void ack(SioPacket event, JsonValue... args) {
            if (event.wantsAck()) {
                socket.ack(event.ackId(), List.of(args));
            }
        }

        private void checkPresence(SioPacket event, JsonValue roomid) {
            String id = roomid.isString() ? roomid.asText() : roomid.json();
            JsonValue answer;
            synchronized (RmcFamily.this) {
                Room r = rooms.get(id);
                answer = r == null || r.participants.isEmpty() ? null : r.extraWithRoom();
            }
            ack(event, new JsonValue(answer != null ? "true" : "false"), JsonValue.string(id), answer == null ? ROOM_FREE : answer);
        }

        private void openRoom(SioPacket event, Map<String, JsonValue> arg) {
            String id = Json.text(arg, "sessionid");
            if (id == null || id.isEmpty()) {
                ack(event, new JsonValue("false"), JsonValue.string("Invalid room id"));
                return;
            }
            boolean created;
            List<Runnable> after;
            synchronized (RmcFamily.this) {
                after = leaveRoomLocked();
                Room r = rooms.get(id);
                created = r == null || r.participants.isEmpty();
                if (created) {
                    String password = Json.text(arg, "password");
                    JsonValue roomExtra = arg.getOrDefault("extra", extra);
                    r = new Room(userid, roomExtra, password == null || password.isEmpty() ? null : password, maxParticipants);
                    r.participants.add(userid);
                    rooms.put(id, r);
                    room = id;
                }
            }
            after.forEach(Runnable::run);
            if (!created) {
                ack(event, new JsonValue("false"), JsonValue.string("Room not available"));
                return;
            }
            subscribe(id);
            ack(event, new JsonValue("true"));
        }

        private void joinRoom(SioPacket event, Map<String, JsonValue> arg) {
            String id = Json.text(arg, "sessionid");
            String refusal = null;
            List<Runnable> after;
            synchronized (RmcFamily.this) {
                after = leaveRoomLocked();
                Room r = id == null ? null : rooms.get(id);
                if (r == null || r.participants.isEmpty()) {
                    refusal = "Room not available";
                } else if (r.password != null && !r.password.equals(Json.text(arg, "password"))) {
                    refusal = "Invalid password";
                } else if (r.participants.size() >= r.maxParticipants) {
                    refusal = "Room full";
                } else {
                    r.participants.add(userid);
                    room = id;
                }
            }
            after.forEach(Runnable::run);
            if (refusal != null) {
                ack(event, new JsonValue("false"), JsonValue.string(refusal));
                return;
            }
            subscribe(id);
            ack(event, new JsonValue("true"));
        }

        private void subscribe(String channel) {
            if (hub.subscribe(this, channel) instanceof SubscribeResult.Refused refused) {
                socket.emit("error", List.of(errorValue(refused.code(), refused.detail(), null)));
            }
        }

        private void message(Map<String, JsonValue> payload) {
            String remote = Json.text(payload, "remoteUserId");
            if (remote == null || remote.equals(userid)) {
                return; // rule 1: to oneself, dropped
            }
            String myRoom;
            boolean fanOut;
            User localTarget;
            boolean firstContact = false;
            synchronized (RmcFamily.this) {
                myRoom = room;
                fanOut = Json.truthy(Json.fields(payload.get("message")), "newParticipationRequest") && rooms.containsKey(remote);
                localTarget = users.get(remote);
                if (!fanOut && !linked.contains(remote)) {
                    linked.add(remote);
                    if (localTarget != null) {
                        localTarget.linked.add(userid);
                    }
                    firstContact = true;
                }
            }
            JsonValue value = Json.with(payload, "extra", extra);
            if (fanOut) {
                if (myRoom != null) { // rule 2: to the room the sender joined, each copy rewritten on delivery
                    publish(myRoom, value, null);
                }
                return;
            }
            if (firstContact) {
                socket.emit("user-connected", List.of(JsonValue.string(remote)));
                if (localTarget != null) {
                    localTarget.socket.emit("user-connected", List.of(JsonValue.string(userid)));
                }
            }
            if (myRoom != null) {
                publish(myRoom, value, remote); // rule 4: addressed delivery
            } else if (localTarget != null && localTarget.socket != null) {
                localTarget.socket.emit(localTarget.msgEvent, List.of(value)); // no room yet: the same server
            } else {
                socket.emit("user-not-found", List.of(JsonValue.string(remote)));
            }
        }

        private void publish(String channel, JsonValue value, String recipient) {
            Envelope envelope = new Envelope(hub.envelopeIds().next(), channel, JsonValue.string(userid), value,
                    new Origin(adapter, id()), hub.clock().instant());
            if (recipient != null) {
                envelope = envelope.addressedTo(recipient);
            }
            PublishResult result = hub.publish(envelope, this);
            if (result instanceof PublishResult.Refused refused) {
                if (refused.code() == ErrorCode.NO_SUCH_RECIPIENT && recipient != null) {
                    socket.emit("user-not-found", List.of(JsonValue.string(recipient)));
                } else {
                    socket.emit("error", List.of(errorValue(refused.code(), refused.detail(), envelope.id())));
                }
            }
        }

        /** Leaves the current room: the owner hands over to the first remaining participant unless auto-close. */
        private List<Runnable> leaveRoomLocked() {
            List<Runnable> after = new ArrayList<>();
            String left = room;
            if (left == null) {
                return after;
            }
            room = null;
            Room r = rooms.get(left);
            if (r != null) {
                r.participants.remove(userid);
                if (r.participants.isEmpty() || (r.owner.equals(userid) && autoClose)) {
                    rooms.remove(left);
                } else if (r.owner.equals(userid)) {
                    r.owner = r.participants.iterator().next();
                    User next = users.get(r.owner);
                    if (next != null) {
                        after.add(() -> next.socket.emit("set-isInitiator-true", List.of(JsonValue.string(left))));
                    }
                }
            }
            after.add(() -> hub.unsubscribe(this, left));
            return after;
        }

        @Override
        public void onDisconnect() {
            gone = true;
            List<Runnable> after;
            List<User> peers = new ArrayList<>();
            synchronized (RmcFamily.this) {
                after = inert ? List.of() : leaveRoomLocked();
                if (!inert) {
                    users.remove(userid, this);
                    for (String peer : linked) {
                        User p = users.get(peer);
                        if (p != null) {
                            p.linked.remove(userid);
                            peers.add(p);
                        }
                    }
                }
            }
            after.forEach(Runnable::run);
            for (User p : peers) {
                p.socket.emit("user-disconnected", List.of(JsonValue.string(userid)));
            }
            hub.detach(this);
        }

        @Override
        public String id() {
            return socket.endpointId();
        }

        @Override
        public String adapter() {
            return adapter;
        }

        @Override
        public Participant participant() {
            return new Participant(adapter, userid, userid);
        }

        @Override
        public DeliveryResult deliver(Envelope envelope) {
            if (gone) {
                return new DeliveryResult.Rejected(ErrorCode.SHUTTING_DOWN, "user " + userid + " is gone");
            }
            JsonValue value = envelope.message();
            if (!envelope.isAddressed()) {
                value = Json.with(Json.fields(value), "remoteUserId", JsonValue.string(userid)); // a room fan-out
            }
            if (!socket.emit(msgEvent, List.of(value), new EnvelopeReceipt(envelope, hub, id()))) {
                return new DeliveryResult.Rejected(ErrorCode.UPSTREAM_UNAVAILABLE, "user " + userid + " is closed or a slow consumer");
            }
            return DeliveryResult.DELIVERED;
        }

        @Override
        public void deliveryFailed(DeliveryFailure failure) {
            socket.emit("error", List.of(errorValue(failure.code(), failure.detail(), failure.envelopeId())));
        }
    }

    static JsonValue errorValue(ErrorCode code, String detail, String id) {
        return new JsonValue("{\"code\":" + JsonValue.string(code.wire()).json() + ",\"detail\":" + JsonValue.string(detail).json()
                + (id == null ? "" : ",\"id\":" + JsonValue.string(id).json()) + "}");
    }
}
