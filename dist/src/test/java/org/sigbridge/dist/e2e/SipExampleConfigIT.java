package org.sigbridge.dist.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.testkit.web.Frames.assertEnvelope;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.dist.SigbridgeProcess;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.sip.ReceivedSipMessage;
import org.sigbridge.testkit.sip.SipTransport;
import org.sigbridge.testkit.sip.SipUserAgent;
import org.sigbridge.testkit.web.Frames;
import org.sigbridge.testkit.web.WsClient;

/**
 * The operator's way in: the packaged jar with {@code --config conf/examples/sip.yml} and only the documented
 * environment variables exchanges MESSAGEs with a SIP user agent registered at Kamailio, for a browser
 * WebSocket, and un-registers on SIGTERM.
 */
@Timeout(60)
class SipExampleConfigIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    static final KamailioExtension KAMAILIO = new KamailioExtension();

    private SipUserAgent alice;

    @BeforeEach
    void registerAlice() {
        alice = SipUserAgent.start("alice", KAMAILIO.server().port());
        assertEquals(200, alice.register(SipTransport.UDP, WAIT));
    }

    @AfterEach
    void closeAlice() {
        alice.unregister(SipTransport.UDP, WAIT);
        alice.close();
    }

    private static Map<String, String> env(int web, int sip) {
        Map<String, String> env = new HashMap<>();
        env.put("SIGBRIDGE_WEB_PORT", Integer.toString(web));
        env.put("SIP_LISTEN_PORT", Integer.toString(sip));
        env.put("SIP_DOMAIN", KAMAILIO.server().domain());
        env.put("SIP_PROXY", "127.0.0.1:" + KAMAILIO.server().port());
        env.put("SIP_USERNAME", "bridge");
        env.put("SIP_TARGET", "sip:alice@localhost");
        return env;
    }

    private static SigbridgeProcess start(Map<String, String> env) throws Exception {
        Path logback = Path.of(SipExampleConfigIT.class.getResource("/e2e-logback.xml").toURI());
        SigbridgeProcess jar = SigbridgeProcess.start(env, List.of("-Dlogback.configurationFile=" + logback),
                "--config", "conf/examples/sip.yml");
        jar.awaitLine(l -> l.contains("ready in"), SigbridgeProcess.START);
        return jar;
    }

    @Test
    void exchangesJsonMessagesWithARegisteredUaForABrowser() throws Exception {
        int web = SigbridgeProcess.freeTcpPort();
        int sip = FreePorts.tcpAndUdp();
        try (SigbridgeProcess jar = start(env(web, sip));
             WsClient browser = WsClient.envelopeOn(web, "jar-room")) {
            assertTrue(jar.output().stream().anyMatch(l -> l.contains("listening on udp+tcp 127.0.0.1:" + sip)
                    && l.contains("registered as bridge@localhost")), "says where it listens and registers: " + jar.output());

            String offer = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\",\"n\":1.50}";
            browser.sendEnvelope("jar-offer", "browser-ann", "jar-room", offer);
            ReceivedSipMessage got = alice.awaitMessage(WAIT);
            assertEquals("application/json", got.contentType());
            Map<String, JsonValue> body = Frames.parse(got.body());
            assertEquals("\"jar-offer\"", body.get("id").json());
            assertEnvelope("browser-ann", "jar-room", offer, body);

            jar.awaitLine(l -> l.contains("registered") && l.contains("jar-room@localhost"), WAIT);
            assertEquals(200, alice.sendMessage("jar-room", "application/json", "{\"type\":\"answer\"}", SipTransport.UDP, WAIT));
            assertEnvelope("alice", "jar-room", "{\"type\":\"answer\"}", browser.nextEnvelope(WAIT));

            assertEquals(0, jar.terminate(Duration.ofSeconds(20)), String.join("\n", jar.output()));
            assertEquals(404, alice.sendMessage("jar-room", "text/plain", "still there?", SipTransport.UDP, WAIT),
                    "the channel's AOR was un-registered on SIGTERM");
        }
    }

    @Test
    void speaksPlainTextToAPhoneWithSipContentText() throws Exception {
        int web = SigbridgeProcess.freeTcpPort();
        Map<String, String> env = env(web, FreePorts.tcpAndUdp());
        env.put("SIP_CONTENT", "text");
        try (SigbridgeProcess jar = start(env);
             WsClient browser = WsClient.envelopeOn(web, "phone-room")) {
            browser.sendEnvelope("jar-text", "browser-ann", "phone-room", "\"call me ✓\"");
            ReceivedSipMessage got = alice.awaitMessage(WAIT);
            assertEquals("text/plain", got.contentType());
            assertEquals("call me ✓", got.body());

            jar.awaitLine(l -> l.contains("registered") && l.contains("phone-room@localhost"), WAIT);
            assertEquals(200, alice.sendMessage("phone-room", "on my way", SipTransport.UDP, WAIT));
            assertEnvelope("alice", "phone-room", "\"on my way\"", browser.nextEnvelope(WAIT));
        }
    }
}
