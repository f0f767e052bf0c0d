package org.sigbridge.web.socketio.sio.codec;

import java.util.List;
import java.util.Objects;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;

/**
 * One Socket.IO packet of protocol v4 or v5 (socket.io 1.x/2.x and 3.x/4.x, docs/dialects.md §7.2, §7.3); types keep
 * their v5 names ({@code CONNECT_ERROR} is v4's {@code ERROR}). Immutable.
 *
 * @param type        the packet type
 * @param namespace   the namespace, {@code /} by default
 * @param ackId       the acknowledgement id, or {@code -1} when none
 * @param attachments binary attachments announced ({@code BINARY_*} only; refused by this bridge)
 * @param data        the JSON payload, or {@code null} when the packet has none
 * @param items       the payload's elements when it is an array (EVENT and ACK), else empty
 * @param argSender   what the decoder's single pass over an EVENT read of its first argument's top-level
 *                    {@code sender} field ({@link ArgSender}), so that a family need not parse the argument again
 *                    (docs/benchmarks.md, "socket.io 4"); {@code null} when the packet was not decoded by
 *                    {@link SioCodec} (built, or from another revision's codec): then a family reads the argument itself
 */
public record SioPacket(Type type, String namespace, long ackId, int attachments, JsonValue data, List<JsonValue> items,
                        ArgSender argSender) {

    /**
     * The top-level {@code sender} field of an EVENT's first argument, as the decoder saw it.
     *
     * @param object whether the first argument is a JSON object (false: a bare value, or no argument)
     * @param value  the field's raw JSON (any type; the last one when repeated, as {@code JSON.parse} keeps), or
     *               {@code null} when the argument has none
     */
    public record ArgSender(boolean object, JsonValue value) {
        /** No argument, or one that is not an object. */
        public static final ArgSender NOT_AN_OBJECT = new ArgSender(false, null);
    }

    /**
     * The top-level {@code sender} field of this EVENT's first argument: what the decoder read in its pass, or, for a
     * packet no {@link SioCodec} pass read ({@code argSender} {@code null}: built, or a Socket.IO 0.9 event), read here
     * by parsing the argument once. Any thread.
     */
    public ArgSender firstArgSender() {
        if (argSender != null) {
            return argSender;
        }
        List<JsonValue> args = items.isEmpty() ? items : eventArgs();
        if (args.isEmpty()) {
            return ArgSender.NOT_AN_OBJECT;
        }
        try {
            return new ArgSender(true, JsonObjectReader.readObject(args.get(0).json()).get("sender"));
        } catch (InvalidJsonException notAnObject) {
            return ArgSender.NOT_AN_OBJECT;
        }
    }

    /** A packet whose first argument nobody has read ({@code argSender} {@code null}). */
    public SioPacket(Type type, String namespace, long ackId, int attachments, JsonValue data, List<JsonValue> items) {
        this(type, namespace, ackId, attachments, data, items, null);
    }

    /** Socket.IO packet types with their wire digits. */
    public enum Type {
        CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK;

        /** The type's digit on the wire. */
        public char wire() {
            return (char) ('0' + ordinal());
        }
    }

    public SioPacket {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(namespace, "namespace");
        items = List.copyOf(items);
    }

    /** Whether the sender asks for an acknowledgement. */
    public boolean wantsAck() {
        return ackId >= 0;
    }

    /** The event name of an EVENT: its first element as text. */
    public String eventName() {
        return items.get(0).asText();
    }

    /** The arguments of an EVENT: its elements after the name. */
    public List<JsonValue> eventArgs() {
        return items.subList(1, items.size());
    }

    /** A CONNECT answer or request with an object payload (or none when {@code data} is null). */
    public static SioPacket connect(String namespace, JsonValue data) {
        return new SioPacket(Type.CONNECT, namespace, -1, 0, data, List.of());
    }

    /** A CONNECT_ERROR whose payload is {@code {"message": …}}, as the reference sends. */
    public static SioPacket connectError(String namespace, String message) {
        return new SioPacket(Type.CONNECT_ERROR, namespace, -1, 0,
                new JsonValue("{\"message\":" + JsonValue.string(message).json() + "}"), List.of());
    }

    /** An EVENT {@code [name, args…]}, with an ack id or {@code -1}. */
    public static SioPacket event(String namespace, long ackId, String name, List<JsonValue> args) {
        StringBuilder sb = new StringBuilder().append('[').append(JsonValue.string(name).json());
        for (JsonValue arg : args) {
            sb.append(',').append(arg.json());
        }
        return new SioPacket(Type.EVENT, namespace, ackId, 0, new JsonValue(sb.append(']').toString()), List.of());
    }

    /** An ACK of {@code ackId} with {@code args}. */
    public static SioPacket ack(String namespace, long ackId, List<JsonValue> args) {
        StringBuilder sb = new StringBuilder().append('[');
        for (int i = 0; i < args.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(args.get(i).json());
        }
        return new SioPacket(Type.ACK, namespace, ackId, 0, new JsonValue(sb.append(']').toString()), List.of());
    }

    /** A DISCONNECT of {@code namespace}. */
    public static SioPacket disconnect(String namespace) {
        return new SioPacket(Type.DISCONNECT, namespace, -1, 0, null, List.of());
    }
}
