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
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.LegState;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.KamailioServer;
import org.sigbridge.testkit.peers.ScratchDir;
import org.slf4j.LoggerFactory;

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

    private static ScratchDir dir;
    private static KamailioServer strict;
    private static SipBridge sender;

    @BeforeAll
    static void start() throws Exception {
        dir = ScratchDir.create("sigbridge-sip-tls-refused-");
        for (String ca : List.of("ca", "other-ca")) {
            openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", ca + ".key",
                    "-out", ca + ".pem", "-days", "2", "-subj", "/CN=sigbridge " + ca);
        }
        Files.writeString(dir.resolve("leaf.ext"), "subjectAltName=IP:127.0.0.1\n");
        for (String leaf : List.of("kamailio", "bridge")) {
            openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", leaf + ".key",
                    "-out", leaf + ".csr", "-subj", "/CN=127.0.0.1");
            openssl("x509", "-req", "-in", leaf + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", leaf + ".pem", "-days", "2", "-extfile", "leaf.ext");
        }
        openssl("pkcs12", "-export", "-inkey", "bridge.key", "-in", "bridge.pem", "-out", "bridge.p12", "-passout", "pass:changeit");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            trust.setCertificateEntry("test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve("trust.p12"))) {
            trust.store(out, "changeit".toCharArray());
        }
        // Kamailio accepts only client certificates of the other CA: the bridge's is refused in the handshake
        Files.copy(dir.resolve("other-ca.pem"), dir.resolve("clients.pem"));
        strict = KamailioServer.builder().tls(dir.resolve("kamailio.pem"), dir.resolve("kamailio.key"))
                .tlsMethod("TLSv1.2")
                .requireClientCertificate(dir.resolve("clients.pem")).start();
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
                "DIR", dir.path().toString(), "TARGET", Integer.toString(strict.tlsPort())));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {sender, strict, dir::close}) {
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
    void aPeerThatRefusesTheHandshakeIsToldToTheSenderByIdAndNamedInReadinessUntilItAcceptsTheBridge() throws Exception {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        appender.start();
        root.addAppender(appender);
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
            assertTrue(Files.readString(strict.directory().resolve("kamailio.log")).lines().noneMatch(l -> l.contains("REQ MESSAGE")),
                    "nothing reached Kamailio");

            strict.stop(); // the fix: Kamailio trusts the CA that issued the bridge's certificate; the probe finds it
            Files.copy(dir.resolve("ca.pem"), dir.resolve("clients.pem"), StandardCopyOption.REPLACE_EXISTING);
            strict.start();
            sender.awaitLeg(s -> s.status() == LegState.Status.READY, "READY again");
            assertTrue(Readiness.of(List.copyOf(sender.hub().ops().legStates().values()), false).ready());
        } finally {
            root.detachAppender(appender);
        }
        List<ILoggingEvent> loud;
        synchronized (appender) {
            loud = appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO)).toList();
        }
        for (ILoggingEvent e : loud) {
            assertNull(e.getThrowableProxy(), "a stack trace above DEBUG: " + e.getLoggerName() + " " + e.getFormattedMessage());
        }
        List<String> warnings = loud.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getLoggerName() + " " + e.getFormattedMessage()).toList();
        System.out.println("warnings: " + warnings);
        assertEquals(1, warnings.size(), "one warning for the one cause: " + warnings);
        assertTrue(warnings.get(0).startsWith("org.sigbridge.hub.LegStates sip: down (the TLS handshake with " + peer), warnings.get(0));
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.path().toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl " + String.join(" ", args) + ":\n" + output);
    }
}
