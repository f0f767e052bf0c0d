package org.sigbridge.sip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.testing.Envelopes;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.junit.KamailioExtension;

/**
 * Addressed delivery to a page on another bridge through a real Kamailio (docs/design.md §5.6): once the other bridge
 * has written to the channel from its contact for the channel's AOR, an envelope addressed to one of its pages goes to
 * the AOR, Kamailio forks it to both bridges, and only that page gets it; a recipient no bridge has is reported to the
 * sender by envelope id (every branch answers 404, the sender's own copy included).
 */
class AddressedAcrossBridgesThroughKamailioTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final KamailioExtension kamailio = new KamailioExtension();

    private final KamailioBridges bridges = new KamailioBridges(kamailio, WAIT);

    @Test
    void anEnvelopeAddressedToAPageOnTheOtherBridgeReachesThatPageOnly() throws Exception {
        try (BridgeUnderTest a = bridges.start("bridge-a", "request-timeout: 2s");
             BridgeUnderTest b = bridges.start("bridge-b", "request-timeout: 2s")) {
            RecordingEndpoint alice = a.browser("alice", "duo");
            RecordingEndpoint bob = b.browser("bob", "duo");
            RecordingEndpoint carol = b.browser("carol", "duo");
            a.awaitChannelRegistered("duo", WAIT);
            b.awaitChannelRegistered("duo", WAIT);
            b.publish(bob, "duo", "{\"hello\":1}"); // bridge b writes from its contact for sip:duo@localhost
            assertEquals("{\"hello\":1}", alice.envelopes().next(WAIT).message().json());
            carol.envelopes().drain();

            Envelope offer = addressed(alice, "{\"type\":\"offer\"}", "bob");
            a.hub().publish(offer, alice);
            Envelope atBob = bob.envelopes().next(WAIT);
            assertEquals(offer.id(), atBob.id());
            assertEquals("bob", atBob.recipient());
            assertEquals("{\"type\":\"offer\"}", atBob.message().json());
            carol.envelopes().expectNothing(Duration.ofMillis(700));
            alice.envelopes().expectNothing(Duration.ofMillis(100));
            assertEquals(List.of(), alice.failures().drain(), "delivered: no failure reported");

            Envelope toGhost = addressed(alice, "1", "ghost");
            a.hub().publish(toGhost, alice);
            DeliveryFailure failure = alice.failures().next(WAIT);
            assertEquals(toGhost.id(), failure.envelopeId());
            assertEquals(ErrorCode.NO_SUCH_RECIPIENT, failure.code());
            bob.envelopes().expectNothing(Duration.ofMillis(300));
            carol.envelopes().expectNothing(Duration.ofMillis(100));
        }
    }

    private static Envelope addressed(RecordingEndpoint from, String json, String to) {
        return new Envelope("env-" + System.nanoTime(), "duo", JsonValue.string(from.id()), Envelopes.json(json),
                new Origin("web", from.id()), Instant.now(), to);
    }
}
