package org.sigbridge.interop.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.interop.xmpp.XmppBridge.WAIT;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.junit.EjabberdExtension;
import org.sigbridge.testkit.xmpp.NativeXmppUser;
import org.sigbridge.xmpp.mapping.SignalElement;

/**
 * The xmpp adapter against a real ejabberd 23.01 (Debian package), one server for the class: the rows of
 * docs/interop.md that the Prosody tests of the xmpp-adapter module prove for Prosody — shared and per-user
 * occupants, MUC presence, XEP-0106 room names, two bridges in one room, private messages for addressed
 * delivery (XEP-0045 §7.5), a members-only room that refuses the bridge until its owner grants membership, and
 * STARTTLS trusting the server's own certificate; and what a room's owner does to the bridge: a kick is rejoined
 * after a backoff, a ban keeps the room failing and what waits expires with the reason, a destroyed room is not
 * re-created and later envelopes are refused until the channel is opened afresh, and a password-protected room is
 * joined with {@code room-password} and refused without the right one. A native user ({@code bob}) creates each
 * room, so he owns it.
 */
@Timeout(60)
class EjabberdInteropTest {

    private static final Duration QUIET = Duration.ofMillis(800);
    private static final String ROOMS_IDLE = "rooms: 0 joined, 0 joining, 0 failing";

    @RegisterExtension
    static final EjabberdExtension EJABBERD = new EjabberdExtension(b -> b.users("carol"));

    @Test
    void relaysBothWaysThroughASharedOccupantWithExactPayloads() throws Exception {
        try (XmppBridge bridge = XmppBridge.start(EJABBERD.server(), "ej-shared", "");
             NativeXmppUser bob = NativeXmppUser.join(EJABBERD.server(), "bob", "shared-1", "bobby")) {
            RecordingEndpoint browser = bridge.browser("browser-1", "Shared-1");
            XmppBridge.awaitJoined(browser, p -> p.name().equals("bobby"));

            String offer = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\na=grüße ✓ <&>\\r\\n\"}";
            Envelope sent = bridge.envelope("Shared-1", "alice-browser", offer, browser.id());
            bridge.hub().publish(sent, browser);
            Message m = bob.next(WAIT);
            assertEquals(offer, m.getBody());
            SignalElement signal = m.getExtension(SignalElement.class);
            assertEquals("", signal.json(), "the JSON travels once, in the body (docs/design.md §4.2)");
            assertEquals("Shared-1", signal.channel().orElseThrow());
            assertEquals(sent.id(), signal.id().orElseThrow());
            assertEquals("ej-shared", m.getFrom().getResourceOrThrow().toString(), "the bridge's one occupant spoke");

            bob.say("{\"type\":\"answer\",\"sdp\":\"v=0\"}");
            Envelope answer = browser.envelopes().next(WAIT);
            assertEquals("\"bobby\"", answer.sender().json());
            assertEquals("Shared-1", answer.channel());
            assertEquals("{\"type\":\"answer\",\"sdp\":\"v=0\"}", answer.message().json());
            browser.envelopes().expectNothing(QUIET); // its own message is not reflected back to the browser
            assertEquals(List.of(), browser.failures().drain());
        }
    }

    @Test
    void givesEachBrowserSenderItsOwnOccupantInPerUserMode() throws Exception {
        try (XmppBridge bridge = XmppBridge.start(EJABBERD.server(), "ej-per-user", "occupants: per-user");
             NativeXmppUser bob = NativeXmppUser.join(EJABBERD.server(), "bob", "per-user-1", "bob")) {
            RecordingEndpoint browser = bridge.browser("browser-2", "per-user-1");

            bridge.hub().publish(bridge.envelope("per-user-1", "carol", "{\"hi\":1}", browser.id()), browser);
            bridge.hub().publish(bridge.envelope("per-user-1", "dave", "{\"hi\":2}", browser.id()), browser);

            assertEquals("carol", bob.next(WAIT).getFrom().getResourceOrThrow().toString());
            assertEquals("dave", bob.next(WAIT).getFrom().getResourceOrThrow().toString());
            bob.awaitOccupant("carol", WAIT);
            bob.awaitOccupant("dave", WAIT);

            bridge.hub().detach(browser); // the browser leaves: its senders' occupants leave the room
            bob.awaitGone("carol", WAIT);
            bob.awaitGone("dave", WAIT);
        }
    }

