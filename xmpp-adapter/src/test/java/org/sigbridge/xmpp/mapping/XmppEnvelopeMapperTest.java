package org.sigbridge.xmpp.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.xmpp.config.BodyMode;

class XmppEnvelopeMapperTest {

    private static final EntityBareJid ROOM = JidCreate.entityBareFromOrThrowUnchecked("room@conference.localhost");
    private final XmppEnvelopeMapper mapper = new XmppEnvelopeMapper(true, 64 * 1024);

    @BeforeAll
    static void providers() {
        SmackExtensions.register();
    }

    @Test
    void writesGroupchatWithTheJsonOnceInTheBodyAndASignalElementOfAttributes() {
        Message m = stanza(envelope("id-1", "Room", JsonValue.string("alice"), "{\"sdp\":\"v=0\"}"), BodyMode.JSON);
        String xml = m.toXML().toString();

        assertEquals(Message.Type.groupchat, m.getType());
        assertEquals("room@conference.localhost", m.getTo().toString());
        assertEquals("{\"sdp\":\"v=0\"}", m.getBody());
        assertTrue(xml.contains("<signal xmlns='urn:sigbridge:signal:0' channel='Room' sender='alice' id='id-1'/>"), xml);
        assertEquals(1, occurrences(xml, "v=0"), "the JSON travels once: " + xml);
        assertTrue(xml.contains("<origin-id xmlns='urn:xmpp:sid:0' id='id-1'/>"), xml);
        assertTrue(xml.contains("<no-store xmlns='urn:xmpp:hints'/>"), xml);
    }

    @Test
    void omitsBodyWhenBodyModeIsOmitAndCarriesTheJsonOnceInTheSignalElement() {
        Message m = stanza(envelope("id-2", "c", JsonValue.string("a"), "{\"sdp\":\"v=0\"}"), BodyMode.OMIT);
        String xml = m.toXML().toString();
        assertNull(m.getBody());
        assertTrue(xml.contains("<signal xmlns='urn:sigbridge:signal:0' channel='c' sender='a' id='id-2'>{&quot;sdp&quot;:&quot;v=0&quot;}</signal>"), xml);
        assertEquals(1, occurrences(xml, "v=0"), xml);
    }

    @Test
    void writesTheOlderDoubleFormWhenBodyModeIsBoth() {
        Message m = stanza(envelope("id-3", "c", JsonValue.string("a"), "{\"sdp\":\"v=0\"}"), BodyMode.BOTH);
        String xml = m.toXML().toString();
        assertEquals("{\"sdp\":\"v=0\"}", m.getBody());
        assertEquals("{\"sdp\":\"v=0\"}", m.getExtension(SignalElement.class).json());
        assertEquals(2, occurrences(xml, "v=0"), xml);
    }

    @Test
    void readsTheMessageFromTheSignalTextOfTheOlderDoubleFormRatherThanTheBody() throws Exception {
        // What sigbridge sent before the JSON travelled once: the same JSON in <body> and as the signal text; when the
        // JSON held "]]>" the body had "]]\u003e" instead, so the signal text is the exact one.
        Inbound in = mapper.fromStanza(parse("<message xmlns='jabber:client' from='room@conference.localhost/old' type='groupchat'>"
                + "<body>{\"a\":\"]]\\u003e\"}</body>"
                + "<signal xmlns='urn:sigbridge:signal:0' channel='c' sender='s' id='old-1'>{\"a\":\"]]&gt;\"}</signal>"
                + "<origin-id xmlns='urn:xmpp:sid:0' id='old-1'/></message>"));
        Inbound.Signal signal = assertInstanceOf(Inbound.Signal.class, in);
        assertEquals("{\"a\":\"]]>\"}", signal.message().json());
        assertEquals(Optional.of("old-1"), signal.id());
    }

    @Test
    void readsTheMessageFromTheBodyWhenTheSignalElementHasNoText() throws Exception {
        Inbound in = mapper.fromStanza(parse("<message xmlns='jabber:client' from='room@conference.localhost/new' type='groupchat'>"
                + "<body>{\"n\":1.50}</body><signal xmlns='urn:sigbridge:signal:0' channel='c' sender-json='42' id='new-1'/></message>"));
        Inbound.Signal signal = assertInstanceOf(Inbound.Signal.class, in);
        assertEquals("{\"n\":1.50}", signal.message().json());
        assertEquals("42", signal.sender().json());
    }

    @Test
    void reportsASignalElementWithoutTextInAMessageWithoutBodyAsMalformed() throws Exception {
        Inbound in = mapper.fromStanza(parse("<message xmlns='jabber:client' from='room@conference.localhost/x' type='groupchat'>"
                + "<signal xmlns='urn:sigbridge:signal:0' channel='c' sender='s' id='i'/></message>"));
        assertInstanceOf(Inbound.Malformed.class, in);
    }

