package org.sigbridge.web.socketio.v09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.web.socketio.v09.V09ProtocolTest.get;
import static org.sigbridge.web.socketio.v09.V09ProtocolTest.post;
import static org.sigbridge.web.socketio.v09.V09ProtocolTest.sid;
import static org.sigbridge.web.socketio.v09.V09ProtocolTest.xhr;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * A 0.9 polling session that never polls again before its close timeout, with a delivery pending: the envelope's
 * sender (a channels page) is told by envelope id, nothing is lost silently (docs/design.md §2.4,
 * docs/reliability.md §3 "Browser stall").
 */
class V09ReceiptTest {

    @Test
    void aDeliveryPendingWhenThePollerNeverCameBackIsReportedToItsSender() throws Exception {
        try (TestBridge bridge = TestBridge.start("    socketio:\n      ping-interval: 1s\n      ping-timeout: 1s\n");
             WsClient sender = WsClient.connect(bridge.ws("/ws/channels"))) {
            String b = sid(get(bridge, "/socket.io/1/?t=1&channel=r09&family=message-relay").body());
            assertEquals("1::", get(bridge, xhr(b)).body());
            assertEquals("1", post(bridge, xhr(b), "5:::{\"name\":\"message\",\"args\":[{\"sender\":\"b\",\"channel\":\"r09\",\"message\":\"hi\"}]}").body());
            Poll.until("the 0.9 session joined r09", WsClient.WAIT, () -> bridge.bridge().hub().isPresent("r09"));
            // b never polls again: what is delivered to it waits until the close timeout (2 s) ends the session
            sender.send("{\"id\":\"e09\",\"channel\":\"r09\",\"data\":{\"sdp\":\"offer\"}}");
            Map<String, JsonValue> error = sender.nextError(Duration.ofSeconds(20));
            assertEquals("e09", error.get("id").asText(), "the error names the envelope: " + error);
            assertEquals("upstream_unavailable", error.get("code").asText());
            assertTrue(error.get("detail").asText().contains("not delivered to"), error.toString());
        }
    }
}
