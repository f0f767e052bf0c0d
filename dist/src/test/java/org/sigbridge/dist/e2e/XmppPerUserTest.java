package org.sigbridge.dist.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sigbridge.testkit.web.Frames.assertEnvelope;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.testkit.xmpp.NativeXmppUser;

/**
 * {@code occupants: per-user}: a person with a plain XMPP client sees every browser user of the channel as an
 * occupant of its own, named by the sender the page chose, and talks to them as people.
 */
@Timeout(30)
class XmppPerUserTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    private RunningBridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = XmppBridges.start(PROSODY.server(), "relay", "alice", "occupants: per-user", "");
    }

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
    }

    @Test
    void aNativeUserSeesOneOccupantPerBrowserUserNamedBySender() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "team-1", "bob");
             WsClient ann = WsClient.envelopeOn(bridge.webPort(), "team-1");
             WsClient ben = WsClient.envelopeOn(bridge.webPort(), "team-1")) {
            ann.sendEnvelope("ann-1", "Ann", "team-1", "{\"type\":\"offer\"}");
            ben.sendEnvelope("ben-1", "Ben", "team-1", "{\"type\":\"answer\"}");
            ann.sendEnvelope("ann-2", "Ann", "team-1", "{\"candidate\":\"c1\"}");

            Message m1 = bob.next(WAIT);
            Message m2 = bob.next(WAIT);
            Message m3 = bob.next(WAIT);
            List<String> fromAnn = List.of(m1, m2, m3).stream().filter(m -> nick(m).equals("Ann")).map(Message::getBody).toList();
            List<String> fromBen = List.of(m1, m2, m3).stream().filter(m -> nick(m).equals("Ben")).map(Message::getBody).toList();
            assertEquals(List.of("{\"type\":\"offer\"}", "{\"candidate\":\"c1\"}"), fromAnn, "Ann speaks as herself, in order");
            assertEquals(List.of("{\"type\":\"answer\"}"), fromBen, "Ben speaks as himself");
            assertEquals(Set.of("bob", "relay", "Ann", "Ben"), bob.occupantNicks(), "one occupant per browser user, plus the bridge's");

            assertEnvelope("Ben", "team-1", "{\"type\":\"answer\"}", ann.nextEnvelope(WAIT));
            ann.expectNothing(Duration.ofMillis(500)); // Ben's envelope reached Ann once: locally, not again from the room

            bob.say("{\"hello\":\"everyone\"}");
            assertEnvelope("bob", "team-1", "{\"hello\":\"everyone\"}", ann.nextEnvelope(WAIT));

            ann.close(); // Ann's page goes away: her occupant leaves, Ben's stays
            bob.awaitGone("Ann", WAIT);
            assertEquals(Set.of("bob", "relay", "Ben"), bob.occupantNicks());
        }
    }

    @Test
    void aBrowserUserNamedLikeANativeOccupantGetsThePredictableNextNick() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "team-2", "bob");
             WsClient fakeBob = WsClient.envelopeOn(bridge.webPort(), "team-2")) {
            fakeBob.sendEnvelope("b-1", "bob", "team-2", "\"it's me\"");
            Message m = bob.next(WAIT);
            assertEquals("\"it's me\"", m.getBody());
            assertEquals("bob-2", nick(m));
        }
    }

    @Test
    void channelsSocketsThatNameTheirSenderInOpenAreOccupantsOfTheirOwn() throws Exception {
        // The frames sigbridge.js sends with config.sender (the demo does): docs/dialects.md §2.2.
        try (NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "team-4", "bob");
             WsClient ann = WsClient.connect(java.net.URI.create("ws://127.0.0.1:" + bridge.webPort() + "/ws/channels"));
             WsClient ben = WsClient.connect(java.net.URI.create("ws://127.0.0.1:" + bridge.webPort() + "/ws/channels"))) {
            ann.send("{\"open\":true,\"channel\":\"team-4\",\"sender\":\"Ann\"}");
            ben.send("{\"open\":true,\"channel\":\"team-4\",\"sender\":\"Ben\"}");
            ann.expectPresent("team-4");
            ben.expectPresent("team-4");
            ann.send("{\"channel\":\"team-4\",\"data\":{\"type\":\"offer\"}}");
            ben.send("{\"channel\":\"team-4\",\"data\":{\"type\":\"answer\"}}");
            Message m1 = bob.next(WAIT);
            Message m2 = bob.next(WAIT);
            assertEquals(Set.of("Ann:{\"type\":\"offer\"}", "Ben:{\"type\":\"answer\"}"),
                    Set.of(nick(m1) + ":" + m1.getBody(), nick(m2) + ":" + m2.getBody()), "each speaks as the name it chose");
            assertEquals(Set.of("bob", "relay", "Ann", "Ben"), bob.occupantNicks());
        }
    }

    private static String nick(Message m) {
        return m.getFrom().getResourceOrThrow().toString();
    }

    @Test
    void aBrowserUsersOccupantLeavesWhenItsPageClosesAlsoWhenItWasTheChannelsLastParticipant() throws Exception {
        try (RunningBridge patient = XmppBridges.start(PROSODY.server(), "patient", "alice", "occupants: per-user\nroom-grace: 30s", "");
             NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "team-3", "bob")) {
            try (WsClient zoe = WsClient.envelopeOn(patient.webPort(), "team-3")) {
                zoe.sendEnvelope("z-1", "Zoe", "team-3", "\"hi\"");
                assertEquals("Zoe", nick(bob.next(WAIT)));
            }
            bob.awaitGone("Zoe", WAIT); // her page is gone; only the bridge's occupant may wait out the room grace
        }
    }
}
