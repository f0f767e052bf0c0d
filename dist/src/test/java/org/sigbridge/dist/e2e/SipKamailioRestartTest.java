package org.sigbridge.dist.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.testkit.web.Frames.assertEnvelope;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.LegState;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.peers.KamailioServer;
import org.sigbridge.testkit.sip.SipTransport;
import org.sigbridge.testkit.sip.SipUserAgent;
import org.sigbridge.testkit.web.Frames;
import org.sigbridge.testkit.web.WsClient;

/**
 * Kamailio restarts (forgetting every registration) under a running bridge with a browser connected: the
 * bridge notices, registers itself and the open channel again, and traffic resumes both ways without
 * restarting sigbridge or the page. What the browser sent while Kamailio was down comes back to it as an
 * error frame naming the envelope.
 */
@Timeout(30)
class SipKamailioRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ROUTES = """
            - match: "*"
              to: sip
              target: sip:alice@localhost
            """;

    @RegisterExtension
    final KamailioExtension kamailio = new KamailioExtension();

    @Test
    void registrationComesBackAndTrafficResumesWithoutRestartingTheBridge() throws Exception {
        KamailioServer server = kamailio.server();
        try (RunningBridge bridge = SipBridges.start(server, "sip-bridge", "bridge", ROUTES, "");
             SipUserAgent alice = SipUserAgent.start("alice", server.port());
             WsClient browser = WsClient.envelopeOn(bridge.webPort(), "room1")) {
            assertTrue(browser.present("room1", WAIT));
            bridge.awaitChannelRegistered("room1", WAIT);
            assertEquals(200, alice.register(SipTransport.UDP, WAIT));
            browser.sendEnvelope("before", "browser-ann", "room1", "\"before\"");
            assertEquals("\"before\"", Frames.parse(alice.awaitMessage(WAIT).body()).get("message").json());

            server.stop();
            bridge.awaitLeg("sip", LegState.Status.DOWN, WAIT);
            browser.sendEnvelope("during", "browser-ann", "room1", "\"during\"");
            Map<String, JsonValue> error = browser.nextError(WAIT);
            if (error.get("id").json().equals("\"before\"")) {
                // Kamailio died while relaying alice's 200 for "before": the bridge never saw a final
                // response, so reporting it is right: timed out (408, RFC 3261 §17.1.2.2 Timer F) or the
                // transport to Kamailio failed.
                assertTrue(Set.of("upstream_timeout", "upstream_unavailable").contains(error.get("code").asText()), error.toString());
                error = browser.nextError(WAIT);
            }
            assertEquals("\"during\"", error.get("id").json(), "reported by envelope id");
            assertTrue(Set.of("upstream_timeout", "upstream_unavailable", "upstream_rejected").contains(error.get("code").asText()),
                    error.toString());

            server.start();
            bridge.awaitLeg("sip", LegState.Status.READY, WAIT);
            bridge.awaitChannelRegistered("room1", WAIT);
            assertEquals(200, alice.register(SipTransport.UDP, WAIT)); // alice's binding was forgotten too

            assertEquals(200, alice.sendMessage("room1", "text/plain", "back again", SipTransport.UDP, WAIT),
                    "the channel's AOR is registered again");
            assertEnvelope("alice", "room1", "\"back again\"", browser.nextEnvelope(WAIT));
            browser.sendEnvelope("after", "browser-ann", "room1", "\"welcome back\"");
            Map<String, JsonValue> got = Frames.parse(alice.awaitMessage(WAIT).body());
            assertEquals("\"after\"", got.get("id").json(), "the envelope sent during the outage is not sent late");
            assertTrue(browser.isOpen(), "the page stayed connected");
        }
    }
}