    @Test
    void keepsAJsonTextHoldingCdataEndExactInEveryBodyMode() throws Exception {
        // Smack would write "]]>" unescaped in a body; the body gets "]]\u003e" (the same JSON string, not the same text)
        // and the exact text also travels in the signal element, which receivers prefer.
        String json = "{\"sdp\":\"a]]>b\"}";
        for (BodyMode body : BodyMode.values()) {
            Message m = stanza(envelope("id-4", "c", JsonValue.string("a"), json), body);
            assertFalse(m.toXML().toString().contains("]]>"), body + ": " + m.toXML());
            Inbound.Signal signal = assertInstanceOf(Inbound.Signal.class, mapper.fromStanza(reparse(m)), body.toString());
            assertEquals(json, signal.message().json(), body.toString());
            if (body != BodyMode.OMIT) {
                assertEquals("{\"sdp\":\"a]]\\u003eb\"}", m.getBody(), "what a plain client reads");
            }
        }
    }

    @Test
    void leavesOutNoStoreWhenDisabled() {
        Outbound out = new XmppEnvelopeMapper(false, 64 * 1024).toStanza(envelope("id", "c", JsonValue.string("a"), "1"), ROOM, BodyMode.JSON);
        assertFalse(((Outbound.Stanza) out).message().toXML().toString().contains("no-store"));
    }

    @Test
    void roundTripsAnEnvelopeExactlyThroughTheWireFormat() throws Exception {
        String[] payloads = {"{\"type\":\"offer\",\"n\":1.50}", "\"{\\\"double\\\":\\\"encoded\\\"}\"", "\"héllo ✓ 🎉 <&>'\"",
                "[1,2,{\"a\":null}]", "true", "null"};
        for (String payload : payloads) {
            for (BodyMode body : BodyMode.values()) {
                Envelope sent = envelope("k3j9x-1", "Room/With Spaces", JsonValue.string("bob \"b\""), payload);
                Inbound in = mapper.fromStanza(reparse(stanza(sent, body)));

                Inbound.Signal signal = assertInstanceOf(Inbound.Signal.class, in, body.toString());
                assertEquals("Room/With Spaces", signal.channel());
                assertEquals(payload, signal.message().json(), body.toString());
                assertEquals("\"bob \\\"b\\\"\"", signal.sender().json());
                assertEquals(Optional.of("k3j9x-1"), signal.id());
            }
        }
    }

    @Test
    void keepsANumericSenderANumber() throws Exception {
        Envelope sent = envelope("id-3", "c", JsonValue.number(42), "{}");
        for (BodyMode body : BodyMode.values()) {
            Inbound.Signal signal = (Inbound.Signal) mapper.fromStanza(reparse(stanza(sent, body)));
            assertEquals("42", signal.sender().json());
        }
    }

    @Test
    void readsANativeBodyAsJsonWhenItParses() throws Exception {
        Inbound in = mapper.fromStanza(parse("<message xmlns='jabber:client' from='room@conference.localhost/alice' type='groupchat'>"
                + "<body>{\"type\":\"answer\"}</body></message>"));
        Inbound.Native n = assertInstanceOf(Inbound.Native.class, in);
        assertEquals("alice", n.nick());
        assertEquals("{\"type\":\"answer\"}", n.message().json());
    }

    @Test
    void readsANativeBodyThatIsNotJsonAsAString() throws Exception {
        Inbound in = mapper.fromStanza(parse("<message xmlns='jabber:client' from='room@conference.localhost/alice' type='groupchat'>"
                + "<body>hello there</body></message>"));
        assertEquals("\"hello there\"", ((Inbound.Native) in).message().json());
    }

    @Test
    void ignoresTheEmptySubjectSentOnJoin() throws Exception {
        Inbound in = mapper.fromStanza(parse("<message xmlns='jabber:client' from='room@conference.localhost' type='groupchat'><subject/></message>"));
        assertInstanceOf(Inbound.Ignored.class, in);
    }

    @Test
    void reportsASignalElementWithInvalidJsonAsMalformed() throws Exception {
        Inbound in = mapper.fromStanza(parse("<message xmlns='jabber:client' from='room@conference.localhost/x' type='groupchat'>"
                + "<signal xmlns='urn:sigbridge:signal:0' channel='c' sender='s' id='i'>{not json</signal></message>"));
        assertInstanceOf(Inbound.Malformed.class, in);
    }

    @Test
    void reportsASignalElementWithoutChannelAsMalformed() throws Exception {
        Inbound in = mapper.fromStanza(parse("<message xmlns='jabber:client' from='room@conference.localhost/x' type='groupchat'>"
                + "<signal xmlns='urn:sigbridge:signal:0' sender='s'>{}</signal></message>"));
        assertInstanceOf(Inbound.Malformed.class, in);
    }