    @Test
    @SuppressWarnings("try") // the native users only need to sit in the room
    void reportsANativeOccupantAsChannelPresenceAndAnswersPresenceProbes() throws Exception {
        try (XmppBridge bridge = XmppBridge.start(EJABBERD.server(), "ej-presence", "")) {
            RecordingEndpoint browser = bridge.browser("browser-3", "presence-1");
            browser.presence().drain();
            assertEquals(false, bridge.hub().probePresence("nobody-here").toCompletableFuture().get(10, TimeUnit.SECONDS));
            try (NativeXmppUser bob = NativeXmppUser.join(EJABBERD.server(), "bob", "presence-1", "bob")) {
                PresenceEvent joined = XmppBridge.awaitPresence(browser, PresenceEvent.Kind.JOINED);
                assertEquals("bob", joined.participant().name());
            }
            PresenceEvent left = XmppBridge.awaitPresence(browser, PresenceEvent.Kind.LEFT);
            assertEquals("bob", left.participant().name());
        }
        try (NativeXmppUser bob = NativeXmppUser.join(EJABBERD.server(), "bob", "lonely-1", "bob");
             XmppBridge bridge = XmppBridge.start(EJABBERD.server(), "ej-probe", "")) {
            bridge.awaitLeg(s -> s.status() == LegState.Status.READY, "READY");
            assertEquals(true, bridge.hub().probePresence("lonely-1").toCompletableFuture().get(10, TimeUnit.SECONDS),
                    "checkPresence is true when only a native user sits in the room");
        }
    }

    @Test
    void mapsAChannelNamedLikeAPageUrlToAnXep0106EscapedRoomThatNativeUsersJoin() throws Exception {
        String channel = "https://example.org/Demo/?room=A B&x='y'";
        String localpart = "https\\3a\\2f\\2fexample.org\\2fdemo\\2f?room=a\\20b\\26x=\\27y\\27";
        try (XmppBridge bridge = XmppBridge.start(EJABBERD.server(), "ej-escaped", "");
             NativeXmppUser bob = NativeXmppUser.join(EJABBERD.server(), "bob", localpart, "bob")) {
            RecordingEndpoint browser = bridge.browser("browser-4", channel);
            XmppBridge.awaitJoined(browser, p -> p.name().equals("bob"));
            assertEquals(localpart + "@" + EJABBERD.server().mucService(), bob.room().getRoom().toString());

            bridge.hub().publish(bridge.envelope(channel, "alice", "{\"n\":1}", browser.id()), browser);
            Message m = bob.next(WAIT);
            assertEquals("{\"n\":1}", m.getBody());
            assertEquals(channel, m.getExtension(SignalElement.class).channel().orElseThrow(),
                    "the exact channel name travels in the payload");

            bob.say("\"back\"");
            Envelope back = browser.envelopes().next(WAIT);
            assertEquals(channel, back.channel());
            assertEquals("\"back\"", back.message().json());
        }
    }

    @Test
    void relaysBetweenTwoBridgesInOneRoomWithoutLoopsOrDuplicates() throws Exception {
        try (XmppBridge a = XmppBridge.start(EJABBERD.server(), "ej-bridge-a", "");
             XmppBridge b = XmppBridge.start(EJABBERD.server(), "ej-bridge-b", "")) {
            RecordingEndpoint onA = a.browser("on-a", "pair");
            RecordingEndpoint onB = b.browser("on-b", "pair");
            XmppBridge.awaitJoined(onA, p -> p.id().equals("on-b"));

            a.hub().publish(a.envelope("pair", "on-a", "{\"from\":\"a\"}", onA.id()), onA);
            b.hub().publish(b.envelope("pair", "on-b", "{\"from\":\"b\"}", onB.id()), onB);

            assertEquals("{\"from\":\"a\"}", onB.envelopes().next(WAIT).message().json());
            Envelope atA = onA.envelopes().next(WAIT);
            assertEquals("{\"from\":\"b\"}", atA.message().json());
            assertEquals("\"on-b\"", atA.sender().json());
            onA.envelopes().expectNothing(Duration.ofSeconds(1));
            onB.envelopes().expectNothing(Duration.ZERO);
        }
    }

