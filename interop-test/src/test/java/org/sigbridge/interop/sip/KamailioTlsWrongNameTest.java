package org.sigbridge.interop.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.interop.sip.SipBridge.WAIT;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
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
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.KamailioServer;
import org.sigbridge.testkit.peers.ScratchDir;

/**
 * The SIP leg over TLS to a Kamailio whose certificate the trusted test CA issued for another host
 * ({@code other.example}; the route target dials {@code 127.0.0.1}): refused by the name check of RFC 5922 §7.3
 * ({@code org.sigbridge.sip.stack.TlsNameCheck}; JAIN-SIP checks no names itself), nothing reaches Kamailio, and the
 * sender is told by envelope id why (docs/reliability.md, "Security checks"). The good case, a certificate naming
 * 127.0.0.1, is {@code KamailioTlsInteropTest}.
 */
@Timeout(90)
class KamailioTlsWrongNameTest {

    private static ScratchDir dir;
    private static KamailioServer misnamed;
    private static SipBridge sender;

    @BeforeAll
    static void start() throws Exception {
        dir = ScratchDir.create("sigbridge-sip-tls-name-");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key",
                "-out", "ca.pem", "-days", "2", "-subj", "/CN=sigbridge test CA");
        Files.writeString(dir.resolve("leaf.ext"), "subjectAltName=DNS:other.example\n");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "kamailio.key",
                "-out", "kamailio.csr", "-subj", "/CN=other.example");
        openssl("x509", "-req", "-in", "kamailio.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "kamailio.pem", "-days", "2", "-extfile", "leaf.ext");
        // the bridge's own TLS listening point: a certificate of the same CA; it trusts the CA only
        openssl("pkcs12", "-export", "-inkey", "kamailio.key", "-in", "kamailio.pem", "-out", "bridge.p12", "-passout", "pass:changeit");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            trust.setCertificateEntry("test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve("trust.p12"))) {
            trust.store(out, "changeit".toCharArray());
        }
        misnamed = KamailioServer.builder().tls(dir.resolve("kamailio.pem"), dir.resolve("kamailio.key")).start();
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
                  - match: "*"
                    to: sip
                    target: "sips:{channel}@127.0.0.1:${TARGET}"
                """, Map.of("PORT", Integer.toString(FreePorts.tcpAndUdp()), "TLS_PORT", Integer.toString(FreePorts.tcpAndUdp()),
                "DIR", dir.path().toString(), "TARGET", Integer.toString(misnamed.tlsPort())));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {sender, misnamed, dir::close}) {
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
    void refusesATrustedCertificateIssuedForAnotherHostAndTellsTheSenderById() throws Exception {
        RecordingEndpoint here = sender.browser("browser-near", "named-1");
        Envelope sent = sender.publish(here, "named-1", "{\"over\":\"tls\"}");

        DeliveryFailure failure = here.failures().next(WAIT);
        assertEquals(sent.id(), failure.envelopeId());
        System.out.println("misnamed certificate: " + failure.code().wire() + ": " + failure.detail());
        assertEquals(ErrorCode.UPSTREAM_UNAVAILABLE, failure.code(), failure.detail());
        assertTrue(failure.detail().contains("does not name 127.0.0.1") && failure.detail().contains("other.example"), failure.detail());
        String log = Files.readString(misnamed.directory().resolve("kamailio.log"));
        assertTrue(log.lines().noneMatch(l -> l.contains("REQ MESSAGE")), "nothing reached the misnamed Kamailio");
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.path().toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl " + String.join(" ", args) + ":\n" + output);
    }
}