    @Test
    void reportsASignalElementWithChildElementsAsMalformed() throws Exception {
        Inbound in = mapper.fromStanza(parse("<message xmlns='jabber:client' from='room@conference.localhost/x' type='groupchat'>"
                + "<signal xmlns='urn:sigbridge:signal:0' channel='c'><x/>{}</signal></message>"));
        assertInstanceOf(Inbound.Malformed.class, in);
    }

    @Test
    void refusesAnEnvelopeAboveTheStanzaBudgetAsTooLarge() {
        String big = "\"" + "a".repeat(70 * 1024) + "\"";
        for (BodyMode body : BodyMode.values()) {
            Outbound out = mapper.toStanza(envelope("id", "c", JsonValue.string("a"), big), ROOM, body);
            Outbound.Refused refused = assertInstanceOf(Outbound.Refused.class, out, body.toString());
            assertEquals(ErrorCode.TOO_LARGE, refused.code());
        }
    }

    @Test
    void countsTheJsonOnceTowardsTheStanzaSizeUnlessItTravelsTwice() {
        String fortyKiB = "\"" + "a".repeat(40 * 1024) + "\"";
        Envelope e = envelope("id", "c", JsonValue.string("a"), fortyKiB);
        assertInstanceOf(Outbound.Stanza.class, mapper.toStanza(e, ROOM, BodyMode.JSON));
        assertInstanceOf(Outbound.Stanza.class, mapper.toStanza(e, ROOM, BodyMode.OMIT));
        assertEquals(ErrorCode.TOO_LARGE, assertInstanceOf(Outbound.Refused.class, mapper.toStanza(e, ROOM, BodyMode.BOTH)).code());
    }

    @Test
    void countsEscapingTowardsTheStanzaSize() {
        // 20 000 '<' become 80 000 bytes of "&lt;" in each of body and signal: far above 64 KiB.
        String escaped = "\"" + "<".repeat(20_000) + "\"";
        Outbound out = mapper.toStanza(envelope("id", "c", JsonValue.string("a"), escaped), ROOM, BodyMode.OMIT);
        assertInstanceOf(Outbound.Refused.class, out);
    }

    @Test
    void theSizeBoundIsNeverBelowTheSerialisedSize() {
        String[] messages = {"1", "{\"sdp\":\"v=0\"}", "\"" + "\\\"&<>'".repeat(300) + "\"", "\"" + "\u00e9\u4e2d\ud83d\ude00".repeat(200) + "\"",
                "{\"c\":1,\"p\":\"" + "x".repeat(600) + "\"}"};
        JsonValue[] senders = {JsonValue.string("alice"), JsonValue.nullValue(), JsonValue.string("<\"b&b\">"), parseJson("42")};
        for (String json : messages) {
            for (JsonValue sender : senders) {
                for (BodyMode body : BodyMode.values()) {
                    Envelope e = envelope("id-\"<&>-1", "ch&'<>\"", sender, json);
                    Outbound.Stanza out = assertInstanceOf(Outbound.Stanza.class, mapper.toStanza(e, ROOM, body));
                    int exact = out.message().toXML().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                    assertTrue(out.bytes() >= exact, json + " / " + sender + " / " + body + ": bound " + out.bytes() + " < " + exact);
                }
            }
        }
    }

    private static JsonValue parseJson(String json) {
        try {
            return JsonValue.parse(json);
        } catch (InvalidJsonException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    @Test
    void refusesCharactersXmlCannotCarry() {
        Outbound out = mapper.toStanza(envelope("id", "bad\u0001channel", JsonValue.string("a"), "1"), ROOM, BodyMode.JSON);
        assertEquals(ErrorCode.INVALID_FRAME, ((Outbound.Refused) out).code());
    }

    @Test
    void readsTheOriginIdOfAMessage() throws Exception {
        Message m = parse("<message xmlns='jabber:client' from='room@conference.localhost/x' type='groupchat'><body>1</body>"
                + "<origin-id xmlns='urn:xmpp:sid:0' id='abc-1'/></message>");
        assertEquals(Optional.of("abc-1"), XmppEnvelopeMapper.originId(m));
        assertEquals(Optional.of("abc-1"), ((Inbound.Native) mapper.fromStanza(m)).id());
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    private Message stanza(Envelope envelope, BodyMode body) {
        Outbound out = mapper.toStanza(envelope, ROOM, body);
        Message m = assertInstanceOf(Outbound.Stanza.class, out).message();
        assertNotNull(m);
        return m;
    }

    private static Message reparse(Message m) throws Exception {
        String xml = m.toXML().toString().replaceFirst("<message ", "<message from='room@conference.localhost/other' ");
        return parse(xml);
    }

    private static Message parse(String xml) throws Exception {
        return PacketParserUtils.parseStanza(xml);
    }

    private static Envelope envelope(String id, String channel, JsonValue sender, String json) {
        try {
            return new Envelope(id, channel, sender, JsonValue.parse(json), new Origin("web", "ep-1"), Instant.now());
        } catch (InvalidJsonException e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
