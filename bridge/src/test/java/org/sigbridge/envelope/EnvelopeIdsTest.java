package org.sigbridge.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvelopeIdsTest {

    private final EnvelopeIds ids = new EnvelopeIds();

    @Test
    void keepsAnAcceptableClientId() {
        assertEquals("corr-42", ids.keepOrIssue(JsonValue.string("corr-42")));
        assertEquals("corr-42", ids.keepOrIssue(Optional.of("corr-42")));
    }

    @Test
    void issuesAnIdForAnAbsentNonStringOrUnacceptableOne() throws Exception {
        for (JsonValue bad : new JsonValue[] {null, JsonValue.parse("42"), JsonValue.string(""), JsonValue.string("has space"),
                JsonValue.string("x".repeat(129)), JsonValue.string("<script>")}) {
            String issued = ids.keepOrIssue(bad);
            assertTrue(EnvelopeIds.isAcceptable(issued), issued);
            assertNotEquals(bad == null ? null : bad.json(), issued);
        }
        assertNotEquals("a b", ids.keepOrIssue(Optional.of("a b")));
        assertTrue(EnvelopeIds.isAcceptable(ids.keepOrIssue(Optional.empty())));
    }

    @Test
    void keepableSaysWhetherAnIdWouldBeKept() {
        assertEquals(Optional.of("ok-1"), EnvelopeIds.keepable(JsonValue.string("ok-1")));
        assertEquals(Optional.empty(), EnvelopeIds.keepable(JsonValue.string("not ok")));
        assertEquals(Optional.empty(), EnvelopeIds.keepable(Optional.of("\"q\"")));
    }
}
