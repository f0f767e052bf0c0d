package org.sigbridge.xmpp.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.xmpp.config.BodyMode;
import org.sigbridge.xmpp.mapping.BridgeParticipants.Announced;

/** Addressed envelopes ⇄ MUC private messages (XEP-0045 §7.5), and the participants a bridge announces. */
class PrivateMessageMappingTest {

    private static final EntityFullJid BOB = JidCreate.entityFullFromOrThrowUnchecked("room@conference.localhost/bob");
    private final XmppEnvelopeMapper mapper = new XmppEnvelopeMapper(64 * 1024);

    @BeforeAll
    static void providers() {
        SmackExtensions.register();
    }

    private static Envelope addressed(String to) {
        return new Envelope("id-7", "Room", JsonValue.string("alice"), JsonValue.string("hi"), new Origin("web", "ep-1"),
                Instant.now(), to);
    }

    @Test
    void writesAPrivateMessageToTheOccupantWithTheMucUserMarker() {
        Message m = assertInstanceOf(Outbound.Stanza.class, mapper.toPrivateStanza(addressed(BOB.toString()), BOB, null, BodyMode.JSON, true))
                .message();
        String xml = m.toXML().toString();

        assertEquals(Message.Type.chat, m.getType());
        assertEquals(BOB, m.getTo());
        assertEquals("\"hi\"", m.getBody());
        assertTrue(xml.contains("<x xmlns='http://jabber.org/protocol/muc#user'/>"), xml);
        assertTrue(xml.contains("<signal xmlns='urn:sigbridge:signal:0' channel='Room' sender='alice' id='id-7'/>"), xml);
        assertFalse(xml.contains("origin-id"), "the envelope id travels in the signal element: " + xml);
        assertTrue(xml.contains("<no-store xmlns='urn:xmpp:hints'/>"), "asked for: " + xml);
        assertEquals("id-7", m.getStanzaId());
    }

    @Test
    void namesAParticipantBehindTheOccupantInSignalTo() throws Exception {
        Message m = assertInstanceOf(Outbound.Stanza.class, mapper.toPrivateStanza(addressed("n1:web-3"), BOB, "n1:web-3", BodyMode.OMIT, true))
                .message();
        assertTrue(m.toXML().toString().contains("to='n1:web-3'"), m.toXML().toString());

        Message in = PacketParserUtils.parseStanza(m.toXML().toString().replaceFirst("<message ", "<message from='room@conference.localhost/b2' "));
        Inbound.Signal signal = assertInstanceOf(Inbound.Signal.class, mapper.fromStanza(in));
        assertEquals(Optional.of("n1:web-3"), signal.to());
        assertEquals("Room", signal.channel());
        assertEquals("\"hi\"", signal.message().json());
        assertEquals(Optional.of("id-7"), signal.id());
    }

    @Test
    void aGroupchatNamesNoRecipient() throws Exception {
        Envelope broadcast = addressed(null);
        Message m = ((Outbound.Stanza) mapper.toStanza(broadcast, BOB.asEntityBareJid(), BodyMode.JSON, true)).message();
        assertFalse(m.toXML().toString().contains(" to='n"), m.toXML().toString());
        Message in = PacketParserUtils.parseStanza(m.toXML().toString().replaceFirst("<message ", "<message from='room@conference.localhost/b2' "));
        assertEquals(Optional.empty(), ((Inbound.Signal) mapper.fromStanza(in)).to());
    }

    @Test
    void aNativePrivateMessageIsTheBodyFromTheNick() throws Exception {
        Message in = PacketParserUtils.parseStanza("<message xmlns='jabber:client' from='room@conference.localhost/bobby' type='chat'>"
                + "<body>{\"answer\":1}</body><x xmlns='http://jabber.org/protocol/muc#user'/></message>");
        Inbound.Native n = assertInstanceOf(Inbound.Native.class, mapper.fromStanza(in));
        assertEquals("bobby", n.nick());
        assertEquals("{\"answer\":1}", n.message().json());
    }

