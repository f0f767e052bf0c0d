package org.sigbridge.sip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testing.RecordingEndpoint;

/** A member that never answers: its conversation queue is bounded and every envelope's fate is reported. */
class SipOutboundQueueTest {

    @Test
    void reportsEveryEnvelopeThatTheFullQueueOrTheTimeoutCost() throws Exception {
        int silentPort = FreePorts.tcpAndUdp(); // nothing listens there
        String yaml = """
                adapters:
                  sip:
                    type: sip
                    listen-port: ${PORT}
                    domain: localhost
                    request-timeout: 1s
                    max-queued-per-member: 1
                routes:
                  - match: "*"
                    to: sip
                    target: sip:{channel}@127.0.0.1:%d
                """.formatted(silentPort);
        try (BridgeUnderTest bridge = BridgeUnderTest.start(yaml, Map.of("PORT", Integer.toString(FreePorts.tcpAndUdp())))) {
            RecordingEndpoint browser = bridge.browser("b1", "room1");
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Envelope e = bridge.publish(browser, "room1", Integer.toString(i));
                sent.add(e.id());
            }
            List<String> reported = new ArrayList<>();
            boolean sawOverflow = false;
            for (int i = 0; i < 4; i++) {
                DeliveryFailure f = browser.failures().next(Duration.ofSeconds(10));
                reported.add(f.envelopeId());
                sawOverflow |= f.code() == ErrorCode.UPSTREAM_UNAVAILABLE && f.detail().contains("queue full");
                assertTrue(f.code() == ErrorCode.UPSTREAM_UNAVAILABLE || f.code() == ErrorCode.UPSTREAM_TIMEOUT, f.toString());
            }
            assertTrue(sawOverflow, "a full queue refused at least one envelope");
            assertEquals(sent.stream().sorted().toList(), reported.stream().sorted().toList(), "each envelope reported once");
        }
    }
}
