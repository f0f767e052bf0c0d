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
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.Linphone;

/**
 * The console softphone linphonec 5.1 (Debian {@code linphone-cli}, headless: commands on its stdin), registered
 * at a real Kamailio, exchanging SIP MESSAGE with a browser on the bridge. The route uses {@code content: text}.
 */
@Timeout(60)
class LinphoneInteropTest {

    @RegisterExtension
    static final KamailioExtension KAMAILIO = new KamailioExtension();

    @Test
    void exchangesMessagesWithARegisteredLinphoneThroughKamailio() throws Exception {
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
                    target: sip:eve@localhost
                    options: {content: text}
                """;
        try (Linphone eve = Linphone.throughRegistrar("eve", KAMAILIO.server().port());
             SipBridge bridge = SipBridge.start(yaml, Map.of("PORT", Integer.toString(FreePorts.tcpAndUdp()),
                     "KPORT", Integer.toString(KAMAILIO.server().port())))) {
            eve.awaitRegistered(WAIT);
            RecordingEndpoint browser = bridge.browser("browser-4", "room4");

            bridge.publish(browser, "room4", "\"hello linphone\"");
            String shown = eve.awaitMessage("hello linphone", WAIT);
            assertTrue(shown.contains("sip:browser-4@localhost"), "from the browser's URI: " + shown);

            eve.chat("sip:room4@localhost", "hello browser");
            Envelope got = browser.envelopes().next(WAIT);
            assertEquals("room4", got.channel());
            assertEquals("\"eve\"", got.sender().json());
            assertEquals("\"hello browser\"", got.message().json());
            browser.envelopes().expectNothing(Duration.ofMillis(500)); // no receipt or is-composing notice as an envelope
            assertEquals(0, bridge.sip().stats().sendFailures().sum());
        }
    }
}
