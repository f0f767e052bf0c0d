package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * The Engine.IO 4 / Socket.IO v5 wire as raw HTTP and WebSocket requests: the handshake and its fields, polling
 * exchanges, and each bad input answered as the reference server answers it (docs/dialects.md §7.3, docs/socketio.md).
 */
class EngineProtocolTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SID = Pattern.compile("\"sid\":\"([^\"]+)\"");

    @Test
    void handshakeConnectAndRelayOverRawPolling() throws Exception {
        try (TestBridge bridge = TestBridge.start("    socketio:\n      ping-interval: 7s\n      ping-timeout: 3s\n      max-http-buffer-size: 5000\n")) {
            HttpResponse<String> open = get(bridge, "/socket.io/?EIO=4&transport=polling&t=1&channel=raw");
            assertEquals(200, open.statusCode(), open.body());
            String a = sid(open.body());
            assertTrue(open.body().matches("0\\{\"sid\":\"[A-Za-z0-9_-]{20}\",\"upgrades\":\\[\"websocket\"],\"pingInterval\":7000,"
                    + "\"pingTimeout\":3000,\"maxPayload\":5000}"), open.body());
            assertEquals("ok", post(bridge, a, "40").body());
            assertTrue(get(bridge, poll(a)).body().matches("40\\{\"sid\":\"[A-Za-z0-9_-]{20}\"}"));

            String b = sid(get(bridge, "/socket.io/?EIO=4&transport=polling&channel=raw").body());
            assertEquals("ok", post(bridge, b, "40").body());
            get(bridge, poll(b));
            CompletableFuture<HttpResponse<String>> held = getAsync(bridge, poll(b));
            assertEquals("ok", post(bridge, a, "42[\"message\",{\"sender\":\"a\",\"channel\":\"raw\",\"message\":1}]\u001e421[\"message\",2]").body());
            String heard = held.get().body();
            if (!heard.contains("\u001e")) {
                heard = heard + "\u001e" + get(bridge, poll(b)).body();
            }
            assertEquals("42[\"message\",{\"sender\":\"a\",\"channel\":\"raw\",\"message\":1}]\u001e42[\"message\",2]", heard);
            assertEquals("431[null]", get(bridge, poll(a)).body());
        }
    }

    @Test
    void badInputIsAnsweredAsTheReferenceAnswersIt() throws Exception {
        try (TestBridge bridge = TestBridge.start("    socketio:\n      max-http-buffer-size: 2000\n")) {
            assertError(get(bridge, "/socket.io/?EIO=4&transport=polling&sid=nope"), 400, 1, "Session ID unknown");
            assertError(get(bridge, "/socket.io/?EIO=4&transport=carrier-pigeon"), 400, 0, "Transport unknown");
            assertError(get(bridge, "/socket.io/?EIO=2&transport=polling"), 400, 5, "Unsupported protocol version");
            assertError(send(bridge, "/socket.io/?EIO=4&transport=polling", "40"), 400, 2, "Bad handshake method");

            // one GET at a time: the second is refused and the session ends (the first answers CLOSE)
            String s = sid(get(bridge, "/socket.io/?EIO=4&transport=polling").body());
            CompletableFuture<HttpResponse<String>> first = getAsync(bridge, poll(s));
            Thread.sleep(200); // no event tells that the first GET is held on the server; give it time to arrive
            assertError(get(bridge, poll(s)), 400, 3, "Bad request");
            assertEquals("1", first.get().body());
            assertError(get(bridge, poll(s)), 400, 1, "Session ID unknown");

            // a malformed packet: ok, as the reference, and the session is gone
            String m = sid(get(bridge, "/socket.io/?EIO=4&transport=polling").body());
            assertEquals("ok", post(bridge, m, "9garbage").body());
            assertError(get(bridge, poll(m)), 400, 1, "Session ID unknown");

            // a malformed Socket.IO packet inside a good Engine.IO one ends the session too
            String q = sid(get(bridge, "/socket.io/?EIO=4&transport=polling").body());
            assertEquals("ok", post(bridge, q, "42{not an array}").body());
            assertError(get(bridge, poll(q)), 400, 1, "Session ID unknown");

            // a POST over max-http-buffer-size: 413 and the session ends
            String big = sid(get(bridge, "/socket.io/?EIO=4&transport=polling").body());
            assertEquals(413, post(bridge, big, "4" + "x".repeat(3000)).statusCode());
            assertError(get(bridge, poll(big)), 400, 1, "Session ID unknown");

            // binary events are refused in protocol terms
            String bin = sid(get(bridge, "/socket.io/?EIO=4&transport=polling").body());
            post(bridge, bin, "40");
            get(bridge, poll(bin));
            assertEquals("ok", post(bridge, bin, "451-5[\"up\",{\"_placeholder\":true,\"num\":0}]\u001ebAQID").body());
            String refused = get(bridge, poll(bin)).body();
            if (!refused.contains("\u001e")) {
                refused = refused + "\u001e" + get(bridge, poll(bin)).body();
            }
            assertTrue(refused.startsWith("435[{\"code\":\"invalid_frame\""), refused);
            assertTrue(refused.contains("\u001e42[\"error\",{\"code\":\"invalid_frame\""), refused);

            // counted: 4 refused requests, the overlap, 2 malformed payloads, the oversized POST, the binary event
            String metrics = get(bridge, "/metrics").body();
            Matcher counted = Pattern.compile("sigbridge_web_errors_total\\{adapter=\"web\",code=\"invalid_frame\"} (\\d+)\\.0").matcher(metrics);
            assertTrue(counted.find(), metrics);
            assertTrue(Integer.parseInt(counted.group(1)) >= 9, counted.group());
        }
    }

    @Test
    void crossOriginPagesGetCorsAndOriginsOutsideTheListAreRefused() throws Exception {
        try (TestBridge bridge = TestBridge.start("    allowed-origins: [\"http://app.example:*\"]\n")) {
            HttpResponse<String> ok = HTTP.send(HttpRequest.newBuilder(bridge.http("/socket.io/?EIO=4&transport=polling"))
                    .header("Origin", "http://app.example:3000").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertEquals("http://app.example:3000", ok.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
            assertEquals("true", ok.headers().firstValue("Access-Control-Allow-Credentials").orElse(""));
            HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(bridge.http("/socket.io/?EIO=4&transport=polling"))
                    .header("Origin", "http://app.example:3000").header("Access-Control-Request-Headers", "content-type")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, preflight.statusCode());
            assertEquals("content-type", preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""));
            HttpResponse<String> evil = HTTP.send(HttpRequest.newBuilder(bridge.http("/socket.io/?EIO=4&transport=polling"))
                    .header("Origin", "http://evil.example").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertError(evil, 403, 4, "Forbidden");
        }
    }

    @Test
    void aWebSocketSessionAndThePollingUpgrade() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            try (WsClient ws = WsClient.connect(bridge.ws("/socket.io/?EIO=4&transport=websocket"))) {
                String open = ws.next();
                assertTrue(open.startsWith("0{\"sid\":") && open.contains("\"upgrades\":[]"), open);
                ws.send("40/room,{\"token\":\"x\"}");
                assertTrue(ws.next().matches("40/room,\\{\"sid\":\"[A-Za-z0-9_-]{20}\"}"));
            }
            String s = sid(get(bridge, "/socket.io/?EIO=4&transport=polling").body());
            post(bridge, s, "40");
            get(bridge, poll(s));
            CompletableFuture<HttpResponse<String>> held = getAsync(bridge, poll(s));
            try (WsClient ws = WsClient.connect(bridge.ws("/socket.io/?EIO=4&transport=websocket&sid=" + s))) {
                ws.send("2probe");
                assertEquals("3probe", ws.next());
                assertEquals("6", held.get().body(), "the held poll is answered with a noop so the client pauses");
                ws.send("5");
                ws.send("40/after,");
                assertTrue(ws.next().startsWith("40/after,{\"sid\":"), "the session now answers on the WebSocket");
                assertError(get(bridge, poll(s)), 400, 3, "Bad request");
            }
            try (WsClient bad = WsClient.connect(bridge.ws("/socket.io/?EIO=4&transport=websocket&sid=unknown"))) {
                bad.expectNothing(Duration.ofMillis(300));
            }
        }
    }

    @Test
    void eventsOverTheRateLimitAreAnsweredRateLimitedAndDropped() throws Exception {
        try (TestBridge bridge = TestBridge.start("    rate-limit:\n      messages-per-second: 1\n      burst: 2\n      close-after: 50\n")) {
            String s = sid(get(bridge, "/socket.io/?EIO=4&transport=polling&channel=rl").body());
            post(bridge, s, "40");
            get(bridge, poll(s));
            assertEquals("ok", post(bridge, s, "421[\"message\",1]\u001e422[\"message\",2]\u001e423[\"message\",3]").body());
            StringBuilder answers = new StringBuilder();
            for (int polls = 0; polls < 5 && !answers.toString().contains("\"error\""); polls++) {
                answers.append(get(bridge, poll(s)).body()).append('\u001e');
            }
            assertTrue(answers.toString().startsWith("431[null]\u001e432[null]\u001e433[{\"code\":\"rate_limited\""), answers.toString());
            assertTrue(answers.toString().contains("42[\"error\",{\"code\":\"rate_limited\""), answers.toString());
        }
    }

    @Test
    void theServerPingsAndClosesASessionThatStopsAnswering() throws Exception {
        try (TestBridge bridge = TestBridge.start("    socketio:\n      ping-interval: 300ms\n      ping-timeout: 1s\n");
             WsClient ws = WsClient.connect(bridge.ws("/socket.io/?EIO=4&transport=websocket"))) {
            assertTrue(ws.next().contains("\"pingInterval\":300,\"pingTimeout\":1000"));
            assertEquals("2", ws.next());
            ws.send("3");
            assertEquals("2", ws.next(), "a pong earns the next ping");
            assertEquals(1000, ws.closeCode(Duration.ofSeconds(5)), "no pong within ping-timeout: closed");

            String s = sid(get(bridge, "/socket.io/?EIO=4&transport=polling").body());
            assertEquals("2", get(bridge, poll(s)).body(), "a held poll carries the ping");
            // no pong: the next poll is held until ping-timeout ends the session (CLOSE), unless it came after that
            HttpResponse<String> last = get(bridge, poll(s));
            assertTrue(last.body().equals("1") || last.statusCode() == 400, last.body());
            assertError(get(bridge, poll(s)), 400, 1, "Session ID unknown");
        }
    }

    private static void assertError(HttpResponse<String> r, int status, int code, String message) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("{\"code\":" + code + ",\"message\":\"" + message + "\"}", r.body());
    }

    private static String poll(String sid) {
        return "/socket.io/?EIO=4&transport=polling&sid=" + sid;
    }

    private static String sid(String openPacket) {
        Matcher m = SID.matcher(openPacket);
        assertTrue(m.find(), openPacket);
        return m.group(1);
    }

    private static HttpResponse<String> get(TestBridge bridge, String path) throws Exception {
        return getAsync(bridge, path).get();
    }

    private static CompletableFuture<HttpResponse<String>> getAsync(TestBridge bridge, String path) {
        return HTTP.sendAsync(HttpRequest.newBuilder(bridge.http(path)).timeout(Duration.ofSeconds(40)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(TestBridge bridge, String sid, String body) throws Exception {
        return send(bridge, poll(sid), body);
    }

    private static HttpResponse<String> send(TestBridge bridge, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(bridge.http(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
