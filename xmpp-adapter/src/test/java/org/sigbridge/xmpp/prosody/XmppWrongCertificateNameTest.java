package org.sigbridge.xmpp.prosody;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.ops.Readiness;
import org.sigbridge.spi.LegState;
import org.sigbridge.testkit.junit.ProsodyExtension;

/**
 * STARTTLS to a Prosody whose certificate is trusted ({@code trust-certificates} names it) but issued for another name
 * than the XMPP domain: refused by the name check (RFC 6125, RFC 6120 §13.7.2.1), the leg DOWN with one line that says
 * so and names the fix, {@code /readyz} not ready with that line (docs/reliability.md, "Security checks").
 */
@Timeout(60)
class XmppWrongCertificateNameTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension(b -> b.certificateNames("other.example"));

    @Test
    void aTrustedCertificateForAnotherNameIsRefusedWithOneLineNamingTheDomain() throws Exception {
        String tls = "tls: required\ntrust-certificates: " + PROSODY.server().certificateFile();
        try (BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "cert-name", tls)) {
            LegState down = bridge.awaitReport(s -> s.status() == LegState.Status.DOWN, "DOWN", WAIT);
            String line = down.detail();
            System.out.println("wrong name: " + line);
            assertFalse(line.contains("\n"), line);
            assertTrue(line.contains("does not name the XMPP domain localhost"), line);
            assertTrue(line.contains("other.example"), line);
            Readiness readiness = Readiness.of(List.copyOf(bridge.bridge.ops().legStates().values()), false);
            assertFalse(readiness.ready());
            assertTrue(readiness.json().contains("does not name the XMPP domain"), readiness.json());
        }
    }
}
