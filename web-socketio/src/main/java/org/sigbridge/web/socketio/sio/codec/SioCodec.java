package org.sigbridge.web.socketio.sio.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.web.socketio.eio.codec.MalformedPacketException;

/**
 * Socket.IO text encoding of protocols v4 and v5 (socket.io-parser 2.x/3.x and 4.x; docs/dialects.md §7.2, §7.3):
 * {@code <type>[<attachments>-][<namespace>,][<ack id>][<JSON>]}, e.g. {@code 40{"token":"x"}}'s Socket.IO part
 * {@code 0{"token":"x"}}, {@code 2["message",{…}]}, {@code 21["check",1]}, {@code 3/chat,1[true]}.
 *
 * <p>Decoding validates as the reference parser does: the type digit; a namespace starts with {@code /} and ends
 * at {@code ,}; CONNECT carries an object or nothing; EVENT a non-empty array whose first element is a string;
 * ACK an array; DISCONNECT nothing. Anything else is malformed (the reference ends the connection). Protocol v4
 * differs only in CONNECT (a {@code ?query} after the namespace, any payload), see {@link SioProtocol}. Pure and
 * thread-safe.
 */
public final class SioCodec {

    private static final JsonFactory JSON = new JsonFactory();
    /** Longest ack id accepted: JavaScript's safe integers have 16 digits; the reference reads at most that. */
    private static final int MAX_ID_DIGITS = 15;
    /** The packet types by wire digit ({@code values()} copies its array on every call). */
    private static final SioPacket.Type[] TYPES = SioPacket.Type.values();

    private SioCodec() {
    }

    /**
     * Decodes the data of an Engine.IO MESSAGE packet as protocol v5.
     *
     * @throws MalformedPacketException when it is not a valid protocol v5 packet
     */
    public static SioPacket decode(String text) throws MalformedPacketException {
        return decode(text, SioProtocol.V5);
    }

    /**
     * Decodes the data of an Engine.IO MESSAGE packet.
     *
     * @throws MalformedPacketException when it is not a valid packet of {@code protocol}
     */
    public static SioPacket decode(String text, SioProtocol protocol) throws MalformedPacketException {
        return decode(text, 0, protocol);
    }

    /**
     * Decodes the data of an Engine.IO MESSAGE packet that starts at {@code from} in {@code text}: the same packet as
     * {@code decode(text.substring(from), protocol)}, without copying the text first (a WebSocket frame {@code 42[…]}
     * is decoded from index 1 of the frame's text: docs/benchmarks.md, "socket.io 4", round 3).
     *
     * @throws MalformedPacketException when it is not a valid packet of {@code protocol}
     */
    public static SioPacket decode(String text, int from, SioProtocol protocol) throws MalformedPacketException {
        if (text.length() <= from) {
            throw new MalformedPacketException("empty Socket.IO packet");
        }
        char t = text.charAt(from);
        if (t < '0' || t > '6') {
            throw new MalformedPacketException("unknown Socket.IO packet type '" + t + "'");
        }
        SioPacket.Type type = TYPES[t - '0'];
        int i = from + 1;
        int attachments = 0;
        if (type == SioPacket.Type.BINARY_EVENT || type == SioPacket.Type.BINARY_ACK) {
            int dash = text.indexOf('-', i);
            if (dash < 0 || dash == i || dash - i > 6 || !digits(text, i, dash)) {
                throw new MalformedPacketException("binary packet without a valid attachment count");
            }
            attachments = Integer.parseInt(text.substring(i, dash));
            i = dash + 1;
        }
        String namespace = "/";
        if (i < text.length() && text.charAt(i) == '/') {
            int comma = text.indexOf(',', i);
            int end = comma < 0 ? text.length() : comma;
            namespace = text.substring(i, end);
            if (type == SioPacket.Type.CONNECT) {
                namespace = protocol.namespaceOf(namespace);
            }
            i = comma < 0 ? end : comma + 1;
        }
        long ackId = -1;
        int idStart = i;
        while (i < text.length() && Character.isDigit(text.charAt(i)) && text.charAt(i) < 0x80) {
            i++;
        }
        if (i > idStart) {
            if (i - idStart > MAX_ID_DIGITS) {
                throw new MalformedPacketException("ack id longer than " + MAX_ID_DIGITS + " digits");
            }
            ackId = Long.parseLong(text.substring(idStart, i));
        }
        JsonValue data = null;
        List<JsonValue> items = List.of();
        SioPacket.ArgSender sender = null;
        if (i < text.length()) {
            String json = text.substring(i);
            Parsed parsed = type == SioPacket.Type.EVENT ? scanEvent(json) : null;
            if (parsed == null) {
                parsed = parse(json, type == SioPacket.Type.EVENT);
            }
            data = new JsonValue(json);
            items = parsed.items();
            sender = parsed.sender();
            check(type, parsed, protocol);
        } else if (type == SioPacket.Type.EVENT || type == SioPacket.Type.ACK
                || type == SioPacket.Type.CONNECT_ERROR) {
            throw new MalformedPacketException(type + " without a payload");
        }
        if (ackId >= 0 && (type == SioPacket.Type.CONNECT || type == SioPacket.Type.DISCONNECT
                || type == SioPacket.Type.CONNECT_ERROR)) {
            throw new MalformedPacketException(type + " cannot carry an ack id");
        }
        if (ackId < 0 && (type == SioPacket.Type.ACK || type == SioPacket.Type.BINARY_ACK)) {
            throw new MalformedPacketException(type + " without an ack id");
        }
        return new SioPacket(type, namespace, ackId, attachments, data, items, sender);
    }