    @Test
    void refusesARecipientXmlCannotCarry() {
        Outbound out = mapper.toPrivateStanza(addressed("bad\u0001id"), BOB, "bad\u0001id", BodyMode.JSON, true);
        assertEquals(ErrorCode.INVALID_FRAME, assertInstanceOf(Outbound.Refused.class, out).code());
    }

    @Test
    void answersAPrivateMessageForNobodyWithANonKickableErrorNamingTheEnvelope() throws Exception {
        Message pm = PacketParserUtils.parseStanza("<message xmlns='jabber:client' id='id-9' from='room@conference.localhost/b2'"
                + " type='chat'><signal xmlns='urn:sigbridge:signal:0' channel='c' id='id-9' to='ghost'>1</signal></message>");

        Message reply = XmppEnvelopeMapper.noSuchRecipientReply(pm);

        assertEquals(Message.Type.error, reply.getType());
        assertEquals("id-9", reply.getStanzaId());
        assertEquals(pm.getFrom(), reply.getTo());
        assertEquals(StanzaError.Condition.undefined_condition, reply.getError().getCondition());
        Message parsed = PacketParserUtils.parseStanza(reply.toXML().toString());
        assertTrue(XmppEnvelopeMapper.isNoSuchRecipient(parsed), reply.toXML().toString());
    }

    @Test
    void recognisesTheRoomsRecipientNotInRoomBounce() throws Exception {
        Message bounce = PacketParserUtils.parseStanza("<message xmlns='jabber:client' id='id-3' type='error' from='room@conference.localhost/bob'>"
                + "<error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        Message other = PacketParserUtils.parseStanza("<message xmlns='jabber:client' id='id-4' type='error' from='room@conference.localhost/bob'>"
                + "<error type='modify'><bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        assertTrue(XmppEnvelopeMapper.isNoSuchRecipient(bounce));
        assertFalse(XmppEnvelopeMapper.isNoSuchRecipient(other));
    }

    @Test
    void announcedParticipantsRoundTripThroughPresence() throws Exception {
        List<Announced> list = List.of(new Announced("Room", "n1:web-1", "Alice"), new Announced("room", "n1:web-2", "n1:web-2"));
        Presence p = PacketParserUtils.parseStanza("<presence xmlns='jabber:client' from='room@conference.localhost/b1'>"
                + BridgeParticipants.element(list).toXML() + "</presence>");
        assertEquals(list, BridgeParticipants.from(p));
    }

    @Test
    void aNativeClientsPresenceAnnouncesNobody() throws Exception {
        Presence p = PacketParserUtils.parseStanza("<presence xmlns='jabber:client' from='room@conference.localhost/bob'/>");
        assertEquals(List.of(), BridgeParticipants.from(p));
    }

    @Test
    void announcesAtMostTheBoundedNumber() throws Exception {
        List<Announced> many = new java.util.ArrayList<>();
        for (int i = 0; i < BridgeParticipants.MAX_ANNOUNCED + 5; i++) {
            many.add(new Announced("c", "id-" + i, "n"));
        }
        Presence p = PacketParserUtils.parseStanza("<presence xmlns='jabber:client' from='room@conference.localhost/b1'>"
                + BridgeParticipants.element(many).toXML() + "</presence>");
        assertEquals(BridgeParticipants.MAX_ANNOUNCED, BridgeParticipants.from(p).size());
    }

    @Test
    void anEmptyParticipantsElementAnnouncesNobody() throws Exception {
        // found by XmppEnvelopeMapperFuzzTest: Smack gives null for the children of an empty element
        Presence p = PacketParserUtils.parseStanza("<presence xmlns='jabber:client' from='room@conference.localhost/b1'>"
                + "<participants xmlns='urn:sigbridge:signal:0'></participants></presence>");
        assertEquals(List.of(), BridgeParticipants.from(p));
    }
}
