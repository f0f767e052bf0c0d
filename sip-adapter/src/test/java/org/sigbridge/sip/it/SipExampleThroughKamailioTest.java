package org.sigbridge.sip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.config.BridgeConfig;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.EnvelopeJson;
import org.sigbridge.sip.config.WebStandIn;
import org.sigbridge.spi.AdapterSettings;
import org.sigbridge.spi.LegState;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.sip.ReceivedSipMessage;
import org.sigbridge.testkit.sip.SipTransport;
import org.sigbridge.testkit.sip.SipUserAgent;

/**
 * conf/examples/sip.yml itself (its sip section and routes; recording browsers stand in for the web
 * adapter, which has its own tests) against a real Kamailio and a registered UA.
 */
class SipExampleThroughKamailioTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final KamailioExtension kamailio = new KamailioExtension();

    private BridgeUnderTest example(Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("SIP_LISTEN_PORT", Integer.toString(FreePorts.tcpAndUdp()),
                "SIP_DOMAIN", "localhost", "SIP_PROXY", "127.0.0.1:" + kamailio.server().port()));
        env.putAll(extra);
        BridgeConfig full = new ConfigLoader(WebStandIn.with(ConfigLoader.installedFactories()), env::get)
                .load(Path.of("../conf/examples/sip.yml"));
        Map<String, AdapterSettings> sipOnly = new LinkedHashMap<>(full.adapters());
        sipOnly.remove("web");
        BridgeUnderTest bridge = BridgeUnderTest.start(new BridgeConfig(full.source(), full.bridge(), sipOnly, full.routes(), full.logging()));
        bridge.awaitLeg(LegState.Status.READY, WAIT);
        return bridge;
    }

    @Test
    void exchangesSignalingWithARegisteredUaBothWaysWithOnlyAProxySet() throws Exception {
        try (BridgeUnderTest bridge = example(Map.of()); SipUserAgent alice = SipUserAgent.start("alice", kamailio.server().port())) {
            assertEquals(200, alice.register(SipTransport.UDP, WAIT));
            RecordingEndpoint browser = bridge.registeredBrowser("room1", WAIT);
            assertEquals(200, alice.sendMessage("room1", "application/json", "{\"type\":\"offer\"}", SipTransport.UDP, WAIT));
            Envelope offer = browser.envelopes().next(WAIT);
            assertEquals("{\"type\":\"offer\"}", offer.message().json());
            Envelope answer = bridge.publish(browser, "room1", "{\"type\":\"answer\"}");
            ReceivedSipMessage got = alice.awaitMessage(WAIT);
            assertEquals(EnvelopeJson.write(answer), got.body());
            browser.failures().expectNothing(Duration.ofMillis(500));
        }
    }

    @Test
    void registersTheUsernameAndSpeaksTextWhenAsked() throws Exception {
        try (BridgeUnderTest bridge = example(Map.of("SIP_USERNAME", "bridge", "SIP_CONTENT", "text",
                "SIP_TARGET", "sip:alice@localhost"));
             SipUserAgent alice = SipUserAgent.start("alice", kamailio.server().port())) {
            assertTrue(bridge.sip().describe().get(0).contains("registered as bridge@localhost"), bridge.sip().describe().get(0));
            assertEquals(200, alice.register(SipTransport.UDP, WAIT));
            RecordingEndpoint browser = bridge.registeredBrowser("room1", WAIT);
            bridge.publish(browser, "room1", "\"hello phone\"");
            ReceivedSipMessage got = alice.awaitMessage(WAIT);
            assertEquals("text/plain", got.contentType());
            assertEquals("hello phone", got.body());
            assertEquals(200, alice.sendMessage("room1", "hello browser", SipTransport.UDP, WAIT));
            assertEquals("\"hello browser\"", browser.envelopes().next(WAIT).message().json());
        }
    }
}
