package org.sigbridge.web.peerjs;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * The race {@code SignalRDeliverAfterLeaveTest} makes deterministic, on a PeerJS peer: the hub hands an envelope to the
 * subscribers it read when the fan-out began (copy-on-write), so a peer that closed and left meanwhile is still handed
 * it, and the hub only counts its refusal; the peer must tell the sender by envelope id (docs/design.md §2.4). A PeerJS
 * sender on this bridge queues such a message itself (its relay sees nobody took it), so the sender here is a channels
 * client on the same {@code peerjs/peerjs} channel addressing the peer, who otherwise hears nothing at all. Real
 * clients; the late hand-off is the test's, on the real peer's endpoint after its socket closed.
 */
class PeerJsDeliverAfterLeaveTest {

    @Test
    void anEnvelopeHandedToAPeerThatHasLeftIsReportedToItsSenderById() throws Exception {
        try (TestBridge bridge = TestBridge.start();
             WsClient sender = WsClient.connect(bridge.ws("/ws/channels"))) {
            sender.send("{\"open\":true,\"channel\":\"peerjs/peerjs\"}");
            sender.expectPresent("peerjs/peerjs");
            Endpoint from = bridge.bridge().hub().ops().endpoints().stream().filter(e -> !(e instanceof PeerSession))
                    .findFirst().orElseThrow();
            Endpoint bob;
            try (WsClient peer = PeerJsServerTest.opened(bridge, "bob")) {
                Poll.until("bob on the channel", WsClient.WAIT, () -> members(bridge) == 2);
                bob = bridge.bridge().hub().ops().endpoints().stream().filter(e -> e instanceof PeerSession).findFirst().orElseThrow();
            }
            Poll.until("bob's closed socket left the channel", WsClient.WAIT,
                    () -> members(bridge) == 1 && !bridge.bridge().hub().ops().endpoints().contains(bob));

            // What a fan-out that read the channel's subscribers before the leave does next
            Envelope envelope = new Envelope("late-1", "peerjs/peerjs", JsonValue.string("someone"),
                    new JsonValue("{\"type\":\"OFFER\",\"src\":\"someone\",\"dst\":\"bob\",\"payload\":{}}"),
                    new Origin(from.adapter(), from.id()), bridge.bridge().hub().clock().instant(), "bob");
            assertInstanceOf(DeliveryResult.Rejected.class, bob.deliver(envelope), "a closed peer takes nothing");

            // the sender told of envelope late-1, once
            String report = sender.onlyFrameContaining("\"error\"", Duration.ofSeconds(10), Duration.ofMillis(300));
            assertTrue(report.contains("\"id\":\"late-1\""), report);
            assertTrue(report.contains("\"code\":\"no_such_recipient\""), report);
            assertTrue(report.contains("not delivered to " + bob.id()), report);
        }
    }

    private static int members(TestBridge bridge) {
        return bridge.bridge().hub().ops().channelSnapshots().stream().filter(c -> c.name().equals("peerjs/peerjs"))
                .mapToInt(c -> c.participants().size()).sum();
    }
}
