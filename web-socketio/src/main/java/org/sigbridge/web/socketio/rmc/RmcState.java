package org.sigbridge.web.socketio.rmc;

import java.util.Map;
import java.util.Optional;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.Position;

/**
 * What an RTCMultiConnection user keeps with its socket.io recovery session (docs/cluster.md §2,
 * {@code SocketFamily.Recovery#save}), so that an instance it never was on can take it back: its room, whether it
 * owned it, its extra, and where it entered the room — the place in its stream ({@code entered}) and the room channel's
 * position then ({@code at}). RTCMultiConnection pages never join their room again after a reconnect, so a user that
 * comes back elsewhere is put back into its room from this; its userid and the rest come from the reconnecting
 * handshake's query, which the client sends again unchanged.
 *
 * @param room    the room (hub channel)
 * @param owner   whether the user owned the room on its instance
 * @param extra   its extra data
 * @param entered the user's stream position when it entered the room
 * @param at      the room channel's position when it entered, or {@code null} when none was known
 */
record RmcState(String room, boolean owner, JsonValue extra, Position entered, Position at) {

    String write() {
        return "{\"room\":" + JsonValue.string(room).json() + ",\"owner\":" + owner + ",\"extra\":" + extra.json()
                + ",\"entered\":" + JsonValue.string(entered.wire()).json()
                + (at == null ? "" : ",\"at\":" + JsonValue.string(at.wire()).json()) + "}";
    }

    /** Reads a saved state; empty when it is missing or unreadable (the user then starts afresh). */
    static Optional<RmcState> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Map<String, JsonValue> o;
        try {
            o = Json.fields(JsonValue.parse(text));
        } catch (InvalidJsonException e) {
            return Optional.empty();
        }
        String room = Json.text(o, "room");
        Optional<Position> entered = Position.parse(Json.text(o, "entered"));
        if (room == null || entered.isEmpty()) {
            return Optional.empty();
        }
        Position at = Position.parse(Json.text(o, "at")).orElse(null);
        return Optional.of(new RmcState(room, Json.truthy(o, "owner"), o.getOrDefault("extra", Json.EMPTY), entered.get(), at));
    }
}
