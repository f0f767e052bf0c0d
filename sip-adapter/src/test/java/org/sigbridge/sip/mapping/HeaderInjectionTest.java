package org.sigbridge.sip.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.time.Instant;
import java.util.Optional;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;

/**
 * SIP header injection through browser-chosen names (docs/reliability.md, "Security checks"): a sender or channel name
 * holding CR/LF, quotes, angle brackets or header syntax cannot add a header or change an address of the MESSAGE the
 * bridge writes. The request is written to text and parsed back by JAIN-SIP, as the peer would read it.
 */
class HeaderInjectionTest {

    private final MessageFactoryImpl messages = new MessageFactoryImpl();
    private final SipEnvelopeMapper mapper = new SipEnvelopeMapper(messages, new HeaderFactoryImpl(), new AddressFactoryImpl(),
            new SipEnvelopeMapper.LocalAddress("example.org", "127.0.0.1", 5070), 2000);

    @Test
    void namesWithCrLfAndHeaderSyntaxStayInsideTheirOwnFields() throws Exception {
        String[] senders = {"eve\r\nX-Injected: 1", "eve\"\r\nRoute: <sip:evil.example;lr>", "eve>;tag=x\r\n\r\nbody",
            "<sip:boss@example.org>", "eve\\\"", "\r\n"};
        String[] channels = {"room\r\nX-Injected: 1", "room>;lr", "room@evil.example", "room\r\n\r\n"};
        for (String sender : senders) {
            for (String channel : channels) {
                Envelope e = new Envelope("env-1", channel, JsonValue.string(sender), JsonValue.parse("{\"type\":\"offer\"}"),
                        new Origin("web", "s1"), Instant.now());
                Request written = mapper.toMessage(e, ContentKind.JSON, new OutboundAddress("sip:alice@example.org", "call-1@h", "tag1", 7,
                        "z9hG4bKtest", Optional.empty(), TransportChoice.AUTO));
                String text = written.toString();
                Request read = messages.createRequest(text);
                String what = "sender " + JsonValue.string(sender).json() + ", channel " + JsonValue.string(channel).json();
                assertNull(read.getHeader("X-Injected"), what);
                assertNull(read.getHeader("Route"), what);
                assertEquals("sip:alice@example.org", read.getRequestURI().toString(), what);
                FromHeader from = (FromHeader) read.getHeader(FromHeader.NAME);
                assertEquals("tag1", from.getTag(), what);
                assertEquals("example.org", ((javax.sip.address.SipURI) from.getAddress().getURI()).getHost(), what);
                assertEquals(SipUserPart.escape(sender.isEmpty() ? "anonymous" : sender),
                        ((javax.sip.address.SipURI) from.getAddress().getURI()).getUser(), what);
                assertFalse(from.getAddress().getDisplayName().contains("\n"), what);
                assertEquals(new String(written.getRawContent(), java.nio.charset.StandardCharsets.UTF_8),
                        new String(read.getRawContent(), java.nio.charset.StandardCharsets.UTF_8), what);
            }
        }
    }
}
