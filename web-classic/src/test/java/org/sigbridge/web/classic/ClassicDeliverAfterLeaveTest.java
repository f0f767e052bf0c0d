package org.sigbridge.web.classic;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.Position;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * The race {@code SignalRDeliverAfterLeaveTest} makes deterministic, on a channels socket: the hub hands an envelope to
 * the subscribers it read when the fan-out began (copy-on-write), so a socket that closed and left meanwhile is still
 * handed it, and the hub only counts its refusal; the socket must tell the sender by envelope id (docs/design.md §2.4).
 * Both ways the hub hands it: without a position, and with one to a socket with positions on ({@code sigbridge.js},
 * whose refusal was silent). Real clients; the late hand-off is the test's, on the real socket's endpoint after it
 * closed.
 */
class ClassicDeliverAfterLeaveTest {

    @ParameterizedTest(name = "positions {0}")
    @ValueSource(booleans = {false, true})
    void anEnvelopeHandedToASocketThatHasLeftIsReportedToItsSenderById(boolean positions) throws Exception {
        try (TestBridge bridge = TestBridge.start();
             WsClient sender = WsClient.connect(bridge.ws("/ws/channels"))) {
            sender.send("{\"open\":true,\"channel\":\"c\"}");
            sender.expectPresent("c");
            Endpoint from = bridge.bridge().hub().ops().endpoints().stream().findFirst().orElseThrow();
            Endpoint receiver;
            try (WsClient leaving = WsClient.connect(bridge.ws("/ws/channels"))) {
                if (positions) {
                    leaving.send("{\"positions\":true}");
                }
                leaving.send("{\"open\":true,\"channel\":\"c\"}");
                Poll.until("both sockets on the channel", WsClient.WAIT, () -> members(bridge) == 2);
                receiver = bridge.bridge().hub().ops().endpoints().stream().filter(e -> e != from).findFirst().orElseThrow();
            }
            Poll.until("the closed socket left the channel", WsClient.WAIT,
                    () -> members(bridge) == 1 && !bridge.bridge().hub().ops().endpoints().contains(receiver));

            // What a fan-out that read the channel's subscribers before the leave does next
            Envelope envelope = new Envelope("late-1", "c", JsonValue.nullValue(), JsonValue.string("hello"),
                    new Origin(from.adapter(), from.id()), bridge.bridge().hub().clock().instant());
            DeliveryResult r = positions ? receiver.deliver(envelope, new Position("e1", 1)) : receiver.deliver(envelope);
            assertInstanceOf(DeliveryResult.Rejected.class, r, "a closed socket takes nothing");

            // the sender told of envelope late-1, once
            String report = sender.onlyFrameContaining("\"error\"", Duration.ofSeconds(10), Duration.ofMillis(300));
            assertTrue(report.contains("\"id\":\"late-1\""), report);
            assertTrue(report.contains("not delivered to " + receiver.id()), report);
        }
    }

    private static int members(TestBridge bridge) {
        return bridge.bridge().hub().ops().channelSnapshots().stream().filter(c -> c.name().equals("c"))
                .mapToInt(c -> c.participants().size()).sum();
    }
}
