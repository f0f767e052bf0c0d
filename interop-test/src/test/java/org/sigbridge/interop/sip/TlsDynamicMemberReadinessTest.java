package org.sigbridge.interop.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.interop.sip.SipBridge.WAIT;

import ch.qos.logback.classic.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.ops.Readiness;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.LegState;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.KamailioServer;
import org.sigbridge.testkit.peers.TlsMaterial;
import org.sigbridge.testkit.sip.SipTransport;
import org.sigbridge.testkit.sip.SipUserAgent;

/**
 * SIP readiness counts only the peers the configuration names (docs/operations.md, readiness): without an outbound
 * proxy, a dynamic member (a user agent that wrote to a channel) whose Contact is a {@code sips:} URI at a TLS peer with
 * a certificate the bridge does not trust gets no MESSAGE, and each sender is told by envelope id, but the leg stays
 * READY and {@code /readyz} 200: one user agent must not fail the bridge. The failure is logged once (one WARN line
 * naming the peer and the fix), and once the member expires ({@code member-ttl}) the peer is no longer probed.
 *
 * <p>Peers: a JAIN-SIP user agent (testkit's) writes to the channel over UDP with Contact {@code sips:ua@127.0.0.1:P},
 * where P is the TLS port of a real Kamailio presenting a self-signed certificate, the member's TLS endpoint. The case
 * where a configured route target fails, and readiness says so, is {@code KamailioTlsInteropTest}.
 */
@Timeout(90)
class TlsDynamicMemberReadinessTest {

    private static final String CHANNEL = "dyn-1";
    private static TlsFixture tls;
    private static KamailioServer rogue;
    private static SipBridge bridge;
    private static SipUserAgent ua;
    private static int bridgePort;

    @BeforeAll
    static void start() throws Exception {
        tls = TlsFixture.create("sigbridge-sip-tls-dyn-");
        TlsMaterial certs = tls.material();
        TlsMaterial.Pem ca = certs.authority("ca");
        Path keyStore = certs.keyStore("bridge", certs.issue(ca, "bridge", "127.0.0.1", "IP:127.0.0.1"));
        // the member's TLS endpoint: self-signed, so not trusted by the bridge (which trusts the test CA only)
        TlsMaterial.Pem rogueCertificate = certs.selfSigned("rogue", "127.0.0.1", "IP:127.0.0.1");
        Path trustStore = certs.trustStore("trust", ca);
        rogue = tls.kamailio(rogueCertificate);
        bridgePort = FreePorts.tcpAndUdp();
        bridge = tls.own(SipBridge.start("""
                bridge:
                  name: dynamic
                  shutdown-grace: 1s
                adapters:
                  sip:
                    type: sip
                    listen-port: ${PORT}
                    domain: localhost
                    request-timeout: 3s
                    register-backoff-cap: 1s
                    member-ttl: 2s
                %sroutes:
                  - match: "*"
                    to: sip
                    target: none
                """.formatted(TlsFixture.bridgeTls(FreePorts.tcpAndUdp(), keyStore, trustStore)),
                Map.of("PORT", Integer.toString(bridgePort))));
        ua = tls.own(SipUserAgent.start("ua", bridgePort)); // its MESSAGEs go straight to the bridge
    }

    @AfterAll
    static void stop() {
        if (tls != null) {
            tls.close();
        }
    }

    @Test
    void aDynamicSipsMemberWithABadCertificateIsReportedToSendersButLeavesTheLegReadyAndIsDroppedWhenItExpires() throws Exception {
        LogCapture logs = LogCapture.start();
        String peer = "127.0.0.1:" + rogue.tlsPort();
        try {
            RecordingEndpoint browser = bridge.browser("browser-dyn", CHANNEL);
            assertEquals(200, ua.sendMessageToUri("sip:" + CHANNEL + "@127.0.0.1:" + bridgePort, "application/json",
                    "{\"hello\":\"from a sips contact\"}", SipTransport.UDP, "sips:ua@" + peer, WAIT));
            assertEquals("{\"hello\":\"from a sips contact\"}", browser.envelopes().next(WAIT).message().json());

            for (int i = 0; i < 2; i++) { // twice: each sender is told; the failure is logged once
                Envelope sent = bridge.publish(browser, CHANNEL, "{\"n\":" + i + "}");
                DeliveryFailure failure = browser.failures().next(WAIT);
                assertEquals(sent.id(), failure.envelopeId());
                assertEquals(ErrorCode.UPSTREAM_UNAVAILABLE, failure.code(), failure.detail());
                assertTrue(failure.detail().contains("the certificate of TLS peer " + peer + " is not trusted"), failure.detail());
            }
            // The second failure was reported after the adapter's worker had handled the first (one worker thread, and
            // the second MESSAGE was sent on it after the first failure was handed to it): the leg has seen it.
            LegState now = bridge.hub().ops().legStates().get("sip");
            assertEquals(LegState.Status.READY, now.status(), "a dynamic member's TLS failure must not make the leg DOWN: " + now);
            assertTrue(Readiness.of(List.copyOf(bridge.hub().ops().legStates().values()), false).ready(), "/readyz 200");

            Poll.until("the member expired and its TLS peer is no longer probed", WAIT, Duration.ofMillis(50),
                    () -> logs.messages(Level.INFO).stream().anyMatch(m -> m.contains("TLS peer " + peer + " no longer probed")),
                    dropped -> dropped);
            assertEquals(LegState.Status.READY, bridge.hub().ops().legStates().get("sip").status());
        } finally {
            logs.close();
        }
        List<String> warnings = logs.messages(Level.WARN);
        System.out.println("dynamic member's TLS failure: " + warnings);
        assertEquals(1, warnings.size(), "one warning for the one failing member: " + warnings);
        assertTrue(warnings.get(0).contains("TLS peer " + peer + " is a channel member") && warnings.get(0).contains("tls.trust-store"),
                warnings.get(0));
        assertTrue(TlsFixture.log(rogue).lines().noneMatch(l -> l.contains("REQ MESSAGE")),
                "nothing reached the member's untrusted TLS endpoint");
    }
}
