package org.sigbridge.xmpp.prosody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.filter.StanzaFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testing.Envelopes;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.xmpp.NativeXmppUser;
import org.sigbridge.xmpp.mapping.SignalElement;

/**
 * Addressed delivery through a real Prosody MUC: an addressed envelope leaves as a private message
 * (XEP-0045 §7.5) to one occupant, a private message comes back to one local participant, two bridges in one
 * room address each other's participants, and recipients that are nowhere are reported by envelope id.
 */
@Timeout(60)
class XmppAddressedDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(800);

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension(b -> b.users("carol"));

    @Test
    void sendsAnAddressedEnvelopeAsAPrivateMessageToOneOccupantAndTheAddressedReplyReachesOneBrowser() throws Exception {
        try (BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "pm-a", "");
             NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "pm-1", "bobby");
             NativeXmppUser carol = NativeXmppUser.join(PROSODY.server(), "carol", "pm-1", "carol")) {
            StanzaCollector bobPrivate = privateMessages(bob, "pm-1");
            StanzaCollector carolPrivate = privateMessages(carol, "pm-1");
            RecordingEndpoint alice = bridge.browser("alice-1", "pm-1");
            Participant bobby = awaitParticipant(bridge, alice, "pm-1", p -> p.name().equals("bobby"));
            RecordingEndpoint other = bridge.browser("other-1", "pm-1");
            assertEquals(room("pm-1") + "/bobby", bobby.id(), "an occupant's participant id is its occupant JID");

            Envelope offer = envelope(bridge, "pm-1", "alice", "{\"type\":\"offer\"}", alice.id(), bobby.id());
            bridge.hub().publish(offer, alice);

            Message pm = bobPrivate.nextResult(WAIT.toMillis());
            assertNotNull(pm, "bob got no private message");
            assertEquals(Message.Type.chat, pm.getType());
            assertEquals("{\"type\":\"offer\"}", pm.getBody());
            SignalElement signal = pm.getExtension(SignalElement.class);
            assertEquals(offer.id(), signal.id().orElseThrow());
            assertTrue(pm.hasExtension("x", "http://jabber.org/protocol/muc#user"), pm.toXML().toString());
            assertNull(carolPrivate.nextResult(QUIET.toMillis()), "carol must not get bob's private message");
            assertEquals(List.of(), carol.drain(), "nothing went to the room");
            assertEquals(List.of(), bob.drain(), "nothing went to the room");

            // bob answers privately, naming the browser it is for, as another bridge would
            Message answer = StanzaBuilder.buildMessage("answer-1").ofType(Message.Type.chat).to(pm.getFrom())
                    .setBody("{\"type\":\"answer\"}")
                    .addExtension(new SignalElement("pm-1", "bobby", null, "answer-1", "{\"type\":\"answer\"}", alice.id()))
                    .build();
            bob.connection().sendStanza(answer);

            Envelope got = alice.envelopes().next(WAIT);
            assertEquals("answer-1", got.id());
            assertEquals("{\"type\":\"answer\"}", got.message().json());
            assertEquals(alice.id(), got.recipient());
            other.envelopes().expectNothing(QUIET);
            assertEquals(List.of(), alice.failures().drain());
        }
    }

    @Test
    void aNativePrivateMessageToAPerUserOccupantReachesTheBrowserBehindItOnly() throws Exception {
        try (BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "pm-b", "occupants: per-user");
             NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "pm-2", "bobby")) {
            StanzaCollector bobPrivate = privateMessages(bob, "pm-2");
            RecordingEndpoint alice = bridge.browser("alice-2", "pm-2");
            Participant bobby = awaitParticipant(bridge, alice, "pm-2", p -> p.name().equals("bobby"));
            RecordingEndpoint other = bridge.browser("other-2", "pm-2");

            bridge.hub().publish(envelope(bridge, "pm-2", "alice", "{\"type\":\"offer\"}", alice.id(), bobby.id()), alice);
            Message pm = bobPrivate.nextResult(WAIT.toMillis());
            assertNotNull(pm, "bob got no private message");
            assertEquals("alice", pm.getFrom().getResourceOrThrow().toString(), "it comes from alice's own occupant");

            // a plain client's plain private reply to alice's occupant
            bob.connection().sendStanza(StanzaBuilder.buildMessage().ofType(Message.Type.chat).to(pm.getFrom())
                    .setBody("{\"type\":\"answer\"}").build());

            Envelope got = alice.envelopes().next(WAIT);
            assertEquals("{\"type\":\"answer\"}", got.message().json());
            assertEquals("\"bobby\"", got.sender().json());
            other.envelopes().expectNothing(QUIET);
        }
    }

    @Test
    void twoBridgesInOneRoomAddressEachOthersParticipants() throws Exception {
        try (BridgeUnderTest a = BridgeUnderTest.start(PROSODY.server(), "pm-c1", "");
             BridgeUnderTest b = BridgeUnderTest.start(PROSODY.server(), "pm-c2", "")) {
            RecordingEndpoint alice = a.browser("alice-3", "Pair-PM");
            RecordingEndpoint amy = a.browser("amy-3", "Pair-PM");
            RecordingEndpoint bob = b.browser("bob-3", "Pair-PM");
            RecordingEndpoint ben = b.browser("ben-3", "Pair-PM");
            Participant bobAtA = awaitParticipant(a, alice, "Pair-PM", p -> p.id().equals("bob-3"));
            awaitParticipant(b, bob, "Pair-PM", p -> p.id().equals("alice-3"));
            assertEquals(new Participant("xmpp", "bob-3", "bob-3"), bobAtA, "b's browser is a remote participant on a");

            Envelope toBob = envelope(a, "Pair-PM", "alice", "{\"to\":\"bob\"}", alice.id(), "bob-3");
            a.hub().publish(toBob, alice);
            Envelope atBob = bob.envelopes().next(WAIT);
            assertEquals(toBob.id(), atBob.id());
            assertEquals("{\"to\":\"bob\"}", atBob.message().json());
            assertEquals("\"alice\"", atBob.sender().json());

            Envelope toAlice = envelope(b, "Pair-PM", "bob", "{\"to\":\"alice\"}", bob.id(), "alice-3");
            b.hub().publish(toAlice, bob);
            assertEquals(toAlice.id(), alice.envelopes().next(WAIT).id());

            ben.envelopes().expectNothing(QUIET);
            amy.envelopes().expectNothing(Duration.ZERO);
            alice.envelopes().expectNothing(Duration.ZERO);
            bob.envelopes().expectNothing(Duration.ZERO);
            assertEquals(List.of(), alice.failures().drain());
            assertEquals(List.of(), bob.failures().drain());
        }
    }

    @Test
    void reportsARecipientThatIsNowhereToTheSenderByEnvelopeId() throws Exception {
        try (BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "pm-d", "");
             NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "pm-4", "bobby")) {
            StanzaCollector bobPrivate = privateMessages(bob, "pm-4");
            RecordingEndpoint alice = bridge.browser("alice-4", "pm-4");

            Envelope toGhost = envelope(bridge, "pm-4", "alice", "1", alice.id(), room("pm-4") + "/ghost");
            bridge.hub().publish(toGhost, alice);

            DeliveryFailure failure = alice.failures().next(WAIT);
            assertEquals(new DeliveryFailure(toGhost.id(), "pm-4", ErrorCode.NO_SUCH_RECIPIENT, failure.detail()), failure);
            assertNull(bobPrivate.nextResult(QUIET.toMillis()));
            assertEquals(List.of(), bob.drain());
        }
    }

    @Test
    void answersAPrivateMessageForNobodyOnTheBridgeWithAnErrorNamingTheEnvelope() throws Exception {
        try (BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "pm-e", "");
             NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "pm-5", "bobby")) {
            RecordingEndpoint alice = bridge.browser("alice-5", "pm-5");
            awaitParticipant(bridge, alice, "pm-5", p -> p.name().equals("bobby"));
            StanzaCollector errors = bob.connection().createStanzaCollector(new AndFilter(MessageTypeFilter.ERROR,
                    FromMatchesFilter.createBare(room("pm-5"))));
            EntityFullJid bridgeOccupant = JidCreate.entityFullFrom(room("pm-5") + "/pm-e");
            bob.awaitOccupant("pm-e", WAIT);

            bob.connection().sendStanza(StanzaBuilder.buildMessage("ghost-1").ofType(Message.Type.chat).to(bridgeOccupant)
                    .addExtension(new SignalElement("pm-5", "bobby", null, "ghost-1", "1", "ghost")).build());

            Message error = errors.nextResult(WAIT.toMillis());
            assertNotNull(error, "no error reply");
            assertEquals("ghost-1", error.getStanzaId());
            assertEquals(StanzaError.Condition.undefined_condition, error.getError().getCondition());
            assertNotNull(error.getError().getExtension("no-such-recipient", SignalElement.NAMESPACE));
            alice.envelopes().expectNothing(QUIET);
            assertTrue(bob.occupantNicks().contains("pm-e"), "the room did not remove the bridge for its error reply");
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------

    private static EntityBareJid room(String localpart) throws Exception {
        return JidCreate.entityBareFrom(localpart.toLowerCase(java.util.Locale.ROOT) + "@" + PROSODY.server().mucService());
    }

    private static StanzaCollector privateMessages(NativeXmppUser user, String roomLocalpart) throws Exception {
        StanzaFilter filter = new AndFilter(MessageTypeFilter.CHAT, FromMatchesFilter.createBare(room(roomLocalpart)));
        return user.connection().createStanzaCollector(filter);
    }

    /** Waits for the browser to hear a remote participant join, and checks the hub's roster lists it too. */
    private static Participant awaitParticipant(BridgeUnderTest bridge, RecordingEndpoint browser, String channel,
                                                java.util.function.Predicate<Participant> which) {
        while (true) {
            PresenceEvent e = browser.presence().next(WAIT);
            if (e.kind() == PresenceEvent.Kind.JOINED && e.participant().adapter().equals("xmpp") && which.test(e.participant())) {
                assertTrue(bridge.hub().participants(channel).contains(e.participant()), "the roster agrees with presence");
                return e.participant();
            }
        }
    }

    private static Envelope envelope(BridgeUnderTest bridge, String channel, String sender, String json, String fromEndpoint,
                                     String to) {
        return new Envelope(bridge.hub().envelopeIds().next(), channel, JsonValue.string(sender), Envelopes.json(json),
                new Origin("web", fromEndpoint), Instant.now(), to);
    }

}
