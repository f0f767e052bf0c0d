package org.sigbridge.web.socketio.v09.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.web.socketio.eio.codec.MalformedPacketException;
import org.sigbridge.web.socketio.sio.codec.SioCodec;
import org.sigbridge.web.socketio.sio.codec.SioPacket;

/**
 * Translation between 0.9 packets and the {@link SioPacket}s the application families read and write
 * (docs/socketio-09.md "Families"): a 0.9 EVENT {@code {"name":n,"args":[a…]}} is the v5 EVENT {@code [n,a…]}; a
 * MESSAGE ({@code 3}, text) and a JSON message ({@code 4}) are the event {@code message} with one argument, as the
 * reference server hands them to its {@code message} handlers; namespace {@code ""} is {@code /}. A v5 ACK becomes
 * {@code 6::<endpoint>:<id>[+<args>]}. Pure and thread-safe.
 */
public final class V09Events {

    private static final JsonFactory JSON = new JsonFactory();

    private V09Events() {
    }

    /** The v5 namespace of a 0.9 endpoint. */
    public static String namespace(String endpoint) {
        return endpoint.isEmpty() ? "/" : endpoint;
    }

    /** The 0.9 endpoint of a v5 namespace. */
    public static String endpoint(String namespace) {
        return namespace.equals("/") ? "" : namespace;
    }

    /**
     * The event a 0.9 EVENT, MESSAGE or JSON packet carries, with the ack id when the client asked for an ack with
     * data ({@code id+}); a bare id is acknowledged by the caller.
     *
     * @throws MalformedPacketException when the data is missing or not of the packet type's shape
     */
    public static SioPacket toEvent(V09Packet packet) throws MalformedPacketException {
        String nsp = namespace(packet.endpoint());
        long ackId = packet.ackData() ? packet.id() : -1;
        String data = packet.data();
        if (data == null) {
            throw new MalformedPacketException(packet.type() + " packet without data");
        }
        List<JsonValue> items = new ArrayList<>();
        items.add(JsonValue.string("message"));
        switch (packet.type()) {
            case MESSAGE -> items.add(JsonValue.string(data));
            case JSON -> {
                check(data);
                items.add(new JsonValue(data.strip()));
            }
            case EVENT -> {
                items.clear();
                event(data, items);
            }
            default -> throw new IllegalArgumentException(packet.type() + " carries no event");
        }
        StringBuilder array = new StringBuilder().append('[');
        for (int i = 0; i < items.size(); i++) {
            array.append(i == 0 ? "" : ",").append(items.get(i).json());
        }
        return new SioPacket(SioPacket.Type.EVENT, nsp, ackId, 0, new JsonValue(array.append(']').toString()), items);
    }

    /**
     * The 0.9 packet of a v5 EVENT or ACK a family wrote.
     *
     * @throws MalformedPacketException when its data is not a valid v5 payload
     * @throws IllegalArgumentException for other types (families write only events and acks)
     */
    public static V09Packet fromSio(SioPacket p) throws MalformedPacketException {
        if (p.items().isEmpty() && p.data() != null) {
            p = SioCodec.decode(SioCodec.encode(p)); // built by a factory: its elements are read from its data
        }
        String endpoint = endpoint(p.namespace());
        List<JsonValue> items = p.items();
        StringBuilder sb = new StringBuilder();
        switch (p.type()) {
            case EVENT -> {
                sb.append("{\"name\":").append(items.get(0).json()).append(",\"args\":[");
                join(sb, items.subList(1, items.size()));
                return new V09Packet(V09Packet.Type.EVENT, p.ackId(), p.ackId() >= 0, endpoint, sb.append("]}").toString());
            }
            case ACK -> {
                sb.append(p.ackId());
                if (!items.isEmpty()) {
                    join(sb.append("+["), items);
                    sb.append(']');
                }
                return new V09Packet(V09Packet.Type.ACK, -1, false, endpoint, sb.toString());
            }
            default -> throw new IllegalArgumentException("no 0.9 form for a family's " + p.type());
        }
    }

    private static void join(StringBuilder sb, List<JsonValue> values) {
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(values.get(i).json());
        }
    }

    /** Reads {@code {"name":"…","args":[…]}} into {@code [name, args…]} keeping each argument's raw JSON text. */
    private static void event(String json, List<JsonValue> items) throws MalformedPacketException {
        JsonValue name = null;
        List<JsonValue> args = List.of();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedPacketException("EVENT data must be an object {name, args}");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("name".equals(field) && value == JsonToken.VALUE_STRING) {
                    name = JsonValue.string(p.getText());
                } else if ("args".equals(field) && value == JsonToken.START_ARRAY) {
                    args = elements(p, json);
                } else if ("name".equals(field) || "args".equals(field)) {
                    throw new MalformedPacketException("EVENT '" + field + "' has the wrong type");
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new MalformedPacketException("EVENT data is not one JSON object");
            }
        } catch (IOException e) {
            throw new MalformedPacketException("EVENT data is not JSON: " + message(e));
        }
        if (name == null) {
            throw new MalformedPacketException("EVENT without a name");
        }
        items.add(name);
        items.addAll(args);
    }

    private static List<JsonValue> elements(JsonParser p, String json) throws IOException, MalformedPacketException {
        List<JsonValue> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new MalformedPacketException("unterminated args array");
            }
            int start = (int) p.currentTokenLocation().getCharOffset();
            p.skipChildren();
            p.finishToken();
            int end = (int) p.currentLocation().getCharOffset();
            if (start < 0 || end < start || end > json.length()) {
                throw new MalformedPacketException("unreadable args element");
            }
            out.add(new JsonValue(json.substring(start, end).strip()));
        }
        return out;
    }

    private static void check(String json) throws MalformedPacketException {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() == null) {
                throw new MalformedPacketException("JSON message without a value");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                throw new MalformedPacketException("text after the JSON message");
            }
        } catch (IOException e) {
            throw new MalformedPacketException("JSON message is not JSON: " + message(e));
        }
    }

    private static String message(IOException e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }
}
