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
import org.sigbridge.testkit.peers.ScratchDir;
import org.slf4j.LoggerFactory;

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
        Files.writeString(dir.resolve("good.ext"), "subjectAltName=IP:127.0.0.1\n");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "good.key",
                "-out", "good.csr", "-subj", "/CN=127.0.0.1");
        openssl("x509", "-req", "-in", "good.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "good.pem", "-days", "2", "-extfile", "good.ext");
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
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        appender.start();
        root.addAppender(appender);
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
            String log = Files.readString(misnamed.directory().resolve("kamailio.log"));
            assertTrue(log.lines().noneMatch(l -> l.contains("REQ MESSAGE")), "nothing reached the misnamed Kamailio");

            LegState down = sender.awaitLeg(s -> s.status() == LegState.Status.DOWN, "DOWN (wrong name)");
            assertTrue(down.detail().contains("does not name 127.0.0.1") && down.detail().contains("route target"), down.detail());
            Readiness readiness = Readiness.of(List.copyOf(sender.hub().ops().legStates().values()), false);
            assertFalse(readiness.ready());
            assertTrue(readiness.json().contains("does not name 127.0.0.1"), readiness.json());

            misnamed.stop(); // the same port, a certificate naming 127.0.0.1: the probe finds it without any envelope
            Files.copy(dir.resolve("good.pem"), dir.resolve("kamailio.pem"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(dir.resolve("good.key"), dir.resolve("kamailio.key"), StandardCopyOption.REPLACE_EXISTING);
            misnamed.start();
            sender.awaitLeg(s -> s.status() == LegState.Status.READY, "READY again");
            assertTrue(Readiness.of(List.copyOf(sender.hub().ops().legStates().values()), false).ready());
        } finally {
            root.detachAppender(appender);
        }
        List<ILoggingEvent> loud = appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO)).toList();
        for (ILoggingEvent e : loud) {
            assertNull(e.getThrowableProxy(), "a stack trace above DEBUG: " + e.getLoggerName() + " " + e.getFormattedMessage());
        }
        List<String> warnings = loud.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getLoggerName() + " " + e.getFormattedMessage()).toList();
        assertEquals(1, warnings.size(), "one warning for the one cause: " + warnings);
        assertTrue(warnings.get(0).startsWith("org.sigbridge.hub.LegStates sip: down (the certificate of TLS peer"), warnings.get(0));
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.path().toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl " + String.join(" ", args) + ":\n" + output);
    }
}
