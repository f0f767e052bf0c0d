package org.sigbridge.web.socketio.rmc;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.sigbridge.envelope.JsonValue;

/**
 * One RTCMultiConnection room as rtcmulticonnection-server keeps it (docs/dialects.md §6.4): owner, participants in join
 * order, the session, the room's extra (normally its owner's), password, public identifier and size. A room this
 * bridge only knows from the hub (opened on another bridge, reached through a route) has no owner here.
 *
 * <p>Mutable; guarded by the {@link RmcFamily}'s lock: read and written only while holding it.
 */
final class Room {

    final String id;
    /** The owner's userid, or {@code null} when the owner is not on this bridge. */
    String owner;
    final Set<String> participants = new LinkedHashSet<>();
    JsonValue session = new JsonValue("{\"audio\":true,\"video\":true}");
    JsonValue extra = Json.EMPTY;
    /** A non-empty password, or {@code null}. */
    String password;
    /** The public-room identifier, or {@code null}. */
    String identifier;
    int maxParticipants;

    Room(String id, int maxParticipants) {
        this.id = id;
        this.maxParticipants = maxParticipants;
    }

    boolean isFull() {
        return participants.size() >= maxParticipants;
    }

    /** Whether the session is one-way ({@code oneway} or {@code broadcast} true): participants reach only the owner. */
    boolean oneWay() {
        return oneWay(session);
    }

    /** Whether a session description is one-way ({@code oneway} or {@code broadcast} true). */
    static boolean oneWay(JsonValue session) {
        Map<String, JsonValue> s = Json.fields(session);
        return "true".equals(json(s.get("oneway"))) || "true".equals(json(s.get("broadcast")));
    }

    private static String json(JsonValue v) {
        return v == null ? null : v.json();
    }

    /**
     * The third argument of a {@code check-presence} answer for a present room: its extra with
     * {@code _room: {isFull, isPasswordProtected}} set (a non-object extra wrapped as {@code {"value": extra}}).
     */
    JsonValue extraWithRoom() {
        Map<String, JsonValue> fields = Json.fields(extra);
        if (fields.isEmpty() && !extra.json().strip().equals("{}")) {
            fields = Map.of("value", extra);
        }
        return Json.with(fields, "_room", new JsonValue("{\"isFull\":" + isFull() + ",\"isPasswordProtected\":" + (password != null) + "}"));
    }

    /** The room as {@code get-public-rooms} lists it. */
    JsonValue publicEntry() {
        StringBuilder list = new StringBuilder("[");
        for (String p : participants) {
            list.append(list.length() == 1 ? "" : ",").append(JsonValue.string(p).json());
        }
        return new JsonValue("{\"maxParticipantsAllowed\":" + maxParticipants + ",\"owner\":" + (owner == null ? "null" : JsonValue.string(owner).json())
                + ",\"participants\":" + list.append(']') + ",\"extra\":" + extra.json() + ",\"session\":" + session.json()
                + ",\"sessionid\":" + JsonValue.string(id).json() + ",\"isRoomFull\":" + isFull() + ",\"isPasswordProtected\":" + (password != null) + "}");
    }
}
