package org.sigbridge.dist.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.testkit.web.Frames.assertEnvelope;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.LegState;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.peers.ProsodyServer;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.testkit.xmpp.NativeXmppUser;

/**
 * Prosody is stopped and started again while browser WebSockets stay connected to their bridges. Every
 * envelope a browser sent during the outage either reaches the room once, in order, after the bridge
 * reconnected and rejoined, or comes back to that browser as an error frame naming its id; never both,
 * never twice.
 *
 * <p>No timing windows: while Prosody is down the sending bridge's account gets another password, so after
 * the restart it keeps failing to log in until every receiver sits in the room again; then the test gives the
 * password back and the bridge logs in, rejoins and flushes into a room someone watches.
 */
@Timeout(60)
class XmppOutageTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    final ProsodyExtension prosody = new ProsodyExtension(b -> b.users("carol"));

    @Test
    void envelopesSentWhileProsodyIsDownAreDeliveredOnceInOrderAfterTheBridgesRejoin() throws Exception {
        ProsodyServer server = prosody.server();
        try (RunningBridge east = XmppBridges.start(server, "east", "alice", "pending-max-age: 60s", "");
             RunningBridge west = XmppBridges.start(server, "west", "bob");
             WsClient onEast = WsClient.envelopeOn(east.webPort(), "Outage-1");
             WsClient onWest = WsClient.envelopeOn(west.webPort(), "Outage-1")) {
            east.awaitRoomsJoined(1, WAIT);
            west.awaitRoomsJoined(1, WAIT);
            onEast.sendEnvelope("before", "east-user", "Outage-1", "{\"n\":0}");
            assertEnvelope("east-user", "Outage-1", "{\"n\":0}", onWest.nextEnvelope(WAIT));

            server.stop();
            east.awaitLeg("xmpp", LegState.Status.DOWN, WAIT);
            west.awaitLeg("xmpp", LegState.Status.DOWN, WAIT);
            List<String> sent = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                sent.add("during-" + n);
                onEast.sendEnvelope("during-" + n, "east-user", "Outage-1", "{\"n\":" + n + "}");
            }

            server.registerUser("alice", "locked-out"); // east cannot log in until the receivers are back
            server.start();
            east.awaitLeg("xmpp", s -> s.status() == LegState.Status.DOWN && s.detail().contains("cannot log in"),
                    "refused a login", WAIT);
            west.awaitRoomsJoined(1, WAIT);
            try (NativeXmppUser carol = NativeXmppUser.join(server, "carol", "outage-1", "carol")) {
                carol.awaitOccupant("west", WAIT);
                server.registerUser("alice", ProsodyServer.PASSWORD);
                east.awaitRoomsJoined(1, WAIT);

                List<String> atWest = new ArrayList<>();
                List<String> atCarol = new ArrayList<>();
                for (int n = 1; n <= 3; n++) {
                    Map<String, JsonValue> e = onWest.nextEnvelope(WAIT);
                    assertEnvelope("east-user", "Outage-1", "{\"n\":" + n + "}", e);
                    atWest.add(e.get("id").asText());
                    Message m = carol.next(WAIT);
                    assertEquals("{\"n\":" + n + "}", m.getBody());
                    atCarol.add(XmppBridges.envelopeId(m));
                }
                assertEquals(sent, atWest, "the browser on the other bridge got each once, in order, ids kept");
                assertEquals(sent, atCarol, "the native user got each once, in order");

                onEast.sendEnvelope("fence", "east-user", "Outage-1", "\"fence\"");
                assertEquals("\"fence\"", onWest.nextEnvelope(WAIT).get("id").json(), "no duplicate before the next envelope");
                assertEquals("\"fence\"", carol.next(WAIT).getBody());

                onWest.sendEnvelope("reply", "west-user", "Outage-1", "{\"back\":true}");
                assertEnvelope("west-user", "Outage-1", "{\"back\":true}", onEast.nextEnvelope(WAIT));
                assertEquals(List.of(), onEast.drain(), "no error frame, nothing else for the sender");
                assertTrue(onEast.isOpen() && onWest.isOpen(), "the browsers stayed connected throughout");
            }
        }
    }

    @Test
    void envelopesThatCannotWaitOutTheOutageComeBackToTheirSenderAsErrorFramesAndAreNeverSentLater() throws Exception {
        ProsodyServer server = prosody.server();
        String xmpp = "pending-queue-size: 2\npending-max-age: 1s";
        try (RunningBridge east = XmppBridges.start(server, "east", "alice", xmpp, "");
             WsClient browser = WsClient.envelopeOn(east.webPort(), "outage-2")) {
            east.awaitRoomsJoined(1, WAIT);
            server.stop();
            east.awaitLeg("xmpp", LegState.Status.DOWN, WAIT);

            for (int n = 1; n <= 3; n++) {
                browser.sendEnvelope("lost-" + n, "east-user", "outage-2", "{\"n\":" + n + "}");
            }
            Map<String, String> reported = new java.util.TreeMap<>();
            for (int i = 0; i < 3; i++) {
                Map<String, JsonValue> error = browser.nextError(WAIT);
                String id = error.get("id").asText();
                assertEquals(null, reported.put(id, error.get("code").asText()), "reported once: " + id);
            }
            assertEquals(Map.of("lost-1", "expired", "lost-2", "expired", "lost-3", "upstream_unavailable"), reported,
                    "queue of 2 full for the third; the two queued expire after 1 s");

            server.registerUser("alice", "locked-out");
            server.start();
            east.awaitLeg("xmpp", s -> s.status() == LegState.Status.DOWN && s.detail().contains("cannot log in"),
                    "refused a login", WAIT);
            try (NativeXmppUser carol = NativeXmppUser.join(server, "carol", "outage-2", "carol")) {
                server.registerUser("alice", ProsodyServer.PASSWORD);
                east.awaitRoomsJoined(1, WAIT);
                browser.sendEnvelope("after", "east-user", "outage-2", "\"after\"");
                Message first = carol.next(WAIT);
                assertEquals("after", XmppBridges.envelopeId(first), "a reported envelope is never sent as well");
                Set<String> rest = new TreeSet<>();
                carol.drain().forEach(m -> rest.add(XmppBridges.envelopeId(m)));
                assertEquals(Set.of(), rest);
                assertEquals(List.of(), browser.drain());
            }
        }
    }
}
