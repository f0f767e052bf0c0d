package org.sigbridge.xmpp.prosody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testing.Envelopes;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.xmpp.NativeXmppUser;
import org.sigbridge.xmpp.mapping.SignalElement;

@Timeout(60)
class XmppAdapterProsodyTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension(b -> b.users("carol"));

    @Test
    void deliversBrowserEnvelopesToANativeUserWithExactPayloads() throws Exception {
        try (BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "b1", "");
             NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "exact-1", "bob")) {
            RecordingEndpoint browser = bridge.browser("browser-1", "Exact-1");
            String sdp = "{\"type\":\"offer\",\"sdp\":\"" + "a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\\r\\n".repeat(140) + "\"}";
            assertTrue(sdp.length() > 8192);
            List<String> payloads = List.of("{\"sdp\":{\"type\":\"offer\"},\"n\":1.50}", "\"{\\\"inner\\\":\\\"json\\\"}\"",
                    "\"grüße ✓ 🎉 <&>\"", sdp);
            for (String payload : payloads) {
                Envelope sent = new Envelope(bridge.hub().envelopeIds().next(), "Exact-1", JsonValue.string("alice-browser"),
                        Envelopes.json(payload), new Origin("web", browser.id()), Instant.now());
                bridge.hub().publish(sent, browser);

                Message m = bob.next(WAIT);
                SignalElement signal = m.getExtension(SignalElement.class);
                assertEquals("", signal.json(), "the JSON travels once, in the body (docs/design.md §4.2)");
                assertEquals(payload, m.getBody());
                assertEquals("Exact-1", signal.channel().orElseThrow());
                assertEquals("alice-browser", signal.sender().orElseThrow());
                assertEquals(sent.id(), signal.id().orElseThrow());
            }
            assertEquals(List.of(), browser.failures().drain());
        }
    }

    @Test
    void turnsANativeUsersBodyIntoAnEnvelopeFromTheirNick() throws Exception {
        try (BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "b2", "");
             NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "native-1", "bobby")) {
            RecordingEndpoint browser = bridge.browser("browser-2", "native-1");
            nextOf(browser, PresenceEvent.Kind.JOINED); // the bridge sees bob: it is in the room

            bob.say("{\"type\":\"answer\",\"sdp\":\"v=0\"}");
            bob.say("just text");

            Envelope first = browser.envelopes().next(WAIT);
            assertEquals("\"bobby\"", first.sender().json());
            assertEquals("native-1", first.channel());
            assertEquals("{\"type\":\"answer\",\"sdp\":\"v=0\"}", first.message().json());
            assertEquals("\"just text\"", browser.envelopes().next(WAIT).message().json());
        }
    }

    @Test
    void relaysBetweenTwoBridgesInOneRoomWithoutLoopsOrDuplicates() throws Exception {
        try (BridgeUnderTest a = BridgeUnderTest.start(PROSODY.server(), "bridge-a", "");
             BridgeUnderTest b = BridgeUnderTest.start(PROSODY.server(), "bridge-b", "")) {
            RecordingEndpoint onA = a.browser("on-a", "pair");
            RecordingEndpoint onB = b.browser("on-b", "pair");

            a.hub().publish(envelope(a, "pair", "on-a", "{\"from\":\"a\"}"), onA);
            b.hub().publish(envelope(b, "pair", 42, "{\"from\":\"b\"}"), onB);

            Envelope atB = onB.envelopes().next(WAIT);
            assertEquals("{\"from\":\"a\"}", atB.message().json());
            Envelope atA = onA.envelopes().next(WAIT);
            assertEquals("{\"from\":\"b\"}", atA.message().json());
            assertEquals("42", atA.sender().json());
            onA.envelopes().expectNothing(Duration.ofSeconds(1));
            onB.envelopes().expectNothing(Duration.ZERO);
        }
    }

    @Test
    void reportsANativeOccupantAsChannelPresence() throws Exception {
        try (BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "b3", "")) {
            RecordingEndpoint browser = bridge.browser("browser-3", "presence-1");
            browser.presence().drain();
            try (NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "presence-1", "bob")) {
                PresenceEvent joined = nextOf(browser, PresenceEvent.Kind.JOINED);
                assertEquals("bob", joined.participant().name());
            }
            PresenceEvent left = nextOf(browser, PresenceEvent.Kind.LEFT);
            assertEquals("bob", left.participant().name());
        }
    }

    @Test
    void answersCheckPresenceTrueWhenOnlyANativeUserSitsInTheRoom() throws Exception {
        try (BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "b4", "");
             NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "lonely-1", "bob")) {
            bridge.awaitLeg(LegState.Status.READY, WAIT);
            assertEquals(true, bridge.hub().probePresence("lonely-1").toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertEquals(false, bridge.hub().probePresence("nobody-here").toCompletableFuture().get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void refusesAnEnvelopeAboveTheStanzaLimitAsTooLargeAndKeepsTheSession() throws Exception {
        try (BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "b5", "max-stanza-bytes: 8192");
             NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "big-1", "bob")) {
            RecordingEndpoint browser = bridge.browser("browser-5", "big-1");
            String big = "\"" + "x".repeat(10_000) + "\"";
            Envelope tooBig = envelope(bridge, "big-1", "browser-5", big, "browser-5");
            bridge.hub().publish(tooBig, browser);

            DeliveryFailure failure = browser.failures().next(WAIT);
            assertEquals(ErrorCode.TOO_LARGE, failure.code());
            assertEquals(tooBig.id(), failure.envelopeId());

            bridge.hub().publish(envelope(bridge, "big-1", "browser-5", "\"small\""), browser);
            assertEquals("\"small\"", bob.next(WAIT).getBody());
        }
    }

    @Test
    void givesEachBrowserSenderItsOwnOccupantInPerUserMode() throws Exception {
        try (BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "b6", "occupants: per-user");
             NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "per-user-1", "bob")) {
            RecordingEndpoint browser = bridge.browser("browser-6", "per-user-1");
            bob.presences().clear();

            bridge.hub().publish(envelope(bridge, "per-user-1", "carol", "{\"hi\":1}"), browser);
            bridge.hub().publish(envelope(bridge, "per-user-1", "dave", "{\"hi\":2}"), browser);

            Message fromCarol = bob.next(WAIT);
            assertEquals("carol", fromCarol.getFrom().getResourceOrThrow().toString());
            Message fromDave = bob.next(WAIT);
            assertEquals("dave", fromDave.getFrom().getResourceOrThrow().toString());
            assertTrue(bob.room().getOccupants().stream().anyMatch(j -> j.getResourceOrThrow().toString().equals("carol")));
            assertTrue(bob.room().getOccupants().stream().anyMatch(j -> j.getResourceOrThrow().toString().equals("dave")));

            bridge.hub().detach(browser); // the browser leaves: its senders' sessions close
            assertEquals(Presence.Type.unavailable, nextUnavailable(bob).getType());
        }
    }

    @Test
    void closesAPerUserOccupantWhenItsBrowserLeavesEvenWhenTheBrowserShowsAnotherParticipantId() throws Exception {
        try (BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "b6p", "occupants: per-user");
             NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "per-user-2", "bob")) {
            RecordingEndpoint stays = bridge.browser("browser-stays", "per-user-2");
            // A PeerJS or RTCMultiConnection page: the endpoint id is the bridge's, the participant id the page's own.
            PageEndpoint page = new PageEndpoint("ep-7", "page-user-7");
            assertInstanceOf(org.sigbridge.spi.SubscribeResult.Subscribed.class, bridge.hub().subscribe(page, "per-user-2"));
            bob.presences().clear();

            bridge.hub().publish(envelope(bridge, "per-user-2", "erin", "{\"hi\":3}", page.id()), page);
            assertEquals("erin", bob.next(WAIT).getFrom().getResourceOrThrow().toString());

            bridge.hub().detach(page); // the page leaves; the channel stays open for the other browser
            Presence gone = nextUnavailable(bob);
            assertEquals("erin", gone.getFrom().getResourceOrThrow().toString());
            assertNoFailure(stays);
        }
    }

    /** A local endpoint whose participant id is not its endpoint id. */
    private record PageEndpoint(String id, String participantId) implements org.sigbridge.spi.Endpoint {
        @Override
        public String adapter() {
            return "web";
        }

        @Override
        public org.sigbridge.spi.Participant participant() {
            return new org.sigbridge.spi.Participant("web", participantId, participantId);
        }

        @Override
        public org.sigbridge.spi.DeliveryResult deliver(Envelope envelope) {
            return org.sigbridge.spi.DeliveryResult.DELIVERED;
        }
    }

    @Test
    void logsInOverStartTlsTrustingAPemCertificate() throws Exception {
        String tls = "tls: required\ntrust-certificates: " + PROSODY.server().certificateFile();
        try (BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "b7", tls)) {
            LegState ready = bridge.awaitLeg(LegState.Status.READY, WAIT);
            assertTrue(ready.detail().contains("starttls required"), ready.detail());
        }
    }

    private static Presence nextUnavailable(NativeXmppUser client) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Presence p = client.presences().poll(100, TimeUnit.MILLISECONDS);
            if (p != null && p.getType() == Presence.Type.unavailable) {
                return p;
            }
        }
        throw new AssertionError("no occupant left within " + WAIT);
    }

    private static PresenceEvent nextOf(RecordingEndpoint browser, PresenceEvent.Kind kind) {
        while (true) {
            PresenceEvent e = browser.presence().next(WAIT);
            if (e.kind() == kind && e.participant().adapter().equals("xmpp")) {
                return e;
            }
        }
    }

    static Envelope envelope(BridgeUnderTest bridge, String channel, Object sender, String json) {
        return envelope(bridge, channel, sender, json, "browser");
    }

    static Envelope envelope(BridgeUnderTest bridge, String channel, Object sender, String json, String fromEndpoint) {
        JsonValue s = sender instanceof Number n ? JsonValue.number(n.longValue()) : JsonValue.string(sender.toString());
        return new Envelope(bridge.hub().envelopeIds().next(), channel, s, Envelopes.json(json), new Origin("web", fromEndpoint),
                Instant.now());
    }

    static void assertNoFailure(RecordingEndpoint browser) {
        assertNull(browser.failures().drain().stream().findFirst().orElse(null));
        assertInstanceOf(RecordingEndpoint.class, browser);
    }
}
