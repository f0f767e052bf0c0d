package org.sigbridge.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonObjectReaderTest {

    @Test
    void keepsEachFieldValueAsTheExactTextTheClientSent() throws Exception {
        String frame = "{\"sender\": 42, \"channel\":\"c1\", \"message\": {\"sdp\" : \"v=0\\r\\n\", \"n\": 1.50}}";
        Map<String, JsonValue> fields = JsonObjectReader.readObject(frame);

        assertEquals(List.of("sender", "channel", "message"), List.copyOf(fields.keySet()));
        assertEquals("42", fields.get("sender").json());
        assertEquals("\"c1\"", fields.get("channel").json());
        assertEquals("{\"sdp\" : \"v=0\\r\\n\", \"n\": 1.50}", fields.get("message").json());
    }

    @Test
    void keepsAStringHoldingJsonAsAString() throws Exception {
        Map<String, JsonValue> fields = JsonObjectReader.readObject("{\"data\":\"{\\\"already\\\":\\\"json\\\"}\"}");

        JsonValue data = fields.get("data");
        assertTrue(data.isString());
        assertEquals("\"{\\\"already\\\":\\\"json\\\"}\"", data.json());
        assertEquals("{\"already\":\"json\"}", data.asText());
    }

    @Test
    void keepsUnicodeAndEscapesIntact() throws Exception {
        String frame = "{\"m\":\"h\u00e9llo \ud83d\udc4b \\u00e9\"}";
        assertEquals("\"h\u00e9llo \ud83d\udc4b \\u00e9\"", JsonObjectReader.readObject(frame).get("m").json());
    }

    @Test
    void slicesScalarsOfEveryType() throws Exception {
        Map<String, JsonValue> f = JsonObjectReader.readObject("{\"a\":true,\"b\":null,\"c\":-1e5,\"d\":[1, [2]],\"e\":\"\"}");
        assertEquals("true", f.get("a").json());
        assertEquals("null", f.get("b").json());
        assertEquals("-1e5", f.get("c").json());
        assertEquals("[1, [2]]", f.get("d").json());
        assertEquals("\"\"", f.get("e").json());
        assertTrue(f.get("e").isFalsy());
        assertFalse(f.get("d").isFalsy());
    }

    @Test
    void rejectsInvalidJson() {
        assertThrows(InvalidJsonException.class, () -> JsonObjectReader.readObject("{\"a\":"));
        assertThrows(InvalidJsonException.class, () -> JsonObjectReader.readObject("{\"a\":1} trailing"));
        assertThrows(InvalidJsonException.class, () -> JsonObjectReader.readObject("not json"));
    }

    @Test
    void tellsValidJsonThatIsNotAnObjectApart() {
        assertThrows(JsonObjectReader.NotAnObjectException.class, () -> JsonObjectReader.readObject("[1,2]"));
        assertThrows(JsonObjectReader.NotAnObjectException.class, () -> JsonObjectReader.readObject("\"text\""));
    }

    @Test
    void lastValueWinsForARepeatedKeyAsInJavaScript() throws Exception {
        assertEquals("2", JsonObjectReader.readObject("{\"a\":1,\"a\":2}").get("a").json());
    }
}
