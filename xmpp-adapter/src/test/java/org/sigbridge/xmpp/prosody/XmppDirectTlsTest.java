package org.sigbridge.xmpp.prosody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.ops.Readiness;
import org.sigbridge.spi.LegState;
import org.sigbridge.testing.Envelopes;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.peers.ProsodyServer;
import org.sigbridge.testkit.xmpp.NativeXmppUser;

/**
 * {@code tls: direct} (XEP-0368) against Prosody's {@code c2s_direct_tls_ports}: TLS from the first byte, so a bridge
 * that spoke plain XML or tried STARTTLS there would get no stream at all. With the server's certificate trusted,
 * messages flow both ways; a certificate that is not trusted, or is trusted but names another host than the XMPP
 * domain (RFC 6125, the same name check STARTTLS gets), is refused with one line naming the fix, the leg DOWN and
 * {@code /readyz} not ready with that line; so is the server's STARTTLS port, which speaks no TLS first (conf/reference/xmpp.md "TLS"; docs/reliability.md, "Security checks").
 */
@Timeout(60)
class XmppDirectTlsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension(ProsodyServer.Builder::directTls);

    @RegisterExtension
    static final ProsodyExtension OTHER_NAME = new ProsodyExtension(b -> b.directTls().certificateNames("other.example"));

    @Test
    void messagesFlowBothWaysOverDirectTls() throws Exception {
        ProsodyServer server = PROSODY.server();
        try (BridgeUnderTest bridge = BridgeUnderTest.start(server, "direct", direct(server), server.directTlsPort());
             NativeXmppUser bob = NativeXmppUser.join(server, "bob", "direct-1", "bob")) {
            RecordingEndpoint browser = bridge.browser("browser-1", "direct-1");
            LegState ready = bridge.awaitRoomsJoined(1, WAIT);
            assertTrue(ready.detail().contains("127.0.0.1:" + server.directTlsPort() + " (direct tls)"), ready.detail());

            bridge.hub().publish(new Envelope(bridge.hub().envelopeIds().next(), "direct-1", JsonValue.string("alice"),
                    Envelopes.json("{\"type\":\"offer\"}"), new Origin("web", browser.id()), Instant.now()), browser);
            Message atBob = bob.next(WAIT);
            assertEquals("{\"type\":\"offer\"}", atBob.getBody());

            bob.say("{\"type\":\"answer\"}");
            Envelope atBrowser = browser.envelopes().next(WAIT);
            assertEquals("{\"type\":\"answer\"}", atBrowser.message().json());
            assertEquals("\"bob\"", atBrowser.sender().json());
            assertEquals(List.of(), browser.failures().drain());
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedWithOneLineNamingTheSetting() throws Exception {
        ProsodyServer server = PROSODY.server();
        try (BridgeUnderTest bridge = BridgeUnderTest.start(server, "direct-untrusted", "tls: direct", server.directTlsPort())) {
            String line = awaitDownAndNotReady(bridge, "does not trust");
            assertTrue(line.contains("the XMPP server 127.0.0.1:" + server.directTlsPort()), line);
            assertTrue(line.contains("trust-certificates"), line);
        }
    }

    @Test
    void aTrustedCertificateForAnotherNameIsRefusedByTheNameCheck() throws Exception {
        ProsodyServer server = OTHER_NAME.server();
        try (BridgeUnderTest bridge = BridgeUnderTest.start(server, "direct-name", direct(server), server.directTlsPort())) {
            String line = awaitDownAndNotReady(bridge, "does not name the XMPP domain localhost");
            assertTrue(line.contains("other.example"), line);
        }
    }

    @Test
    void theStartTlsPortIsRefusedWithOneLineSuggestingTlsRequired() throws Exception {
        ProsodyServer server = PROSODY.server();
        try (BridgeUnderTest bridge = BridgeUnderTest.start(server, "direct-plain", direct(server), server.port())) {
            String line = awaitDownAndNotReady(bridge, "direct-TLS port");
            assertTrue(line.contains("tls: required"), line);
        }
    }

    private static String direct(ProsodyServer server) {
        return "tls: direct\ntrust-certificates: " + server.certificateFile();
    }

    /** Waits for the leg's DOWN report and checks it and {@code /readyz}'s verdict carry {@code reason} on one line. */
    private static String awaitDownAndNotReady(BridgeUnderTest bridge, String reason) {
        LegState down = bridge.awaitReport(s -> s.status() == LegState.Status.DOWN, "DOWN", WAIT);
        String line = down.detail();
        System.out.println("direct tls refused: " + line);
        assertFalse(line.contains("\n"), line);
        assertTrue(line.contains(reason), line);
        Readiness readiness = Readiness.of(List.copyOf(bridge.bridge.ops().legStates().values()), false);
        assertFalse(readiness.ready());
        assertTrue(readiness.json().contains(reason), readiness.json());
        return line;
    }
}
