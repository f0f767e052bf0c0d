package org.sigbridge.web.socketio.v09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;
import org.sigbridge.web.socketio.v09.codec.V09Codec;

/**
 * The Socket.IO 0.9 wire as raw HTTP and WebSocket requests (docs/socketio-09.md): handshake (plain and JSONP), xhr-
 * and jsonp-polling, acks with and without data, \ufffd framing, namespaces, the websocket transport, heartbeats and the
 * heartbeat timeout, and each bad input answered in 0.9 terms and counted.
 */
class V09ProtocolTest {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String M = "\ufffd";

    @Test
    void handshakePollingAcksFramingAndNamespaces() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            HttpResponse<String> hs = get(bridge, "/socket.io/1/?t=1");
            assertEquals(200, hs.statusCode());
            assertTrue(hs.body().matches("[A-Za-z0-9_-]{20}:45:45:websocket,xhr-polling,jsonp-polling"), hs.body());
            String jsonp = get(bridge, "/socket.io/1/?t=1&jsonp=3").body();
            assertTrue(jsonp.matches("io\\.j\\[3]\\(\"[A-Za-z0-9_-]{20}:45:45:websocket,xhr-polling,jsonp-polling\"\\);"), jsonp);

            String a = sid(hs.body());
            assertEquals("1::", get(bridge, xhr(a)).body(), "the first poll connects the root namespace");
            assertEquals("1", post(bridge, xhr(a), "5:1+::{\"name\":\"keep-in-server\",\"args\":[\"roomA\"]}").body());
            assertEquals("6:::1", get(bridge, xhr(a)).body(), "an ack without data");
            // two packets in one POST, framed; both answers in one framed poll
            String two = frame("5:2+::{\"name\":\"get-session-info\",\"args\":[\"roomA\"]}") + frame("5:3::{\"name\":\"other\",\"args\":[]}");
            assertEquals("1", post(bridge, xhr(a), two).body());
            assertEquals(List.of("6:::2+[\"roomA\"]", "6:::3"), polled(bridge, a, 2), "a data ack, and the automatic bare ack of an id without +");
            // namespaces: any endpoint connects, and its events carry it
            assertEquals("1", post(bridge, xhr(a), "1::/room1").body());
            assertEquals("1::/room1", get(bridge, xhr(a)).body());
            assertEquals("1", post(bridge, xhr(a), "0::/room1").body());

            // jsonp-polling: the GET is a script, the POST a form field d holding a JSON string
            String b = sid(get(bridge, "/socket.io/1/?t=2").body());
            assertEquals("io.j[0](\"1::\");", get(bridge, "/socket.io/1/jsonp-polling/" + b + "?t=3&i=0").body());
            String form = "d=" + java.net.URLEncoder.encode("\"5:7+::{\\\"name\\\":\\\"get-session-info\\\",\\\"args\\\":[\\\"roomA\\\"]}\"",
                    java.nio.charset.StandardCharsets.UTF_8);
            assertEquals("1", post(bridge, "/socket.io/1/jsonp-polling/" + b + "?t=4&i=1", form).body());
            assertEquals("io.j[1](\"6:::7+[\\\"roomA\\\"]\");", get(bridge, "/socket.io/1/jsonp-polling/" + b + "?t=5&i=1").body());

