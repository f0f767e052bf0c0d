package org.sigbridge.web.signalr.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;

/**
 * Reads one record of the JSON hub protocol (docs/signalr.md#wire) into a {@link HubMessage} or a
 * {@link HandshakeRequest}. Property names are case-sensitive and unknown properties ({@code headers},
 * {@code streamIds}) are ignored, as ASP.NET Core's reader does. Pure and thread-safe; every failure is a
 * {@link HubProtocolException}.
 */
public final class HubMessageReader {

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private HubMessageReader() {
    }

    /** The first record a client sends: {@code {"protocol":"json","version":1}}. */
    public record HandshakeRequest(String protocol, int version) {
    }

    /**
     * Reads the handshake request.
     *
     * @throws HubProtocolException when it is not a JSON object with a string {@code protocol} and an integer
     *                              {@code version}
     */
    public static HandshakeRequest handshake(String record) throws HubProtocolException {
        Map<String, JsonValue> fields = object(record);
        return new HandshakeRequest(requiredString(fields, "protocol"), requiredInt(fields, "version"));
    }

    /**
     * Reads one hub message.
     *
     * @throws HubProtocolException when the record is not a JSON object, lacks {@code type} or a property its type
     *                              requires, has a property of the wrong JSON type, or has an unknown type
     */
    public static HubMessage read(String record) throws HubProtocolException {
        Map<String, JsonValue> fields = object(record);
        int type = requiredInt(fields, "type");
        return switch (type) {
            case HubMessage.INVOCATION -> new HubMessage.Invocation(optionalString(fields, "invocationId"),
                    requiredString(fields, "target"), arguments(fields));
            case HubMessage.STREAM_INVOCATION -> {
                arguments(fields);
                yield new HubMessage.StreamInvocation(requiredString(fields, "invocationId"), requiredString(fields, "target"));
            }
            case HubMessage.CANCEL_INVOCATION -> new HubMessage.CancelInvocation(requiredString(fields, "invocationId"));
            case HubMessage.PING -> new HubMessage.Ping();
            case HubMessage.CLOSE -> new HubMessage.Close(optionalString(fields, "error"));
            case HubMessage.STREAM_ITEM, HubMessage.COMPLETION, HubMessage.ACK, HubMessage.SEQUENCE -> new HubMessage.Unsolicited(type);
            default -> throw new HubProtocolException("Unknown message type: " + type);
        };
    }

    private static Map<String, JsonValue> object(String record) throws HubProtocolException {
        try {
            return JsonObjectReader.readObject(record);
        } catch (JsonObjectReader.NotAnObjectException e) {
            throw new HubProtocolException("Unexpected JSON Token Type. Expected a JSON Object.");
        } catch (InvalidJsonException e) {
            throw new HubProtocolException("Error reading JSON: " + e.getMessage());
        }
    }

    private static String requiredString(Map<String, JsonValue> fields, String name) throws HubProtocolException {
        String value = optionalString(fields, name);
        if (value == null) {
            throw new HubProtocolException("Missing required property '" + name + "'.");
        }
        return value;
    }

    private static String optionalString(Map<String, JsonValue> fields, String name) throws HubProtocolException {
        JsonValue value = fields.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new HubProtocolException("Expected '" + name + "' to be of type String.");
        }
        return value.asText();
    }

    private static int requiredInt(Map<String, JsonValue> fields, String name) throws HubProtocolException {
        JsonValue value = fields.get(name);
        if (value == null) {
            throw new HubProtocolException("Missing required property '" + name + "'.");
        }
        if (value.type() != JsonToken.VALUE_NUMBER_INT) {
            throw new HubProtocolException("Expected '" + name + "' to be of type Integer.");
        }
        try {
            return Integer.parseInt(value.json());
        } catch (NumberFormatException e) {
            throw new HubProtocolException("Expected '" + name + "' to be of type Integer.");
        }
    }

    /** The elements of {@code arguments}, which an invocation must have, each as exact JSON. */
    private static List<JsonValue> arguments(Map<String, JsonValue> fields) throws HubProtocolException {
        JsonValue value = fields.get("arguments");
        if (value == null) {
            throw new HubProtocolException("Missing required property 'arguments'.");
        }
        if (value.type() != JsonToken.START_ARRAY) {
            throw new HubProtocolException("Expected 'arguments' to be of type Array.");
        }
        String text = value.json();
        List<JsonValue> elements = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(text)) {
            parser.nextToken(); // START_ARRAY
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                int start = (int) parser.currentTokenLocation().getCharOffset();
                parser.skipChildren();
                parser.finishToken();
                int end = (int) parser.currentLocation().getCharOffset();
                elements.add(new JsonValue(text.substring(start, end)));
            }
        } catch (IOException e) {
            // Already validated as part of the record; kept for the parser's checked signature.
            throw new HubProtocolException("Error reading JSON: " + e.getMessage());
        }
        return elements;
    }
}
