package org.sigbridge.sip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testing.RecordingEndpoint;

/**
 * Two bridges with the default route (every channel to {@code sip:{channel}@localhost}) share channels through
 * Kamailio: each registers the channel's AOR, Kamailio forks each MESSAGE to both, the sender recognises its
 * own and the other publishes it once, with id and sender kept.
 */
class TwoBridgesThroughKamailioTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final KamailioExtension kamailio = new KamailioExtension();

    private final KamailioBridges bridges = new KamailioBridges(kamailio, WAIT);

    @Test
    void answersItsOwnCopiesForkedBackOverUdpSoItsMessagesSucceed() throws Exception {
        // Registered over UDP, a bridge alone on room2's AOR gets each of its MESSAGEs back from Kamailio over UDP and
        // answers it statelessly (RFC 3261 §8.2.7) to the Via's received/rport with its own-copy status (599, which any
        // other binding's answer would outrank): with no other binding Kamailio relays it as the answer to the bridge's
        // own request, so every envelope counts as sent and none is published back.
        try (BridgeUnderTest a = bridges.start("bridge-a")) {
            RecordingEndpoint alice = a.browser("alice", "room2");
            a.awaitChannelRegistered("room2", WAIT);
            long sentBefore = a.sip().stats().messagesSent().sum();
            long ownBefore = a.sip().stats().duplicates().sum();
            for (int i = 0; i < 5; i++) {
                a.publish(alice, "room2", Integer.toString(i));
            }
            Poll.until("bridge A has every answer", WAIT, () -> a.sip().stats().messagesSent().sum() >= sentBefore + 5);
            assertEquals(sentBefore + 5, a.sip().stats().messagesSent().sum());
            // A copy Kamailio retransmitted before our 200 reached it is answered again, so at least one per envelope.
            assertTrue(a.sip().stats().duplicates().sum() >= ownBefore + 5, "each own copy recognised");
            assertEquals(0, a.sip().stats().delivered().sum(), "an own copy is never published");
            assertEquals(0, alice.failures().size(), "no upstream failure reported");
        }
    }

    @Test
    void relaysEnvelopesBetweenBrowsersOnTwoBridgesExactlyOnce() throws Exception {
        try (BridgeUnderTest a = bridges.start("bridge-a"); BridgeUnderTest b = bridges.start("bridge-b")) {
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
