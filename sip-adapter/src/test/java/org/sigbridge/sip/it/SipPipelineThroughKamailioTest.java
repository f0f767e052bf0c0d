package org.sigbridge.sip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.LegState;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.sip.SipTransport;
import org.sigbridge.testkit.sip.SipUserAgent;

/**
 * Several MESSAGEs in flight per conversation over TCP ({@code max-in-flight-per-member}), bridges registered over
 * TCP ({@code register-transport: tcp}): order is kept, every failure is reported by envelope id, and a bridge that
 * the registrar reaches through the channel AOR gets no second copy as a dynamic member.
 */
class SipPipelineThroughKamailioTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final KamailioExtension kamailio = new KamailioExtension();

    private BridgeUnderTest bridge(String user, int port, String target) throws Exception {
        String yaml = """
                adapters:
                  sip:
                    type: sip
                    listen-port: ${PORT}
                    domain: localhost
                    proxy: 127.0.0.1:${KPORT}
                    username: %s
                    register-transport: tcp
                    max-in-flight-per-member: 8
                    request-timeout: 3s
                routes:
                  - match: "*"
                    to: sip
                    %s
                    options: {transport: tcp}
                """.formatted(user, target);
        BridgeUnderTest b = BridgeUnderTest.start(yaml, Map.of("PORT", Integer.toString(port),
                "KPORT", Integer.toString(kamailio.server().port())));
        b.awaitLeg(LegState.Status.READY, WAIT);
        return b;
    }

    @Test
    void twoBridgesKeepOrderWithSeveralInFlightAndSendEachEnvelopeOnce() throws Exception {
        int portB = FreePorts.tcpAndUdp();
        try (BridgeUnderTest a = bridge("bridge-a", FreePorts.tcpAndUdp(), "");
             BridgeUnderTest b = bridge("bridge-b", portB, "")) {
            RecordingEndpoint alice = a.browser("alice", "room1");
            RecordingEndpoint bob = b.browser("bob", "room1");
            a.awaitChannelRegistered("room1", WAIT);
            b.awaitChannelRegistered("room1", WAIT);

            // bob speaks first, so bridge A learns bridge B as a member of room1 (its MESSAGE's Contact); A may have
            // registered before B did, so the first time A sends it asks the registrar again (and B drops the one
            // copy that may reach it directly meanwhile as a duplicate).
            Envelope hello = b.publish(bob, "room1", "\"hello\"");
            assertEquals(hello.id(), alice.envelopes().next(WAIT).id());
            // Alice has it as soon as the hub delivers, a moment before bridge A records bridge B as a member (and then
            // counts the delivery): wait for that, or the reply may leave before A knows B and asks the registrar.
            Poll.until("bridge A has recorded bob's MESSAGE", WAIT, () -> a.sip().stats().delivered().sum() >= 1);
            long sentAtReply = a.sip().stats().messagesSent().sum();
            Envelope reply = a.publish(alice, "room1", "\"reply\"");
            assertEquals(reply.id(), bob.envelopes().next(WAIT).id());
            Poll.until("bridge A knows bridge B is bound to room1's AOR", WAIT,
                    () -> a.sip().channelBindings("room1").contains("room1@127.0.0.1:" + portB));

            Poll.until("bridge A has the reply's answer", WAIT, () -> a.sip().stats().messagesSent().sum() > sentAtReply);
            bob.envelopes().expectNothing(Duration.ofMillis(300)); // the reply once, even if two copies were sent
            long sentBefore = a.sip().stats().messagesSent().sum();
            long duplicatesBefore = b.sip().stats().duplicates().sum();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                ids.add(a.publish(alice, "room1", Integer.toString(i)).id());
            }
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                got.add(bob.envelopes().next(WAIT).id());
            }
            assertEquals(ids, got, "bob gets alice's envelopes once each, in order");
            Poll.until("bridge A has every answer", WAIT, () -> a.sip().stats().messagesSent().sum() >= sentBefore + 40);
            bob.envelopes().expectNothing(Duration.ofMillis(300));
            assertEquals(sentBefore + 40, a.sip().stats().messagesSent().sum(), "one MESSAGE per envelope: only to the AOR");
            assertEquals(duplicatesBefore, b.sip().stats().duplicates().sum(), "no second copy reached bridge B");
            assertEquals(0, alice.failures().size() + bob.failures().size(), "no upstream failure reported");
        }
    }

    @Test
    void answersItsOwnCopiesForkedBackOverTcpSoItsMessagesSucceed() throws Exception {
        // Alone on room3's AOR, bridge A's MESSAGEs come back to A only (Kamailio forks to every binding). Each copy
        // is answered statelessly (own-copy status 599) on the connection it came in on; Kamailio relays that as the answer to A's
        // own request (no other binding answered), so every envelope counts as sent, none fails, and nothing is published
        // back to the channel.
        try (BridgeUnderTest a = bridge("bridge-a", FreePorts.tcpAndUdp(), "")) {
            RecordingEndpoint alice = a.browser("alice", "room3");
            RecordingEndpoint carol = a.browser("carol", "room3");
            a.awaitChannelRegistered("room3", WAIT);
            long sentBefore = a.sip().stats().messagesSent().sum();
            long ownBefore = a.sip().stats().duplicates().sum();
            for (int i = 0; i < 10; i++) {
                a.publish(alice, "room3", Integer.toString(i));
            }
            Poll.until("bridge A has every answer", WAIT, () -> a.sip().stats().messagesSent().sum() >= sentBefore + 10);
            assertEquals(sentBefore + 10, a.sip().stats().messagesSent().sum());
            assertEquals(ownBefore + 10, a.sip().stats().duplicates().sum(), "each own copy recognised once");
            assertEquals(0, a.sip().stats().delivered().sum(), "an own copy is never published");
            for (int i = 0; i < 10; i++) {
                assertEquals(Integer.toString(i), carol.envelopes().next(WAIT).message().json(), "the local browser, once");
            }
            carol.envelopes().expectNothing(Duration.ofMillis(300));
            assertEquals(0, alice.failures().size(), "no upstream failure reported");
        }
    }

    @Test
    void reportsEveryEnvelopeOfAPipelinedConversationThatFails() throws Exception {
        try (SipUserAgent carol = SipUserAgent.start("carol", kamailio.server().port());
             BridgeUnderTest a = bridge("bridge-a", FreePorts.tcpAndUdp(), "target: sip:carol@localhost")) {
            assertEquals(200, carol.register(SipTransport.TCP, WAIT));
            carol.answerMessagesWith(486);
            RecordingEndpoint alice = a.browser("alice", "room2");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ids.add(a.publish(alice, "room2", "\"m" + i + "\"").id());
            }
            List<String> reported = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                DeliveryFailure f = alice.failures().next(WAIT);
                assertEquals(ErrorCode.UPSTREAM_REJECTED, f.code(), f.toString());
                assertTrue(f.detail().contains("486"), f.detail());
                reported.add(f.envelopeId());
            }
            assertEquals(ids.stream().sorted().toList(), reported.stream().sorted().toList(), "each envelope reported once");
            alice.failures().expectNothing(Duration.ofMillis(200));
            for (int i = 0; i < 12; i++) {
                String body = carol.awaitMessage(WAIT).body();
                assertTrue(body.contains("\"message\":\"m" + i + "\""), "carol sees them in order: " + body);
            }
        }
    }
}
