package org.sigbridge.web.socketio.overnodejs;

import java.util.List;
import java.util.Map;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.web.identity.SenderGuard;
import org.sigbridge.web.session.EnvelopeReceipt;
import org.sigbridge.web.socketio.sio.SioSocket;
import org.sigbridge.web.socketio.sio.SocketFamily;
import org.sigbridge.web.socketio.sio.codec.SioPacket;

/**
 * A socketio-over-nodejs namespace socket ({@code /c}): a hub endpoint on channel {@code c}. Events come from its
 * session's reader one at a time; deliveries from any publishing thread (they only enqueue).
 */
final class ChannelMember implements SocketFamily.Member, Endpoint {

    private final OverNodeJsFamily family;
    private final SioSocket socket;
    private final String channel;
    private volatile boolean joined;
    private volatile boolean gone;
    /** The {@code sender} inside the data of this socket's first message, or null. */
    private JsonValue username;
    private boolean first = true;

    ChannelMember(OverNodeJsFamily family, SioSocket socket, String channel) {
        this.family = family;
        this.socket = socket;
        this.channel = channel;
    }

    String channel() {
        return channel;
    }

    SioSocket socket() {
        return socket;
    }

    void join() {
        SubscribeResult result = family.hub().subscribe(this, channel);
        if (result instanceof SubscribeResult.Refused refused) {
            socket.emit("error", List.of(OverNodeJsFamily.error(refused.code(), refused.detail())));
        } else {
            joined = true;
        }
    }

    @Override
    public void onEvent(SioPacket event) {
        if (!"message".equals(event.eventName())) {
            family.stats().countIgnoredFrame();
            return;
        }
        Map<String, JsonValue> fields = object(event.eventArgs().isEmpty() ? null : event.eventArgs().get(0));
        JsonValue data = fields == null ? null : fields.get("data");
        if (data == null) {
            family.stats().countBadFrame();
            reply(event, ErrorCode.INVALID_FRAME, "message needs {sender, data}");
            return;
        }
        if (!joined) {
            reply(event, ErrorCode.NOT_PERMITTED, "this socket is on no channel: joining '" + channel + "' was refused");
            return;
        }
        JsonValue claimed = fields.get("sender");
        SenderGuard.Check who = socket.guard().sender(claimed == null ? JsonValue.nullValue() : claimed);
        if (!who.allowed()) { // verified identity: a page cannot name another sender (docs/socketio.md)
            family.stats().countError(ErrorCode.NOT_PERMITTED);
            reply(event, ErrorCode.NOT_PERMITTED, who.detail());
            return;
        }
        if (first) {
            first = false;
            Map<String, JsonValue> inner = object(data);
            username = socket.verifiedSender().map(JsonValue::string).orElse(inner == null ? null : inner.get("sender"));
        }
        JsonValue sender = fields.get("sender");
        if (sender == null || sender.isNull()) {
            sender = JsonValue.string(id());
        } else if (!sender.isString()) {
            sender = JsonValue.string(sender.json()); // a random number in the reference client
        }
        String envelopeId = family.hub().envelopeIds().next();
        Envelope envelope = new Envelope(envelopeId, channel, socket.guard().stamp(sender), data, new Origin(family.adapter(), id()), family.hub().clock().instant());
        PublishResult result = family.hub().publish(envelope, this);
        if (result instanceof PublishResult.Refused refused) {
            reply(event, OverNodeJsFamily.error(refused.code(), refused.detail(), envelopeId));
        } else if (event.wantsAck()) {
            socket.ack(event.ackId(), List.of());
        }
    }

    private static Map<String, JsonValue> object(JsonValue value) {
        if (value == null || !value.isObject()) {
            return null;
        }
        try {
            return JsonObjectReader.readObject(value.json());
        } catch (InvalidJsonException e) {
            return null;
        }
    }

    private void reply(SioPacket event, ErrorCode code, String detail) {
        reply(event, OverNodeJsFamily.error(code, detail));
    }

    private void reply(SioPacket event, JsonValue error) {
        if (event.wantsAck()) {
            socket.ack(event.ackId(), List.of(error));
        }
        socket.emit("error", List.of(error));
    }

    @Override
    public void onDisconnect() {
        gone = true;
        family.hub().detach(this);
        family.left(this, username);
    }

    @Override
    public String id() {
        return socket.endpointId();
    }

    @Override
    public String adapter() {
        return family.adapter();
    }

    /** A Socket.IO 0.9 client never resumes from a position (docs/design.md §3.8): its channels' history need not keep envelopes for it. */
    @Override
    public boolean resumes() {
        return false;
    }

    @Override
    public DeliveryResult deliver(Envelope envelope) {
        EnvelopeReceipt receipt = new EnvelopeReceipt(envelope, family.hub(), id());
        if (gone) { // handed after it left (a fan-out's subscribers are read when it begins): told by id, docs/design.md §2.4
            receipt.notWritten("the socket.io socket has disconnected");
            return new DeliveryResult.Rejected(ErrorCode.SHUTTING_DOWN, "socket.io socket " + id() + " is gone");
        }
        if (!socket.emit("message", List.of(envelope.message()), receipt)) { // reported by the socket
            return new DeliveryResult.Rejected(ErrorCode.UPSTREAM_UNAVAILABLE, "socket.io socket " + id() + " is closed or a slow consumer");
        }
        return DeliveryResult.DELIVERED;
    }

    @Override
    public void deliveryFailed(DeliveryFailure failure) {
        // a report (through the queue's reserve, SioSocket#report): it may be one of a burst after a slow consumer's close
        socket.report("error", List.of(OverNodeJsFamily.error(failure.code(), failure.detail(), failure.envelopeId())));
    }
}
