package org.sigbridge.web.signalr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * (docs/design.md §2.4, docs/reliability.md §3 "Browser stall").
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
}
