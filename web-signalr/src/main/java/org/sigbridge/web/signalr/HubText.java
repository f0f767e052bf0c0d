package org.sigbridge.web.signalr;

import java.util.Map;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;

/**
 * How the broadcast hub's one string argument maps onto hub channels and back (docs/signalr.md#channels). Pure.
 *
 * <p>A text that is a JSON object with a non-empty string {@code channel} and a {@code message} (the seed's
 * {@code JSON.stringify({message, channel})}) is published on that channel, the whole object as the envelope's
 * message, so every key the page wrote travels. Any other text is published on the hub's fallback channel as a JSON
 * string. With {@code signalr.route-by: hub} every text takes the fallback path: the whole text, as a JSON string, on the
 * hub's channel. Delivery writes back exactly what a SignalR page sent; an envelope from another dialect becomes
 * {@code {"message":…,"channel":…}}, the shape the seed's pages dispatch on.
 */
final class HubText {

    /** Where a {@code Send} goes: the channel and the envelope's message. */
    record Routed(String channel, JsonValue message) {
    }

    private HubText() {
    }

    /**
     * Routes one {@code Send(text)} of a hub whose fallback channel is {@code fallback}: by the channel inside the text
     * ({@code route-by: channel}), or, if {@code byHub}, always on {@code fallback}.
     */
    static Routed route(String text, String fallback, boolean byHub) {
        return byHub ? new Routed(fallback, JsonValue.string(text)) : route(text, fallback);
    }

    /** Routes one {@code Send(text)} of a hub whose fallback channel is {@code fallback} by the channel inside it. */
    static Routed route(String text, String fallback) {
        String trimmed = text.strip();
        if (trimmed.startsWith("{")) {
            try {
                Map<String, JsonValue> fields = JsonObjectReader.readObject(trimmed);
                JsonValue channel = fields.get("channel");
                if (fields.containsKey("message") && channel != null && channel.isString() && !channel.asText().isBlank()) {
                    return new Routed(channel.asText(), new JsonValue(trimmed));
                }
            } catch (InvalidJsonException e) {
                // Not JSON: plain text on the fallback channel, as below.
            }
        }
        return new Routed(fallback, JsonValue.string(text));
    }

    /** The string argument of {@code onMessageReceived} for an envelope on {@code channel}. */
    static String delivered(String channel, JsonValue message, String fallback) {
        if (message.isString() && channel.equals(fallback)) {
            return message.asText();
        }
        if (message.isObject()) {
            try {
                JsonValue named = JsonObjectReader.readObject(message.json()).get("channel");
                if (named != null && named.isString() && named.asText().equals(channel)) {
                    return message.json();
                }
            } catch (InvalidJsonException e) {
                // A JsonValue is valid JSON; wrapped below if this ever fails.
            }
        }
        return "{\"message\":" + message.json() + ",\"channel\":" + JsonValue.string(channel).json() + "}";
    }
}
