package org.sigbridge.web.socketio.v09.codec;

import java.util.Objects;

/**
 * One Socket.IO 0.9 packet (protocol revision 1, docs/socketio-09.md): {@code <type>:<id>[+]:<endpoint>[:<data>]}.
 * Immutable.
 *
 * @param type     the packet type
 * @param id       the message id (an ack is asked for), or {@code -1} when none
 * @param ackData  {@code +} after the id: the ack shall carry the handler's arguments (else it is sent at once, bare)
 * @param endpoint the namespace, {@code ""} for the root
 * @param data     the text after the third colon, or {@code null} when there is none
 */
public record V09Packet(Type type, long id, boolean ackData, String endpoint, String data) {

    /** The 0.9 packet types with their wire digits. */
    public enum Type {
        DISCONNECT, CONNECT, HEARTBEAT, MESSAGE, JSON, EVENT, ACK, ERROR, NOOP;

        /** The type's digit on the wire. */
        public char wire() {
            return (char) ('0' + ordinal());
        }
    }

    public static final V09Packet HEARTBEAT = new V09Packet(Type.HEARTBEAT, -1, false, "", null);
    public static final V09Packet NOOP = new V09Packet(Type.NOOP, -1, false, "", null);

    public V09Packet {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(endpoint, "endpoint");
    }

    /** A CONNECT of {@code endpoint} (the server's answer to a namespace connect; {@code 1::} for the root). */
    public static V09Packet connect(String endpoint) {
        return new V09Packet(Type.CONNECT, -1, false, endpoint, null);
    }

    /** A DISCONNECT of {@code endpoint}. */
    public static V09Packet disconnect(String endpoint) {
        return new V09Packet(Type.DISCONNECT, -1, false, endpoint, null);
    }

    /** A bare ack ({@code 6:::<id>}) of a packet whose id came without {@code +}. */
    public static V09Packet bareAck(String endpoint, long id) {
        return new V09Packet(Type.ACK, -1, false, endpoint, Long.toString(id));
    }

    /** An ERROR {@code 7::<endpoint>:<reason>+<advice>} with the reference's reason and advice indexes. */
    public static V09Packet error(String endpoint, Reason reason, boolean reconnect) {
        return new V09Packet(Type.ERROR, -1, false, endpoint, reason.ordinal() + (reconnect ? "+0" : ""));
    }

    /** The reference's error reasons, by index ({@code socket.io/lib/parser.js}). */
    public enum Reason { TRANSPORT_NOT_SUPPORTED, CLIENT_NOT_HANDSHAKEN, UNAUTHORIZED }
}
