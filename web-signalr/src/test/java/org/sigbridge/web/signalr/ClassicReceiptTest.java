package org.sigbridge.web.signalr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * A classic SignalR 2 long-polling connection that never polls again, with a broadcast kept for it: when the
 * connection times out, the envelope's sender (a channels page) is told by envelope id, nothing is lost silently
 * (docs/design.md §2.4, docs/reliability.md §3 "Browser stall"). And told once: a classic connection over WebSocket
 * that stops reading is closed as a slow consumer, and the envelope its full queue refused is reported by the socket's
 * writer alone (the connection reported it a second time).
 */
class ClassicReceiptTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String DATA = "&connectionData=" + enc("[{\"name\":\"webrtchub3\"}]");

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> send(TestBridge bridge, HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBroadcastKeptForAConnectionThatTimesOutIsReportedToItsSender() throws Exception {
        try (TestBridge bridge = TestBridge.start("    signalr: {keep-alive-interval: 300ms, client-timeout: 1s}\n");
             WsClient sender = WsClient.connect(bridge.ws("/ws/channels"))) {
            HttpResponse<String> n = send(bridge, HttpRequest.newBuilder(bridge.http("/signalr/negotiate?clientProtocol=1.4" + DATA)));
            String token = JsonObjectReader.readObject(n.body()).get("ConnectionToken").asText();
            String lp = "?transport=longPolling&clientProtocol=1.4&connectionToken=" + enc(token) + DATA;
            HttpResponse<String> connect = send(bridge, HttpRequest.newBuilder(bridge.http("/signalr/connect" + lp))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals("{\"C\":\"0\",\"S\":1,\"M\":[]}", connect.body());
            Poll.until("the classic connection joined its hub's channel", WsClient.WAIT,
                    () -> bridge.bridge().hub().isPresent("signalr/webrtchub3"));
            // It never polls again: the broadcast is kept until client-timeout ends the connection
            sender.send("{\"id\":\"esr2\",\"channel\":\"signalr/webrtchub3\",\"data\":{\"sdp\":\"offer\"}}");
            Map<String, JsonValue> error = sender.nextError(Duration.ofSeconds(20));
            assertEquals("esr2", error.get("id").asText(), "the error names the envelope: " + error);
            assertEquals("upstream_unavailable", error.get("code").asText());
            assertTrue(error.get("detail").asText().contains("not delivered to"), error.toString());
        }
    }

    @Test
    void anEnvelopeTheFullQueueOfAStalledWebSocketConnectionRefusesIsReportedOnce() throws Exception {
        String limits = "    outbound-queue-frames: 16\n    max-frame-bytes: 65536\n"
                + "    rate-limit:\n      messages-per-second: 100000\n      burst: 100000\n";
        try (TestBridge bridge = TestBridge.start(limits);
             WsClient sender = WsClient.connect(bridge.ws("/ws/channels"))) {
            HttpResponse<String> n = send(bridge, HttpRequest.newBuilder(bridge.http("/signalr/negotiate?clientProtocol=1.4" + DATA)));
            String token = JsonObjectReader.readObject(n.body()).get("ConnectionToken").asText();
            String ws = "/signalr/connect?transport=webSockets&clientProtocol=1.4&connectionToken=" + enc(token) + DATA + "&tid=1";
            try (WsClient stalled = WsClient.connectNotReading(bridge.ws(ws))) {
                Poll.until("the classic connection joined its hub's channel", WsClient.WAIT,
                        () -> bridge.bridge().hub().isPresent("signalr/webrtchub3"));
                String fill = "c".repeat(30_000);
                int afterClose = 0;
                for (int i = 0; i < 4000 && afterClose < 3; i++) {
                    if (bridge.web().stats().slowConsumers() > 0) {
                        afterClose++;
                    }
                    sender.send("{\"id\":\"s" + i + "\",\"channel\":\"signalr/webrtchub3\",\"data\":\"" + fill + "\"}");
                }
                assertTrue(afterClose > 0, "the stalled connection was never closed as a slow consumer");
                // Frames of one socket are handled in order: the answer comes after every report its publishes made
                sender.send("{\"checkPresence\":true,\"channel\":\"signalr/webrtchub3\"}");
                List<Map<String, JsonValue>> frames = new java.util.ArrayList<>();
                Poll.until("the sender's presence answer", Duration.ofSeconds(20), Duration.ofMillis(20), () -> {
                    frames.addAll(sender.drain());
                    return frames.stream().anyMatch(f -> f.containsKey("isChannelPresent"));
                }, found -> found);
                Map<String, Integer> reports = new HashMap<>();
                for (Map<String, JsonValue> f : frames) {
                    if (f.containsKey("error")) {
                        reports.merge(JsonObjectReader.readObject(f.get("error").json()).get("id").asText(), 1, Integer::sum);
                    }
                }
                assertTrue(!reports.isEmpty(), "the refused envelope was reported");
                assertEquals(Map.of(), Map.copyOf(reports.entrySet().stream().filter(e -> e.getValue() > 1)
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))), "reported more than once");
            }
        }
    }
}
