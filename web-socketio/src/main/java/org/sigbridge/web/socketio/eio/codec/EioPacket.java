package org.sigbridge.web.socketio.eio.codec;

import java.util.Objects;

/**
 * One Engine.IO packet: a type and its text data (Engine.IO protocol v4, docs/dialects.md §7.3). Immutable.
 *
 * @param type the packet type
 * @param data   the text after the type digit; empty when none. For {@link Type#MESSAGE} it is a Socket.IO packet.
 * @param binary a binary MESSAGE ({@code b}+base64 in polling, a binary WebSocket frame): its bytes are not kept,
 *               since signaling is text and binary attachments are refused
 */
public record EioPacket(Type type, String data, boolean binary) {

    /** Engine.IO packet types with their wire digits; the same digits in Engine.IO 3 and 4. */
    public enum Type {
        OPEN('0'), CLOSE('1'), PING('2'), PONG('3'), MESSAGE('4'), UPGRADE('5'), NOOP('6');

        private final char wire;

        Type(char wire) {
            this.wire = wire;
        }

        /** The type's digit on the wire. */
        public char wire() {
            return wire;
        }

        /** The type of a wire digit, or {@code null} when it names none. */
        public static Type of(char digit) {
            return digit >= '0' && digit <= '6' ? values()[digit - '0'] : null;
        }
    }

    public static final EioPacket PING = new EioPacket(Type.PING, "");
    public static final EioPacket NOOP = new EioPacket(Type.NOOP, "");
    public static final EioPacket CLOSE = new EioPacket(Type.CLOSE, "");
    /** A binary message, whatever its bytes. */
    public static final EioPacket BINARY = new EioPacket(Type.MESSAGE, "", true);

    /** A text packet. */
    public EioPacket(Type type, String data) {
        this(type, data, false);
    }

    public EioPacket {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }

    /** A {@link Type#MESSAGE} packet carrying {@code data}. */
    public static EioPacket message(String data) {
        return new EioPacket(Type.MESSAGE, data);
    }
}
