package org.sigbridge.dist.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.testkit.web.Frames.assertEnvelope;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.testkit.xmpp.NativeXmppUser;

/**
 * A browser WebSocket (envelope dialect) on a bridge whose channels are MUC rooms, and a person with a plain
 * XMPP client in the room, exchange signaling both ways with the exact payload text: objects (number text
 * kept), strings holding JSON, unicode, an 8 KiB SDP.
 */
@Timeout(30)
class XmppBrowserExchangeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SDP = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n"
            + "a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\\r\\n".repeat(140) + "\"}";
    private static final List<String> PAYLOADS = List.of(
            "{\"sdp\":{\"type\":\"offer\"},\"n\":1.50,\"ok\":[true,null]}",
            "\"{\\\"candidate\\\":{\\\"sdpMLineIndex\\\":0}}\"",
            "\"grüße ✓ 🎉 <&> \\\"quoted\\\" \\u0000\"",
            SDP);

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    private RunningBridge bridge;

    @BeforeEach
    void start() throws Exception {
        assertTrue(SDP.length() > 8 * 1024, "the offer is over 8 KiB");
        bridge = XmppBridges.start(PROSODY.server(), "bridge-x", "alice");
    }

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
    }

    @Test
    void browserEnvelopesReachANativeXmppUserWithExactPayloadsAndIds() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "offers-1", "bob");
             WsClient browser = WsClient.envelopeOn(bridge.webPort(), "Offers-1")) {
            for (int i = 0; i < PAYLOADS.size(); i++) {
                browser.sendEnvelope("e2e-offer-" + i, "alice-browser", "Offers-1", PAYLOADS.get(i));
            }
            for (int i = 0; i < PAYLOADS.size(); i++) {
                Message m = bob.next(WAIT);
                assertEquals(PAYLOADS.get(i), m.getBody(), "body of message " + i);
                assertEquals("e2e-offer-" + i, XmppBridges.envelopeId(m), "the envelope id travels in signal's id");
                assertEquals("bridge-x", m.getFrom().getResourceOrThrow().toString(), "shared mode: the bridge's occupant");
            }
            browser.expectNothing(Duration.ofMillis(300)); // no echo, no error frame
        }
    }

    @Test
    void nativeXmppUserMessagesReachTheBrowserAsEnvelopesWithExactPayloads() throws Exception {
        try (WsClient browser = WsClient.envelopeOn(bridge.webPort(), "Answers-1");
             NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "answers-1", "bob")) {
            bob.awaitOccupant("bridge-x", WAIT); // the browser's channel made the bridge join the room
            // a native message becomes an envelope on the exact channel that opened the room, not the lowercased localpart
            for (String payload : PAYLOADS) {
                bob.say(payload);
            }
            bob.say("just text, not JSON: grüße 🎉");
            for (String payload : PAYLOADS) {
                assertEnvelope("bob", "Answers-1", payload, browser.nextEnvelope(WAIT));
            }
            assertEnvelope("bob", "Answers-1", JsonValue.string("just text, not JSON: grüße 🎉").json(), browser.nextEnvelope(WAIT));
        }
    }

    @Test
    void browserAndNativeUserHoldAnOfferAnswerConversationInOrder() throws Exception {
        try (WsClient browser = WsClient.envelopeOn(bridge.webPort(), "call-1");
             NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "call-1", "bob")) {
            bob.awaitOccupant("bridge-x", WAIT);
            for (int round = 0; round < 5; round++) {
                String offer = "{\"type\":\"offer\",\"round\":" + round + "}";
                browser.sendEnvelope("call-offer-" + round, "alice", "call-1", offer);
                assertEquals(offer, bob.next(WAIT).getBody());
                String answer = "{\"type\":\"answer\",\"round\":" + round + "}";
                bob.say(answer);
                Map<String, JsonValue> got = browser.nextEnvelope(WAIT);
                assertEnvelope("bob", "call-1", answer, got);
                assertTrue(got.get("id").isString(), "every envelope has an id: " + got);
            }
            browser.expectNothing(Duration.ofMillis(300));
            assertEquals(List.of(), bob.drain(), "nothing twice");
        }
    }
}