    @Test
    void sendsAnAddressedEnvelopeAsAPrivateMessageAndTheReplyReachesOneBrowser() throws Exception {
        try (XmppBridge bridge = XmppBridge.start(EJABBERD.server(), "ej-pm", "");
             NativeXmppUser bob = NativeXmppUser.join(EJABBERD.server(), "bob", "pm-1", "bobby");
             NativeXmppUser carol = NativeXmppUser.join(EJABBERD.server(), "carol", "pm-1", "carol")) {
            StanzaCollector bobPrivate = privateMessages(bob, "pm-1");
            StanzaCollector carolPrivate = privateMessages(carol, "pm-1");
            RecordingEndpoint alice = bridge.browser("alice-5", "pm-1");
            Participant bobby = XmppBridge.awaitJoined(alice, p -> p.name().equals("bobby"));
            RecordingEndpoint other = bridge.browser("other-5", "pm-1");
            assertEquals(room("pm-1") + "/bobby", bobby.id());

            Envelope offer = bridge.addressed("pm-1", "alice", "{\"type\":\"offer\"}", alice.id(), bobby.id());
            bridge.hub().publish(offer, alice);
            Message pm = bobPrivate.nextResult(WAIT.toMillis());
            assertNotNull(pm, "bob got no private message");
            assertEquals(Message.Type.chat, pm.getType());
            assertEquals("{\"type\":\"offer\"}", pm.getBody());
            assertEquals(offer.id(), pm.getExtension(SignalElement.class).id().orElseThrow());
            assertNull(carolPrivate.nextResult(QUIET.toMillis()), "carol must not get bob's private message");
            assertEquals(List.of(), carol.drain(), "nothing went to the room");

            Message answer = StanzaBuilder.buildMessage("answer-1").ofType(Message.Type.chat).to(pm.getFrom())
                    .setBody("{\"type\":\"answer\"}")
                    .addExtension(new SignalElement("pm-1", "bobby", null, "answer-1", "{\"type\":\"answer\"}", alice.id()))
                    .build();
            bob.connection().sendStanza(answer);
            Envelope got = alice.envelopes().next(WAIT);
            assertEquals("answer-1", got.id());
            assertEquals(alice.id(), got.recipient());
            other.envelopes().expectNothing(QUIET);
            assertEquals(List.of(), alice.failures().drain());
        }
    }

