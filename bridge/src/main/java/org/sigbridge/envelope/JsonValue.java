package org.sigbridge.envelope;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One JSON value kept as the exact text a client sent.
 *
 * <p>Seed pages double-encode (a string holding JSON), send numeric senders and rely on number text
 * surviving a relay, so the bridge never re-serialises a payload: it slices the raw text out of the
 * frame (see {@link JsonObjectReader}) and writes it back verbatim. The text is always one complete,
 * valid JSON value with no surrounding whitespace.
 *
 * <p>Immutable and thread-safe. Equal when the texts are equal. The UTF-8 form is encoded once, on first use, and
 * shared: a payload relayed to fifty sockets is encoded once, not fifty times.
 */
public final class JsonValue {

    private static final JsonValue NULL = new JsonValue("null");

    private final String json;
    /**
     * Cached UTF-8 of {@link #json}. Two threads may both encode it (harmless: same bytes); volatile so that a thread
     * that sees the array also sees its contents.
     */
    private volatile byte[] utf8;

    /** @param json the raw JSON text of the value */
    public JsonValue(String json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    /** The raw JSON text of the value. */
    public String json() {
        return json;
    }

    /** The value's UTF-8 bytes as a new read-only buffer over a shared array (encoded on first use). */
    public ByteBuffer utf8() {
        byte[] bytes = utf8;
        if (bytes == null) {
            bytes = json.getBytes(StandardCharsets.UTF_8);
            utf8 = bytes;
        }
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /**
     * Parses {@code text} as exactly one JSON value.
     *
     * @throws InvalidJsonException if the text is not one complete JSON value
     */
    public static JsonValue parse(String text) throws InvalidJsonException {
        return JsonObjectReader.parseValue(text);
    }

    /** A JSON string with the given content, escaped as RFC 8259 requires. */
    public static JsonValue string(String content) {
        Objects.requireNonNull(content, "content");
        return new JsonValue('"' + new String(JsonStringEncoder.getInstance().quoteAsString(content)) + '"');
    }

    /** A JSON number. */
    public static JsonValue number(long value) {
        return new JsonValue(Long.toString(value));
    }

    /** The JSON literal {@code null}. */
    public static JsonValue nullValue() {
        return NULL;
    }

    /** The type of the first token, which decides the value's JSON type. */
    public JsonToken type() {
        return switch (json.charAt(0)) {
            case '"' -> JsonToken.VALUE_STRING;
            case '{' -> JsonToken.START_OBJECT;
            case '[' -> JsonToken.START_ARRAY;
            case 't' -> JsonToken.VALUE_TRUE;
            case 'f' -> JsonToken.VALUE_FALSE;
            case 'n' -> JsonToken.VALUE_NULL;
            default -> JsonToken.VALUE_NUMBER_INT; // numbers: int or float, callers only need "number"
        };
    }

    public boolean isString() {
        return json.charAt(0) == '"';
    }

    public boolean isObject() {
        return json.charAt(0) == '{';
    }

    public boolean isNull() {
        return json.equals("null");
    }

    /**
     * Whether JavaScript would call this value falsy: {@code null}, {@code false}, {@code 0}, {@code ""}.
     * The channels dialect's reference server drops such {@code data} values (docs/dialects.md §2.2).
     */
    public boolean isFalsy() {
        if (json.length() > 5) {
            return false; // the longest falsy literal is "false"; do not hash a whole SDP to find that out
        }
        return switch (json) {
            case "null", "false", "\"\"", "0", "-0", "0.0" -> true;
            default -> false;
        };
    }

    /** The decoded content of a JSON string, or the raw JSON text of any other value (a number as written). */
    public String asText() {
        if (!isString()) {
            return json;
        }
        if (json.indexOf('\\') < 0) {
            return json.substring(1, json.length() - 1);
        }
        return JsonObjectReader.decodeString(json);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonValue other && json.equals(other.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return json;
    }
}
