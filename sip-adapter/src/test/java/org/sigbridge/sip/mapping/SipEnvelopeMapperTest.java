package org.sigbridge.sip.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sip.address.SipURI;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.RouteHeader;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.EnvelopeIds;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.sip.SipSettings.HostPort;

/** The pure SIP ⇄ envelope mapping, without any stack or socket. */
class SipEnvelopeMapperTest {

    private final MessageFactoryImpl messages = new MessageFactoryImpl();
    private final HeaderFactoryImpl headers = new HeaderFactoryImpl();
    private final AddressFactoryImpl addresses = new AddressFactoryImpl();
    private final SipEnvelopeMapper mapper = new SipEnvelopeMapper(messages, headers, addresses,
            new SipEnvelopeMapper.LocalAddress("example.org", "127.0.0.1", 5070), 2000);
    private final Origin origin = new Origin("sip", "sip:sip:1");
    private final EnvelopeIds ids = new EnvelopeIds();

    private Request incoming(String requestUri, String from, String contentType, String body) throws Exception {
        Request r = messages.createRequest("MESSAGE " + requestUri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bKabc\r\n"
                + "From: " + from + ";tag=1\r\nTo: <" + requestUri + ">\r\nCall-ID: c1@h\r\nCSeq: 1 MESSAGE\r\nMax-Forwards: 70\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
        return r;
    }

    private Envelope accepted(InboundMapping m) {
        return assertInstanceOf(InboundMapping.Accepted.class, m).envelope();
    }

    @Test
    void mapsTextPlainToAStringMessageWithTheDisplayNameAsSender() throws Exception {
        Envelope e = accepted(mapper.toEnvelope(incoming("sip:room1@example.org", "\"Alice A\" <sip:alice@example.org>",
                "text/plain;charset=UTF-8", "hello {not json}"), origin, ids, Instant.now()));
        assertEquals("room1", e.channel());
        assertEquals("\"Alice A\"", e.sender().json());
        assertEquals(JsonValue.string("hello {not json}"), e.message());
        assertEquals(origin, e.origin());
    }

    @Test
    void takesTheSenderFromTheUnescapedUserPartWithoutDisplayName() throws Exception {
        Envelope e = accepted(mapper.toEnvelope(incoming("sip:room1@example.org", "<sip:b%C3%B6b@example.org>", "text/plain", "x"),
                origin, ids, Instant.now()));
        assertEquals("böb", e.senderText());
    }

    @Test
    void unescapesTheChannelFromTheRequestUriAndAcceptsTheListenAddressAsDomain() throws Exception {
        String channel = "https://ex.com/r?x=1 ü";
        Envelope e = accepted(mapper.toEnvelope(incoming("sip:" + SipUserPart.escape(channel) + "@127.0.0.1:5070",
                "<sip:a@h>", "application/json", "{\"sdp\":\"v=0\"}"), origin, ids, Instant.now()));
        assertEquals(channel, e.channel());
        assertEquals("{\"sdp\":\"v=0\"}", e.message().json());
    }

    @Test
    void keepsIdSenderAndMessageOfAnEnvelopeBodyExactly() throws Exception {
        String body = "{\"id\":\"abc-1\",\"sender\":42,\"channel\":\"room1\",\"message\":\"{\\\"sdp\\\":1.50}\"}";
        Envelope e = accepted(mapper.toEnvelope(incoming("sip:room1@example.org", "<sip:other@h>", "application/json", body),
                origin, ids, Instant.now()));
        assertEquals("abc-1", e.id());
        assertEquals("42", e.sender().json());
        assertEquals("\"{\\\"sdp\\\":1.50}\"", e.message().json());
    }

    @Test
    void takesAnyJsonValueAsTheMessage() throws Exception {
        Envelope e = accepted(mapper.toEnvelope(incoming("sip:room1@example.org", "<sip:a@h>", "application/json", " [1, 2.50] "),
                origin, ids, Instant.now()));
        assertEquals("[1, 2.50]", e.message().json());
    }

    @Test
    void keepsAJsonObjectThatIsNotAnEnvelopeAsWrittenWithoutSurroundingWhitespace() throws Exception {
        Envelope e = accepted(mapper.toEnvelope(incoming("sip:room1@example.org", "<sip:a@h>", "application/json",
                "\r\n {\"type\":\"offer\", \"n\":1.50} \t"), origin, ids, Instant.now()));
        assertEquals("{\"type\":\"offer\", \"n\":1.50}", e.message().json());
        assertEquals("\"a\"", e.sender().json());
    }

    @Test
    void takesJsonScalarsAndMixedCaseMediaTypes() throws Exception {
        assertEquals("\"x\"", accepted(mapper.toEnvelope(incoming("sip:room1@EXAMPLE.org", "<sip:a@h>", "Application/JSON",
                "\"x\""), origin, ids, Instant.now())).message().json());
        assertEquals("null", accepted(mapper.toEnvelope(incoming("sip:room1@example.org", "<sip:a@h>", "application/json",
                " null"), origin, ids, Instant.now())).message().json());
        assertEquals(JsonValue.string("hi"), accepted(mapper.toEnvelope(incoming("sip:room1@example.org", "<sip:a@h>",
                "TEXT/Plain", "hi"), origin, ids, Instant.now())).message());
    }

    @Test
    void refusesABodyThatIsNotUtf8With400ButKeepsAGenuineReplacementCharacter() throws Exception {
        Request bad = incoming("sip:room1@example.org", "<sip:a@h>", "text/plain", "xx");
        bad.setContent(new byte[] {'a', (byte) 0xC3, 'b'}, headers.createContentTypeHeader("text", "plain"));
        InboundMapping.Refused r = assertInstanceOf(InboundMapping.Refused.class, mapper.toEnvelope(bad, origin, ids, Instant.now()));
        assertEquals(400, r.status());
        assertTrue(r.reason().contains("UTF-8"), r.reason());
        Envelope e = accepted(mapper.toEnvelope(incoming("sip:room1@example.org", "<sip:a@h>", "text/plain", "a\uFFFDb"),
                origin, ids, Instant.now()));
        assertEquals(JsonValue.string("a\uFFFDb"), e.message());
    }

    @Test
    void choosesTheOriginByTheChannelOfTheRequestUri() throws Exception {
        Envelope e = accepted(mapper.toEnvelope(incoming("sip:room%201@example.org", "<sip:a@h>", "text/plain", "x"),
                channel -> new Origin("sip", "link-of-" + channel), ids, Instant.now()));
        assertEquals(new Origin("sip", "link-of-room 1"), e.origin());
    }

    @Test
    void refusesAnotherDomainWith404() throws Exception {
        InboundMapping m = mapper.toEnvelope(incoming("sip:room1@elsewhere.net", "<sip:a@h>", "text/plain", "x"), origin, ids, Instant.now());
        assertEquals(404, assertInstanceOf(InboundMapping.Refused.class, m).status());
    }

    @Test
    void refusesAnUnsupportedTypeWith415AndAccept() throws Exception {
        InboundMapping.Refused r = assertInstanceOf(InboundMapping.Refused.class,
                mapper.toEnvelope(incoming("sip:room1@example.org", "<sip:a@h>", "image/png", "x"), origin, ids, Instant.now()));
        assertEquals(415, r.status());
        assertEquals("application/json, text/plain, application/conference-info+xml", r.headers().get("Accept"));
    }

    @Test
    void refusesABodyAboveTheLimitWith413() throws Exception {
        InboundMapping m = mapper.toEnvelope(incoming("sip:room1@example.org", "<sip:a@h>", "text/plain", "x".repeat(2001)),
                origin, ids, Instant.now());
        assertEquals(413, assertInstanceOf(InboundMapping.Refused.class, m).status());
    }

    @Test
    void refusesInvalidJsonAndEmptyBodiesWith400() throws Exception {
        assertEquals(400, assertInstanceOf(InboundMapping.Refused.class, mapper.toEnvelope(
                incoming("sip:room1@example.org", "<sip:a@h>", "application/json", "{\"a\":"), origin, ids, Instant.now())).status());
        assertEquals(400, assertInstanceOf(InboundMapping.Refused.class, mapper.toEnvelope(
                incoming("sip:room1@example.org", "<sip:a@h>", "text/plain", ""), origin, ids, Instant.now())).status());
    }

    @Test
    void takesTheContactAsMemberElseTheFromUri() throws Exception {
        Request r = incoming("sip:room1@example.org", "<sip:a@example.org>", "text/plain", "x");
        assertEquals("sip:a@example.org", assertInstanceOf(InboundMapping.Accepted.class,
                mapper.toEnvelope(r, origin, ids, Instant.now())).member().uri());
        r.addHeader(headers.createContactHeader(addresses.createAddress("<sip:a@127.0.0.1:5099;transport=tcp;ob>")));
        assertEquals("sip:a@127.0.0.1:5099;transport=tcp", assertInstanceOf(InboundMapping.Accepted.class,
                mapper.toEnvelope(r, origin, ids, Instant.now())).member().uri());
    }

    @Test
    void keepsTheFromUriWithoutParametersAsTheMembersAddressOfRecord() throws Exception {
        Request r = incoming("sip:room1@example.org", "\"Alice\" <sip:alice@example.org;user=phone>", "text/plain", "x");
        r.addHeader(headers.createContactHeader(addresses.createAddress("<sip:alice@127.0.0.1:5099;transport=tcp>")));
        SipMember member = assertInstanceOf(InboundMapping.Accepted.class, mapper.toEnvelope(r, origin, ids, Instant.now())).member();
        assertEquals("sip:alice@127.0.0.1:5099;transport=tcp", member.uri());
        assertEquals("sip:alice@example.org", member.aor());
    }

    private Envelope envelope(String sender, String messageJson) throws Exception {
        return new Envelope("env-1", "room 1", JsonValue.string(sender), JsonValue.parse(messageJson), new Origin("web", "s1"), Instant.now());
    }

    private OutboundAddress to(String uri, TransportChoice transport, Optional<HostPort> proxy) {
        return new OutboundAddress(uri, "call-1@h", "tag1", 7, "z9hG4bKtest", proxy, transport);
    }

    @Test
    void writesTheEnvelopeAsJsonFromTheQuotedSenderAtOurDomain() throws Exception {
        Request r = mapper.toMessage(envelope("Bob \"B\" ü", "{\"type\":\"offer\"}"), ContentKind.JSON,
                to("sip:alice@example.org", TransportChoice.AUTO, Optional.empty()));
        FromHeader from = (FromHeader) r.getHeader(FromHeader.NAME);
        assertEquals("sip:Bob%20%22B%22%20%C3%BC@example.org", from.getAddress().getURI().toString());
        assertTrue(r.getHeader(FromHeader.NAME).toString().contains("\"Bob \\\"B\\\" ü\""), r.getHeader(FromHeader.NAME).toString());
        assertEquals("{\"id\":\"env-1\",\"sender\":\"Bob \\\"B\\\" ü\",\"channel\":\"room 1\",\"message\":{\"type\":\"offer\"}}",
                new String(r.getRawContent(), StandardCharsets.UTF_8));
        assertEquals("json", ((ContentTypeHeader) r.getHeader(ContentTypeHeader.NAME)).getContentSubType());
        assertEquals("call-1@h", ((javax.sip.header.CallIdHeader) r.getHeader("Call-ID")).getCallId());
        assertEquals(7, ((javax.sip.header.CSeqHeader) r.getHeader("CSeq")).getSeqNumber());
        assertEquals("udp", SipEnvelopeMapper.transportOf(r));
    }

    @Test
    void writesOnlyTheMessageTextForATextRoute() throws Exception {
        Request r = mapper.toMessage(envelope("bob", "\"hi there\""), ContentKind.TEXT, to("sip:alice@example.org", TransportChoice.AUTO,
                Optional.empty()));
        assertEquals("hi there", new String(r.getRawContent(), StandardCharsets.UTF_8));
        ContentTypeHeader type = (ContentTypeHeader) r.getHeader(ContentTypeHeader.NAME);
        assertEquals("text/plain", type.getContentType() + "/" + type.getContentSubType());
    }

    @Test
    void switchesToTcpAbove1300BytesAndRoutesThroughTheProxy() throws Exception {
        Optional<HostPort> proxy = Optional.of(new HostPort("127.0.0.1", 5060));
        Request small = mapper.toMessage(envelope("bob", "\"x\""), ContentKind.JSON, to("sip:alice@example.org", TransportChoice.AUTO, proxy));
        assertEquals("udp", SipEnvelopeMapper.transportOf(small));
        Request big = mapper.toMessage(envelope("bob", "\"" + "a".repeat(1300) + "\""), ContentKind.JSON,
                to("sip:alice@example.org", TransportChoice.AUTO, proxy));
        assertEquals("tcp", SipEnvelopeMapper.transportOf(big));
        SipURI route = (SipURI) ((RouteHeader) big.getHeader(RouteHeader.NAME)).getAddress().getURI();
        assertEquals(List.of("127.0.0.1", 5060, "tcp", true), List.of(route.getHost(), route.getPort(), route.getTransportParam(),
                route.hasLrParam()));
    }

    @Test
    void usesTcpWhenTheRouteForcesIt() throws Exception {
        Request r = mapper.toMessage(envelope("bob", "\"x\""), ContentKind.JSON, to("sip:alice@127.0.0.1:5090", TransportChoice.TCP,
                Optional.empty()));
        assertEquals("tcp", SipEnvelopeMapper.transportOf(r));
        assertEquals("tcp", ((SipURI) r.getRequestURI()).getTransportParam());
    }

    @Test
    void namesTheRecipientOfAnAddressedEnvelopeInTheJsonBody() throws Exception {
        Envelope e = envelope("bob", "{\"type\":\"offer\"}").addressedTo("sip:alice@127.0.0.1:5090");
        Request r = mapper.toMessage(e, ContentKind.JSON, to("sip:alice@127.0.0.1:5090", TransportChoice.AUTO, Optional.empty()));
        assertEquals("{\"id\":\"env-1\",\"sender\":\"bob\",\"channel\":\"room 1\",\"to\":\"sip:alice@127.0.0.1:5090\","
                + "\"message\":{\"type\":\"offer\"}}", new String(r.getRawContent(), StandardCharsets.UTF_8));
        Request text = mapper.toMessage(envelope("bob", "\"hi\"").addressedTo("sip:a@h"), ContentKind.TEXT,
                to("sip:a@h", TransportChoice.AUTO, Optional.empty()));
        assertEquals("hi", new String(text.getRawContent(), StandardCharsets.UTF_8), "a phone gets the text alone");
    }

    @Test
    void readsTheRecipientOfAnEnvelopeBody() throws Exception {
        String body = "{\"id\":\"abc-2\",\"sender\":\"alice\",\"channel\":\"room1\",\"to\":\"n1:web-7\",\"message\":1}";
        Envelope e = accepted(mapper.toEnvelope(incoming("sip:room1@example.org", "<sip:alice@h>", "application/json", body),
                origin, ids, Instant.now()));
        assertEquals("n1:web-7", e.recipient());
        String broadcast = "{\"id\":\"abc-3\",\"channel\":\"room1\",\"to\":\"\",\"message\":1}";
        assertEquals(null, accepted(mapper.toEnvelope(incoming("sip:room1@example.org", "<sip:alice@h>", "application/json", broadcast),
                origin, ids, Instant.now())).recipient(), "an empty to is a broadcast");
        Envelope notAnEnvelope = accepted(mapper.toEnvelope(incoming("sip:room1@example.org", "<sip:alice@h>", "application/json",
                "{\"to\":\"x\"}"), origin, ids, Instant.now()));
        assertEquals(null, notAnEnvelope.recipient(), "a plain JSON object is a message, not an envelope");
        assertEquals("{\"to\":\"x\"}", notAnEnvelope.message().json());
    }

    @Test
    void escapesAndUnescapesAnyUnicodeUserPart() {
        String raw = "a b;c?d@e%f/ü😀";
        String escaped = SipUserPart.escape(raw);
        assertTrue(escaped.matches("[A-Za-z0-9\\-_.!~*'()&=+$,%]+"), escaped);
        assertEquals(Optional.of(raw), SipUserPart.unescape(escaped));
        assertEquals(Optional.empty(), SipUserPart.unescape("%zz"));
    }

    @Test
    void refusesAJsonBodyOfWhitespaceOnlyWith400() throws Exception {
        // found by SipEnvelopeMapperFuzzTest: it threw IllegalStateException, leaving the request unanswered
        InboundMapping m = mapper.toEnvelope(incoming("sip:room1@example.org", "<sip:a@h>", "application/json", "   "),
                origin, ids, Instant.now());
        assertEquals(400, assertInstanceOf(InboundMapping.Refused.class, m).status());
    }
}
