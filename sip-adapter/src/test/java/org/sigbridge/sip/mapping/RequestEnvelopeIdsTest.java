package org.sigbridge.sip.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.EnvelopeIds;
import org.sigbridge.envelope.Origin;

/**
 * A MESSAGE body without an envelope id gets the request's own id: the same for every copy a registrar forks
 * (same Call-ID, CSeq and From tag, another Via branch and Request-URI host), another for another request.
 */
class RequestEnvelopeIdsTest {

    private final MessageFactoryImpl messages = new MessageFactoryImpl();
    private final SipEnvelopeMapper mapper = new SipEnvelopeMapper(messages, new HeaderFactoryImpl(), new AddressFactoryImpl(),
            new SipEnvelopeMapper.LocalAddress("example.org", "127.0.0.1", 5070), 2000);
    private final Origin origin = new Origin("sip", "sip:sip:1");

    private Request message(String requestUri, String branch, String callId, int cseq, String fromTag, String type, String body)
            throws Exception {
        return messages.createRequest("MESSAGE " + requestUri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5062;branch=" + branch + "\r\n"
                + "From: <sip:alice@example.org>" + (fromTag == null ? "" : ";tag=" + fromTag) + "\r\n"
                + "To: <sip:room1@example.org>\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq + " MESSAGE\r\nMax-Forwards: 70\r\n"
                + "Content-Type: " + type + "\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
    }

    /** Each call with its own EnvelopeIds, as two instances of a cluster have. */
    private String idOf(Request request) {
        Envelope e = assertInstanceOf(InboundMapping.Accepted.class,
                mapper.toEnvelope(request, origin, new EnvelopeIds(), Instant.now())).envelope();
        return e.id();
    }

    @Test
    void forkedCopiesOfOneRequestGetOneIdOnEveryInstance() throws Exception {
        for (String[] body : new String[][] {{"text/plain", "hello"}, {"application/json", "{\"type\":\"offer\"}"},
                {"application/json", "{\"channel\":\"room1\",\"message\":1}"}}) {
            String onA = idOf(message("sip:room1@127.0.0.1:5070", "z9hG4bKa1", "c1@h", 7, "t1", body[0], body[1]));
            String onB = idOf(message("sip:room1@example.org", "z9hG4bKb2", "c1@h", 7, "t1", body[0], body[1]));
            assertEquals(onA, onB, body[0] + " " + body[1]);
            assertTrue(onA.matches("sip-[A-Za-z0-9_-]{20}"), onA);
            assertTrue(EnvelopeIds.isAcceptable(onA), onA);
        }
    }

    @Test
    void anotherRequestGetsAnotherId() throws Exception {
        String first = idOf(message("sip:room1@example.org", "z9hG4bKa1", "c1@h", 7, "t1", "text/plain", "hello"));
        assertNotEquals(first, idOf(message("sip:room1@example.org", "z9hG4bKa2", "c1@h", 8, "t1", "text/plain", "hello")),
                "the next CSeq in one Call-ID (RFC 3428 §7)");
        assertNotEquals(first, idOf(message("sip:room1@example.org", "z9hG4bKa3", "c2@h", 7, "t1", "text/plain", "hello")),
                "another Call-ID");
        assertNotEquals(first, idOf(message("sip:room1@example.org", "z9hG4bKa4", "c1@h", 7, "t2", "text/plain", "hello")),
                "another From tag");
        assertNotEquals(first, idOf(message("sip:room2@example.org", "z9hG4bKa1", "c1@h", 7, "t1", "text/plain", "hello")),
                "another channel");
    }

    @Test
    void anEnvelopeBodyKeepsItsOwnIdAndARequestWithoutFromTagGetsAFreshOne() throws Exception {
        assertEquals("abc-1", idOf(message("sip:room1@example.org", "z9hG4bKa1", "c1@h", 7, "t1", "application/json",
                "{\"id\":\"abc-1\",\"channel\":\"room1\",\"message\":1}")));
        String a = idOf(message("sip:room1@example.org", "z9hG4bKa1", "c1@h", 7, null, "text/plain", "hello"));
        String b = idOf(message("sip:room1@example.org", "z9hG4bKa1", "c1@h", 7, null, "text/plain", "hello"));
        assertNotEquals(a, b, "no From tag (RFC 2543): nothing identifies the request, each instance issues its own");
        assertTrue(!a.startsWith("sip-") && !b.startsWith("sip-"), a + " " + b);
    }
}
