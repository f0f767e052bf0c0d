package org.sigbridge.envelope;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the top-level fields of a JSON object as raw {@link JsonValue}s, without building a tree.
 *
 * <p>Jackson's streaming parser reports the character offset of every token; the text between the
 * start of a value and the end of its last token is the value exactly as the client wrote it. This is
 * cheaper than a tree and is the only way to keep number text ({@code 1.50}) and escapes intact.
 * Thread-safe: the shared {@link JsonFactory} is immutable once built.
 */
public final class JsonObjectReader {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private JsonObjectReader() {
    }

    /**
     * Parses {@code text} as a JSON object and returns its top-level fields in document order; for a
     * repeated key the last value wins, as in JavaScript's {@code JSON.parse}.
     *
     * @throws InvalidJsonException if the text is not valid JSON
     * @throws NotAnObjectException if it is valid JSON but not an object
     */
    public static Map<String, JsonValue> readObject(String text) throws InvalidJsonException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                // Still validate the rest, so "not an object" is only said of valid JSON.
                parser.skipChildren();
                requireEnd(parser);
                throw new NotAnObjectException();
            }
            Map<String, JsonValue> fields = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                fields.put(name, sliceValue(parser, text));
            }
            requireEnd(parser);
            return fields;
        } catch (JsonProcessingException e) {
            throw new InvalidJsonException(e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidJsonException(e.getMessage(), e);
        }
    }

    /** Parses {@code text} as exactly one JSON value of any type (surrounding whitespace is trimmed). */
    static JsonValue parseValue(String text) throws InvalidJsonException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                throw new InvalidJsonException("empty input");
            }
            JsonValue value = sliceValue(parser, text);
            requireEnd(parser);
            return value;
        } catch (JsonProcessingException e) {
            throw new InvalidJsonException(e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidJsonException(e.getMessage(), e);
        }
    }

    /** Decodes a JSON string literal that is known to be valid. */
    static String decodeString(String json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            parser.nextToken();
            return parser.getText();
        } catch (IOException e) {
            throw new IllegalStateException("not a valid JSON string: " + json, e);
        }
    }

    private static JsonValue sliceValue(JsonParser parser, String text) throws IOException {
        int start = (int) parser.currentTokenLocation().getCharOffset();
        parser.skipChildren();
        parser.finishToken(); // strings are parsed lazily; their end is known only once finished
        // After skipChildren the current token is the value's last token; currentLocation() is just past it.
        int end = (int) parser.currentLocation().getCharOffset();
        return new JsonValue(text.substring(start, end));
    }

    private static void requireEnd(JsonParser parser) throws IOException, InvalidJsonException {
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            throw new InvalidJsonException("unexpected content after the JSON value: " + trailing);
        }
    }

    /** Valid JSON whose top level is not an object. */
    public static final class NotAnObjectException extends InvalidJsonException {
        NotAnObjectException() {
            super("expected a JSON object");
        }
    }
}
