package org.sigbridge.interop.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.interop.sip.SipBridge.WAIT;

import ch.qos.logback.classic.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.KamailioServer;
import org.sigbridge.testkit.peers.TlsMaterial;

/**
 * A TLS peer that refuses the handshake, as opposed to one whose certificate the bridge refuses
 * ({@code KamailioTlsInteropTest}, {@code KamailioTlsWrongNameTest}): a real Kamailio whose tls module requires a client
 * certificate issued by a CA the bridge's {@code tls.key-store} certificate does not come from
 * ({@code verify_certificate}, {@code require_certificate}, {@code ca_list}). The route target's MESSAGE fails at once,
 * the sender told by envelope id; the leg goes DOWN with one line naming what to change ({@code /readyz} says it),
 * logged once, without a stack trace above DEBUG; when Kamailio is restarted trusting the CA that issued the bridge's
 * certificate, the adapter's OPTIONS probe finds it and the leg is READY again (docs/reliability.md, security checks).
 */
@Timeout(90)
class KamailioTlsHandshakeRefusedTest {

    private static TlsFixture tls;
    private static TlsMaterial.Pem ca;
    private static Path clients;
    private static KamailioServer strict;
    private static SipBridge sender;

    @BeforeAll
    static void start() throws Exception {
        tls = TlsFixture.create("sigbridge-sip-tls-refused-");
        TlsMaterial certs = tls.material();
        ca = certs.authority("ca");
        TlsMaterial.Pem otherCa = certs.authority("other-ca");
        TlsMaterial.Pem kamailio = certs.issue(ca, "kamailio", "127.0.0.1", "IP:127.0.0.1");
        TlsMaterial.Pem bridge = certs.issue(ca, "bridge", "127.0.0.1", "IP:127.0.0.1");
        Path keyStore = certs.keyStore("bridge", bridge);
        Path trustStore = certs.trustStore("trust", ca);
        // Kamailio accepts only client certificates of the other CA: the bridge's is refused in the handshake
        clients = certs.dir().resolve("clients.pem");
        Files.copy(otherCa.certificate(), clients);
        strict = tls.kamailio(kamailio, k -> k.tlsMethod("TLSv1.2").requireClientCertificate(clients));
        sender = tls.own(SipBridge.start("""
                bridge:
                  name: sender
                  shutdown-grace: 1s
                adapters:
                  sip:
                    type: sip
                    listen-port: ${PORT}
                    domain: localhost
                    request-timeout: 3s
                    register-backoff-cap: 1s
                %sroutes:
                  - match: "*"
                    to: sip
                    target: "sips:{channel}@127.0.0.1:${TARGET}"
                """.formatted(TlsFixture.bridgeTls(FreePorts.tcpAndUdp(), keyStore, trustStore)),
                Map.of("PORT", Integer.toString(FreePorts.tcpAndUdp()), "TARGET", Integer.toString(strict.tlsPort()))));
    }

    @AfterAll
    static void stop() {
        if (tls != null) {
            tls.close();
        }
    }

    @Test
    void aPeerThatRefusesTheHandshakeIsToldToTheSenderByIdAndNamedInReadinessUntilItAcceptsTheBridge() throws Exception {
        LogCapture logs = LogCapture.start();
        String peer = "127.0.0.1:" + strict.tlsPort();
        try {
            RecordingEndpoint here = sender.browser("browser-near", "refused-1");
            for (int i = 0; i < 2; i++) { // twice: each sender is told, the cause logged once
                Envelope sent = sender.publish(here, "refused-1", "{\"over\":\"tls\"}");
                DeliveryFailure failure = here.failures().next(WAIT);
                assertEquals(sent.id(), failure.envelopeId());
                System.out.println("handshake refused: " + failure.code().wire() + ": " + failure.detail());
                assertEquals(ErrorCode.UPSTREAM_UNAVAILABLE, failure.code(), failure.detail());
                assertTrue(failure.detail().contains("the TLS handshake with " + peer + " failed"), failure.detail() + "\n" + strict.logTail());
                assertTrue(failure.detail().contains("tls.key-store"), failure.detail());
            }
            LegState down = sender.awaitLeg(s -> s.status() == LegState.Status.DOWN, "DOWN (handshake refused)");
            assertTrue(down.detail().contains("the TLS handshake with " + peer + " failed") && down.detail().contains("tls.key-store"),
                    down.detail());
            Readiness readiness = Readiness.of(List.copyOf(sender.hub().ops().legStates().values()), false);
            assertFalse(readiness.ready());
            assertTrue(readiness.json().contains("the TLS handshake with " + peer + " failed"), readiness.json());
            assertTrue(TlsFixture.log(strict).lines().noneMatch(l -> l.contains("REQ MESSAGE")),
                    "nothing reached Kamailio");

            strict.stop(); // the fix: Kamailio trusts the CA that issued the bridge's certificate; the probe finds it
            Files.copy(ca.certificate(), clients, StandardCopyOption.REPLACE_EXISTING);
            strict.start();
            sender.awaitLeg(s -> s.status() == LegState.Status.READY, "READY again");
            assertTrue(Readiness.of(List.copyOf(sender.hub().ops().legStates().values()), false).ready());
        } finally {
            logs.close();
        }
        assertEquals(List.of(), logs.withStackTrace(Level.INFO), "a stack trace above DEBUG");
        List<String> warnings = logs.messages(Level.WARN);
        System.out.println("warnings: " + warnings);
        assertEquals(1, warnings.size(), "one warning for the one cause: " + warnings);
        assertTrue(warnings.get(0).startsWith("org.sigbridge.hub.LegStates sip: down (the TLS handshake with " + peer), warnings.get(0));
    }
}
