package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * The Engine.IO 3 / Socket.IO v4 wire as raw HTTP and WebSocket requests (docs/dialects.md §7.2): the open packet with
 * Engine.IO 3's fields, the unprompted {@code 40}, both polling framings, client pings, the upgrade, and bad input
 * answered in Engine.IO 3 terms.
 */
class Eio3ProtocolTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SID = Pattern.compile("\"sid\":\"([^\"]+)\"");

    @Test
    void binaryFramingByDefaultWithTheOpenPacketAndTheUnpromptedConnect() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            HttpResponse<byte[]> open = getBytes(bridge, "/socket.io/?EIO=3&transport=polling&t=1&channel=raw3");
            assertEquals(200, open.statusCode());
            assertEquals("application/octet-stream", open.headers().firstValue("Content-Type").orElse(""));
            String text = new String(open.body(), StandardCharsets.ISO_8859_1);
            Matcher m = Pattern.compile("\u0000([\u0000-\u0009]+)\u00ff(0\\{[^\u0000]*})").matcher(text);
            assertTrue(m.find(), text);
            String packet = m.group(2);
            assertTrue(packet.matches("0\\{\"sid\":\"[A-Za-z0-9_-]{20}\",\"upgrades\":\\[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":60000}"),
                    packet);
            assertEquals(packet.length(), digits(m.group(1)), "the length is one byte per decimal digit");
            String sid = sid(packet);
            byte[] connect = text.endsWith("\u0000\u0002\u00ff40") ? null : getBytes(bridge, poll(sid)).body();
            if (connect != null) { // the 40 came in a poll of its own
                assertArrayEquals(new byte[] {0, 2, (byte) 0xFF, '4', '0'}, connect);
            }

            // a client ping is answered with a pong carrying the same data; a POST answers ok
            assertEquals("ok", post(bridge, sid, "1:2").body());
            byte[] pong = getBytes(bridge, poll(sid)).body();
            assertArrayEquals(new byte[] {0, 1, (byte) 0xFF, '3'}, pong, new String(pong, StandardCharsets.ISO_8859_1));

            // an event with an ack, text beyond ASCII as a 2.x client posts it: the ack comes back binary-framed
            String event = "421[\"message\",{\"t\":\"h\u00e9\u2603\"}]";
            assertEquals("ok", post(bridge, sid, event.length() + ":" + event).body());
            assertArrayEquals(frame("431[null]"), getBytes(bridge, poll(sid)).body());
        }
    }

    @Test
    void textFramingForB64ClientsAndSocketIo1sUtf8LayerOnPosts() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            String open = get(bridge, "/socket.io/?EIO=3&transport=polling&b64=1&channel=raw3t").body();
            assertTrue(open.matches("\\d+:0\\{\"sid\":\"[A-Za-z0-9_-]{20}\",.*"), open);
            String a = sid(open);
            if (!open.endsWith("2:40")) {
                assertEquals("2:40", get(bridge, poll(a) + "&b64=1").body());
            }
            String b = sid(get(bridge, "/socket.io/?EIO=3&transport=polling&b64=1&channel=raw3t").body());
            get(bridge, poll(b) + "&b64=1"); // its 40, if it came apart
            CompletableFuture<HttpResponse<String>> held = getAsync(bridge, poll(b) + "&b64=1");
            // socket.io 1.x writes "é☃" as the characters of its UTF-8 bytes, and the length counts them
            String layered = new String("42[\"message\",\"h\u00e9\u2603\"]".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            assertEquals("ok", post(bridge, a, layered.length() + ":" + layered).body());
            String heard = held.get().body();
            assertEquals("29:42[\"message\",\"h\\u00e9\\u2603\"]", heard, "beyond ASCII goes out as JSON escapes, read alike by 1.x and 2.x");
        }
    }

    @Test
    void jsonpPollingAnswersScriptsAndReadsFormPosts() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            HttpResponse<String> open = get(bridge, "/socket.io/?EIO=3&transport=polling&j=2&channel=jsonp");
            assertEquals("text/javascript; charset=UTF-8", open.headers().firstValue("Content-Type").orElse(""));
            assertTrue(open.body().startsWith("___eio[2](\"") && open.body().contains(":0{\\\"sid\\\":") && open.body().endsWith("\");"),
                    open.body());
            String s = sid(open.body().replace("\\\"", "\""));
            String jsonp = "/socket.io/?EIO=3&transport=polling&j=2&sid=" + s;
            if (!open.body().contains("2:40")) {
                assertEquals("___eio[2](\"2:40\");", get(bridge, jsonp).body());
            }
            // the client escapes newlines: \n is a newline, \\n a backslash-n; the form is URL-encoded
            String event = "421[\"message\",\"a\\nb\"]";
            String escaped = (event.length() + ":" + event).replace("\\n", "\\\\n");
            HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(bridge.http(jsonp))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("d=" + java.net.URLEncoder.encode(escaped, StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("ok", posted.body());
            assertEquals("___eio[2](\"9:431[null]\");", get(bridge, jsonp).body());
        }
    }

    @Test
    void badInputIsAnsweredInEngineIo3Terms() throws Exception {
        try (TestBridge bridge = TestBridge.start("    socketio:\n      max-http-buffer-size: 2000\n")) {
            assertError(get(bridge, "/socket.io/?EIO=3&transport=polling&sid=nope"), 400, 1, "Session ID unknown");
            assertError(get(bridge, "/socket.io/?EIO=3&transport=flash"), 400, 0, "Transport unknown");
            assertError(send(bridge, "/socket.io/?EIO=3&transport=polling", "1:2"), 400, 2, "Bad handshake method");

            for (String malformed : new String[] {"5:2", "x:2", ":2", "2", "99999999999:2", "1:9"}) {
                String s = sid(get(bridge, "/socket.io/?EIO=3&transport=polling&b64=1").body());
                assertEquals("ok", post(bridge, s, malformed).body(), malformed);
                assertError(get(bridge, poll(s)), 400, 1, "Session ID unknown");
            }
            String binary = sid(get(bridge, "/socket.io/?EIO=3&transport=polling").body());
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(bridge.http(poll(binary))).header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0, 9, 9, (byte) 0xFF, '2'})).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("ok", r.body());
            assertError(get(bridge, poll(binary)), 400, 1, "Session ID unknown");

            String big = sid(get(bridge, "/socket.io/?EIO=3&transport=polling").body());
            assertEquals(413, post(bridge, big, "3001:4" + "x".repeat(3000)).statusCode());
            assertError(get(bridge, poll(big)), 400, 1, "Session ID unknown");
        }
    }

    @Test
    void theWebSocketUpgradeAndClientPingsOverIt() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            String s = sid(get(bridge, "/socket.io/?EIO=3&transport=polling&b64=1").body());
            get(bridge, poll(s) + "&b64=1");
            CompletableFuture<HttpResponse<String>> held = getAsync(bridge, poll(s) + "&b64=1");
            try (WsClient ws = WsClient.connect(bridge.ws("/socket.io/?EIO=3&transport=websocket&sid=" + s))) {
                ws.send("2probe");
                assertEquals("3probe", ws.next());
                assertEquals("1:6", held.get().body(), "the held poll is answered with a noop so the client pauses");
                ws.send("5");
                ws.send("2");
                assertEquals("3", ws.next());
                ws.send("40/chat?x=1");
                assertEquals("40/chat,", ws.next(), "protocol v4 answers a namespace connect without a payload");
                ws.send("42/chat,[\"message\",1]");
                ws.send("40/chat");
                assertTrue(ws.next().startsWith("44/chat,\"already connected"), "a second connect is an error packet with a string");
            }
            try (WsClient ws = WsClient.connect(bridge.ws("/socket.io/?EIO=3&transport=websocket"))) {
                String open = ws.next();
                assertTrue(open.startsWith("0{\"sid\":") && open.contains("\"upgrades\":[]") && !open.contains("maxPayload"), open);
                assertEquals("40", ws.next());
                // a root socket without a channel may be a SimpleWebRTC page: greeted as signal-master greets
                assertEquals("42[\"stunservers\",[{\"urls\":\"stun:stun.l.google.com:19302\"}]]", ws.next());
                assertEquals("42[\"turnservers\",[]]", ws.next());
            }
        }
    }

    @Test
    void aSilentSessionIsClosedAfterPingIntervalPlusPingTimeout() throws Exception {
        try (TestBridge bridge = TestBridge.start("    socketio:\n      ping-interval: 1s\n      eio3-ping-timeout: 1s\n");
             WsClient ws = WsClient.connect(bridge.ws("/socket.io/?EIO=3&transport=websocket&channel=quiet"))) {
            assertTrue(ws.next().contains("\"pingInterval\":1000,\"pingTimeout\":1000"));
            assertEquals("40", ws.next());
            // pings 0.5 s apart keep it open past the 2 s window (interval + timeout: a window wide enough that a loaded
            // machine's scheduling delay between two pings cannot close it)
            for (int i = 0; i < 6; i++) {
                ws.send("2");
                assertEquals("3", ws.next());
                ws.expectNothing(Duration.ofMillis(500));
            }
            assertEquals(1000, ws.closeCode(Duration.ofSeconds(10)), "no ping within 2 s: closed");
        }
    }

    private static int digits(String lengthBytes) {
        int n = 0;
        for (char c : lengthBytes.toCharArray()) {
            n = n * 10 + c;
        }
        return n;
    }

    private static byte[] frame(String packet) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = packet.getBytes(StandardCharsets.UTF_8);
        out.write(0);
        for (char c : Integer.toString(bytes.length).toCharArray()) {
            out.write(c - '0');
        }
        out.write(0xFF);
        out.writeBytes(bytes);
        return out.toByteArray();
    }

    private static void assertError(HttpResponse<String> r, int status, int code, String message) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("{\"code\":" + code + ",\"message\":\"" + message + "\"}", r.body());
    }

    private static String poll(String sid) {
        return "/socket.io/?EIO=3&transport=polling&sid=" + sid;
    }

    private static String sid(String openPacket) {
        Matcher m = SID.matcher(openPacket);
        assertTrue(m.find(), openPacket);
        return m.group(1);
    }

    private static HttpResponse<String> get(TestBridge bridge, String path) throws Exception {
        return getAsync(bridge, path).get();
    }

    private static HttpResponse<byte[]> getBytes(TestBridge bridge, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(bridge.http(path)).timeout(Duration.ofSeconds(40)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
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
