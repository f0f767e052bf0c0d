package org.sigbridge.web.socketio.rmc;

import java.util.Map;
import java.util.Optional;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.identity.SenderGuard;
import org.sigbridge.web.socketio.sio.SioSocket;
import org.sigbridge.web.socketio.sio.codec.SioPacket;

/**
 * Verified identity for RTCMultiConnection (docs/socketio.md, "Verified identity"). The page chooses its
 * {@code userid} (the library sends {@code connection.userid} in the handshake query), so under
 * {@code identity.mode: verified} the bridge refuses, rather than overrides, a {@code userid} that is not the token's
 * {@code sub}: overriding would leave the page addressing and signing its messages with an id nobody answers to. A
 * handshake without {@code userid} gets the token's. Then the user's messages may not name another {@code sender},
 * it may not rename itself ({@code changed-uuid}), and it may open or join only rooms within the token's
 * {@code channels}; with scalable broadcast on, its {@code join-broadcast} must name the token's sender as its
 * {@code userid} and a broadcast within the token's {@code channels}. Each refusal is answered in the event's own terms
 * and counted as {@code not_permitted}. Pure
 * checks; called on the user's session reader.
 */
final class RmcIdentity {

    private RmcIdentity() {
    }

    /** Why a socket may not connect: its {@code userid} query is not the token's sender. */
    static Optional<String> refusal(SioSocket socket) {
        String asked = socket.query().getValue("userid");
        Optional<String> sender = socket.verifiedSender();
        if (sender.isEmpty() || asked == null || asked.isEmpty() || asked.equals(sender.get())) {
            return Optional.empty();
        }
        return Optional.of("userid '" + asked + "' is not the token's sender '" + sender.get()
                + "'; set connection.userid to it before connecting");
    }

    /**
     * Whether the user may do what {@code event} asks; when not, the refusal has been answered (the ack
     * {@code (false, detail)} of a room request, else an {@code error} event {@code {code: "not_permitted"}}).
     */
    static boolean permits(RmcUser u, SioPacket event) {
        SenderGuard guard = u.socket.guard();
        if (!guard.isVerified()) {
            return true;
        }
        String name = event.eventName();
        JsonValue first = event.eventArgs().isEmpty() ? JsonValue.nullValue() : event.eventArgs().get(0);
        String refused = null;
        if (name.equals("changed-uuid") && !first.isFalsy() && !RoomRequests.key(first).equals(u.userid)) {
            refused = "identity is verified: the userid is the token's sender '" + u.userid + "' and cannot change";
        } else if (name.equals("open-room") || name.equals("join-room")) {
            String room = RoomRequests.roomOf(u, Json.fields(first));
            SenderGuard.Check scope = room == null ? null : guard.channel(room);
            if (scope != null && !scope.allowed()) {
                u.family.stats.countError(ErrorCode.NOT_PERMITTED);
                u.ack(event, new JsonValue("false"), JsonValue.string(scope.detail()));
                return false;
            }
        } else if (name.equals("join-broadcast") && u.scalable) {
            Map<String, JsonValue> user = Json.fields(first);
            JsonValue claimed = user.get("userid");
            SenderGuard.Check who = guard.sender(claimed == null ? JsonValue.nullValue() : claimed);
            String broadcast = Json.text(user, "broadcastId");
            SenderGuard.Check scope = broadcast == null ? null : guard.channel(broadcast);
            refused = !who.allowed() ? who.detail() : scope != null && !scope.allowed() ? scope.detail() : null;
        } else if (name.equals(u.msgEvent)) {
            Map<String, JsonValue> payload = Json.fields(first);
            JsonValue claimed = payload.get("sender");
            SenderGuard.Check who = guard.sender(claimed == null ? JsonValue.nullValue() : claimed);
            refused = who.allowed() ? null : who.detail();
        }
        if (refused == null) {
            return true;
        }
        u.family.stats.countError(ErrorCode.NOT_PERMITTED);
        u.emit("error", RmcFamily.errorValue(ErrorCode.NOT_PERMITTED, refused, null));
        u.ack(event);
        return false;
    }
}
