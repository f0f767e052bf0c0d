package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sigbridge.web.TestBridge;

/**
 * socket.io 4.6+ connection state recovery for the RTCMultiConnection family (docs/socketio.md, "Connection state
 * recovery") with the real socket.io-client 4.8 in Node ({@code npm/rmc-recovery.js}): bob's transport breaks while
 * alice keeps messaging him and carol joins the room; bob comes back within the window with
 * {@code socket.recovered === true} and the same socket id, and gets everything he was sent meanwhile once, in order,
 * then the live message — and not carol's message to alice; alice never hears him leave. After the window he is told
 * {@code recovered === false}, alice hears {@code user-disconnected}, and he gets only what comes next.
 */
class RmcRecoveryTest {

    private static TestBridge bridge() throws Exception {
        return TestBridge.startYaml("""
                bridge:
                  shutdown-grace: 1s
                adapters:
                  web:
                    type: web
                    port: 0
                    socketio:
                      connection-state-recovery:
                        max-disconnection-duration: 1s
                """);
    }

    private static List<JsonNode> run(TestBridge bridge, String scenario, String mode) throws Exception {
        List<JsonNode> lines = NodeClient.runScript("rmc-recovery.js", "http://127.0.0.1:" + bridge.port() + "/", scenario, mode);
        assertEquals("{\"pid\":true}", lines.get(0).toString(), lines.toString());
        assertEquals("{\"opened\":true}", lines.get(1).toString(), lines.toString());
        assertEquals("{\"joined\":true}", lines.get(2).toString(), lines.toString());
        assertEquals("forced close", lines.get(3).get("reason").asText(), lines.toString());
        assertEquals("{\"carolJoined\":true}", lines.get(4).toString(), lines.toString());
        return lines;
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void aUserThatComesBackWithinTheWindowGetsWhatItWasSentOnceInOrder(String mode) throws Exception {
        try (TestBridge bridge = bridge()) {
            List<JsonNode> lines = run(bridge, "recovered", mode);
            assertEquals("{\"recovered\":true,\"sameId\":true}", lines.get(5).toString(), lines.toString());
            JsonNode after = lines.get(6);
            // the ledger: each message sent to bob while he was away exactly once, in order, then the live one
            assertEquals("[5,6,7,8,9,\"request:carol\",\"live\"]", after.get("afterReconnect").toString(), lines.toString());
            assertEquals("[\"bob\"]", after.get("to").toString(), "only what was addressed to bob (or his room)");
            assertEquals("[\"string\"]", after.get("offsets").toString(), "every event carries its offset");
            assertEquals("[]", after.get("aliceSawBobLeave").toString(), "a blip is not a leave");
        }
    }

    @Test
    void aUserThatComesBackAfterTheWindowStartsAfreshAndItsPeersHeardItLeave() throws Exception {
        try (TestBridge bridge = bridge()) {
            List<JsonNode> lines = run(bridge, "late", "websocket");
            assertEquals("{\"recovered\":false,\"sameId\":false}", lines.get(5).toString(), "a new socket, with a new id");
            JsonNode after = lines.get(6);
            assertEquals("[\"live\"]", after.get("afterReconnect").toString(), lines.toString());
            assertEquals("[\"bob\"]", after.get("aliceSawBobLeave").toString(), lines.toString());
        }
    }
}
