package org.sigbridge.interop.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.interop.sip.SipBridge.WAIT;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.peers.Baresip;
import org.sigbridge.testkit.peers.FreePorts;

/**
 * The softphone baresip 1.0 (Debian package, headless: commands on its stdin) exchanging SIP MESSAGE with browsers
 * on the bridge, through a real Kamailio registrar and proxy, and straight to the bridge's listening point without
 * any proxy. The route uses {@code content: text}, so the phone shows the signaling as plain text.
 */
@Timeout(60)
class BaresipInteropTest {

    @RegisterExtension
    static final KamailioExtension KAMAILIO = new KamailioExtension();

    @Test
    void exchangesMessagesWithARegisteredBaresipThroughKamailio() throws Exception {
        String yaml = """
                bridge:
                  shutdown-grace: 1s
                adapters:
                  sip:
                    type: sip
                    listen-port: ${PORT}
                    domain: localhost
                    proxy: 127.0.0.1:${KPORT}
                    username: bridge
                    request-timeout: 5s
                routes:
                  - match: "*"
                    to: sip
                    target: sip:carol@localhost
                    options: {content: text}
                """;
        try (Baresip carol = Baresip.throughRegistrar("carol", KAMAILIO.server().port(), "sip:room1@localhost");
             SipBridge bridge = SipBridge.start(yaml, Map.of("PORT", Integer.toString(FreePorts.tcpAndUdp()),
                     "KPORT", Integer.toString(KAMAILIO.server().port())))) {
            carol.awaitRegistered(WAIT);
            RecordingEndpoint browser = bridge.browser("browser-1", "room1");

            bridge.publish(browser, "room1", "\"hello phone\"");
            String shown = carol.awaitMessage("hello phone", WAIT);
            assertTrue(shown.startsWith("sip:browser-1@localhost"), "from the browser's URI: " + shown);

            carol.message("hello browser");
            Envelope got = browser.envelopes().next(WAIT);
            assertEquals("room1", got.channel());
            assertEquals("\"carol\"", got.sender().json());
            assertEquals("\"hello browser\"", got.message().json());
            browser.failures().expectNothing(Duration.ofMillis(300));
        }
    }

    @Test
    void exchangesMessagesWithBaresipStraightToTheBridgeWithoutAProxy() throws Exception {
        int bridgePort = FreePorts.tcpAndUdp();
        String yaml = """
                bridge:
                  shutdown-grace: 1s
                adapters:
                  sip:
                    type: sip
                    listen-port: ${PORT}
                    domain: localhost
                    request-timeout: 3s
                routes:
                  - match: "*"
                    to: sip
                    target: none
                    options: {content: text}
                """;
        try (Baresip carol = Baresip.direct("carol", "sip:room2@127.0.0.1:" + bridgePort);
             SipBridge bridge = SipBridge.start(yaml, Map.of("PORT", Integer.toString(bridgePort)))) {
            RecordingEndpoint browser = bridge.browser("browser-2", "room2");

            carol.message("hello bridge"); // no member yet: the phone joins the channel by writing to it
            Envelope got = browser.envelopes().next(WAIT);
            assertEquals("room2", got.channel());
            assertEquals("\"carol\"", got.sender().json());
            assertEquals("\"hello bridge\"", got.message().json());

            bridge.publish(browser, "room2", "{\"type\":\"answer\"}");
            String shown = carol.awaitMessage("{\"type\":\"answer\"}", WAIT);
            assertTrue(shown.startsWith("sip:browser-2@localhost"), shown);
            Poll.until("the phone's 200 counted", WAIT, () -> bridge.sip().stats().messagesSent().sum() == 1);
            assertEquals(0, bridge.sip().stats().sendFailures().sum(), "the answer went to the phone's AOR only");
            browser.failures().expectNothing(Duration.ofMillis(300));
        }
    }
}
