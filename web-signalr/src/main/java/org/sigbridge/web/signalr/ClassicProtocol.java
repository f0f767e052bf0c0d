package org.sigbridge.web.signalr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.web.signalr.protocol.HubProtocolException;

/**
 * The classic ASP.NET SignalR 2 wire (docs/signalr.md#classic) as pure functions: the hub names in
 * {@code connectionData}, a client's hub invocation {@code {"H","M","A","I"}}, and the server's persistent responses
 * {@code {"C":cursor,"M":[…]}}, invocation results {@code {"I":id}} and errors. Thread-safe.
 */
final class ClassicProtocol {

    /** Protocol versions jquery.signalR 2.x clients ask for; the server answers the one asked. */
    static final Set<String> VERSIONS = Set.of("1.2", "1.3", "1.4", "1.5", "2.0", "2.1");

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build());

    /** A client's call of a hub method; {@code id} is its callback id as text. */
    record Invocation(String hub, String method, List<JsonValue> arguments, String id) {
    }

    private ClassicProtocol() {
    }

    /** The lower-cased hub names of {@code connectionData} ({@code [{"name":"webrtchub3"}]}); empty when absent. */
    static List<String> hubs(String connectionData) throws HubProtocolException {
        List<String> names = new ArrayList<>();
        if (connectionData == null || connectionData.isBlank()) {
            return names;
        }
        JsonNode tree = read(connectionData);
        if (!tree.isArray()) {
            throw new HubProtocolException("connectionData must be a JSON array of {\"name\":hub}.");
        }
        for (JsonNode hub : tree) {
            JsonNode name = hub.get("name");
            if (name == null || !name.isTextual() || !SignalRDialect.isHubName(name.asText())) {
                throw new HubProtocolException("connectionData names a hub without a valid \"name\".");
            }
            names.add(name.asText().toLowerCase(Locale.ROOT));
        }
        return names;
    }

    /** Reads a hub invocation. */
    static Invocation invocation(String text) throws HubProtocolException {
        JsonNode tree = read(text);
        if (!tree.isObject()) {
            throw new HubProtocolException("A hub invocation must be a JSON object {\"H\",\"M\",\"A\",\"I\"}.");
        }
        JsonNode hub = tree.get("H");
        JsonNode method = tree.get("M");
        JsonNode args = tree.get("A");
        JsonNode id = tree.get("I");
        if (hub == null || !hub.isTextual() || method == null || !method.isTextual() || id == null
                || !(id.isTextual() || id.isIntegralNumber())) {
            throw new HubProtocolException("A hub invocation needs string \"H\" and \"M\" and an \"I\".");
        }
        List<JsonValue> arguments = new ArrayList<>();
        if (args != null && !args.isNull()) {
            if (!args.isArray()) {
                throw new HubProtocolException("\"A\" must be an array.");
            }
            for (JsonNode a : args) {
                arguments.add(new JsonValue(a.toString()));
            }
        }
        return new Invocation(hub.asText(), method.asText(), arguments, id.asText());
    }

    private static JsonNode read(String text) throws HubProtocolException {
        try {
            JsonNode tree = JSON.readTree(text);
            if (tree == null || tree.isMissingNode()) {
                throw new HubProtocolException("Empty message.");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw new HubProtocolException("Not JSON: " + e.getOriginalMessage());
        }
    }

    /** {@code {"I":id}} or, with a result, {@code {"I":id,"R":result}}. */
    static String result(String id, JsonValue result) {
        return "{\"I\":" + JsonValue.string(id).json() + (result == null ? "" : ",\"R\":" + result.json()) + "}";
    }

    /** {@code {"I":id,"E":error}}: the call failed; the page's promise is rejected with {@code error}. */
    static String error(String id, String error) {
        return "{\"I\":" + JsonValue.string(id).json() + ",\"E\":" + JsonValue.string(error).json() + "}";
    }

    /** A client method invocation, {@code {"H":hub,"M":method,"A":[argument]}}. */
    static String clientCall(String hub, String method, JsonValue argument) {
        return "{\"H\":" + JsonValue.string(hub).json() + ",\"M\":" + JsonValue.string(method).json() + ",\"A\":["
                + argument.json() + "]}";
    }

    /** A persistent response: the cursor and the messages; {@code init} marks the first one of a connection. */
    static String messages(long cursor, List<String> messages, boolean init) {
        return "{\"C\":\"" + cursor + "\"" + (init ? ",\"S\":1" : "") + ",\"M\":[" + String.join(",", messages) + "]}";
    }

    /** A global error: the client stops the connection and reports {@code error}. */
    static String globalError(String error) {
        return "{\"E\":" + JsonValue.string(error).json() + "}";
    }

    /** The negotiate answer, in the field order of an ASP.NET SignalR 2 server. */
    static String negotiate(String url, String token, String connectionId, String version, double keepAliveTimeoutSeconds,
                            double disconnectTimeoutSeconds, double connectionTimeoutSeconds) {
        return "{\"Url\":" + JsonValue.string(url).json() + ",\"ConnectionToken\":" + JsonValue.string(token).json()
                + ",\"ConnectionId\":" + JsonValue.string(connectionId).json() + ",\"KeepAliveTimeout\":" + keepAliveTimeoutSeconds
                + ",\"DisconnectTimeout\":" + disconnectTimeoutSeconds + ",\"ConnectionTimeout\":" + connectionTimeoutSeconds
                + ",\"TryWebSockets\":true,\"ProtocolVersion\":" + JsonValue.string(version).json()
                + ",\"TransportConnectTimeout\":5.0,\"LongPollDelay\":0.0}";
    }
}
