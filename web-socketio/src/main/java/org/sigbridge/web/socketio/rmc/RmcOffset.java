package org.sigbridge.web.socketio.rmc;

import java.util.Optional;
import org.sigbridge.spi.Position;

/**
 * The offset an RTCMultiConnection event carries with connection state recovery on (docs/socketio.md, "Connection state
 * recovery"; docs/cluster.md §2): the event's place in the user's own stream ({@link RmcLine}, {@code <epoch>-<n>}) and,
 * on a cluster, {@code @} and the position in the user's room channel of the last envelope of the room it was handed
 * ({@link Position#wire()}, which never contains {@code @}). The stream resumes on the instance that kept it; the room
 * position lets another instance resume the room from the channel's log.
 *
 * @param line the event's place in the user's stream
 * @param room the room position, or {@code null} when the offset names none (no cluster, no room)
 */
record RmcOffset(Position line, Position room) {

    /** The wire form; the room position only when it carries a cluster log cut (a single bridge's offsets are unchanged). */
    static String wire(Position line, Position room) {
        return room == null || room.log() == null ? line.wire() : line.wire() + "@" + room.wire();
    }

    /** Reads a client's offset (untrusted input); empty for anything else. Pure. */
    static Optional<RmcOffset> parse(String wire) {
        if (wire == null) {
            return Optional.empty();
        }
        int at = wire.indexOf('@');
        Optional<Position> line = Position.parse(at < 0 ? wire : wire.substring(0, at));
        if (line.isEmpty()) {
            return Optional.empty();
        }
        if (at < 0) {
            return Optional.of(new RmcOffset(line.get(), null));
        }
        return Position.parse(wire.substring(at + 1)).map(room -> new RmcOffset(line.get(), room));
    }
}
