package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.RedisExtension;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * A cluster-shared XHR session (docs/cluster.md §2, "Bounds") holds at most {@code xhr.log-entries} unread messages on
 * an instance; one more is refused and its sender told by envelope id. The hub reports no subscriber's refusal
 * ({@code Endpoint.deliver}), so the session reports it itself; before, the sender heard nothing. Real Redis, a real XHR
 * poll and a real channels page.
 */
class XhrSessionFullTest {

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    @Test
    void aMessageBeyondTheSessionsUnreadBoundIsReportedToItsSenderById() throws Exception {
        String yaml = """
                bridge:
                  name: x
                  shutdown-grace: 1s
                adapters:
                  web:
                    type: web
                    port: 0
                    rate-limit: { messages-per-second: 100000, burst: 100000 }
                    xhr: { log-entries: 2 }
                routes:
                  - match: "*"
                    to: local
                cluster:
                  redis: %s
                """.formatted(redis.server().uri());
        try (TestBridge bridge = TestBridge.startYaml(yaml);
             WsClient sender = WsClient.connect(bridge.ws("/ws/channels"))) {
            sender.send("{\"open\":true,\"channel\":\"xr\"}");
            sender.expectPresent("xr");
            XhrPoller poller = new XhrPoller("p");
            URI base = URI.create("http://127.0.0.1:" + bridge.port() + "/");
            assertEquals(200, poller.poll(base, 0, "xr").status(), "the poll names the channel");
            Poll.until("the XHR session on the channel", WsClient.WAIT, () -> bridge.bridge().hub().ops().channelSnapshots().stream()
                    .filter(c -> c.name().equals("xr")).mapToInt(c -> c.participants().size()).sum() == 2);
            for (int i = 1; i <= 3; i++) { // it never polls again: two wait, the third is one too many
                sender.send("{\"id\":\"x" + i + "\",\"channel\":\"xr\",\"data\":" + i + "}");
            }
            Map<String, JsonValue> error = sender.nextError(Duration.ofSeconds(20));
            assertEquals("x3", error.get("id").asText(), "the error names the envelope: " + error);
            assertEquals("upstream_unavailable", error.get("code").asText());
            assertTrue(error.get("detail").asText().contains("xhr.log-entries"), error.toString());
        }
    }
}