    /** The text of a packet, to be carried in an Engine.IO MESSAGE. */
    public static String encode(SioPacket p) {
        StringBuilder sb = new StringBuilder(16 + (p.data() == null ? 0 : p.data().json().length()));
        sb.append(p.type().wire());
        if (p.type() == SioPacket.Type.BINARY_EVENT || p.type() == SioPacket.Type.BINARY_ACK) {
            sb.append(p.attachments()).append('-');
        }
        if (!p.namespace().equals("/")) {
            sb.append(p.namespace()).append(',');
        }
        if (p.ackId() >= 0) {
            sb.append(p.ackId());
        }
        if (p.data() != null) {
            sb.append(p.data().json());
        }
        return sb.toString();
    }

    private static void check(SioPacket.Type type, Parsed parsed, SioProtocol protocol) throws MalformedPacketException {
        switch (type) {
            case CONNECT -> {
                if (!protocol.connectPayloadAllowed(parsed.kind() == JsonToken.START_OBJECT)) {
                    throw new MalformedPacketException("CONNECT payload must be an object");
                }
            }
            case DISCONNECT -> throw new MalformedPacketException("DISCONNECT carries no payload");
            case CONNECT_ERROR -> {
                if (parsed.kind() != JsonToken.START_OBJECT && parsed.kind() != JsonToken.VALUE_STRING) {
                    throw new MalformedPacketException("CONNECT_ERROR payload must be an object or a string");
                }
            }
            case EVENT, BINARY_EVENT -> {
                if (parsed.kind() != JsonToken.START_ARRAY || parsed.items().isEmpty() || !parsed.items().get(0).isString()) {
                    throw new MalformedPacketException("EVENT payload must be an array starting with the event name");
                }
            }
            case ACK, BINARY_ACK -> {
                if (parsed.kind() != JsonToken.START_ARRAY) {
                    throw new MalformedPacketException("ACK payload must be an array");
                }
            }
            default -> throw new IllegalStateException(type.toString());
        }
    }

    /** What a pass over a packet's JSON read (package-private: {@code EventScannerTest} compares the two passes). */
    record Parsed(JsonToken kind, List<JsonValue> items, SioPacket.ArgSender sender) {
    }

    /** An EVENT's array by {@link EventScanner}'s one strict pass, or {@code null}: Jackson decides ({@link #parse}). */
    private static Parsed scanEvent(String json) {
        EventScanner.Scanned scanned = EventScanner.scan(json);
        return scanned == null ? null : new Parsed(JsonToken.START_ARRAY, scanned.items(), scanned.sender());
    }

    /**
     * Parses one JSON value in a single pass, keeping the raw text of an array's elements and, when {@code event}, the
     * top-level {@code sender} field of the element after the name (the event's first argument); nothing on the
     * packet's path parses it again ({@code SioCodecTest} pins that the relay does not).
     */
    static Parsed parse(String json, boolean event) throws MalformedPacketException {
        try (JsonParser p = JSON.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new MalformedPacketException("no JSON payload");
            }
            List<JsonValue> items = new ArrayList<>(4);
            SioPacket.ArgSender sender = event ? SioPacket.ArgSender.NOT_AN_OBJECT : null;
            if (first == JsonToken.START_ARRAY) {
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) {
                        throw new MalformedPacketException("unterminated JSON array");
                    }
                    int start = (int) p.currentTokenLocation().getCharOffset();
                    if (event && items.size() == 1 && t == JsonToken.START_OBJECT) {
                        sender = new SioPacket.ArgSender(true, senderField(p, json));
                    } else {
                        p.skipChildren();
                    }
                    p.finishToken(); // a string or number is read lazily; its end is known only once it is read
                    items.add(new JsonValue(slice(p, json, start)));
                }
            } else {
                p.skipChildren();
            }
            if (p.nextToken() != null) {
                throw new MalformedPacketException("text after the JSON payload");
            }
            return new Parsed(first, items, sender);
        } catch (IOException e) {
            throw new MalformedPacketException("payload is not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    /**
     * Reads the object whose {@code START_OBJECT} is the current token up to its {@code END_OBJECT}, skipping every
     * field but {@code sender}, whose raw JSON it returns (the last one when repeated); {@code null} when there is none.
     */
    private static JsonValue senderField(JsonParser p, String json) throws IOException, MalformedPacketException {
        JsonValue sender = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            boolean wanted = "sender".equals(p.currentName());
            p.nextToken();
            if (wanted) {
                int start = (int) p.currentTokenLocation().getCharOffset();
                p.skipChildren();
                p.finishToken();
                sender = new JsonValue(slice(p, json, start));
            } else {
                p.skipChildren();
            }
        }
        return sender; // the parser threw on anything but END_OBJECT here
    }

    /** The text from {@code start} to just past the current token. */
    private static String slice(JsonParser p, String json, int start) throws MalformedPacketException {
        int end = (int) p.currentLocation().getCharOffset();
        if (start < 0 || end < start || end > json.length()) {
            throw new MalformedPacketException("unreadable JSON array element");
        }
        return json.substring(start, end).strip();
    }

    private static boolean digits(String s, int from, int to) {
        for (int k = from; k < to; k++) {
            if (s.charAt(k) < '0' || s.charAt(k) > '9') {
                return false;
            }
        }
        return true;
    }
}
