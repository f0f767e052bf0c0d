package org.sigbridge.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class JsonValueTest {

    @Test
    void encodesStringsAsRfc8259Requires() {
        assertEquals("\"a\\\"b\\\\c\\n\"", JsonValue.string("a\"b\\c\n").json());
        assertEquals("a\"b\\c\n", JsonValue.string("a\"b\\c\n").asText());
    }

    @Test
    void parsesOneValueAndTrimsSurroundingWhitespace() throws Exception {
        assertEquals("{\"a\": 1}", JsonValue.parse("  {\"a\": 1}\n").json());
        assertEquals("12.50", JsonValue.parse("12.50").json());
    }

    @Test
    void refusesTwoValuesOrNone() {
        assertThrows(InvalidJsonException.class, () -> JsonValue.parse("1 2"));
        assertThrows(InvalidJsonException.class, () -> JsonValue.parse("   "));
    }

    @Test
    void givesANumbersTextAsItsPlainText() throws Exception {
        assertEquals("1234567890123456789012", JsonValue.parse("1234567890123456789012").asText());
    }
}
