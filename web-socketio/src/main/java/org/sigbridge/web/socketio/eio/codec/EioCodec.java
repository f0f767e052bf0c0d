package org.sigbridge.web.socketio.eio.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * Engine.IO packets as text (docs/dialects.md §7.2, §7.3): a packet is its type digit followed by its data, the same
 * in Engine.IO 3 and 4 (a WebSocket text message is one packet); and Engine.IO 4's polling payload, packets joined by
 * the record separator {@code \u001e} in both directions. Binary packets ({@code b} + base64 in polling, binary
 * WebSocket frames) are recognised and refused: signaling is text.
 *
 * <p>Pure and thread-safe. The polling framings of each revision are {@link PayloadFraming}s.
 */
public final class EioCodec {

    /** The Engine.IO 4 polling payload separator. */
    public static final char SEPARATOR = '\u001e';

    private EioCodec() {
    }

    /**
     * Decodes one packet (a WebSocket text message or one part of a polling payload).
     *
     * A binary packet ({@code b} + base64) decodes to {@link EioPacket#BINARY}, its bytes dropped.
     *
     * @throws MalformedPacketException when it is empty or its type is unknown
     */
    public static EioPacket decode(String text) throws MalformedPacketException {
        if (text.isEmpty()) {
            throw new MalformedPacketException("empty packet");
        }
        char first = text.charAt(0);
        if (first == 'b') {
            return EioPacket.BINARY;
        }
        EioPacket.Type type = EioPacket.Type.of(first);
        if (type == null) {
            throw new MalformedPacketException("unknown packet type '" + printable(first) + "'");
        }
        return new EioPacket(type, text.substring(1));
    }

    /**
     * Decodes a polling POST body: packets separated by {@link #SEPARATOR}.
     *
     * @throws MalformedPacketException at the first part that is not a packet (the reference drops the session then)
     */
    public static List<EioPacket> decodePayload(String body) throws MalformedPacketException {
        List<EioPacket> packets = new ArrayList<>();
        int start = 0;
        while (true) {
            int end = body.indexOf(SEPARATOR, start);
            packets.add(decode(end < 0 ? body.substring(start) : body.substring(start, end)));
            if (end < 0) {
                return packets;
            }
            start = end + 1;
        }
    }

    /** The text of one packet: its type digit and data. */
    public static String encode(EioPacket packet) {
        return packet.type().wire() + packet.data();
    }

    /** A polling response body: the packets' texts joined by {@link #SEPARATOR}. */
    public static String encodePayload(List<String> encodedPackets) {
        return String.join(String.valueOf(SEPARATOR), encodedPackets);
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
