package org.sigbridge.web.socketio.rmc;

import java.util.LinkedHashMap;
import java.util.Map;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;

/** Small JSON helpers for RTCMultiConnection's objects: read fields, and write an object with one field set. Pure. */
final class Json {

    static final JsonValue EMPTY = new JsonValue("{}");

    private Json() {
    }

    /** The object's fields in order, or none when it is not an object. */
    static Map<String, JsonValue> fields(JsonValue value) {
        if (value == null) {
            return Map.of();
        }
        try {
            return JsonObjectReader.readObject(value.json());
        } catch (InvalidJsonException notAnObject) {
            return Map.of();
        }
    }

    /** A field as text when it is a string, else {@code null}. */
    static String text(Map<String, JsonValue> fields, String name) {
        JsonValue v = fields.get(name);
        return v != null && v.isString() ? v.asText() : null;
    }

    /** Whether a field is present and neither {@code false}, {@code null}, {@code 0} nor {@code ""} (JavaScript truthiness). */
    static boolean truthy(Map<String, JsonValue> fields, String name) {
        JsonValue v = fields.get(name);
        if (v == null) {
            return false;
        }
        String j = v.json();
        return !(j.equals("false") || j.equals("null") || j.equals("0") || j.equals("\"\""));
    }

    /** {@code object} with {@code name} set to {@code value} (added last, or replaced in place). */
    static JsonValue with(Map<String, JsonValue> object, String name, JsonValue value) {
        Map<String, JsonValue> copy = new LinkedHashMap<>(object);
        copy.put(name, value);
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, JsonValue> e : copy.entrySet()) {
            sb.append(sb.length() == 1 ? "" : ",").append(JsonValue.string(e.getKey()).json()).append(':').append(e.getValue().json());
        }
        return new JsonValue(sb.append('}').toString());
    }
}
