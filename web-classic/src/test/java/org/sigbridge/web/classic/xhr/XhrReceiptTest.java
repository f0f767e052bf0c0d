package org.sigbridge.web.classic.xhr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * An XHR poller that stops polling while a channels page sends to it: the message pushed out of the log before the
 * poller read it, and the one still unread when the poller is forgotten at {@code client-timeout}, are each reported
 * to the sender by envelope id; nothing is lost silently (docs/design.md §2.4, docs/reliability.md §3).
 */
class XhrReceiptTest {

    @Test
    void messagesAPollerNeverReadAreReportedToTheirSender() throws Exception {
        try (TestBridge bridge = TestBridge.start("    xhr: {log-entries: 1, client-timeout: 3s}\n");
             WsClient sender = WsClient.connect(bridge.ws("/ws/channels"))) {
            HttpClient poller = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            HttpResponse<String> first = poller.send(HttpRequest.newBuilder(bridge.http("/Home/GetData?channel=xr"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("false", first.body(), "a known poller with nothing to read");
            Poll.until("the XHR mailbox joined xr", WsClient.WAIT, () -> bridge.bridge().hub().isPresent("xr"));

            sender.send("{\"id\":\"x1\",\"channel\":\"xr\",\"data\":{\"sdp\":\"offer\"}}");
            sender.send("{\"id\":\"x2\",\"channel\":\"xr\",\"data\":{\"sdp\":\"again\"}}");
            Map<String, JsonValue> overflowed = sender.nextError(Duration.ofSeconds(20));
            assertEquals("x1", overflowed.get("id").asText(), "x2 pushed x1 out of the one-entry log: " + overflowed);
            assertTrue(overflowed.get("detail").asText().contains("left the XHR log"), overflowed.toString());
            // the poller never comes back: at client-timeout it is forgotten with x2 unread
            Map<String, JsonValue> forgotten = sender.nextError(Duration.ofSeconds(20));
            assertEquals("x2", forgotten.get("id").asText(), forgotten.toString());
            assertEquals("upstream_unavailable", forgotten.get("code").asText());
            assertTrue(forgotten.get("detail").asText().contains("xhr.client-timeout"), forgotten.toString());
        }
    }
}
