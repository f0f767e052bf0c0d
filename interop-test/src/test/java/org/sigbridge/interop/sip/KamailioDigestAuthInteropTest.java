package org.sigbridge.interop.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sigbridge.interop.sip.SipBridge.WAIT;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.peers.Baresip;
import org.sigbridge.testkit.peers.FreePorts;

/**
 * Kamailio as a registrar that demands digest authentication (RFC 3261 §22) of every REGISTER: the bridge (its
 * own AOR and each channel's) and a real softphone, baresip, both answer the challenge, and MESSAGE then flows both
 * ways; a phone with the wrong password is refused.
 */
@Timeout(60)
class KamailioDigestAuthInteropTest {

    private static final String PASSWORD = "s3cret";

    @RegisterExtension
    static final KamailioExtension KAMAILIO = new KamailioExtension(b -> b.digestAuth(PASSWORD));

    @Test
    void theBridgeAndBaresipBothAuthenticateAndExchangeMessages() throws Exception {
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
                    password: ${SIP_PASSWORD}
                    request-timeout: 5s
                routes:
                  - match: "*"
                    to: sip
                    target: sip:carol@localhost
                    options: {content: text}
                """;
        try (Baresip carol = Baresip.throughRegistrar("carol", KAMAILIO.server().port(), "sip:room5@localhost", PASSWORD);
             Baresip mallory = Baresip.throughRegistrar("mallory", KAMAILIO.server().port(), "sip:room5@localhost", "wrong");
             SipBridge bridge = SipBridge.start(yaml, Map.of("PORT", Integer.toString(FreePorts.tcpAndUdp()),
                     "KPORT", Integer.toString(KAMAILIO.server().port()), "SIP_PASSWORD", PASSWORD))) {
            carol.awaitRegistered(WAIT);
            mallory.awaitOutput("sip:mallory@localhost: 401 Unauthorized", WAIT); // refused: it never registers
            RecordingEndpoint browser = bridge.browser("browser-5", "room5"); // waits for the channel's REGISTER

            bridge.publish(browser, "room5", "\"hello carol\"");
            carol.awaitMessage("hello carol", WAIT);
            carol.message("hello browser");
            Envelope got = browser.envelopes().next(WAIT);
            assertEquals("\"carol\"", got.sender().json());
            assertEquals("\"hello browser\"", got.message().json());
        }
    }
}
