package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.web.WsClient;

/** Static files, cache headers and the route API, with a real HTTP client. */
class HttpSurfaceTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private TestBridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = TestBridge.start();
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(bridge.http(path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesSigbridgeJsCacheableWithAnEtagAndAnswers304WhenUnchanged() throws Exception {
        HttpResponse<String> js = get("/sigbridge.js");
        assertEquals(200, js.statusCode());
        assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertTrue(js.headers().firstValue("Cache-Control").orElse("").contains("max-age=300"));
        assertTrue(js.body().contains("function openSignalingChannel"));
        String etag = js.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, get("/sigbridge.js", "If-None-Match", etag).statusCode());
    }

    @Test
    void servesTheDemoPageAtRootRevalidatedOnEveryLoad() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElse(""));
        assertTrue(page.body().contains("/sigbridge.js"));
        assertEquals(200, get("/demo.js").statusCode());
    }

    @Test
    void routeApiNamesTheRouteAndPresenceOfAChannel() throws Exception {
        Map<String, JsonValue> local = JsonObjectReader.readObject(get("/api/route?channel=r%C3%A4um").body());
        assertEquals("\"räum\"", local.get("channel").json());
        assertEquals("\"local\"", local.get("route").json());
        assertEquals("false", local.get("present").json());
        try (WsClient member = WsClient.connect(bridge.ws("/?channel=r%C3%A4um"))) {
            member.expectPresent("räum");
            assertEquals("true", JsonObjectReader.readObject(get("/api/route?channel=r%C3%A4um").body()).get("present").json());
        }
        assertEquals("\"deny\"", JsonObjectReader.readObject(get("/api/route?channel=denied-a").body()).get("route").json());
    }

    @Test
    void servesAFaviconSoBrowsersDoNotLogA404() throws Exception {
        HttpResponse<String> icon = get("/favicon.ico");
        assertEquals(200, icon.statusCode());
        assertEquals("image/svg+xml", icon.headers().firstValue("Content-Type").orElse(""));
        assertTrue(icon.body().startsWith("<svg"), icon.body());
    }

    @Test
    void answersUnknownPathsWith404() throws Exception {
        assertEquals(404, get("/nope").statusCode());
    }

    @Test
    void demoOffServesNoPageButStillTheClient() throws Exception {
        try (TestBridge quiet = TestBridge.start("    demo: false\n")) {
            HttpResponse<String> root = http.send(HttpRequest.newBuilder(quiet.http("/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, root.statusCode());
            HttpResponse<String> js = http.send(HttpRequest.newBuilder(quiet.http("/sigbridge.js")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, js.statusCode());
        }
    }
}
