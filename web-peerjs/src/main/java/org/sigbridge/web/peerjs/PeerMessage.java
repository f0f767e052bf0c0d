package org.sigbridge.web.peerjs;

import java.util.Map;
import java.util.Set;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;

/**
 * One client frame, {@code {type, dst, payload}} (docs/dialects.md §8): what the server reads of it. Any other key,
 * including a {@code src} the client wrote, is dropped; the server stamps {@code src} itself.
 *
 * @param type    the message type as written, e.g. {@code OFFER}
 * @param dst     the destination peer id, or {@code null}
 * @param payload the payload as exact JSON, or {@code null}
 */
record PeerMessage(String type, String dst, JsonValue payload) {

    static final String HEARTBEAT = "HEARTBEAT";
    static final String OFFER = "OFFER";
    static final String ANSWER = "ANSWER";
    static final String CANDIDATE = "CANDIDATE";
    static final String LEAVE = "LEAVE";
    static final String EXPIRE = "EXPIRE";

    /** The types relayed to {@code dst}. */
    static final Set<String> RELAYED = Set.of(OFFER, ANSWER, CANDIDATE, LEAVE, EXPIRE);

    /** Types that wait for an absent {@code dst}; LEAVE and EXPIRE to an absent peer are dropped. */
    static final Set<String> QUEUED = Set.of(OFFER, ANSWER, CANDIDATE);

    /**
     * Reads a frame. Pure.
     *
     * @throws InvalidJsonException when it is not a JSON object, or {@code type}/{@code dst} are not strings
     */
    static PeerMessage parse(String text) throws InvalidJsonException {
        Map<String, JsonValue> fields = JsonObjectReader.readObject(text);
        return new PeerMessage(string(fields, "type"), string(fields, "dst"), fields.get("payload"));
    }

    private static String string(Map<String, JsonValue> fields, String key) throws InvalidJsonException {
        JsonValue value = fields.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new InvalidJsonException("'" + key + "' must be a string");
        }
        String text = value.asText();
        return text.isEmpty() ? null : text;
    }
}
