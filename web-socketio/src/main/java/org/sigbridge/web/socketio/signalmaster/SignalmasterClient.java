package org.sigbridge.web.socketio.signalmaster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.web.identity.SenderGuard;
import org.sigbridge.web.session.EnvelopeReceipt;
import org.sigbridge.web.socketio.sio.SioSocket;
import org.sigbridge.web.socketio.sio.SocketFamily;
import org.sigbridge.web.socketio.sio.codec.SioPacket;

/**
 * One signal-master client (docs/dialects.md §6.5): a socket and the hub endpoint of participant {@code socket.id()}.
 *
 * <ul>
 * <li>{@code join(name, ack)}: a string name only (else ignored); leaves the current room, joins its channel and
 *     acks {@code (null, {"clients":{…}})} describing the room before joining. No event to the members. A room the
 *     routes refuse acks {@code ({code, detail})} and emits it as {@code error}.</li>
 * <li>{@code create([name], ack)}: a missing or falsy name becomes a UUID; a room with anyone in it acks
 *     {@code "taken"}; else joins and acks {@code (null, name)}.</li>
 * <li>{@code message(details)}: {@code details.from} is set to the sender's id; {@code to} the sender's room reaches
 *     every member, the sender included; any other {@code to} is a socket id, delivered by addressed delivery in the
 *     sender's room (or to a client of this bridge when the sender joined none). A recipient nowhere gets the sender
 *     an {@code error} event {@code {code: "no_such_recipient", detail, id}} where signal-master is silent.</li>
 * <li>{@code leave}: {@code remove({id})} to the room, the sender included, then leaves. A disconnect leaves too
 *     (the others get {@code remove}).</li>
 * <li>{@code shareScreen}/{@code unshareScreen}: the screen flag of the resources; unsharing emits
 *     {@code remove({id, type: "screen"})} to the room's members on this bridge and the sender.</li>
 * </ul>
 * Members are told of leaves through hub presence ({@link #presenceChanged}), so a member on another bridge or an XMPP
 * occupant leaving is a {@code remove} too.
 *
 * <p>Threads: events come one at a time from the session's reader; deliveries and presence from any thread.
 */
final class SignalmasterClient implements SocketFamily.Member, Endpoint {

    private final SignalmasterFamily family;
    private final SioSocket socket;
    private volatile String room;
    private volatile boolean screen;
    private volatile boolean gone;

    SignalmasterClient(SignalmasterFamily family, SioSocket socket) {
        this.family = family;
        this.socket = socket;
    }

    String socketId() {
        return socket.id();
    }

    String room() {
        return room;
    }

    /** {@code {screen, video, audio}} as signal-master keeps them. */
    String resources() {
        return "{\"screen\":" + screen + ",\"video\":true,\"audio\":false}";
    }

    @Override
    public void onEvent(SioPacket event) {
        List<JsonValue> args = event.eventArgs();
        JsonValue first = args.isEmpty() ? null : args.get(0);
        switch (event.eventName()) {
            case "join" -> {
                if (first != null && first.isString()) {
                    join(first.asText(), event);
                } else {
                    family.stats.countIgnoredFrame();
                }
            }
            case "create" -> create(first, event);
            case "message" -> message(first);
            case "leave" -> removeFeed(null);
            case "shareScreen" -> screen = true;
            case "unshareScreen" -> {
                screen = false;
                removeFeed("screen");
            }
            default -> family.stats.countIgnoredFrame(); // trace (logged only by signal-master) and anything else
        }
    }

    /** Joins a room; a room the routes refuse is answered in the ack ({@code err}) and an {@code error} event. */
    private boolean join(String name, SioPacket event) {
        removeFeed(null);
        JsonValue description = family.describe(name); // the room before joining, as signal-master describes it
        SenderGuard.Check scope = socket.guard().channel(name); // verified identity: the token's channels
        SubscribeResult joined = scope.allowed() ? family.hub.subscribe(this, name)
                : new SubscribeResult.Refused(ErrorCode.NOT_PERMITTED, scope.detail());
        if (joined instanceof SubscribeResult.Refused refused) {
            if (!scope.allowed()) {
                family.stats.countError(ErrorCode.NOT_PERMITTED);
            }
            JsonValue error = errorValue(refused.code(), refused.detail(), null);
            if (event != null && event.wantsAck()) {
                socket.ack(event.ackId(), List.of(error));
            }
            socket.emit("error", List.of(error));
            return false;
        }
        room = name;
        if (event != null && event.wantsAck()) {
            socket.ack(event.ackId(), List.of(JsonValue.nullValue(), description));
        }
        return true;
    }

    private void create(JsonValue first, SioPacket event) {
        JsonValue name = event.wantsAck() && first != null && !first.isFalsy() ? first : JsonValue.string(SignalmasterFamily.newRoomName());
        if (name.isString() && family.hub.isPresent(name.asText())) {
            ack(event, JsonValue.string("taken"));
            return;
        }
        if (name.isString() && !join(name.asText(), null)) {
            ack(event, errorValue(ErrorCode.NOT_PERMITTED, "room '" + name.asText() + "' is not open to this bridge's pages", null));
            return;
        }
        ack(event, JsonValue.nullValue(), name);
    }

