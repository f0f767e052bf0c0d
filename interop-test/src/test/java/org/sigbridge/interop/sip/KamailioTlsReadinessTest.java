package org.sigbridge.interop.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.interop.sip.SipBridge.WAIT;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.ops.Readiness;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.LegState;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.KamailioServer;
import org.sigbridge.testkit.peers.ScratchDir;
import org.slf4j.LoggerFactory;

/**
 * The SIP leg's readiness follows its TLS peers (docs/reliability.md, "Security checks"): one Kamailio on one TLS port
 * presents, in turn, a certificate the bridge's trust store does not trust, a trusted one issued for another name
 * ({@code other.example}; RFC 5922 §7.3), and a good one. Each failure fails the envelope by id, puts the leg DOWN with
 * one line naming what to change ({@code /readyz} says it), logged once per cause without a stack trace however often
 * it recurs; the adapter's OPTIONS probe over TLS then finds the next certificate by itself, and the leg is READY again
 * once the peer works.
 */
@Timeout(90)
class KamailioTlsReadinessTest {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private ScratchDir dir;

    @BeforeEach
    void capture() throws Exception {
        appender.start();
        root.addAppender(appender);
        dir = ScratchDir.create("sigbridge-sip-tls-ready-");
    }

    @AfterEach
    void release() {
        root.detachAppender(appender);
        dir.close();
    }

    @Test
    void untrustedThenMisnamedThenGoodCertificateTakesTheLegDownOncePerCauseAndBackToReady() throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key",
                "-out", "ca.pem", "-days", "2", "-subj", "/CN=sigbridge test CA");
        leaf("good", "DNS:localhost,IP:127.0.0.1");
        leaf("misnamed", "DNS:other.example");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "rogue.key",
                "-out", "rogue.pem", "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1");
        openssl("pkcs12", "-export", "-inkey", "good.key", "-in", "good.pem", "-out", "bridge.p12", "-passout", "pass:changeit");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            trust.setCertificateEntry("test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve("trust.p12"))) {
            trust.store(out, "changeit".toCharArray());
        }
        present("rogue");
        try (KamailioServer kamailio = KamailioServer.builder().tls(dir.resolve("kamailio.pem"), dir.resolve("kamailio.key")).start();
             SipBridge bridge = SipBridge.start("""
                     bridge:
                       name: tls-ready
                       shutdown-grace: 1s
                     adapters:
                       sip:
                         type: sip
                         listen-port: ${PORT}
                         domain: localhost
                         request-timeout: 3s
                         register-backoff-cap: 1s
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
                     "DIR", dir.path().toString(), "TARGET", Integer.toString(kamailio.tlsPort())))) {
            String peer = "127.0.0.1:" + kamailio.tlsPort();
            RecordingEndpoint page = bridge.browser("page", "tls-1");

            // 1. untrusted: the envelope fails by id, the leg goes DOWN naming the trust store; a second try changes nothing
            for (int i = 0; i < 2; i++) {
                Envelope sent = bridge.publish(page, "tls-1", "{\"try\":" + i + "}");
                DeliveryFailure failure = page.failures().next(WAIT);
                assertEquals(sent.id(), failure.envelopeId());
                assertTrue(failure.detail().contains("is not trusted"), failure.detail());
            }
            LegState untrusted = bridge.awaitLeg(s -> s.status() == LegState.Status.DOWN, "DOWN (untrusted)");
            System.out.println("untrusted: " + untrusted.detail());
            assertTrue(untrusted.detail().contains("the certificate of TLS peer " + peer + " is not trusted"), untrusted.detail());
            assertTrue(untrusted.detail().contains("tls.trust-store"), untrusted.detail());
            Readiness readiness = Readiness.of(List.copyOf(bridge.hub().ops().legStates().values()), false);
            assertFalse(readiness.ready());
            assertTrue(readiness.json().contains("is not trusted"), readiness.json());

            // 2. trusted but for another name: the probe finds it by itself
            kamailio.stop();
            present("misnamed");
            kamailio.start();
            LegState misnamed = bridge.awaitLeg(s -> s.status() == LegState.Status.DOWN && s.detail().contains("does not name"),
                    "DOWN (wrong name)");
            System.out.println("misnamed: " + misnamed.detail());
            assertTrue(misnamed.detail().contains("does not name 127.0.0.1") && misnamed.detail().contains("other.example"),
                    misnamed.detail());
            assertTrue(misnamed.detail().contains("route target"), misnamed.detail());

            // 3. a good certificate: READY again without any envelope sent
            kamailio.stop();
            present("good");
            kamailio.start();
            bridge.awaitLeg(s -> s.status() == LegState.Status.READY, "READY again");
            assertTrue(Readiness.of(List.copyOf(bridge.hub().ops().legStates().values()), false).ready());
        }

        List<ILoggingEvent> loud = appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO)).toList();
        for (ILoggingEvent e : loud) {
            assertNull(e.getThrowableProxy(), "a stack trace above DEBUG: " + e.getLoggerName() + " " + e.getFormattedMessage());
        }
        List<String> warnings = loud.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .filter(e -> !e.getLoggerName().startsWith("org.sigbridge.testkit"))
                .map(e -> e.getLoggerName() + " " + e.getFormattedMessage()).toList();
        assertEquals(2, warnings.size(), "one warning per cause: " + warnings);
        assertTrue(warnings.stream().allMatch(w -> w.startsWith("org.sigbridge.hub.LegStates sip: down (")), warnings.toString());
    }

    /** Makes Kamailio present {@code name}.pem/.key from its next start. */
    private void present(String name) throws Exception {
        Files.copy(dir.resolve(name + ".pem"), dir.resolve("kamailio.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve(name + ".key"), dir.resolve("kamailio.key"), StandardCopyOption.REPLACE_EXISTING);
    }

    private void leaf(String name, String subjectAltName) throws Exception {
        Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + subjectAltName + "\n");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", name + ".key",
                "-out", name + ".csr", "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
    }

    private void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.path().toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl " + String.join(" ", args) + ":\n" + output);
    }
}
