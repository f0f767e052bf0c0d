package org.sigbridge.web.signalr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sigbridge.web.TestBridge;

/**
 * The real npm {@code @microsoft/signalr} 10 client in Node held to each HTTP transport the hubs serve
 * (docs/signalr.md#transports): Long Polling and Server-Sent Events, each with HTTP POSTs for what the client sends.
 * The same scenarios as over WebSockets ({@link SignalRClientTest}): the broadcast heard by every connection of the hub,
 * completions with errors, and a clean stop.
 */
class SignalRTransportsTest {

    @Test
    void theClientHeldToLongPollingBroadcastsGetsCompletionsAndStops() throws Exception {
        scenariosOver("LongPolling", "LongPollingTransport");
    }

    @Test
    void theClientHeldToServerSentEventsBroadcastsGetsCompletionsAndStops() throws Exception {
        scenariosOver("ServerSentEvents", "ServerSentEventsTransport");
    }

    private static void scenariosOver(String transport, String clientClass) throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            List<JsonNode> broadcast = NodeSignalR.run(bridge.port(), "broadcast", transport);
            String text = "{\"message\":{\"sdp\":\"v=0\",\"n\":1},\"channel\":\"room1\"}";
            assertEquals(text, broadcast.get(0).get("received").asText(), broadcast.toString());
            assertEquals(text, broadcast.get(0).get("echo").asText(), "Clients.All: the sender hears its own broadcast");
            assertTrue(broadcast.get(0).get("result").isTextual(), broadcast.toString());
            assertEquals("hello \u00e9", broadcast.get(1).get("plain").asText());
            assertEquals("{\"cHeard\":0,\"ids\":true}", broadcast.get(2).toString());

            List<JsonNode> errors = NodeSignalR.run(bridge.port(), "errors", transport);
            assertEquals("Unknown hub method 'NoSuchMethod'", errors.get(0).get("unknown").asText(), errors.toString());
            assertTrue(errors.get(1).get("binding").asText().contains("Error binding arguments"), errors.toString());
            assertEquals("Connected", errors.get(2).get("state").asText());
            assertEquals("still here", errors.get(2).get("echo").asText());
            assertEquals(clientClass, errors.get(3).get("transport").asText(), "the client used " + transport);

            List<JsonNode> stop = NodeSignalR.run(bridge.port(), "stop", transport);
            assertEquals("{\"closedError\":null,\"state\":\"Disconnected\"}", stop.get(0).toString());
            assertEquals("alone", stop.get(1).get("echo").asText());
        }
    }
}
