package org.sigbridge.bench.load;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of Engine.IO 4 and the Socket.IO v5 protocol as the generator speaks it (docs/dialects.md §7.3,
 * docs/socketio.md): the URLs of the WebSocket and polling transports with the relay's {@code channel} query, the
 * packets a socket.io-client 4 page sends ({@code 40} to connect the root namespace, {@code 3} to answer a ping,
 * {@code 42["message",value]} for {@code socket.emit('message', value)} without an ack) and the packets a server
 * writes. Over polling, a payload holds packets separated by the record separator {@code 0x1E}; over WebSocket each
 * message is one packet. Pure. Probe bodies are ASCII letters, digits and JSON punctuation, and the generator's channel
 * names and senders are plain ASCII, so frames are built by concatenation.
 */
public final class SocketIoCodec {
    /** Separates the packets of a polling payload (Engine.IO 4). */
    public static final char RS = '\u001e';
    /** The client's CONNECT of the root namespace, without auth. */
    public static final String CONNECT = "40";
    /** The client's answer to a server ping. */
    public static final String PONG = "3";

    private static final String MESSAGE_EVENT = "42[\"message\",";

    private SocketIoCodec() {
    }

    /** What one server packet is to the generator. */
    public enum Kind {
        /** {@code 0{"sid":…}}: the Engine.IO session is open. */
        OPEN,
        /** {@code 40{"sid":…}}: the root namespace is connected. */
        CONNECTED,
        /** {@code 44{…}}: the namespace refused the CONNECT. */
        CONNECT_ERROR,
        /** {@code 2}: a server ping, to be answered {@code 3}. */
        PING,
        /** {@code 42["message",value]}: a relayed message; its value is in {@link Packet#text()}. */
        MESSAGE,
        /** {@code 6} (noop, ends a polling request during an upgrade): carries nothing. */
        NOOP,
        /** {@code 1} (close) or {@code 41} (disconnect): the server ended the session or the socket. */
        CLOSED,
        /** Any other packet (other events, acks): not a probe. */
        OTHER
    }

    /** One server packet: its kind, and for a message the emitted value's JSON text. */
    public record Packet(Kind kind, String text) {
    }

    /** {@code ws://host:port/socket.io/?EIO=4&transport=websocket&channel=…} for the base {@code ws://host:port/socket.io/}. */
    public static URI webSocketUri(URI base, String channel) {
        return URI.create(base + "?EIO=4&transport=websocket&channel=" + URLEncoder.encode(channel, StandardCharsets.UTF_8));
    }

    /** {@code http://host:port/socket.io/?EIO=4&transport=polling&channel=…}: the polling handshake for the same base. */
    public static URI pollingUri(URI base, String channel) {
        String scheme = "wss".equals(base.getScheme()) ? "https" : "http";
        return URI.create(scheme + "://" + base.getRawAuthority() + base.getRawPath() + "?EIO=4&transport=polling&channel="
                + URLEncoder.encode(channel, StandardCharsets.UTF_8));
    }

    /** A polling session's request URL: the handshake URL with the session id. Session ids are base64url. */
    public static URI sessionUri(URI pollingHandshake, String sid) {
        return URI.create(pollingHandshake + "&sid=" + sid);
    }

    /** The {@code sid} of an open packet {@code 0{"sid":"…",…}}. */
    public static String sid(String openPacket) {
        String key = "\"sid\":\"";
        int at = openPacket.indexOf(key);
        int end = at < 0 ? -1 : openPacket.indexOf('"', at + key.length());
        if (!openPacket.startsWith("0") || end < 0) {
            throw new IllegalArgumentException("not an Engine.IO open packet with a sid: " + openPacket);
        }
        return openPacket.substring(at + key.length(), end);
    }

    /** {@code socket.emit('message', {sender, channel, message: body})}: the value a relay-family page emits (docs/socketio.md, "Which family a connection speaks"). */
    public static String message(String channel, int sender, String body) {
        return MESSAGE_EVENT + "{\"sender\":\"" + sender + "\",\"channel\":\"" + channel + "\",\"message\":" + body + "}]";
    }

    /** Reads one packet (a WebSocket message, or one packet of a polling payload). */
    public static Packet read(String packet) {
        if (packet.startsWith(MESSAGE_EVENT) && packet.endsWith("]")) {
            return new Packet(Kind.MESSAGE, packet.substring(MESSAGE_EVENT.length(), packet.length() - 1));
        }
        if (packet.equals("2")) {
            return new Packet(Kind.PING, packet);
        }
        if (packet.startsWith("40")) {
            return new Packet(Kind.CONNECTED, packet);
        }
        if (packet.startsWith("44")) {
            return new Packet(Kind.CONNECT_ERROR, packet);
        }
        if (packet.startsWith("0")) {
            return new Packet(Kind.OPEN, packet);
        }
        if (packet.equals("6")) {
            return new Packet(Kind.NOOP, packet);
        }
        if (packet.equals("1") || packet.startsWith("41")) {
            return new Packet(Kind.CLOSED, packet);
        }
        return new Packet(Kind.OTHER, packet);
    }

    /** Splits a polling payload into its packets (an empty body has none). */
    public static List<String> packets(String payload) {
        List<String> out = new ArrayList<>(1);
        if (payload.isEmpty()) {
            return out;
        }
        int start = 0;
        int end;
        while ((end = payload.indexOf(RS, start)) >= 0) {
            out.add(payload.substring(start, end));
            start = end + 1;
        }
        out.add(payload.substring(start));
        return out;
    }

    /** Joins packets into one polling payload. */
    public static String payload(List<String> packets) {
        return String.join(String.valueOf(RS), packets);
    }
}
