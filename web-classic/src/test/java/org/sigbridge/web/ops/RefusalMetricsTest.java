package org.sigbridge.web.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * Refused WebSocket upgrades (403 origin, 429 per-address limit, 503 draining) and XHR error responses are counted
 * in {@code /metrics}: {@code sigbridge_web_upgrades_refused_total{reason}} and {@code sigbridge_web_errors_total{code}}.
 */
class RefusalMetricsTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestBridge bridge;

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
    }

    @Test
    void countsEachRefusedUpgradeByReasonAndByItsErrorCode() throws Exception {
        bridge = TestBridge.start("    max-connections-per-address: 1\n");
        assertEquals(403, refusedStatus(() -> WsClient.connect(bridge.ws("/"), Map.of("Origin", "https://evil.example"))));
        try (WsClient first = WsClient.connect(bridge.ws("/ws/envelope?channel=r"))) {
            first.expectPresent("r");
            assertEquals(429, refusedStatus(() -> WsClient.connect(bridge.ws("/"))));
            assertEquals(202, Http.post(bridge.http("/admin/drain?deadline=1m")).statusCode());
            assertEquals(503, refusedStatus(() -> WsClient.connect(bridge.ws("/"))));
        }

        String text = Http.get(bridge.http("/metrics")).body();
        assertEquals(1.0, value(text, "sigbridge_web_upgrades_refused_total{adapter=\"web\",reason=\"origin\"}"), text);
        assertEquals(1.0, value(text, "sigbridge_web_upgrades_refused_total{adapter=\"web\",reason=\"too_many_connections\"}"));
        assertEquals(1.0, value(text, "sigbridge_web_upgrades_refused_total{adapter=\"web\",reason=\"draining\"}"));
        assertEquals(0.0, value(text, "sigbridge_web_upgrades_refused_total{adapter=\"web\",reason=\"token\"}"));
        assertEquals(3.0, value(text, "sigbridge_web_connections_refused_total{adapter=\"web\"}"));
        assertEquals(2.0, value(text, "sigbridge_web_errors_total{adapter=\"web\",code=\"not_permitted\"}"), "403 and 429");
        assertEquals(1.0, value(text, "sigbridge_web_errors_total{adapter=\"web\",code=\"shutting_down\"}"), "503");
    }

    @Test
    void countsXhrErrorResponsesByErrorCode() throws Exception {
        bridge = TestBridge.start();
        assertEquals(400, xhrPost("/Home/PostData", "other=1", Map.of()).statusCode());
        assertEquals(400, xhrPost("/Home/PostData", "message=" + URLEncoder.encode("{not json", StandardCharsets.UTF_8), Map.of())
                .statusCode());
        assertEquals(403, xhrPost("/Home/GetData", "", Map.of("Origin", "https://evil.example")).statusCode());

        String text = Http.get(bridge.http("/metrics")).body();
        assertEquals(1.0, value(text, "sigbridge_web_errors_total{adapter=\"web\",code=\"invalid_frame\"}"), text);
        assertEquals(1.0, value(text, "sigbridge_web_errors_total{adapter=\"web\",code=\"invalid_json\"}"));
        assertEquals(1.0, value(text, "sigbridge_web_errors_total{adapter=\"web\",code=\"not_permitted\"}"));
        assertEquals(0.0, value(text, "sigbridge_web_connections_refused_total{adapter=\"web\"}"), "XHR is not an upgrade");
    }

    private HttpResponse<String> xhrPost(String path, String form, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(bridge.http(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        headers.forEach(b::header);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The HTTP status of a refused WebSocket handshake. */
    private static int refusedStatus(org.junit.jupiter.api.function.Executable connect) {
        CompletionException refused = assertThrows(CompletionException.class, connect);
        return assertInstanceOf(WebSocketHandshakeException.class, refused.getCause()).getResponse().statusCode();
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertTrue(m.find(), "no series " + series + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }
}