    @Test
    void reportsTheLegDownWhileAMembersOnlyRoomRefusesTheBridgeAndReadyOnceItsOwnerLetsItIn() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(EJABBERD.server(), "bob", "members-1", "bob");
             XmppBridge bridge = XmppBridge.start(EJABBERD.server(), "ej-outsider", "")) {
            bob.room().getConfigFormManager().makeMembersOnly().submitConfigurationForm();
            RecordingEndpoint browser = new RecordingEndpoint("browser-m1");
            bridge.hub().subscribe(browser, "members-1");

            LegState down = bridge.awaitLeg(s -> s.status() == LegState.Status.DOWN && s.detail().contains("1 failing"),
                    "DOWN with a failing room");
            assertTrue(down.detail().contains("members-1@conference.localhost")
                    && down.detail().contains("registration-required"), down.detail());

            bob.room().grantMembership(JidCreate.bareFrom("alice@localhost"));
            bridge.awaitLeg(s -> s.status() == LegState.Status.READY && s.detail().endsWith("rooms: 1 joined, 0 joining, 0 failing"),
                    "READY once a member");
            bob.awaitOccupant("ej-outsider", WAIT);
        }
    }

    @Test
    void logsInOverStartTlsTrustingTheServersPemCertificate() throws Exception {
        String tls = "tls: required\ntrust-certificates: " + EJABBERD.server().certificateFile();
        try (XmppBridge bridge = XmppBridge.start(EJABBERD.server(), "ej-tls", tls);
             NativeXmppUser bob = NativeXmppUser.join(EJABBERD.server(), "bob", "tls-1", "bob")) {
            RecordingEndpoint browser = bridge.browser("browser-6", "tls-1");
            LegState ready = bridge.awaitLeg(s -> s.status() == LegState.Status.READY, "READY");
            assertTrue(ready.detail().contains("starttls required"), ready.detail());
            bridge.hub().publish(bridge.envelope("tls-1", "alice", "\"over tls\"", browser.id()), browser);
            assertEquals("\"over tls\"", bob.next(WAIT).getBody());
        }
    }

    private static EntityBareJid room(String localpart) throws Exception {
        return JidCreate.entityBareFrom(localpart.toLowerCase(Locale.ROOT) + "@" + EJABBERD.server().mucService());
    }

    private static StanzaCollector privateMessages(NativeXmppUser user, String roomLocalpart) throws Exception {
        return user.connection().createStanzaCollector(
                new AndFilter(MessageTypeFilter.CHAT, FromMatchesFilter.createBare(room(roomLocalpart))));
    }

    // --- what an owner does to the bridge (docs/interop.md, "Kicks, bans, destroyed rooms, passwords") ---

    @Test
    void rejoinsAfterABackoffWhenItsOwnerKicksItAndSaysSoInTheLegState() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(EJABBERD.server(), "bob", "kick-1", "bob");
             XmppBridge bridge = XmppBridge.start(EJABBERD.server(), "ej-kicked", "")) {
            RecordingEndpoint browser = bridge.browser("browser-k1", "kick-1");
            bob.awaitOccupant("ej-kicked", WAIT);

            bob.room().kickParticipant(Resourcepart.from("ej-kicked"), "testing");
            LegState out = bridge.awaitReport(s -> s.status() == LegState.Status.DOWN && s.detail().contains("kicked"), "DOWN, kicked");
            assertTrue(out.detail().contains("kick-1@conference.localhost") && out.detail().contains("status 307")
                    && out.detail().contains("\"testing\"") && out.detail().contains("rejoining in"), out.detail());
            bridge.awaitReport(s -> s.status() == LegState.Status.READY && s.detail().endsWith("rooms: 1 joined, 0 joining, 0 failing"),
                    "READY, back in");
            bob.awaitOccupant("ej-kicked", WAIT);

            bridge.hub().publish(bridge.envelope("kick-1", "alice", "\"after kick\"", browser.id()), browser);
            assertEquals("\"after kick\"", bob.next(WAIT).getBody());
            assertEquals(1, bridge.counter("membership_lost"));
            assertEquals(2, bridge.counter("joins"));
            assertEquals(List.of(), browser.failures().drain());
        }
    }

    @Test
    void keepsTheRoomFailingWhenBannedAndExpiresWhatWaitsNamingTheBan() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(EJABBERD.server(), "bob", "ban-1", "bob");
             XmppBridge bridge = XmppBridge.start(EJABBERD.server(), "ej-banned", "pending-max-age: 1s")) {
            RecordingEndpoint browser = bridge.browser("browser-b1", "ban-1");
            bob.awaitOccupant("ej-banned", WAIT);

            bob.room().banUser(JidCreate.entityBareFrom("alice@" + EJABBERD.server().domain()), "go away");
            bridge.awaitReport(s -> s.status() == LegState.Status.DOWN && s.detail().contains("banned by an admin"), "DOWN, banned");
            LegState refused = bridge.awaitReport(s -> s.detail().contains("forbidden"), "the rejoin refused");
            assertTrue(refused.detail().contains("ban-1@conference.localhost") && refused.detail().contains("lift the ban"),
                    refused.detail());

            Envelope waiting = bridge.envelope("ban-1", "alice", "\"let me in\"", browser.id());
            bridge.hub().publish(waiting, browser);
            DeliveryFailure expired = browser.failures().next(WAIT); // pending-max-age (1 s) must pass
            assertEquals(ErrorCode.EXPIRED, expired.code());
            assertEquals(waiting.id(), expired.envelopeId());
            assertTrue(expired.detail().contains("bans this bridge"), expired.detail());
        }
    }

    @Test
    void staysOutOfARoomItsOwnerDestroysRefusingEnvelopesUntilTheChannelIsOpenedAfresh() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(EJABBERD.server(), "bob", "destroy-1", "bob");
             XmppBridge bridge = XmppBridge.start(EJABBERD.server(), "ej-destroyed", "")) {
            RecordingEndpoint browser = bridge.browser("browser-d1", "destroy-1");
            XmppBridge.awaitJoined(browser, p -> p.name().equals("bob"));

            bob.room().destroy("closing", null);
            assertEquals("bob", XmppBridge.awaitPresence(browser, PresenceEvent.Kind.LEFT).participant().name());
            LegState down = bridge.awaitReport(s -> s.status() == LegState.Status.DOWN && s.detail().contains("destroyed"),
                    "DOWN, room destroyed");
            assertTrue(down.detail().contains("destroy-1@conference.localhost") && down.detail().contains("\"closing\""),
                    down.detail());

            Envelope refused = bridge.envelope("destroy-1", "alice", "\"anyone?\"", browser.id());
            bridge.hub().publish(refused, browser);
            DeliveryFailure failure = browser.failures().next(WAIT);
            assertEquals(ErrorCode.UPSTREAM_UNAVAILABLE, failure.code());
            assertEquals(refused.id(), failure.envelopeId());
            assertTrue(failure.detail().contains("destroyed by its owner") && failure.detail().contains("close the channel"),
                    failure.detail());
            assertEquals(1, bridge.counter("joins"), "the room was not joined (so not re-created) again");
            assertEquals(1, bridge.counter("membership_lost"));

            bridge.hub().unsubscribe(browser, "destroy-1");
            bridge.awaitReport(s -> s.status() == LegState.Status.READY && s.detail().endsWith(ROOMS_IDLE),
                    "READY once the room's grace is over and it is released");
            RecordingEndpoint later = bridge.browser("browser-d2", "destroy-1"); // joins, and so creates the room again
            try (NativeXmppUser carol = NativeXmppUser.join(EJABBERD.server(), "carol", "destroy-1", "carol")) {
                carol.awaitOccupant("ej-destroyed", WAIT);
                bridge.hub().publish(bridge.envelope("destroy-1", "alice", "\"a new room\"", later.id()), later);
                assertEquals("\"a new room\"", carol.next(WAIT).getBody());
            }
            assertEquals(List.of(), later.failures().drain());
        }
    }

    @Test
    void joinsAPasswordProtectedRoomWithRoomPasswordAndNamesTheSettingWhenTheRoomRefusesIt() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(EJABBERD.server(), "bob", "pw-1", "bob")) {
            bob.protectRoom("s3cret room");
            try (XmppBridge wrong = XmppBridge.start(EJABBERD.server(), "ej-wrongkey", "room-password: guess")) {
                wrong.hub().subscribe(new RecordingEndpoint("browser-p1"), "pw-1");
                LegState down = wrong.awaitLeg(s -> s.status() == LegState.Status.DOWN && s.detail().contains("1 failing"),
                        "DOWN with a failing room");
                assertTrue(down.detail().contains("pw-1@conference.localhost") && down.detail().contains("not-authorized")
                        && down.detail().contains("room-password"), down.detail());
                assertFalse(down.detail().contains("guess"), "the password itself is never shown: " + down.detail());
            }
            try (XmppBridge right = XmppBridge.start(EJABBERD.server(), "ej-keyholder", "room-password: s3cret room")) {
                RecordingEndpoint browser = right.browser("browser-p2", "pw-1"); // waits for the room to be joined
                bob.awaitOccupant("ej-keyholder", WAIT);
                right.hub().publish(right.envelope("pw-1", "alice", "\"behind a password\"", browser.id()), browser);
                assertEquals("\"behind a password\"", bob.next(WAIT).getBody());
                assertEquals(List.of(), browser.failures().drain());
            }
        }
    }
}
