package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.ChannelSnapshot;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * The race {@code SignalRDeliverAfterLeaveTest} makes deterministic, on two socket.io families (raw Engine.IO over
 * WebSocket): the hub hands an envelope to the subscribers it read when the fan-out began (copy-on-write), so a socket
 * that disconnected and left meanwhile is still handed it, and the hub only counts its refusal; the member must tell
 * the sender by envelope id (docs/design.md §2.4), here an {@code error} naming it. The {@code message} relay
 * (Engine.IO 4, {@code ?channel=}), signalmaster (Engine.IO 3, {@code join}) and RTCMultiConnection (Engine.IO 4,
 * {@code open-room}/{@code join-room}) and socketio-over-nodejs (Socket.IO 0.9 namespace), each with a sender of its
 * own family. Real clients; the late hand-off is the test's, on the real member's endpoint after its socket closed.
 */
class SocketIoDeliverAfterLeaveTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"relay", "signalmaster", "rtcmulticonnection", "socketio-over-nodejs"})
    void anEnvelopeHandedToASocketThatHasLeftIsReportedToItsSenderById(String family) throws Exception {
        try (TestBridge bridge = TestBridge.start();
             WsClient sender = joined(bridge, family)) {
            Poll.until("the sender on a channel", WsClient.WAIT, () -> members(bridge) == 1);
            assertEquals(1, bridge.bridge().hub().ops().endpoints().size(), "the sender alone");
            Endpoint from = bridge.bridge().hub().ops().endpoints().iterator().next();
            String channel = bridge.bridge().hub().ops().channelSnapshots().stream().filter(c -> !c.participants().isEmpty())
                    .map(ChannelSnapshot::name).findFirst().orElseThrow();
            Endpoint receiver;
            try (WsClient leaving = joined(bridge, family)) {
                Poll.until("both sockets on the channel", WsClient.WAIT, () -> members(bridge) == 2);
                receiver = bridge.bridge().hub().ops().endpoints().stream().filter(e -> e != from).findFirst().orElseThrow();
            }
            Poll.until("the closed socket left the channel", WsClient.WAIT,
                    () -> members(bridge) == 1 && !bridge.bridge().hub().ops().endpoints().contains(receiver));
            sender.drainText();

            // What a fan-out that read the channel's subscribers before the leave does next
            Envelope envelope = new Envelope("late-1", channel, JsonValue.nullValue(), new JsonValue("{\"type\":\"offer\"}"),
                    new Origin(from.adapter(), from.id()), bridge.bridge().hub().clock().instant());
            assertInstanceOf(DeliveryResult.Rejected.class, receiver.deliver(envelope), "a socket that left takes nothing");

            // the sender told of envelope late-1, once
            String report = sender.onlyFrameContaining("\"error\"", Duration.ofSeconds(10), Duration.ofMillis(300));
            assertTrue(report.contains("\"id\":\"late-1\""), report);
            assertTrue(report.contains("upstream_unavailable"), report);
        }
    }

    /**
     * A socket of the family on its channel: the relay joins {@code c} on CONNECT; signalmaster joins room {@code r};
     * socketio-over-nodejs (Socket.IO 0.9, docs/socketio-09.md) connects namespace {@code /c}, which is channel {@code c}.
     */
    private static WsClient joined(TestBridge bridge, String family) throws Exception {
        if (family.equals("socketio-over-nodejs")) {
            HttpResponse<String> handshake = HTTP.send(HttpRequest.newBuilder(bridge.http("/socket.io/1/?t=1&family=socketio-over-nodejs"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            WsClient c = WsClient.connect(bridge.ws("/socket.io/1/websocket/" + handshake.body().split(":")[0]));
            c.expect("1::");
            c.send("1::/c");
            c.expect("1::/c");
            return c;
        }
        if (family.equals("rtcmulticonnection")) {
            boolean first = members(bridge) == 0;
            WsClient c = WsClient.connect(bridge.ws("/socket.io/?EIO=4&transport=websocket&msgEvent=RTCMultiConnection-Message"
                    + "&userid=" + (first ? "ann" : "bob")));
            c.next(); // open
            c.send("40");
            assertTrue(c.next().startsWith("40"), "connected");
            c.send("421[\"" + (first ? "open-room" : "join-room") + "\",{\"sessionid\":\"r\"}]");
            c.expect("431[true]");
            return c;
        }
        if (family.equals("relay")) {
            WsClient c = WsClient.connect(bridge.ws("/socket.io/?EIO=4&transport=websocket&channel=c"));
            c.send("40");
            return c;
        }
        WsClient c = WsClient.connect(bridge.ws("/socket.io/?EIO=3&transport=websocket"));
        for (int i = 0; i < 4; i++) {
            c.next(); // open, 40, stunservers, turnservers
        }
        c.send("421[\"join\",\"r\"]");
        assertTrue(c.next().startsWith("431["), "joined");
        return c;
    }

    private static int members(TestBridge bridge) {
        return bridge.bridge().hub().ops().channelSnapshots().stream().mapToInt(c -> c.participants().size()).sum();
    }
}
