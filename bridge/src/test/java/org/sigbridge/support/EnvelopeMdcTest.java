package org.sigbridge.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.slf4j.MDC;

class EnvelopeMdcTest {

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void putsTheEnvelopeKeysForTheBlockAndRemovesThemAfter() {
        Envelope e = new Envelope("id-1", "room", JsonValue.string("alice"), JsonValue.string("hi"), new Origin("web", "s1"),
                Instant.EPOCH);
        try (EnvelopeMdc mdc = EnvelopeMdc.open("xmpp", e)) {
            assertEquals("xmpp", MDC.get("adapter"));
            assertEquals("room", MDC.get("channel"));
            assertEquals("id-1", MDC.get("envelope"));
        }
        assertNull(MDC.get("adapter"));
        assertNull(MDC.get("channel"));
        assertNull(MDC.get("envelope"));
    }

    @Test
    void restoresTheOuterValuesWhenBlocksNest() {
        MDC.put("adapter", "web");
        try (EnvelopeMdc outer = EnvelopeMdc.open("web", "a", "id-a")) {
            try (EnvelopeMdc inner = EnvelopeMdc.open("sip", "b", null)) {
                assertEquals("sip", MDC.get("adapter"));
                assertNull(MDC.get("envelope"));
            }
            assertEquals("a", MDC.get("channel"));
            assertEquals("id-a", MDC.get("envelope"));
        }
        assertEquals("web", MDC.get("adapter"));
        assertNull(MDC.get("channel"));
    }
}