            // a held GET is answered by what another session relays: the root message relay, sender excluded
            CompletableFuture<HttpResponse<String>> held = getAsync(bridge, xhr(b));
            post(bridge, xhr(a), "5:::{\"name\":\"message\",\"args\":[{\"sender\":\"u1\",\"channel\":\"roomA\",\"message\":{\"x\":1}}]}");
            assertEquals("5:::{\"name\":\"message\",\"args\":[{\"sender\":\"u1\",\"channel\":\"roomA\",\"message\":{\"x\":1}}]}", held.get().body());
            post(bridge, xhr(a), "3:::plain");
            assertEquals("5:::{\"name\":\"message\",\"args\":[\"plain\"]}", get(bridge, xhr(b)).body(), "a raw send() is the message event");
        }
    }

    @Test
    void theWebSocketTransportAndHeartbeats() throws Exception {
        try (TestBridge bridge = TestBridge.start("    socketio:\n      ping-interval: 1s\n      ping-timeout: 1s\n")) {
            String a = sid(get(bridge, "/socket.io/1/?t=1").body());
            try (WsClient ws = WsClient.connect(bridge.ws("/socket.io/1/websocket/" + a))) {
                ws.expect("1::");
                ws.send("5:1+::{\"name\":\"keep-in-server\",\"args\":[\"w\"]}");
                ws.expect("6:::1");
                ws.send("1::/ns");
                ws.expect("1::/ns");
                ws.expect("2::"); // the server's heartbeat, after ping-interval
                ws.send("2::");
                ws.expect("2::"); // the next one: the session lives on while the client answers
                // no answer now: after ping-timeout the session ends and the client is told to reconnect
                ws.expect("7:::1+0");
            }
            assertEquals("7:::1+0", get(bridge, xhr(a)).body(), "the session is gone");
            // a WebSocket for a session that is not there (or already carried) is answered in 0.9 terms
            try (WsClient ws = WsClient.connect(bridge.ws("/socket.io/1/websocket/nosuchsid"))) {
                ws.expect("7:::1+0");
            }
        }
    }

    @Test
    void aLongPollIsAnsweredWithANoopAndAnIdleSessionEnds() throws Exception {
        try (TestBridge bridge = TestBridge.start("    socketio:\n      ping-interval: 3s\n      ping-timeout: 1s\n")) {
            String a = sid(get(bridge, "/socket.io/1/?t=1").body());
            assertEquals("1::", get(bridge, xhr(a)).body());
            long start = System.nanoTime();
            String held = get(bridge, xhr(a)).body();
            assertTrue(held.equals("8::") || held.equals("2::"), "held for the poll duration, then a noop (or the heartbeat): " + held);
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(2900).toNanos());
            // no poll within the close timeout (ping-interval + ping-timeout): the session ends; a POST (which does
            // not count as a poll) tells when
            String b = sid(get(bridge, "/socket.io/1/?t=1").body());
            assertEquals("1::", get(bridge, xhr(b)).body());
            assertEquals("1", post(bridge, xhr(b), "8::").body());
            Poll.until("the idle session ends", Duration.ofSeconds(10), Duration.ofMillis(200),
                    () -> post(bridge, xhr(b), "8::").body(), "7:::1+0"::equals);
        }
    }

    @Test
    void badInputIsAnsweredInZeroNineTermsAndCounted() throws Exception {
        try (TestBridge bridge = TestBridge.start("    socketio:\n      max-http-buffer-size: 2000\n")) {
            assertEquals("7:::1+0", get(bridge, xhr("nosuchsid")).body(), "unknown sid: client not handshaken, reconnect");
            assertEquals("io.j[4](\"7:::1+0\");", get(bridge, "/socket.io/1/jsonp-polling/nosuchsid?i=4").body());
            HttpResponse<String> transport = get(bridge, "/socket.io/1/flashsocket/x");
            assertEquals(400, transport.statusCode());
            assertEquals("7:::0", transport.body(), "transport not supported");
            assertEquals(400, get(bridge, "/socket.io/1/?t=1&family=nosuch").statusCode());

            String a = sid(get(bridge, "/socket.io/1/?t=1").body());
            assertEquals("1::", get(bridge, xhr(a)).body());
            for (String bad : new String[] {"garbage", "9::", "5:x::{}", "5:::not json", "5:::{\"args\":[]}", "5:::{\"name\":1}",
                    "4:::{", M + "99" + M + "1::", M + "x" + M, "5:1+::[\"name\"]"}) {
                assertEquals("1", post(bridge, xhr(a), bad).body(), bad);
            }
            // the session survived all of it
            post(bridge, xhr(a), "5:1+::{\"name\":\"keep-in-server\",\"args\":[\"r\"]}");
            assertEquals("6:::1", get(bridge, xhr(a)).body());
            // a blacklisted event is ignored, its bare ack still sent
            post(bridge, xhr(a), "5:9::{\"name\":\"disconnect\",\"args\":[]}");
            assertEquals("6:::9", get(bridge, xhr(a)).body());

            HttpResponse<String> big = post(bridge, xhr(a), "3:::" + "x".repeat(3000));
            assertEquals(413, big.statusCode());
            assertEquals("7:::1+0", get(bridge, xhr(a)).body(), "an oversized POST ends the session");

            // a WebSocket on a session that polls is refused in 0.9 terms
            String p = sid(get(bridge, "/socket.io/1/?t=1").body());
            get(bridge, xhr(p));
            try (WsClient ws = WsClient.connect(bridge.ws("/socket.io/1/websocket/" + p))) {
                ws.expect("7:::1+0");
            }
            String metrics = get(bridge, "/metrics").body();
            Matcher counted = Pattern.compile("sigbridge_web_errors_total\\{adapter=\"web\",code=\"invalid_frame\"} (\\d+)\\.0").matcher(metrics);
            assertTrue(counted.find(), metrics);
            assertTrue(Integer.parseInt(counted.group(1)) >= 16, counted.group());
        }
    }

    @Test
    void theClientsDisconnectEndsTheSession() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            String a = sid(get(bridge, "/socket.io/1/?t=1").body());
            get(bridge, xhr(a));
            CompletableFuture<HttpResponse<String>> held = getAsync(bridge, xhr(a));
            Thread.sleep(200); // no event tells that the GET is held on the server; give it time to arrive
            post(bridge, xhr(a), "0::");
            assertEquals("0::", held.get().body());
            assertEquals("7:::1+0", get(bridge, xhr(a)).body());
        }
    }

    @Test
    void namespacesPerConnectionAreBounded() throws Exception {
        try (TestBridge bridge = TestBridge.start("    max-channels-per-connection: 2\n")) {
            String a = sid(get(bridge, "/socket.io/1/?t=1").body());
            get(bridge, xhr(a));
            post(bridge, xhr(a), frame("1::/n1") + frame("1::/n2") + frame("1::/n3"));
            assertEquals(List.of("1::/n1", "1::/n2", "7::/n3:2"), polled(bridge, a, 3), "the third is refused: unauthorized");
            post(bridge, xhr(a), "0::/n1");
            post(bridge, xhr(a), "1::/n3");
            assertEquals("1::/n3", get(bridge, xhr(a)).body(), "room again once one was left");
        }
    }

    @Test
    void theScriptsZeroNinePagesLoadAreServedUnmodified() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            java.nio.file.Path npm = java.nio.file.Path.of("npm/node_modules");
            for (String[] script : new String[][] {{"/socket.io/1/socket.io.js", "socket.io-client-0.9/dist/socket.io.js"},
                    {"/socket.io/1/socket.io.min.js", "socket.io-client-0.9/dist/socket.io.min.js"},
                    {"/socket.io/0.9.16/socket.io.js", "socket.io-client-0.9/dist/socket.io.js"},
                    {"/reliable-signaler/signaler.js", "reliable-signaler/signaler.js"}}) {
                HttpResponse<byte[]> got = HTTP.send(HttpRequest.newBuilder(bridge.http(script[0])).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, got.statusCode(), script[0] + " (built without npm? see docs/socketio-09.md): "
                        + new String(got.body(), java.nio.charset.StandardCharsets.UTF_8));
                assertTrue(java.util.Arrays.equals(java.nio.file.Files.readAllBytes(npm.resolve(script[1])), got.body()),
                        script[0] + " is the npm package's file, unmodified");
                assertTrue(got.headers().firstValue("ETag").isPresent());
            }
            String client = get(bridge, "/socket.io/1/socket.io.js").body();
            assertTrue(client.contains("io.version = '0.9.16'"), "the 0.9.16 client");
            assertTrue(get(bridge, "/reliable-signaler/signaler.js").body().contains("function initReliableSignaler"));
        }
    }

    /** Polls until {@code n} packets came (the queue may split them over several answers). */
    static List<String> polled(TestBridge bridge, String sid, int n) throws Exception {
        List<String> packets = new ArrayList<>();
        while (packets.size() < n) {
            packets.addAll(V09Codec.decodePayload(get(bridge, xhr(sid)).body()));
        }
        return packets;
    }

    static String frame(String packet) {
        return M + packet.length() + M + packet;
    }

    static String xhr(String sid) {
        return "/socket.io/1/xhr-polling/" + sid + "?t=" + System.nanoTime();
    }

    static String sid(String handshake) {
        return handshake.substring(0, handshake.indexOf(':'));
    }

    static HttpResponse<String> get(TestBridge bridge, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(bridge.http(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static CompletableFuture<HttpResponse<String>> getAsync(TestBridge bridge, String path) {
        return HTTP.sendAsync(HttpRequest.newBuilder(bridge.http(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(TestBridge bridge, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(bridge.http(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
