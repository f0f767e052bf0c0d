package org.sigbridge.interop.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.interop.sip.SipBridge.WAIT;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
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
import org.sigbridge.ops.Readiness;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.LegState;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.KamailioServer;
import org.sigbridge.testkit.peers.ScratchDir;
import org.sigbridge.testkit.sip.SipTransport;
import org.sigbridge.testkit.sip.SipUserAgent;
import org.slf4j.LoggerFactory;

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
    private static ScratchDir dir;
    private static KamailioServer rogue;
    private static SipBridge bridge;
    private static SipUserAgent ua;
    private static int bridgePort;

    @BeforeAll
    static void start() throws Exception {
        dir = ScratchDir.create("sigbridge-sip-tls-dyn-");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key",
                "-out", "ca.pem", "-days", "2", "-subj", "/CN=sigbridge test CA");
        Files.writeString(dir.resolve("leaf.ext"), "subjectAltName=IP:127.0.0.1\n");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "bridge.key",
                "-out", "bridge.csr", "-subj", "/CN=127.0.0.1");
        openssl("x509", "-req", "-in", "bridge.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "bridge.pem", "-days", "2", "-extfile", "leaf.ext");
        openssl("pkcs12", "-export", "-inkey", "bridge.key", "-in", "bridge.pem", "-out", "bridge.p12", "-passout", "pass:changeit");
        // the member's TLS endpoint: self-signed, so not trusted by the bridge (which trusts the test CA only)
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "rogue.key",
                "-out", "rogue.pem", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            trust.setCertificateEntry("test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve("trust.p12"))) {
            trust.store(out, "changeit".toCharArray());
        }
        rogue = KamailioServer.builder().tls(dir.resolve("rogue.pem"), dir.resolve("rogue.key")).start();
        bridgePort = FreePorts.tcpAndUdp();
        bridge = SipBridge.start("""
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
                    tls:
                      port: ${TLS_PORT}
                      key-store: ${DIR}/bridge.p12
                      key-store-password: changeit
                      trust-store: ${DIR}/trust.p12
                      trust-store-password: changeit
                routes:
                  - match: "*"
                    to: sip
                    target: none
                """, Map.of("PORT", Integer.toString(bridgePort), "TLS_PORT", Integer.toString(FreePorts.tcpAndUdp()),
                "DIR", dir.path().toString()));
        ua = SipUserAgent.start("ua", bridgePort); // its MESSAGEs go straight to the bridge
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {ua, bridge, rogue, dir::close}) {
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
    void aDynamicSipsMemberWithABadCertificateIsReportedToSendersButLeavesTheLegReadyAndIsDroppedWhenItExpires() throws Exception {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        appender.start();
        root.addAppender(appender);
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
                    () -> messages(appender, Level.INFO).stream().anyMatch(m -> m.contains("TLS peer " + peer + " no longer probed")),
                    dropped -> dropped);
            assertEquals(LegState.Status.READY, bridge.hub().ops().legStates().get("sip").status());
        } finally {
            root.detachAppender(appender);
        }
        List<String> warnings = messages(appender, Level.WARN);
        System.out.println("dynamic member's TLS failure: " + warnings);
        assertEquals(1, warnings.size(), "one warning for the one failing member: " + warnings);
        assertTrue(warnings.get(0).contains("TLS peer " + peer + " is a channel member") && warnings.get(0).contains("tls.trust-store"),
                warnings.get(0));
        assertTrue(Files.readString(rogue.directory().resolve("kamailio.log")).lines().noneMatch(l -> l.contains("REQ MESSAGE")),
                "nothing reached the member's untrusted TLS endpoint");
    }

    private static List<String> messages(ListAppender<ILoggingEvent> appender, Level atLeast) {
        synchronized (appender) { // AppenderBase appends under the appender's lock
            return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(atLeast))
                    .map(e -> e.getLoggerName() + " " + e.getFormattedMessage()).toList();
        }
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.path().toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl " + String.join(" ", args) + ":\n" + output);
    }
}
