package org.sigbridge.interop.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.interop.sip.SipBridge.WAIT;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.LegState;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.KamailioServer;
import org.sigbridge.testkit.peers.TlsMaterial;

/**
 * The bridge's SIP leg to Kamailio 5.6 over TLS (RFC 3261 §26.2; Debian {@code kamailio-tls-modules}), with a test CA
 * made here by {@code openssl}: a {@code sips:} route target sends each MESSAGE over TLS to Kamailio, which presents
 * a certificate the CA issued and relays it to a second bridge registered over UDP; and a Kamailio presenting a
 * certificate the CA did not issue is refused, the sender told by envelope id. docs/interop.md §3.
 */
@Timeout(90)
class KamailioTlsInteropTest {

    private static TlsFixture tls;
    private static KamailioServer trusted;
    private static KamailioServer rogue;
    private static SipBridge sender;
    private static SipBridge receiver;

    @BeforeAll
    static void start() throws Exception {
        tls = TlsFixture.create("sigbridge-sip-tls-");
        TlsMaterial certs = tls.material();
        TlsMaterial.Pem ca = certs.authority("ca");
        TlsMaterial.Pem kamailio = certs.issue(ca, "kamailio", "localhost", "DNS:localhost", "IP:127.0.0.1");
        TlsMaterial.Pem rogueCertificate = certs.selfSigned("rogue", "localhost", "DNS:localhost", "IP:127.0.0.1");
        // the bridge's own TLS listening point presents the CA-issued certificate too; it trusts the CA only
        Path keyStore = certs.keyStore("bridge", kamailio);
        Path trustStore = certs.trustStore("trust", ca);

        trusted = tls.kamailio(kamailio);
        rogue = tls.kamailio(rogueCertificate);
        receiver = tls.own(SipBridge.start("""
                bridge:
                  name: receiver
                  shutdown-grace: 1s
                adapters:
                  sip:
                    type: sip
                    listen-port: ${PORT}
                    domain: localhost
                    proxy: 127.0.0.1:${KPORT}
                routes:
                  - match: "*"
                    to: sip
                """, Map.of("PORT", Integer.toString(FreePorts.tcpAndUdp()), "KPORT", Integer.toString(trusted.port()))));
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
                %sroutes:
                  - regex: "^good-.*"
                    to: sip
                    target: "sips:{channel}@127.0.0.1:${GOOD}"
                  - regex: "^rogue-.*"
                    to: sip
                    target: "sips:{channel}@127.0.0.1:${ROGUE}"
                """.formatted(TlsFixture.bridgeTls(FreePorts.tcpAndUdp(), keyStore, trustStore)),
                Map.of("PORT", Integer.toString(FreePorts.tcpAndUdp()),
                        "GOOD", Integer.toString(trusted.tlsPort()), "ROGUE", Integer.toString(rogue.tlsPort()))));
    }

    @AfterAll
    static void stop() {
        if (tls != null) {
            tls.close();
        }
    }

    @Test
    void sendsAMessageOverTlsToAKamailioWhoseCertificateTheTestCaIssued() throws Exception {
        RecordingEndpoint there = receiver.browser("browser-far", "good-1"); // registered at Kamailio over UDP
        RecordingEndpoint here = sender.browser("browser-near", "good-1");

        Envelope sent = sender.publish(here, "good-1", "{\"over\":\"tls\"}");
        Envelope got = there.envelopes().next(WAIT);
        assertEquals(sent.id(), got.id());
        assertEquals("{\"over\":\"tls\"}", got.message().json());
        Poll.until("Kamailio logged the MESSAGE as received over TLS", WAIT, Duration.ofMillis(50), () -> TlsFixture.log(trusted).lines()
                .anyMatch(l -> l.contains("REQ MESSAGE sips:good-1@") && l.contains("/tls len=")), over -> over);
        assertEquals(List.of(), here.failures().drain());
    }

    @Test
    void refusesAKamailioWhoseCertificateTheTestCaDidNotIssueAndTellsTheSenderById() throws Exception {
        RecordingEndpoint here = sender.browser("browser-rogue", "rogue-1");
        Envelope sent = sender.publish(here, "rogue-1", "{\"over\":\"tls\"}");

        DeliveryFailure failure = here.failures().next(WAIT);
        assertEquals(sent.id(), failure.envelopeId());
        System.out.println("rogue certificate: " + failure.code().wire() + ": " + failure.detail());
        assertTrue(failure.detail().toLowerCase(java.util.Locale.ROOT).contains("certificate"), failure.code() + ": " + failure.detail());
        assertTrue(TlsFixture.log(rogue).lines().noneMatch(l -> l.contains("REQ MESSAGE")), "nothing reached the rogue Kamailio");
        // and the leg says so in readiness, naming the setting to change (the good route's peer is not affected)
        LegState down = sender.awaitLeg(s -> s.status() == LegState.Status.DOWN, "DOWN (untrusted TLS peer)");
        assertTrue(down.detail().contains("the certificate of TLS peer 127.0.0.1:" + rogue.tlsPort() + " is not trusted"), down.detail());
        assertTrue(down.detail().contains("tls.trust-store"), down.detail());
    }

}
