package org.sigbridge.web.signalr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sigbridge.web.TestBridge;

/**
 * The real npm {@code @microsoft/signalr} 10 client in Node against the bridge's hubs over WebSockets: negotiate,
 * handshake, {@code Send} heard as {@code onMessageReceived} by every connection of the hub (the sender too), routing by
 * the channel inside the text, completions with errors, {@code skipNegotiation}, keep-alive pings, the client timeout
 * and a clean stop.
 */
class SignalRClientTest {

    @Test
    void sendIsHeardByEveryConnectionOfTheHubAndNotByAnotherHub() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            List<JsonNode> lines = NodeSignalR.run(bridge.port(), "broadcast");
            String text = "{\"message\":{\"sdp\":\"v=0\",\"n\":1},\"channel\":\"room1\"}";
            JsonNode first = lines.get(0);
            assertEquals(text, first.get("received").asText(), lines.toString());
            assertEquals(text, first.get("echo").asText(), "Clients.All: the sender hears its own broadcast");
            assertTrue(first.get("result").isTextual() && !first.get("result").asText().isEmpty(),
                    "the completion's result is the envelope id: " + lines);
            assertEquals("hello \u00e9", lines.get(1).get("plain").asText());
            assertEquals("{\"cHeard\":0,\"ids\":true}", lines.get(2).toString());
        }
    }

    @Test
    void aConnectionHearsAChannelOfItsHubBeforeItSendsOnIt() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            List<JsonNode> lines = NodeSignalR.run(bridge.port(), "listenFirst");
            assertEquals("{\"message\":\"x\",\"channel\":\"room7\"}", lines.get(0).get("received").asText());
        }
    }

    @Test
    void unknownMethodsAndBadArgumentsAreCompletionErrorsAndTheConnectionStaysOpen() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            List<JsonNode> lines = NodeSignalR.run(bridge.port(), "errors");
            assertEquals("Unknown hub method 'NoSuchMethod'", lines.get(0).get("unknown").asText(), lines.toString());
            assertTrue(lines.get(1).get("binding").asText().contains("Error binding arguments"), lines.toString());
            assertEquals("Connected", lines.get(2).get("state").asText());
            assertEquals("still here", lines.get(2).get("echo").asText());
            assertTrue(bridge.web().stats().ignoredFrames() >= 2, "unknown methods are counted as ignored");
            assertTrue(bridge.web().stats().badFrames() >= 1, "a binding error is counted as a bad frame");
        }
    }

    @Test
    void aClientThatSkipsNegotiationConnectsStraightToTheSocket() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            List<JsonNode> lines = NodeSignalR.run(bridge.port(), "skipNegotiation");
            assertEquals("over a socket without negotiate", lines.get(0).get("received").asText());
        }
    }

    @Test
    void serverPingsKeepAQuietClientConnectedAndASilentClientIsClosedWithAnError() throws Exception {
        try (TestBridge bridge = TestBridge.start("    signalr: {keep-alive-interval: 500ms, client-timeout: 3s}\n")) {
            List<JsonNode> lines = NodeSignalR.run(bridge.port(), "keepAlive");
            assertEquals("{\"afterQuiet\":\"Connected\",\"closed\":null}", lines.get(0).toString());
            assertTrue(lines.get(1).get("closedBy").asText().contains("Server timeout elapsed without receiving a message from the client"),
                    lines.toString());
        }
    }

    @Test
    void aStoppedConnectionClosesCleanlyAndTheOthersGoOn() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            List<JsonNode> lines = NodeSignalR.run(bridge.port(), "stop");
            assertEquals("{\"closedError\":null,\"state\":\"Disconnected\"}", lines.get(0).toString());
            assertEquals("alone", lines.get(1).get("echo").asText());
        }
    }
}
