package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sigbridge.web.TestBridge;

/**
 * The real npm {@code socket.io-client} 4.8 in Node against the bridge, over polling only, WebSocket only, and polling
 * upgraded to WebSocket: the {@code message} relay on a channel (sender excluded, other channels not hearing it),
 * acks, a namespace heard by sockets that joined nothing, and a reconnect.
 */
class SocketIoClientTest {

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket", "upgrade"})
    void twoClientsRelayOnAChannelWithAcks(String mode) throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            List<JsonNode> lines = NodeClient.run(bridge.port(), "relay", mode);
            JsonNode first = lines.get(0);
            assertTrue(first.get("ack").isNull(), "the ack of a relayed message is ack(null): " + lines);
            assertEquals("{\"sender\":\"alice\",\"channel\":\"room1\",\"message\":{\"sdp\":\"v=0\",\"n\":1}}",
                    first.get("received").toString());
            assertEquals(mode.equals("polling") ? "polling" : "websocket", first.get("transport").asText(), lines.toString());
            assertEquals("{\"sender\":\"bob\",\"channel\":\"room1\",\"message\":\"hi\"}", lines.get(1).get("back").toString());
            assertEquals("{\"cHeard\":false,\"aHeardOwn\":false}", lines.get(2).toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void socketsThatJoinedNothingHearTheirNamespace(String mode) throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            List<JsonNode> lines = NodeClient.run(bridge.port(), "namespace", mode);
            assertEquals("{\"sender\":\"x\",\"channel\":\"anything\",\"message\":1}", lines.get(0).get("received").toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void aRefusedChannelIsReportedAsAnErrorEventAndInTheAck(String mode) throws Exception {
        try (TestBridge bridge = TestBridge.start()) { // routes denied-* to deny
            List<JsonNode> lines = NodeClient.run(bridge.port(), "denied", mode);
            JsonNode joinError = lines.get(0).get("joinError");
            assertEquals("\"not_permitted\"", joinError.get("code").toString(), lines.toString());
            assertTrue(joinError.get("detail").asText().contains("denied-x"), lines.toString());
            JsonNode ack = lines.get(1).get("ack");
            assertEquals("\"not_permitted\"", ack.get("code").toString(), lines.toString());
            assertEquals(ack, lines.get(1).get("sendError"), "the ack and the error event carry the same error");
            assertTrue(ack.get("id").isTextual(), lines.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void aClientThatLostItsTransportReconnectsAndRelaysAgain(String mode) throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            List<JsonNode> lines = NodeClient.run(bridge.port(), "reconnect", mode);
            assertEquals("{\"reconnected\":true,\"newId\":true}", lines.get(0).toString());
            assertEquals("{\"sender\":\"a\",\"channel\":\"rc\",\"message\":\"after\"}", lines.get(1).get("received").toString());
        }
    }
}
