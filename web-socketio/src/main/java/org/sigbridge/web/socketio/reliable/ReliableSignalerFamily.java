package org.sigbridge.web.socketio.reliable;

import java.util.List;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Participant;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.identity.SenderGuard;
import org.sigbridge.web.socketio.relay.MessageRelay;
import org.sigbridge.web.socketio.sio.SioSocket;
import org.sigbridge.web.socketio.sio.SocketFamily;
import org.sigbridge.web.socketio.sio.codec.SioPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reliable-Signaler (docs/socketio-09.md "Reliable-Signaler"): {@code message} is the broadcast relay's
 * ({@link MessageRelay}: re-emitted to every other socket of the channel, by default every socket of the namespace);
 * {@code keep-in-server room} registers the room for this connection and acks with no arguments;
 * {@code keep-session room} does the same (the reference ignores it); {@code get-session-info room} acks
 * {@code [room]} as soon as the room is registered (at once, or when it appears; never after the asker left; at most
 * {@value #MAX_WAITING} questions per connection wait); a connection registers at most {@code maxRooms} rooms. A
 * connection's rooms are deleted when it disconnects. Rooms are this bridge's (not shared with other bridges). Under
 * {@code identity.mode: verified} the three room events accept only rooms within the token's {@code channels}, as the
 * other families' channels (docs/socketio.md, "Verified identity"). Thread-safe.
 */
public final class ReliableSignalerFamily implements SocketFamily {

    /** Questions one connection may have waiting. */
    public static final int MAX_WAITING = 16;

    private final MessageRelay relay;
    private final WebStats stats;
    private final RoomRegistry rooms = new RoomRegistry();
    private final int maxRooms;

    /** @param maxRooms rooms one connection may register (the web adapter's {@code max-channels-per-connection}) */
    public ReliableSignalerFamily(MessageRelay relay, WebStats stats, int maxRooms) {
        this.relay = relay;
        this.stats = stats;
        this.maxRooms = maxRooms;
    }

    @Override
    public String name() {
        return "reliable-signaler";
    }

    /** Whether {@code room} is registered now. */
    public boolean registered(String room) {
        return rooms.registered(room);
    }

    /** {@code get-session-info} questions waiting now. */
    public int waiting() {
        return rooms.waiting();
    }

    /** Verified identity: the relay's rule (its channel must be in the token's scope). */
    @Override
    public java.util.Optional<String> refusal(SioSocket socket) {
        return relay.refusal(socket);
    }

    @Override
    public Member connect(SioSocket socket) {
        return new Signaler(socket, relay.connect(socket));
    }

    private static final Logger log = LoggerFactory.getLogger(ReliableSignalerFamily.class);

    private static JsonValue errorValue(ErrorCode code, String detail) {
        return new JsonValue("{\"code\":" + JsonValue.string(code.wire()).json() + ",\"detail\":" + JsonValue.string(detail).json() + "}");
    }

    /** One socket: the relay member for {@code message}, the registry for the rest; the relay's hub endpoint. */
    private final class Signaler implements Member, Endpoint {
        private final SioSocket socket;
        private final Member relayed;
        private final Endpoint endpoint;

        Signaler(SioSocket socket, Member relayed) {
            this.socket = socket;
            this.relayed = relayed;
            this.endpoint = (Endpoint) relayed;
        }

        @Override
        public void onEvent(SioPacket event) {
            String name = event.eventName();
            if (!name.equals("keep-in-server") && !name.equals("keep-session") && !name.equals("get-session-info")) {
                relayed.onEvent(event);
                return;
            }
            List<JsonValue> args = event.eventArgs();
            if (args.isEmpty() || !args.get(0).isString()) {
                stats.countBadFrame();
                reply(event, ErrorCode.INVALID_FRAME, name + " needs a room id (a string)");
                return;
            }
            String room = args.get(0).asText();
            SenderGuard.Check scope = socket.guard().channel(room);
            if (!scope.allowed()) {
                refuseRoom(event, name, room, scope.detail());
                return;
            }
            if (name.equals("get-session-info")) {
                if (!event.wantsAck()) {
                    stats.countIgnoredFrame(); // nothing to answer with
                    return;
                }
                long ackId = event.ackId();
                RoomRegistry.Waiter waiter = new RoomRegistry.Waiter(id(), room, () -> socket.ack(ackId, List.of(JsonValue.string(room))));
                if (!rooms.ask(waiter, MAX_WAITING)) {
                    reply(event, ErrorCode.TOO_MANY_CHANNELS, "at most " + MAX_WAITING + " get-session-info questions may wait per connection");
                }
                return;
            }
            if (!rooms.register(room, id(), maxRooms)) {
                reply(event, ErrorCode.TOO_MANY_CHANNELS, "a connection may register at most " + maxRooms + " rooms");
                return;
            }
            if (event.wantsAck()) {
                socket.ack(event.ackId(), List.of());
            }
        }

        /**
         * Verified identity: a room outside the token's {@code channels} is refused in the ack, {@code {code:
         * "not_permitted", detail}}, and counted. No {@code error} event: signaler.js re-opens its socket on one, and
         * an owner's re-open sends {@code keep-session} for its room again, which would be refused again, forever. A
         * {@code keep-session} without an ack (as signaler.js sends it) is counted and logged only.
         */
        private void refuseRoom(SioPacket event, String name, String room, String detail) {
            stats.countError(ErrorCode.NOT_PERMITTED);
            if (event.wantsAck()) {
                socket.ack(event.ackId(), List.of(errorValue(ErrorCode.NOT_PERMITTED, detail)));
            } else {
                log.debug("Reliable-Signaler {}('{}') of socket {} refused, not answered (it asked for no ack): {}", name, room,
                        socket.endpointId(), detail);
            }
        }

        private void reply(SioPacket event, ErrorCode code, String detail) {
            JsonValue error = errorValue(code, detail);
            if (event.wantsAck()) {
                socket.ack(event.ackId(), List.of(error));
            }
            socket.emit("error", List.of(error));
        }

        @Override
        public void onDisconnect() {
            rooms.left(id());
            relayed.onDisconnect();
        }

        @Override
        public String id() {
            return endpoint.id();
        }

        @Override
        public String adapter() {
            return endpoint.adapter();
        }

        @Override
        public Participant participant() {
            return endpoint.participant();
        }

        /** A Reliable-Signaler client (Socket.IO 0.9) never resumes from a position (docs/design.md §3.8). */
        @Override
        public boolean resumes() {
            return false;
        }

        @Override
        public DeliveryResult deliver(Envelope envelope) {
            return endpoint.deliver(envelope);
        }

        @Override
        public void deliveryFailed(DeliveryFailure failure) {
            endpoint.deliveryFailed(failure);
        }
    }
}
