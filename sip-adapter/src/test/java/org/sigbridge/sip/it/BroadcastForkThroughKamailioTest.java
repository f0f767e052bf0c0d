package org.sigbridge.sip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.sip.ReceivedSipMessage;
import org.sigbridge.testkit.sip.SipTransport;
import org.sigbridge.testkit.sip.SipUserAgent;

/**
 * A broadcast envelope to the channel's shared AOR through a real Kamailio, which forks it to every binding, the
 * sender's own included (docs/design.md §5.6): the sender answers its own copy with a status every other branch's
 * answer outranks, so the fork goes on until the other bindings answer and a refusal there reaches the sender by
 * envelope id. With an own {@code 200} Kamailio relayed that at once and stopped retransmitting to the other bindings:
 * their refusal, or a copy lost on its way to them, was lost without anyone hearing of it. The other binding here is a
 * real JAIN-SIP user agent registered at the channel's AOR, as another bridge or a phone is.
 */
class BroadcastForkThroughKamailioTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    final KamailioExtension kamailio = new KamailioExtension();

    private final KamailioBridges bridges = new KamailioBridges(kamailio, WAIT);

    @Test
    void aRefusalByAnotherBindingOfTheChannelsAorIsReportedToTheSender() throws Exception {
        try (SipUserAgent other = SipUserAgent.start("fork1", kamailio.server().port());
             BridgeUnderTest a = bridges.start("bridge-a", "announce-participants: false")) {
            assertEquals(200, other.register(SipTransport.UDP, WAIT));
            other.answerMessagesWith(480);
            RecordingEndpoint alice = a.browser("alice", "fork1");
            a.awaitChannelRegistered("fork1", WAIT);

            Envelope sent = a.publish(alice, "fork1", "{\"newParticipationRequest\":true}");
            ReceivedSipMessage atOther = other.awaitMessage(WAIT);
            assertTrue(atOther.body().contains(sent.id()), "the fork reached the other binding: " + atOther.body());
            DeliveryFailure failure = alice.failures().next(WAIT);
            assertEquals(sent.id(), failure.envelopeId());
            assertEquals(ErrorCode.UPSTREAM_REJECTED, failure.code());
            assertTrue(failure.detail().contains("480"), failure.detail());
            assertEquals(0, a.sip().stats().messagesSent().sum(), "not counted as sent");
        }
    }

    @Test
    void aBroadcastAnotherBindingTakesIsSentAndNothingIsReported() throws Exception {
        try (SipUserAgent other = SipUserAgent.start("fork2", kamailio.server().port());
             BridgeUnderTest a = bridges.start("bridge-a", "announce-participants: false")) {
            assertEquals(200, other.register(SipTransport.UDP, WAIT));
            RecordingEndpoint alice = a.browser("alice", "fork2");
            a.awaitChannelRegistered("fork2", WAIT);

            for (int i = 0; i < 3; i++) {
                Envelope sent = a.publish(alice, "fork2", Integer.toString(i));
                assertTrue(other.awaitMessage(WAIT).body().contains(sent.id()), "envelope " + i + " reached the other binding");
            }
            Poll.until("bridge A has every answer", WAIT, () -> a.sip().stats().messagesSent().sum() >= 3);
            assertEquals(3, a.sip().stats().messagesSent().sum());
            assertEquals(List.of(), alice.failures().drain(), "delivered: no failure reported");
        }
    }
}