    private void message(JsonValue details) {
        Map<String, JsonValue> fields = details == null || details.isFalsy() ? Map.of() : SignalmasterFamily.fields(details);
        JsonValue to = fields.get("to");
        if (to == null || !to.isString()) {
            family.stats.countIgnoredFrame(); // signal-master emits to no one then
            return;
        }
        Map<String, JsonValue> withFrom = new LinkedHashMap<>(fields);
        withFrom.put("from", JsonValue.string(socket.id()));
        JsonValue value = object(withFrom);
        String target = to.asText();
        String myRoom = room;
        if (target.equals(myRoom)) {
            publish(myRoom, value, null);
            socket.emit("message", List.of(value)); // a room target includes the sender
        } else if (myRoom != null) {
            publish(myRoom, value, target);
        } else {
            SignalmasterClient local = family.local(target);
            if (local == null) {
                error(ErrorCode.NO_SUCH_RECIPIENT, "no client '" + target + "' here; join a room to reach clients elsewhere", null);
            } else {
                local.socket.emit("message", List.of(value));
            }
        }
    }

    private void publish(String channel, JsonValue value, String recipient) {
        Envelope envelope = new Envelope(family.hub.envelopeIds().next(), channel, socket.guard().stamp(JsonValue.string(socket.id())), value,
                new Origin(family.adapter, id()), family.hub.clock().instant());
        if (recipient != null) {
            envelope = envelope.addressedTo(recipient);
        }
        if (family.hub.publish(envelope, this) instanceof PublishResult.Refused refused) {
            error(refused.code(), refused.detail(), envelope.id());
        }
    }

    /**
     * signal-master's {@code removeFeed}: {@code remove({id[, type]})} to the room, the sender included; without a type
     * the client also leaves (the other members hear it as presence, {@link #presenceChanged}).
     */
    private void removeFeed(String type) {
        String left = room;
        if (left == null) {
            return;
        }
        JsonValue notice = new JsonValue("{\"id\":" + JsonValue.string(socket.id()).json()
                + (type == null ? "" : ",\"type\":" + JsonValue.string(type).json()) + "}");
        if (!gone) {
            socket.emit("remove", List.of(notice));
        }
        if (type == null) {
            room = null;
            family.hub.unsubscribe(this, left);
        } else {
            family.hub.participants(left).stream().map(p -> family.local(p.id()))
                    .filter(c -> c != null && c != this && left.equals(c.room()))
                    .forEach(c -> c.socket.emit("remove", List.of(notice)));
        }
    }

    private void ack(SioPacket event, JsonValue... args) {
        if (event.wantsAck()) {
            socket.ack(event.ackId(), List.of(args));
        }
    }

    /** An {@code error} event; one naming an envelope is a report, through the queue's reserve ({@link SioSocket#report}). */
    private void error(ErrorCode code, String detail, String envelopeId) {
        List<JsonValue> args = List.of(errorValue(code, detail, envelopeId));
        if (envelopeId == null) {
            socket.emit("error", args);
        } else {
            socket.report("error", args);
        }
    }

    /** {@code {code, detail[, id]}} with the docs/design.md error codes. */
    private static JsonValue errorValue(ErrorCode code, String detail, String envelopeId) {
        return new JsonValue("{\"code\":" + JsonValue.string(code.wire()).json() + ",\"detail\":" + JsonValue.string(detail).json()
                + (envelopeId == null ? "" : ",\"id\":" + JsonValue.string(envelopeId).json()) + "}");
    }

    @Override
    public void onDisconnect() {
        gone = true;
        room = null;
        family.forget(this);
        family.hub.detach(this);
    }

    // ---- Endpoint -----------------------------------------------------------------------------------------------

    @Override
    public String id() {
        return socket.endpointId();
    }

    @Override
    public String adapter() {
        return family.adapter;
    }

    @Override
    public Participant participant() {
        // the id stays the socket id, which pages address with `to`; verified identity names the participant
        return new Participant(family.adapter, socket.id(), socket.verifiedSender().orElse(socket.id()));
    }

    /** A signalmaster client never resumes from a position (signal-master has no connection state recovery) (docs/design.md §3.8): its channels' history need not keep envelopes for it. */
    @Override
    public boolean resumes() {
        return false;
    }

    @Override
    public DeliveryResult deliver(Envelope envelope) {
        EnvelopeReceipt receipt = new EnvelopeReceipt(envelope, family.hub, id());
        if (gone) { // handed after it left (a fan-out's subscribers are read when it begins): told by id, docs/design.md §2.4
            receipt.notWritten("the signalmaster client has disconnected");
            return new DeliveryResult.Rejected(ErrorCode.SHUTTING_DOWN, "signalmaster client " + socket.id() + " is gone");
        }
        if (!socket.emit("message", List.of(envelope.message()), receipt)) { // reported by the socket
            return new DeliveryResult.Rejected(ErrorCode.UPSTREAM_UNAVAILABLE, "signalmaster client " + socket.id() + " is closed or a slow consumer");
        }
        return DeliveryResult.DELIVERED;
    }

    /** Another participant left this client's room: {@code remove({id})}, as signal-master tells the room. */
    @Override
    public void presenceChanged(PresenceEvent event) {
        if (event.kind() == PresenceEvent.Kind.LEFT && event.channel().equals(room) && !gone) {
            socket.emit("remove", List.of(new JsonValue("{\"id\":" + JsonValue.string(event.participant().id()).json() + "}")));
        }
    }

    @Override
    public void deliveryFailed(DeliveryFailure failure) {
        error(failure.code(), failure.detail(), failure.envelopeId());
    }

    private static JsonValue object(Map<String, JsonValue> fields) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, JsonValue> e : fields.entrySet()) {
            sb.append(sb.length() == 1 ? "" : ",").append(JsonValue.string(e.getKey()).json()).append(':').append(e.getValue().json());
        }
        return new JsonValue(sb.append('}').toString());
    }
}
