package org.sigbridge.testkit.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;

/**
 * Reading and checking browser frames in tests. Frames are parsed with the bridge's own exact-text JSON
 * reader, so {@code 1.50} stays {@code 1.50}. Stateless; safe from any thread.
 */
public final class Frames {

    private Frames() {
    }

    /** {@code frame} as a JSON object; an {@link AssertionError} if it is not one. */
    public static Map<String, JsonValue> parse(String frame) {
        try {
            return JsonObjectReader.readObject(frame);
        } catch (InvalidJsonException e) {
            throw new AssertionError("not a JSON object frame: " + frame, e);
        }
    }

    /** Asserts {@code envelope} carries exactly this sender, channel and message text. */
    public static void assertEnvelope(String sender, String channel, String messageJson,
            Map<String, JsonValue> envelope) {
        assertEquals(JsonValue.string(sender).json(), envelope.get("sender").json(), "sender");
        assertEquals(JsonValue.string(channel).json(), envelope.get("channel").json(), "channel");
        assertEquals(messageJson, envelope.get("message").json(), "message");
    }
}
