package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sigbridge.web.TestBridge;

/**
 * The real npm {@code socket.io-client} 1.7.4 and 2.5 (Engine.IO 3, Socket.IO protocol v4) in Node against the bridge,
 * over polling only, WebSocket only, and polling upgraded to WebSocket: the {@code message} relay on a channel with
 * acks and the sender excluded, a socket.io-client 4.8 in the same channel hearing and heard by them, text outside
 * ASCII both ways, namespaces, a reconnect, and RTCMultiConnection's core events (its releases up to 3.4 used
 * socket.io 1.x/2.x).
 */
class Eio3ClientTest {

    @ParameterizedTest(name = "client {0}.x over {1}")
    @CsvSource({"1,polling", "1,websocket", "1,upgrade", "2,polling", "2,websocket", "2,upgrade"})
    void olderClientsRelayOnAChannelWithA4xClient(String client, String mode) throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            List<JsonNode> lines = NodeClient.run(bridge.port(), "relay", mode, client);
            String all = lines.toString();
            JsonNode first = lines.get(0);
            assertTrue(first.get("ack").isNull(), "the ack of a relayed message is ack(null): " + all);
            assertEquals("{\"sender\":\"alice\",\"channel\":\"room1\",\"message\":{\"sdp\":\"v=0\",\"n\":1}}",
                    first.get("received").toString());
            assertEquals(mode.equals("polling") ? "polling" : "websocket", first.get("transport").asText(), all);
            assertEquals("{\"sender\":\"bob\",\"channel\":\"room1\",\"message\":\"hi\"}", lines.get(1).get("back").toString());
            assertEquals("{\"cHeard\":false,\"aHeardOwn\":false}", lines.get(2).toString());
            JsonNode cross = lines.get(3);
            assertEquals("{\"sender\":\"alice\",\"channel\":\"room1\",\"message\":{\"sdp\":\"v=0\",\"n\":1}}", cross.get("dHeard").toString(), all);
            String fromD = "{\"sender\":\"dave\",\"channel\":\"room1\",\"message\":\"from 4.x \u00e9\u2603\ud83d\ude00\"}";
            assertEquals(fromD, cross.get("aFromD").toString(), all);
            assertEquals(fromD, cross.get("bFromD").toString(), all);
            String toD = "{\"sender\":\"alice\",\"channel\":\"room1\",\"message\":\"to 4.x \u00e9\u2603\ud83d\ude00\"}";
            assertEquals(toD, lines.get(4).get("dUnicode").toString(), all);
            assertEquals(toD, lines.get(4).get("bUnicode").toString(), all);
        }
    }

    @ParameterizedTest(name = "client {0}.x over {1}")
    @CsvSource({"1,polling", "2,websocket"})
    void socketsThatJoinedNothingHearTheirNamespace(String client, String mode) throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            List<JsonNode> lines = NodeClient.run(bridge.port(), "namespace", mode, client);
            assertEquals("{\"sender\":\"x\",\"channel\":\"anything\",\"message\":1}", lines.get(0).get("received").toString());
        }
    }

    @ParameterizedTest(name = "client {0}.x over {1}")
    @CsvSource({"1,polling", "2,polling", "2,websocket"})
    void aClientThatLostItsTransportReconnectsAndRelaysAgain(String client, String mode) throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            List<JsonNode> lines = NodeClient.run(bridge.port(), "reconnect", mode, client);
            assertEquals("{\"reconnected\":true,\"newId\":true}", lines.get(0).toString());
            assertEquals("{\"sender\":\"a\",\"channel\":\"rc\",\"message\":\"after\"}", lines.get(1).get("received").toString());
        }
    }

    @ParameterizedTest(name = "client {0}.x over {1}")
    @CsvSource({"2,polling", "1,websocket"})
    void rtcMultiConnectionsCoreWorksOverEngineIo3(String client, String mode) throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            List<JsonNode> l = NodeClient.run(bridge.port(), "rmc", mode, client);
            String all = l.toString();
            assertEquals("[true]", l.get(1).get("open").toString(), all);
            assertEquals("[true]", l.get(3).get("join").toString(), all);
            assertEquals("{\"remoteUserId\":\"alice\",\"message\":{\"newParticipationRequest\":true},\"sender\":\"bob\",\"extra\":{\"name\":\"B\"}}",
                    l.get(4).get("request").toString(), all);
            assertEquals("{\"remoteUserId\":\"bob\",\"message\":{\"sdp\":\"v=0\"},\"sender\":\"alice\",\"extra\":{\"name\":\"A\"}}",
                    l.get(5).get("offer").toString(), all);
            assertEquals("\"bob\"", l.get(9).get("left").toString(), all);
            assertEquals("\"r1\"", l.get(11).get("newOwnerOf").toString(), all);
        }
    }
}
