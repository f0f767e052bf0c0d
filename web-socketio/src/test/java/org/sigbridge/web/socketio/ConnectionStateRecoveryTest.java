package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.sigbridge.web.TestBridge;

/**
 * socket.io 4.6+ connection state recovery (docs/socketio.md, "Connection state recovery") with the real
 * {@code socket.io-client} 4.8 in Node ({@code npm/recovery.js}): a client whose transport breaks while its channel
 * carries three messages reconnects with {@code socket.recovered === true} and gets those three once, in order, then the
 * live one, never its own; after the window, or when the history no longer holds its position, it is told
 * {@code recovered === false}, gets a new socket id (as socket.io 4 makes a new socket when it cannot restore one) and
 * gets only what comes next. Every relayed message carries its offset as the last
 * argument. The same script against the real socket.io 4.8 server with {@code connectionStateRecovery}
 * ({@code reference/recovery-server.js}, the relay written on it) gives the same transcript, recovered and not.
 */
class ConnectionStateRecoveryTest {

    private static TestBridge bridge(String history) throws Exception {
        return TestBridge.startYaml("""
                bridge:
                  shutdown-grace: 1s
                  history: %s
                adapters:
                  web:
                    type: web
                    port: 0
                    socketio:
                      connection-state-recovery:
                        max-disconnection-duration: 1s
                """.formatted(history));
    }

    private static void assertStart(List<JsonNode> lines) {
        assertEquals("{\"pid\":true,\"recoveredAtFirst\":false}", lines.get(0).toString(), lines.toString());
        assertEquals("{\"n\":0,\"offset\":\"string\"}", lines.get(1).get("first").toString(), lines.toString());
        assertEquals("null", lines.get(2).get("ownAck").toString(), lines.toString());
        assertEquals("forced close", lines.get(3).get("reason").asText(), lines.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void aClientThatComesBackWithinTheWindowGetsWhatItMissedOnceInOrder(String mode) throws Exception {
        try (TestBridge bridge = bridge("{length: 100, max-age: 2m}")) {
            List<JsonNode> lines = NodeClient.runScript("recovery.js", "http://127.0.0.1:" + bridge.port() + "/", "recovered", mode);
            assertStart(lines);
            assertEquals("{\"recovered\":true,\"sameId\":true}", lines.get(4).toString(), "recovered, with its socket id");
            assertEquals("[1,2,3,\"live\"]", lines.get(5).get("afterReconnect").toString(), lines.toString());
            assertEquals("[\"string\"]", lines.get(5).get("offsets").toString(), lines.toString());
        }
    }

    @Test
    void aClientThatComesBackAfterTheWindowIsNotRecoveredAndGetsOnlyWhatFollows() throws Exception {
        try (TestBridge bridge = bridge("{length: 100, max-age: 2m}")) {
            List<JsonNode> lines = NodeClient.runScript("recovery.js", "http://127.0.0.1:" + bridge.port() + "/", "late", "websocket");
            assertStart(lines);
            assertEquals("{\"recovered\":false,\"sameId\":false}", lines.get(4).toString(), "a new socket, with a new id");
            assertEquals("[\"live\"]", lines.get(5).get("afterReconnect").toString(), lines.toString());
        }
    }

    @Test
    void aClientWhosePositionTheHistoryDroppedIsNotRecovered() throws Exception {
        try (TestBridge bridge = bridge("{length: 3, max-age: 2m}")) { // its own and four more: offset 2 is gone
            List<JsonNode> lines = NodeClient.runScript("recovery.js", "http://127.0.0.1:" + bridge.port() + "/", "trimmed", "websocket");
            assertStart(lines);
            assertEquals("{\"recovered\":false,\"sameId\":false}", lines.get(4).toString(), "a new socket, with a new id");
            assertEquals("[\"live\"]", lines.get(5).get("afterReconnect").toString(), lines.toString());
        }
    }

    /**
     * The differential check: recovered within the window, and not after it (a new socket id and pid), the reference
     * socket.io 4.8 server and sigbridge give the same transcript line for line. (The history's length has no
     * counterpart there: socket.io keeps what the window holds, so {@code trimmed} is sigbridge's only.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"recovered", "late"})
    void theReferenceSocketIoServerGivesTheSameTranscript(String scenario) throws Exception {
        List<JsonNode> theirs;
        try (ReferenceServer server = ReferenceServer.start("recovery-server.js", "1000")) {
            theirs = NodeClient.runScript("recovery.js", "http://127.0.0.1:" + server.port() + "/", scenario, "websocket");
        }
        try (TestBridge bridge = bridge("{length: 100, max-age: 2m}")) {
            List<JsonNode> ours = NodeClient.runScript("recovery.js", "http://127.0.0.1:" + bridge.port() + "/", scenario, "websocket");
            assertEquals(theirs, ours, "socket.io 4.8 against sigbridge, " + scenario);
        }
    }
}
