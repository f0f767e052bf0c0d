package org.sigbridge.web.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * Which paths the classic dialects mount: their own WebSocket paths, the catch-all on every other path (as the
 * single-file host served it on {@code /*}), and the XHR endpoints; and what the {@code dialects} key changes.
 */
class ClassicMountsTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void anUpgradeOnAnyUnclaimedPathIsASocketThatRecognisesItsDialectFromTheFirstFrame() throws Exception {
        try (TestBridge bridge = TestBridge.start();
             WsClient channels = WsClient.connect(bridge.ws("/some/deep/path"));
             WsClient envelope = WsClient.connect(bridge.ws("/Home/PostData"));
             WsClient undecided = WsClient.connect(bridge.ws("/ws/channelsx"))) {
            channels.send("{\"open\":true,\"channel\":\"c\"}");
            channels.expectPresent("c");
            envelope.send("{\"sender\":\"e\",\"channel\":\"c\",\"message\":{\"n\":1}}");
            assertEquals("{\"n\":1}", channels.next(), "the catch-all socket that opened delivers like channels");
            undecided.expectPresent("c");
            String metrics = get(bridge, "/metrics");
            assertTrue(metrics.contains("sigbridge_web_connections{adapter=\"web\",dialect=\"envelope\"} 1.0"), metrics);
            assertTrue(metrics.contains("sigbridge_web_connections{adapter=\"web\",dialect=\"undecided\"} 2.0"), metrics);
            assertTrue(metrics.contains("sigbridge_web_connections{adapter=\"web\",dialect=\"channels\"} 0.0"), metrics);
        }
    }

    @Test
    void withOnlyTheEnvelopeDialectEveryUnclaimedPathSpeaksEnvelopeAndXhrIsNotMounted() throws Exception {
        try (TestBridge bridge = TestBridge.start("    dialects: [envelope]\n");
             WsClient a = WsClient.connect(bridge.ws("/"));
             WsClient b = WsClient.connect(bridge.ws("/ws/channels?channel=c"))) {
            b.expectPresent("c");
            a.send("{\"channel\":\"c\",\"data\":\"x\"}");
            assertEquals("\"invalid_frame\"", a.nextError(WsClient.WAIT).get("code").json());
            a.send("{\"sender\":\"a\",\"channel\":\"c\",\"message\":\"hi\"}");
            assertTrue(b.nextEnvelope(WsClient.WAIT).get("message").json().equals("\"hi\""));
            assertEquals(404, HTTP.send(HttpRequest.newBuilder(bridge.http("/Home/GetData")).POST(HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertTrue(bridge.bridge().describe().get(0).contains("(dialects: envelope;"), bridge.bridge().describe().toString());
        }
    }

    @Test
    void withOnlyTheChannelsDialectTheCatchAllSpeaksChannelsOnly() throws Exception {
        try (TestBridge bridge = TestBridge.start("    dialects: [channels]\n");
             WsClient a = WsClient.connect(bridge.ws("/ws/envelope"));
             WsClient b = WsClient.connect(bridge.ws("/?channel=c"))) {
            b.expectPresent("c");
            a.send("{\"sender\":\"a\",\"channel\":\"c\",\"message\":\"hi\"}");
            assertEquals("\"invalid_frame\"", a.nextError(WsClient.WAIT).get("code").json());
            a.send("{\"channel\":\"c\",\"data\":\"hi\"}");
            assertEquals("\"hi\"", b.next(), "a ?channel= socket stays a channels socket");
        }
    }

    private static String get(TestBridge bridge, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(bridge.http(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
