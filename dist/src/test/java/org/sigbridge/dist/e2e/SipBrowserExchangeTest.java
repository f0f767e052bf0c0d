package org.sigbridge.dist.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.testkit.web.Frames.assertEnvelope;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.sip.ReceivedSipMessage;
import org.sigbridge.testkit.sip.SipTransport;
import org.sigbridge.testkit.sip.SipUserAgent;
import org.sigbridge.testkit.web.Frames;
import org.sigbridge.testkit.web.WsClient;

/**
 * A browser WebSocket (envelope dialect) on a bridge whose channels go over SIP, and a SIP user agent
 * registered at Kamailio as {@code sip:alice@localhost}, exchange signaling both ways: the bridge sends each
 * channel's envelopes to alice and registers each open channel's AOR, so alice reaches channel {@code c} as
 * {@code sip:c@localhost}.
 */
@Timeout(30)
class SipBrowserExchangeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ROUTES = """
            - match: "text-*"
              to: sip
              target: sip:alice@localhost
              options: {content: text}
            - match: "nobody-*"
              to: sip
              target: sip:nobody@localhost
            - match: "*"
              to: sip
              target: sip:alice@localhost
            """;

    @RegisterExtension
    static final KamailioExtension KAMAILIO = new KamailioExtension();

    private RunningBridge bridge;
    private SipUserAgent alice;

    @BeforeEach
    void start() throws Exception {
        bridge = SipBridges.start(KAMAILIO.server(), "sip-bridge", "bridge", ROUTES, "");
        alice = SipUserAgent.start("alice", KAMAILIO.server().port());
    }

    @AfterEach
    void stop() {
        if (alice != null) {
            for (SipTransport t : SipTransport.values()) {
                alice.unregister(t, WAIT); // one Kamailio serves the class: leave no stale binding
            }
            alice.close();
        }
        if (bridge != null) {
            bridge.close();
        }
    }

    /** A browser on {@code channel}, once the channel's AOR is registered at Kamailio. */
    private WsClient browserOn(String channel) throws Exception {
        WsClient browser = WsClient.envelopeOn(bridge.webPort(), channel);
        assertTrue(browser.present(channel, WAIT)); // the ?channel= join is done
        bridge.awaitChannelRegistered(channel, WAIT);
        return browser;
    }

    @Test
    void browserEnvelopesReachARegisteredUaAsJsonMessagesWithIdSenderAndExactPayload() throws Exception {
        assertEquals(200, alice.register(SipTransport.UDP, WAIT));
        try (WsClient browser = browserOn("room1")) {
            String offer = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\",\"n\":1.50,\"note\":\"grüße 🎉\"}";
            browser.sendEnvelope("sip-offer-1", "browser-ann", "room1", offer);
            ReceivedSipMessage got = alice.awaitMessage(WAIT);
            assertEquals("application/json", got.contentType());
            assertTrue(got.header("From").startsWith("\"browser-ann\""), got.header("From"));
            Map<String, JsonValue> body = Frames.parse(got.body());
            assertEquals("\"sip-offer-1\"", body.get("id").json());
            assertEnvelope("browser-ann", "room1", offer, body);

            browser.sendEnvelope("sip-offer-2", "browser-ann", "room1", "\"{\\\"candidate\\\":\\\"c1\\\"}\"");
            assertEquals("\"{\\\"candidate\\\":\\\"c1\\\"}\"", Frames.parse(alice.awaitMessage(WAIT).body()).get("message").json(),
                    "a string holding JSON stays a string");
            browser.expectNothing(Duration.ofMillis(300)); // delivered: no error frame
        }
    }

    @Test
    void uaMessagesReachTheBrowserAsEnvelopesFromTheUa() throws Exception {
        assertEquals(200, alice.register(SipTransport.UDP, WAIT));
        try (WsClient browser = browserOn("room2")) {
            String answer = "{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\",\"n\":1.50}";
            assertEquals(200, alice.sendMessage("room2", "application/json", answer, SipTransport.UDP, WAIT));
            assertEnvelope("alice", "room2", answer, browser.nextEnvelope(WAIT));

            assertEquals(200, alice.sendMessage("room2", "text/plain", "grüße ✓ 🎉", SipTransport.UDP, WAIT));
            assertEnvelope("alice", "room2", JsonValue.string("grüße ✓ 🎉").json(), browser.nextEnvelope(WAIT));

            // the browser's reply goes back to the UA
            browser.sendEnvelope("reply-1", "browser-ann", "room2", "{\"ok\":true}");
            assertEquals("{\"ok\":true}", Frames.parse(alice.awaitMessage(WAIT).body()).get("message").json());
        }
    }

    @Test
    void aSixKibOfferAndAnswerTravelOverTcp() throws Exception {
        assertEquals(200, alice.register(SipTransport.TCP, WAIT));
        String sdp = "v=0\\r\\n" + "a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\\r\\n".repeat(110);
        assertTrue(sdp.length() > 6 * 1024);
        try (WsClient browser = browserOn("big-room")) {
            String offer = "{\"type\":\"offer\",\"sdp\":\"" + sdp + "\"}";
            browser.sendEnvelope("big-offer", "browser-ann", "big-room", offer);
            ReceivedSipMessage got = alice.awaitMessage(WAIT);
            assertEquals("TCP", got.transport().toUpperCase(Locale.ROOT), "over 1300 bytes: never UDP (RFC 3261 §18.1.1)");
            assertEquals(offer, Frames.parse(got.body()).get("message").json());

            String answer = "{\"type\":\"answer\",\"sdp\":\"" + sdp + "\"}";
            assertEquals(200, alice.sendMessage("big-room", "application/json", answer, SipTransport.TCP, WAIT));
            assertEnvelope("alice", "big-room", answer, browser.nextEnvelope(WAIT));
        }
    }

    @Test
    void aTextRouteInteroperatesWithAPlainUa() throws Exception {
        assertEquals(200, alice.register(SipTransport.UDP, WAIT));
        try (WsClient browser = browserOn("text-phone")) {
            browser.sendEnvelope("t-1", "browser-ann", "text-phone", "\"hello phone ✓\"");
            ReceivedSipMessage got = alice.awaitMessage(WAIT);
            assertEquals("text/plain", got.contentType());
            assertEquals("hello phone ✓", got.body());

            assertEquals(200, alice.sendMessage("text-phone", "hello browser", SipTransport.UDP, WAIT));
            assertEnvelope("alice", "text-phone", "\"hello browser\"", browser.nextEnvelope(WAIT));
        }
    }

    @Test
    void aMessageNobodyCanTakeComesBackToTheBrowserAsAnErrorFrameWithTheEnvelopeId() throws Exception {
        try (WsClient browser = browserOn("nobody-home")) {
            browser.sendEnvelope("unanswered-1", "browser-ann", "nobody-home", "\"anyone?\"");
            Map<String, JsonValue> error = browser.nextError(WAIT);
            assertEquals("\"unanswered-1\"", error.get("id").json());
            assertEquals("\"upstream_rejected\"", error.get("code").json());
            assertTrue(error.get("detail").asText().contains("404"), error.get("detail").asText());
        }
    }
}
