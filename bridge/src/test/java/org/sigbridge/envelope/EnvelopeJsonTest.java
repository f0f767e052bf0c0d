package org.sigbridge.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EnvelopeJsonTest {

    private final EnvelopeIds ids = new EnvelopeIds();
    private final Origin origin = new Origin("web", "ws-1");

    @Test
    void writesSenderAndMessageVerbatim() throws Exception {
        Envelope e = new Envelope("id-1", "room", JsonValue.parse("7"), JsonValue.parse("\"{\\\"x\\\":1.0}\""), origin, Instant.EPOCH);

        assertEquals("{\"id\":\"id-1\",\"sender\":7,\"channel\":\"room\",\"message\":\"{\\\"x\\\":1.0}\"}", EnvelopeJson.write(e));
    }

    @Test
    void readsWhatItWroteBackToTheSameEnvelope() throws Exception {
        Envelope e = new Envelope("id-2", "R\u00f6\u00f6m/?x=1", JsonValue.string("alice"), JsonValue.parse("{\"sdp\":\"v=0\"}"),
                origin, Instant.EPOCH);

        Envelope back = EnvelopeJson.read(EnvelopeJson.write(e), origin, ids, Instant.EPOCH);

        assertEquals(e, back);
    }

    @Test
    void issuesAFreshIdWhenTheClientSentNoneOrAnUnsafeOne() throws Exception {
        Envelope none = EnvelopeJson.read("{\"channel\":\"c\",\"message\":1}", origin, ids, Instant.EPOCH);
        Envelope unsafe = EnvelopeJson.read("{\"id\":\"a b<\",\"channel\":\"c\",\"message\":1}", origin, ids, Instant.EPOCH);

        assertNotEquals(none.id(), unsafe.id());
        assertNotEquals("a b<", unsafe.id());
        assertEquals("null", none.sender().json());
    }

    @Test
    void refusesAnEnvelopeWithoutChannelOrMessage() {
        assertThrows(InvalidJsonException.class, () -> EnvelopeJson.read("{\"message\":1}", origin, ids, Instant.EPOCH));
        assertThrows(InvalidJsonException.class, () -> EnvelopeJson.read("{\"channel\":\"\",\"message\":1}", origin, ids, Instant.EPOCH));
        assertThrows(InvalidJsonException.class, () -> EnvelopeJson.read("{\"channel\":\"c\"}", origin, ids, Instant.EPOCH));
    }

    @Test
    void issuesIdsThatDifferAcrossInstances() {
        assertNotEquals(new EnvelopeIds().next(), new EnvelopeIds().next());
    }

    @Test
    void writesTheRecipientOnlyWhenAskedAndAddressed() throws Exception {
        Envelope e = new Envelope("id-3", "c", JsonValue.string("a"), JsonValue.parse("1"), origin, Instant.EPOCH, "bob");
        assertEquals("{\"id\":\"id-3\",\"sender\":\"a\",\"channel\":\"c\",\"message\":1}", EnvelopeJson.write(e));
        assertEquals("{\"id\":\"id-3\",\"sender\":\"a\",\"channel\":\"c\",\"to\":\"bob\",\"message\":1}", EnvelopeJson.write(e, true));
        assertEquals(EnvelopeJson.write(e), EnvelopeJson.write(e.addressedTo(null), true));
    }

    @Test
    void keepsTheRecipientAcrossCopiesAndRefusesAnEmptyOne() throws Exception {
        Envelope e = new Envelope("id-4", "c", JsonValue.string("a"), JsonValue.parse("1"), origin, Instant.EPOCH).addressedTo("bob");
        assertEquals("bob", e.withOrigin(new Origin("xmpp", "l1")).recipient());
        assertEquals(java.util.Optional.of("bob"), e.recipientId());
        assertThrows(IllegalArgumentException.class, () -> e.addressedTo(""));
    }
}
