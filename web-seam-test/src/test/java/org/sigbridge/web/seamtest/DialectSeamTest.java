package org.sigbridge.web.seamtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.ConfigException;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * The web host's dialect seam, proven with a dialect that comes from this module alone ({@link UpperEchoDialect}) and
 * one config line: it is served through the real Jetty host beside the classic dialects, and not at all when the
 * {@code dialects} key leaves it out.
 */
class DialectSeamTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aDialectFromItsOwnModuleIsServedBesideTheClassicOnes() throws Exception {
        try (TestBridge bridge = TestBridge.start("    dialects: [channels, envelope, xhr, test-echo]\n");
             WsClient echo = WsClient.connect(bridge.ws("/test-echo/room"));
             WsClient member = WsClient.connect(bridge.ws("/ws/channels"));
             WsClient other = WsClient.connect(bridge.ws("/ws/channels"))) {
            echo.send("hello seam");
            assertEquals("HELLO SEAM", echo.next());

            member.send("{\"open\":true,\"channel\":\"c\"}");
            other.send("{\"open\":true,\"channel\":\"c\"}");
            member.expectPresent("c");
            other.send("{\"channel\":\"c\",\"data\":{\"sdp\":\"v=0\"}}");
            assertEquals("{\"sdp\":\"v=0\"}", member.next());

            HttpResponse<String> info = get(bridge, "/test-echo/info");
            assertEquals(200, info.statusCode());
            assertEquals("test-echo on web", info.body());
            assertEquals(200, post(bridge, "/Home/GetData").statusCode(), "XHR is still mounted");
            assertTrue(bridge.bridge().describe().get(0).contains("(dialects: channels, envelope, xhr, test-echo;"),
                    bridge.bridge().describe().toString());
            String metrics = get(bridge, "/metrics").body();
            assertTrue(metrics.contains("sigbridge_web_connections{adapter=\"web\",dialect=\"test-echo\"} 1.0"), metrics);
            assertTrue(metrics.contains("sigbridge_web_connections{adapter=\"web\",dialect=\"channels\"} 2.0"), metrics);
        }
    }

    @Test
    void aDialectOnTheClassPathIsMountedByDefault() throws Exception {
        try (TestBridge bridge = TestBridge.start();
             WsClient echo = WsClient.connect(bridge.ws("/test-echo/"))) {
            echo.send("abc");
            assertEquals("ABC", echo.next());
        }
    }

    @Test
    void aDialectLeftOutOfTheListIsNotMountedAndItsPathFallsToTheClassicCatchAll() throws Exception {
        try (TestBridge bridge = TestBridge.start("    dialects: [channels, envelope, xhr]\n");
             WsClient socket = WsClient.connect(bridge.ws("/test-echo/room"))) {
            socket.send("hello seam");
            Map<String, JsonValue> error = socket.nextError(WsClient.WAIT);
            assertEquals("\"invalid_json\"", error.get("code").json(), "a classic socket answered: " + error);
            assertEquals(404, get(bridge, "/test-echo/info").statusCode());
            assertTrue(bridge.bridge().describe().get(0).contains("(dialects: channels, envelope, xhr;"),
                    bridge.bridge().describe().toString());
        }
    }

    @Test
    void anUnknownDialectNameIsAConfigErrorWithItsFileAndLine() {
        String yaml = """
                adapters:
                  web:
                    type: web
                    dialects: [channels, socketio]
                routes:
                  - match: "*"
                    to: local
                """;
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.withInstalledAdapters().parse(yaml, "seam.yml"));
        assertEquals(4, e.line(), e.getMessage());
        assertEquals("seam.yml:4: adapters.web.dialects[1]: unknown dialect 'socketio'; installed: channels, envelope, test-echo, xhr",
                e.getMessage());
    }

    private static HttpResponse<String> get(TestBridge bridge, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(bridge.http(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(TestBridge bridge, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(bridge.http(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
