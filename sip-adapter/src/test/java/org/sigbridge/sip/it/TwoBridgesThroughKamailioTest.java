package org.sigbridge.sip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.LegState;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.recording.RecordingEndpoint;

/**
 * Two bridges with the default route (every channel to {@code sip:{channel}@localhost}) share channels through
 * Kamailio: each registers the channel's AOR, Kamailio forks each MESSAGE to both, the sender recognises its
 * own and the other publishes it once, with id and sender kept.
 */
class TwoBridgesThroughKamailioTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final KamailioExtension kamailio = new KamailioExtension();

    private BridgeUnderTest bridge(String user) throws Exception {
        String yaml = """
                adapters:
                  sip:
                    type: sip
                    listen-port: ${PORT}
                    domain: localhost
                    proxy: 127.0.0.1:${KPORT}
                    username: %s
                routes:
                  - match: "*"
                    to: sip
                """.formatted(user);
        BridgeUnderTest b = BridgeUnderTest.start(yaml, Map.of("PORT", Integer.toString(FreePorts.tcpAndUdp()),
                "KPORT", Integer.toString(kamailio.server().port())));
        b.awaitLeg(LegState.Status.READY, WAIT);
        return b;
    }

    @Test
    void relaysEnvelopesBetweenBrowsersOnTwoBridgesExactlyOnce() throws Exception {
        try (BridgeUnderTest a = bridge("bridge-a"); BridgeUnderTest b = bridge("bridge-b")) {
            RecordingEndpoint alice = a.browser("alice", "room1");
            RecordingEndpoint bob = b.browser("bob", "room1");
            a.awaitChannelRegistered("room1", WAIT);
            b.awaitChannelRegistered("room1", WAIT);

            Envelope offer = a.publish(alice, "room1", "{\"type\":\"offer\",\"sdp\":\"v=0\"}");
            Envelope atBob = bob.envelopes().next(WAIT);
            assertEquals(offer.id(), atBob.id());
            assertEquals("\"alice\"", atBob.sender().json());
            assertEquals(offer.message(), atBob.message());

            Envelope answer = b.publish(bob, "room1", "{\"type\":\"answer\"}");
            Envelope atAlice = alice.envelopes().next(WAIT);
            assertEquals(answer.id(), atAlice.id());
            assertEquals("\"bob\"", atAlice.sender().json());

            alice.envelopes().expectNothing(Duration.ofMillis(700));
            bob.envelopes().expectNothing(Duration.ofMillis(100));
            assertEquals(0, alice.failures().size() + bob.failures().size(), "no upstream failure reported");
        }
    }
}
