package org.sigbridge.web.socketio.v09.codec;

import java.util.ArrayList;
import java.util.List;
import org.sigbridge.web.socketio.eio.codec.MalformedPacketException;

/**
 * Socket.IO 0.9 text encoding (docs/socketio-09.md): packets {@code <type>:<id>[+]:<endpoint>[:<data>]} and payloads of
 * several packets framed as {@code \ufffd<length>\ufffd<packet>…}, lengths in UTF-16 code units (JavaScript string
 * length, which is Java's). Pure and thread-safe.
 */
public final class V09Codec {

    /** The payload frame marker. */
    public static final char MARK = '\ufffd';
    private static final int MAX_ID_DIGITS = 15;
    private static final int MAX_LENGTH_DIGITS = 9;

    private V09Codec() {
    }

    /**
     * Decodes one packet. The type digit, two colons and a decimal id (optionally followed by {@code +}) are checked;
     * the data is kept as text (its meaning depends on the type and is checked by {@link V09Events}).
     *
     * @throws MalformedPacketException when it is not a 0.9 packet
     */
    public static V09Packet decode(String text) throws MalformedPacketException {
        if (text.length() < 3 || text.charAt(1) != ':') {
            throw new MalformedPacketException("not a Socket.IO 0.9 packet (<type>:<id>:<endpoint>[:<data>])");
        }
        char t = text.charAt(0);
        if (t < '0' || t > '8') {
            throw new MalformedPacketException("unknown Socket.IO 0.9 packet type '" + t + "'");
        }
        int idEnd = text.indexOf(':', 2);
        if (idEnd < 0) {
            throw new MalformedPacketException("packet without an endpoint field");
        }
        String idText = text.substring(2, idEnd);
        boolean ackData = idText.endsWith("+");
        if (ackData) {
            idText = idText.substring(0, idText.length() - 1);
        }
        long id = -1;
        if (!idText.isEmpty()) {
            if (idText.length() > MAX_ID_DIGITS || !digits(idText)) {
                throw new MalformedPacketException("packet id '" + idText + "' is not a number");
            }
            id = Long.parseLong(idText);
        } else if (ackData) {
            throw new MalformedPacketException("'+' without a packet id");
        }
        int endpointEnd = text.indexOf(':', idEnd + 1);
        String endpoint = endpointEnd < 0 ? text.substring(idEnd + 1) : text.substring(idEnd + 1, endpointEnd);
        String data = endpointEnd < 0 ? null : text.substring(endpointEnd + 1);
        return new V09Packet(V09Packet.Type.values()[t - '0'], id, ackData, endpoint, data);
    }

    /** The wire text of a packet. */
    public static String encode(V09Packet p) {
        StringBuilder sb = new StringBuilder(8 + p.endpoint().length() + (p.data() == null ? 0 : p.data().length()));
        sb.append(p.type().wire()).append(':');
        if (p.id() >= 0) {
            sb.append(p.id());
            if (p.ackData()) {
                sb.append('+');
            }
        }
        sb.append(':').append(p.endpoint());
        if (p.data() != null) {
            sb.append(':').append(p.data());
        }
        return sb.toString();
    }

    /**
     * Splits a payload into packet texts: a body that starts with {@code \ufffd} is a framed sequence, anything else is
     * one packet.
     *
     * @throws MalformedPacketException when a frame's length is missing, not a number or runs past the end
     */
    public static List<String> decodePayload(String body) throws MalformedPacketException {
        if (body.isEmpty() || body.charAt(0) != MARK) {
            return List.of(body);
        }
        List<String> packets = new ArrayList<>();
        int i = 0;
        while (i < body.length()) {
            if (body.charAt(i) != MARK) {
                throw new MalformedPacketException("payload frame does not start with \\ufffd at " + i);
            }
            int close = body.indexOf(MARK, i + 1);
            if (close < 0 || close == i + 1 || close - i - 1 > MAX_LENGTH_DIGITS || !digits(body.substring(i + 1, close))) {
                throw new MalformedPacketException("payload frame without a valid length at " + i);
            }
            int length = Integer.parseInt(body.substring(i + 1, close));
            int start = close + 1;
            if (length > body.length() - start) {
                throw new MalformedPacketException("payload frame of " + length + " characters runs past the end");
            }
            packets.add(body.substring(start, start + length));
            i = start + length;
        }
        return packets;
    }

    /** Joins packet texts into one payload: a single packet as it is, several framed. */
    public static String encodePayload(List<String> packets) {
        if (packets.size() == 1) {
            return packets.get(0);
        }
        StringBuilder sb = new StringBuilder();
        for (String p : packets) {
            sb.append(MARK).append(p.length()).append(MARK).append(p);
        }
        return sb.toString();
    }

    private static boolean digits(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (s.charAt(k) < '0' || s.charAt(k) > '9') {
                return false;
            }
        }
        return !s.isEmpty();
    }
}
