package org.sigbridge.interop.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.interop.sip.SipBridge.WAIT;

import ch.qos.logback.classic.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.ops.Readiness;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.KamailioServer;
import org.sigbridge.testkit.peers.TlsMaterial;

/**
 * The SIP leg over TLS to a Kamailio whose certificate the trusted test CA issued for another host
 * ({@code other.example}; the route target dials {@code 127.0.0.1}): refused by the name check of RFC 5922 §7.3
 * ({@code org.sigbridge.sip.stack.TlsNameCheck}; JAIN-SIP checks no names itself), nothing reaches Kamailio, and the
 * sender is told by envelope id why (docs/reliability.md, "Security checks"). The leg goes DOWN with one line naming what
 * to change ({@code /readyz} says it), logged once however often the failure recurs and without a stack trace; when the
 * peer is given a certificate naming 127.0.0.1 (Kamailio restarted on the same port), the adapter's OPTIONS probe over
 * TLS finds it by itself and the leg is READY again. The good case from the start is {@code KamailioTlsInteropTest}.
 */
@Timeout(90)
class KamailioTlsWrongNameTest {

    private static TlsFixture tls;
    private static TlsMaterial.Pem presented;
    private static TlsMaterial.Pem good;
    private static KamailioServer misnamed;
    private static SipBridge sender;

    @BeforeAll
    static void start() throws Exception {
        tls = TlsFixture.create("sigbridge-sip-tls-name-");
        TlsMaterial certs = tls.material();
        TlsMaterial.Pem ca = certs.authority("ca");
        presented = certs.issue(ca, "kamailio", "other.example", "DNS:other.example");
        good = certs.issue(ca, "good", "127.0.0.1", "IP:127.0.0.1");
        // the bridge's own TLS listening point: a certificate of the same CA; it trusts the CA only
        Path keyStore = certs.keyStore("bridge", presented);
        Path trustStore = certs.trustStore("trust", ca);
        misnamed = tls.kamailio(presented);
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
                Map.of("PORT", Integer.toString(FreePorts.tcpAndUdp()), "TARGET", Integer.toString(misnamed.tlsPort()))));
    }

    @AfterAll
    static void stop() {
        if (tls != null) {
            tls.close();
        }
    }

    @Test
    void refusesATrustedCertificateIssuedForAnotherHostAndTellsTheSenderById() throws Exception {
        LogCapture logs = LogCapture.start();
        try {
            RecordingEndpoint here = sender.browser("browser-near", "named-1");
            for (int i = 0; i < 2; i++) { // twice: the second failure is told to its sender, and logged no more
                Envelope sent = sender.publish(here, "named-1", "{\"over\":\"tls\"}");
                DeliveryFailure failure = here.failures().next(WAIT);
                assertEquals(sent.id(), failure.envelopeId());
                System.out.println("misnamed certificate: " + failure.code().wire() + ": " + failure.detail());
                assertEquals(ErrorCode.UPSTREAM_UNAVAILABLE, failure.code(), failure.detail());
                assertTrue(failure.detail().contains("does not name 127.0.0.1") && failure.detail().contains("other.example"),
                        failure.detail());
            }
            String log = TlsFixture.log(misnamed);
            assertTrue(log.lines().noneMatch(l -> l.contains("REQ MESSAGE")), "nothing reached the misnamed Kamailio");

            LegState down = sender.awaitLeg(s -> s.status() == LegState.Status.DOWN, "DOWN (wrong name)");
            assertTrue(down.detail().contains("does not name 127.0.0.1") && down.detail().contains("route target"), down.detail());
            Readiness readiness = Readiness.of(List.copyOf(sender.hub().ops().legStates().values()), false);
            assertFalse(readiness.ready());
            assertTrue(readiness.json().contains("does not name 127.0.0.1"), readiness.json());

            misnamed.stop(); // the same port, a certificate naming 127.0.0.1: the probe finds it without any envelope
            good.copyOver(presented);
            misnamed.start();
            sender.awaitLeg(s -> s.status() == LegState.Status.READY, "READY again");
            assertTrue(Readiness.of(List.copyOf(sender.hub().ops().legStates().values()), false).ready());
        } finally {
            logs.close();
        }
        assertEquals(List.of(), logs.withStackTrace(Level.INFO), "a stack trace above DEBUG");
        List<String> warnings = logs.messages(Level.WARN);
        assertEquals(1, warnings.size(), "one warning for the one cause: " + warnings);
        assertTrue(warnings.get(0).startsWith("org.sigbridge.hub.LegStates sip: down (the certificate of TLS peer"), warnings.get(0));
    }
}
