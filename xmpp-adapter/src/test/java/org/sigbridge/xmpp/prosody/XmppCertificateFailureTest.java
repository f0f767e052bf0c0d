package org.sigbridge.xmpp.prosody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.ops.Readiness;
import org.sigbridge.spi.LegState;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * A fresh Prosody with its self-signed certificate and a bridge that does not trust it: the leg is DOWN with one
 * line naming the server, the certificate's subject and issuer and the settings that fix it; {@code /readyz}'s
 * verdict is "not ready" with that line; retries back off; no stack trace above DEBUG (Smack's JUL warning
 * included, routed to SLF4J as the standalone bridge does), and exactly one at DEBUG per attempt.
 */
@Timeout(60)
class XmppCertificateFailureTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Pattern RETRY = Pattern.compile("retrying in (\\d+) ms$");

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void captureLogs() {
        SLF4JBridgeHandler.install();
        appender.start();
        root.addAppender(appender);
    }

    @AfterEach
    void release() {
        root.detachAppender(appender);
        SLF4JBridgeHandler.uninstall();
    }

    @Test
    void tlsRequiredAgainstAnUntrustedSelfSignedCertificateIsOneClearLineAndNotReady() throws Exception {
        List<LegState> downs = fourFailedAttempts("cert-req", "tls: required");
        LegState down = downs.get(0);
        String line = down.detail();
        assertFalse(line.contains("\n"), line);
        assertTrue(line.contains("the XMPP server 127.0.0.1:" + PROSODY.server().port()), line);
        assertTrue(line.contains("does not trust"), line);
        assertTrue(line.contains("subject CN=localhost"), line);
        assertTrue(line.contains("issuer CN=localhost (self-signed)"), line);
        assertTrue(line.contains("trust-certificates"), line);
        assertTrue(line.contains("tls: disabled"), line);
        // backoff: the 4th delay's window is 8x the first's (base 100 ms, jitter within [w/2, w])
        assertTrue(retryMs(downs.get(0)) <= 100, downs.get(0).detail());
        assertTrue(retryMs(downs.get(3)) >= 400, downs.get(3).detail());

        List<ILoggingEvent> loud = appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO)).toList();
        for (ILoggingEvent e : loud) {
            assertNull(e.getThrowableProxy(), "a stack trace above DEBUG: " + e.getLoggerName() + " " + e.getFormattedMessage());
            assertFalse(e.getFormattedMessage().contains("\n"), "a multi-line log: " + e.getFormattedMessage());
            assertFalse(e.getLoggerName().startsWith("org.jivesoftware"), "Smack's own warning: " + e.getFormattedMessage());
        }
        long tracesAtDebug = appender.list.stream()
                .filter(e -> e.getLevel() == Level.DEBUG && e.getThrowableProxy() != null
                        && e.getLoggerName().equals("org.sigbridge.xmpp.session.ClientSession")).count();
        long attempts = appender.list.stream().filter(e -> e.getLoggerName().equals("org.sigbridge.hub.LegStates")
                && e.getFormattedMessage().startsWith("xmpp: down")).count();
        assertEquals(attempts, tracesAtDebug, "one stack trace at DEBUG per failed attempt");
    }

    @Test
    void tlsOptionalStillChecksTheCertificateWhenTheServerOffersStartTls() throws Exception {
        LegState down = fourFailedAttempts("cert-opt", "tls: optional").get(0);
        assertTrue(down.detail().contains("does not trust"), down.detail());
    }

    /** Starts a bridge with {@code tls}, waits for four DOWN reports, checks /readyz's verdict on the first. */
    private List<LegState> fourFailedAttempts(String name, String tls) throws Exception {
        try (BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), name, tls)) {
            LegState first = bridge.awaitReport(s -> s.status() == LegState.Status.DOWN, "DOWN", WAIT);
            Readiness readiness = Readiness.of(List.copyOf(bridge.bridge.ops().legStates().values()), false);
            assertFalse(readiness.ready());
            assertTrue(readiness.json().contains("does not trust"), readiness.json());
            java.util.ArrayList<LegState> downs = new java.util.ArrayList<>(List.of(first));
            while (downs.size() < 4) {
                downs.add(bridge.awaitReport(s -> s.status() == LegState.Status.DOWN, "DOWN again", WAIT));
            }
            return downs;
        }
    }

    private static long retryMs(LegState s) {
        Matcher m = RETRY.matcher(s.detail());
        assertTrue(m.find(), s.detail());
        return Long.parseLong(m.group(1));
    }
}
