package org.sigbridge.sip.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.spi.LegState;
import org.sigbridge.testkit.peers.FreePorts;

/** REGISTER answered by a digest challenge from a real Kamailio (RFC 3261 §22.2, RFC 2617). */
class SipDigestRegistrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private BridgeUnderTest bridge(int kamailioPort, String password) throws Exception {
        String yaml = """
                adapters:
                  sip:
                    type: sip
                    listen-port: ${PORT}
                    domain: localhost
                    proxy: 127.0.0.1:${KPORT}
                    username: bridge
                    password: ${PASSWORD}
                routes:
                  - match: "*"
                    to: sip
                """;
        return BridgeUnderTest.start(yaml, Map.of("PORT", Integer.toString(FreePorts.tcpAndUdp()),
                "KPORT", Integer.toString(kamailioPort), "PASSWORD", password));
    }

    @Test
    void registersByAnsweringTheDigestChallenge() throws Exception {
        try (AuthenticatingKamailio kamailio = new AuthenticatingKamailio(dir, "s3cret");
             BridgeUnderTest bridge = bridge(kamailio.port(), "s3cret")) {
            LegState ready = bridge.awaitLeg(LegState.Status.READY, WAIT);
            assertTrue(ready.detail().contains("registered"), ready.detail());
        }
    }

    @Test
    void goesDownNamingThe401WhenThePasswordIsWrong() throws Exception {
        try (AuthenticatingKamailio kamailio = new AuthenticatingKamailio(dir, "s3cret");
             BridgeUnderTest bridge = bridge(kamailio.port(), "wrong")) {
            LegState down = bridge.awaitLeg(LegState.Status.DOWN, WAIT);
            assertTrue(down.detail().contains("401"), down.detail());
        }
    }
}
