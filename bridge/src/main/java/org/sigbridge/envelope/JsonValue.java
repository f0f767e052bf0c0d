package org.sigbridge.envelope;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.Objects;

/**
 * One JSON value kept as the exact text a client sent.
 *
 * <p>Seed pages double-encode (a string holding JSON), send numeric senders and rely on number text
 * surviving a relay, so the bridge never re-serialises a payload: it slices the raw text out of the
 * frame (see {@link JsonObjectReader}) and writes it back verbatim. The text is always one complete,
 * valid JSON value with no surrounding whitespace.
 *
 * @param json the raw JSON text of the value
 */
public record JsonValue(String json) {

    private static final JsonValue NULL = new JsonValue("null");

    public JsonValue {
        Objects.requireNonNull(json, "json");
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
     * The channels dialect's reference server drops such {@code data} values (dialects.md §2.2).
     */
    public boolean isFalsy() {
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
    public String toString() {
        return json;
    }
}
