package org.sigbridge.interop.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.interop.sip.SipBridge.WAIT;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.sigbridge.testkit.peers.ScratchDir;

/**
 * The bridge's SIP leg to Kamailio 5.6 over TLS (RFC 3261 §26.2; Debian {@code kamailio-tls-modules}), with a test CA
 * made here by {@code openssl}: a {@code sips:} route target sends each MESSAGE over TLS to Kamailio, which presents
 * a certificate the CA issued and relays it to a second bridge registered over UDP; and a Kamailio presenting a
 * certificate the CA did not issue is refused, the sender told by envelope id. docs/interop.md §3.
 */
@Timeout(90)
class KamailioTlsInteropTest {

    private static ScratchDir dir;
    private static KamailioServer trusted;
    private static KamailioServer rogue;
    private static SipBridge sender;
    private static SipBridge receiver;

    @BeforeAll
    static void start() throws Exception {
        dir = ScratchDir.create("sigbridge-sip-tls-");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key",
                "-out", "ca.pem", "-days", "2", "-subj", "/CN=sigbridge test CA");
        Files.writeString(dir.resolve("leaf.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "kamailio.key",
                "-out", "kamailio.csr", "-subj", "/CN=localhost");
        openssl("x509", "-req", "-in", "kamailio.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "kamailio.pem", "-days", "2", "-extfile", "leaf.ext");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "rogue.key",
                "-out", "rogue.pem", "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        // the bridge's own TLS listening point presents the CA-issued certificate too; it trusts the CA only
        openssl("pkcs12", "-export", "-inkey", "kamailio.key", "-in", "kamailio.pem", "-out", "bridge.p12", "-passout", "pass:changeit");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            trust.setCertificateEntry("test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve("trust.p12"))) {
            trust.store(out, "changeit".toCharArray());
        }

        trusted = KamailioServer.builder().tls(dir.resolve("kamailio.pem"), dir.resolve("kamailio.key")).start();
        rogue = KamailioServer.builder().tls(dir.resolve("rogue.pem"), dir.resolve("rogue.key")).start();
        receiver = SipBridge.start("""
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
                """, Map.of("PORT", Integer.toString(FreePorts.tcpAndUdp()), "KPORT", Integer.toString(trusted.port())));
        sender = SipBridge.start("""
                bridge:
                  name: sender
                  shutdown-grace: 1s
                adapters:
                  sip:
                    type: sip
                    listen-port: ${PORT}
                    domain: localhost
                    request-timeout: 3s
                    tls:
                      port: ${TLS_PORT}
                      key-store: ${DIR}/bridge.p12
                      key-store-password: changeit
                      trust-store: ${DIR}/trust.p12
                      trust-store-password: changeit
                routes:
                  - regex: "^good-.*"
                    to: sip
                    target: "sips:{channel}@127.0.0.1:${GOOD}"
                  - regex: "^rogue-.*"
                    to: sip
                    target: "sips:{channel}@127.0.0.1:${ROGUE}"
                """, Map.of("PORT", Integer.toString(FreePorts.tcpAndUdp()), "TLS_PORT", Integer.toString(FreePorts.tcpAndUdp()),
                "DIR", dir.path().toString(), "GOOD", Integer.toString(trusted.tlsPort()), "ROGUE", Integer.toString(rogue.tlsPort())));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {sender, receiver, trusted, rogue, dir::close}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("closing: " + e);
            }
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
        Poll.until("Kamailio logged the MESSAGE as received over TLS", WAIT, Duration.ofMillis(50), () -> log(trusted).lines()
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
        assertTrue(log(rogue).lines().noneMatch(l -> l.contains("REQ MESSAGE")), "nothing reached the rogue Kamailio");
        // and the leg says so in readiness, naming the setting to change (the good route's peer is not affected)
        LegState down = sender.awaitLeg(s -> s.status() == LegState.Status.DOWN, "DOWN (untrusted TLS peer)");
        assertTrue(down.detail().contains("the certificate of TLS peer 127.0.0.1:" + rogue.tlsPort() + " is not trusted"), down.detail());
        assertTrue(down.detail().contains("tls.trust-store"), down.detail());
    }

    private static String log(KamailioServer server) throws Exception {
        return Files.readString(server.directory().resolve("kamailio.log"));
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.path().toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl " + String.join(" ", args) + ":\n" + output);
    }
}
