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
    private final XmppEnvelopeMapper mapper = new XmppEnvelopeMapper(64 * 1024);

    @BeforeAll
    static void providers() {
        SmackExtensions.register();
    }

    @Test
    void writesGroupchatWithTheJsonOnceInTheBodyAndASignalElementOfAttributes() throws Exception {
        Message m = stanza(envelope("id-1", "Room", JsonValue.string("alice"), "{\"sdp\":\"v=0\"}"), BodyMode.JSON);
        String xml = m.toXML().toString();

        assertEquals(Message.Type.groupchat, m.getType());
        assertEquals("room@conference.localhost", m.getTo().toString());
        assertEquals("{\"sdp\":\"v=0\"}", m.getBody());
        assertTrue(xml.contains("<signal xmlns='urn:sigbridge:signal:0' channel='Room' sender='alice' id='id-1'/>"), xml);
        assertEquals(1, occurrences(xml, "v=0"), "the JSON travels once: " + xml);
        assertEquals("id-1", m.getStanzaId());
        assertFalse(xml.contains("origin-id"), "the envelope id travels in the signal element, no XEP-0359 origin-id: " + xml);
        assertTrue(xml.contains("<no-store xmlns='urn:xmpp:hints'/>"), "asked for: " + xml);
        assertEquals(Optional.of("id-1"), XmppEnvelopeMapper.envelopeId(reparse(m)), "what recognises the reflection");
    }

    @Test
    void writesTheStanzaOfTheBenchShapeBridge() {
        // bench/…/StanzaShape.BRIDGE measures this stanza's weight in Prosody: body, signal with channel, sender, id, and nothing else.
        Message m = assertInstanceOf(Outbound.Stanza.class, mapper.toStanza(envelope("k3j9x-17", "Room-1", JsonValue.string("alice"),
                "{\"type\":\"offer\"}"), ROOM, BodyMode.JSON, false)).message();
        assertEquals("<message xmlns='jabber:client' to='room@conference.localhost' id='k3j9x-17' type='groupchat'><body>{\"type\":\"offer\"}</body>"
                + "<signal xmlns='urn:sigbridge:signal:0' channel='Room-1' sender='alice' id='k3j9x-17'/></message>", m.toXML().toString());
    }

    @Test
    void readsTheFormOfEarlierReleasesWithOriginIdAndNoStore() throws Exception {
        // Sent by sigbridge up to session 10 (docs/benchmarks.md quiet-s10-xmpp): the envelope id in signal and origin-id alike.
        Message old = parse("<message xmlns='jabber:client' from='room@conference.localhost/old' id='old-7' type='groupchat'>"
                + "<body>{\"sdp\":\"v=0\"}</body><signal xmlns='urn:sigbridge:signal:0' channel='Room' sender='alice' id='old-7'/>"
                + "<origin-id xmlns='urn:xmpp:sid:0' id='old-7'/><no-store xmlns='urn:xmpp:hints'/></message>");
        Inbound.Signal signal = assertInstanceOf(Inbound.Signal.class, mapper.fromStanza(old));
        assertEquals("Room", signal.channel());
        assertEquals("\"alice\"", signal.sender().json());
        assertEquals("{\"sdp\":\"v=0\"}", signal.message().json());
        assertEquals(Optional.of("old-7"), signal.id());
        assertEquals(Optional.of("old-7"), XmppEnvelopeMapper.envelopeId(old), "an older bridge's own reflection is still recognised");
    }

    @Test
    void takesTheEnvelopeIdFromTheSignalElementBeforeAnOriginIdAndFromAnOriginIdWhenTheElementHasNone() throws Exception {
        Message both = parse("<message xmlns='jabber:client' from='room@conference.localhost/x' type='groupchat'><body>1</body>"
                + "<signal xmlns='urn:sigbridge:signal:0' channel='c' sender='s' id='sig-1'/><origin-id xmlns='urn:xmpp:sid:0' id='orig-1'/></message>");
        assertEquals(Optional.of("sig-1"), XmppEnvelopeMapper.envelopeId(both));
        assertEquals(Optional.of("sig-1"), assertInstanceOf(Inbound.Signal.class, mapper.fromStanza(both)).id());
        Message noSignalId = parse("<message xmlns='jabber:client' from='room@conference.localhost/x' type='groupchat'><body>1</body>"
                + "<signal xmlns='urn:sigbridge:signal:0' channel='c' sender='s'/><origin-id xmlns='urn:xmpp:sid:0' id='orig-2'/></message>");
        assertEquals(Optional.of("orig-2"), XmppEnvelopeMapper.envelopeId(noSignalId));
        assertEquals(Optional.of("orig-2"), assertInstanceOf(Inbound.Signal.class, mapper.fromStanza(noSignalId)).id());
        Message nativeClient = parse("<message xmlns='jabber:client' from='room@conference.localhost/x' type='groupchat'><body>hi</body>"
                + "<origin-id xmlns='urn:xmpp:sid:0' id='nat-1'/></message>");
        assertEquals(Optional.of("nat-1"), XmppEnvelopeMapper.envelopeId(nativeClient));
        Message bare = parse("<message xmlns='jabber:client' from='room@conference.localhost/x' type='groupchat'><body>hi</body></message>");
        assertEquals(Optional.empty(), XmppEnvelopeMapper.envelopeId(bare));
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
    void leavesOutNoStoreWhenNotAskedFor() {
        Outbound out = mapper.toStanza(envelope("id", "c", JsonValue.string("a"), "1"), ROOM, BodyMode.JSON, false);
        assertFalse(((Outbound.Stanza) out).message().toXML().toString().contains("no-store"));
        Outbound direct = mapper.toPrivateStanza(envelope("id", "c", JsonValue.string("a"), "1"),
                JidCreate.entityFullFromOrThrowUnchecked("room@conference.localhost/bob"), null, BodyMode.JSON, false);
        assertFalse(((Outbound.Stanza) direct).message().toXML().toString().contains("no-store"));
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
            Outbound out = mapper.toStanza(envelope("id", "c", JsonValue.string("a"), big), ROOM, body, true);
            Outbound.Refused refused = assertInstanceOf(Outbound.Refused.class, out, body.toString());
            assertEquals(ErrorCode.TOO_LARGE, refused.code());
        }
    }

    @Test
    void countsTheJsonOnceTowardsTheStanzaSizeUnlessItTravelsTwice() {
        String fortyKiB = "\"" + "a".repeat(40 * 1024) + "\"";
        Envelope e = envelope("id", "c", JsonValue.string("a"), fortyKiB);
        assertInstanceOf(Outbound.Stanza.class, mapper.toStanza(e, ROOM, BodyMode.JSON, true));
        assertInstanceOf(Outbound.Stanza.class, mapper.toStanza(e, ROOM, BodyMode.OMIT, true));
        assertEquals(ErrorCode.TOO_LARGE, assertInstanceOf(Outbound.Refused.class, mapper.toStanza(e, ROOM, BodyMode.BOTH, true)).code());
    }

    @Test
    void countsEscapingTowardsTheStanzaSize() {
        // 20 000 '<' become 80 000 bytes of "&lt;" in each of body and signal: far above 64 KiB.
        String escaped = "\"" + "<".repeat(20_000) + "\"";
        Outbound out = mapper.toStanza(envelope("id", "c", JsonValue.string("a"), escaped), ROOM, BodyMode.OMIT, true);
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
                    Outbound.Stanza out = assertInstanceOf(Outbound.Stanza.class, mapper.toStanza(e, ROOM, body, true));
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
        Outbound out = mapper.toStanza(envelope("id", "bad\u0001channel", JsonValue.string("a"), "1"), ROOM, BodyMode.JSON, true);
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
        Outbound out = mapper.toStanza(envelope, ROOM, body, true);
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
