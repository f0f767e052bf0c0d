package org.sigbridge.web.signalr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * The classic SignalR 2 hub on a real bridge, driven by raw HTTP and WebSockets as jquery.signalR 2.x speaks
 * (docs/signalr.md#classic): negotiate, long-polling connect/poll/send/start/abort, the WebSockets transport with
 * its init, keep-alives and reconnect, the hubs script, and bad input answered in the protocol's terms.
 */
class ClassicProtocolTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String DATA = "&connectionData=" + enc("[{\"name\":\"webrtchub3\"}]");
    private static final String BROADCAST_HI = "{\"H\":\"webrtchub3\",\"M\":\"onMessageReceived\",\"A\":[\"hi\"]}";

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(TestBridge bridge, String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(bridge.http(pathAndQuery)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static CompletableFuture<HttpResponse<String>> post(TestBridge bridge, String pathAndQuery, String form) {
        return HTTP.sendAsync(HttpRequest.newBuilder(bridge.http(pathAndQuery))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A negotiated connection's token. */
    private static String negotiate(TestBridge bridge) throws Exception {
        HttpResponse<String> r = get(bridge, "/signalr/negotiate?clientProtocol=1.4" + DATA);
        assertEquals(200, r.statusCode(), r.body());
        return JsonObjectReader.readObject(r.body()).get("ConnectionToken").asText();
    }

    private static String lp(String op, String token) {
        return "/signalr/" + op + "?transport=longPolling&clientProtocol=1.4&connectionToken=" + enc(token) + DATA;
    }

    private static String body(CompletableFuture<HttpResponse<String>> r) throws Exception {
        HttpResponse<String> response = r.get(5, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    @Test
    void negotiateAnswersTheAskedProtocolVersionAndRefusesOthers() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            HttpResponse<String> r = get(bridge, "/signalr/negotiate?clientProtocol=2.1" + DATA + "&_=1");
            Map<String, JsonValue> n = JsonObjectReader.readObject(r.body());
            assertEquals("\"/signalr\"", n.get("Url").json());
            assertEquals("\"2.1\"", n.get("ProtocolVersion").json());
            assertEquals("true", n.get("TryWebSockets").json());
            assertEquals("30.0", n.get("KeepAliveTimeout").json());
            assertEquals("30.0", n.get("DisconnectTimeout").json());
            assertTrue(n.get("ConnectionToken").isString() && n.get("ConnectionId").isString(), r.body());
            HttpResponse<String> seedUrl = get(bridge, "/signalr/hubs/negotiate?clientProtocol=1.4" + DATA);
            assertEquals("\"/signalr/hubs\"", JsonObjectReader.readObject(seedUrl.body()).get("Url").json(),
                    "the seed's $.connection.hub.url = '/signalr/hubs' works too");
            assertEquals(400, get(bridge, "/signalr/negotiate?clientProtocol=9.9" + DATA).statusCode());
            assertEquals(400, get(bridge, "/signalr/negotiate?clientProtocol=1.4&connectionData=" + enc("[{\"nom\":1}")).statusCode());
            assertEquals("{\"Response\":\"pong\"}", get(bridge, "/signalr/ping?clientProtocol=1.4").body());
        }
    }

    @Test
    void longPollingConnectsSendsAndPollsWithCursors() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            String a = negotiate(bridge);
            String b = negotiate(bridge);
            assertEquals("{\"C\":\"0\",\"S\":1,\"M\":[]}", body(post(bridge, lp("connect", a), "")));
            assertEquals("{\"C\":\"0\",\"S\":1,\"M\":[]}", body(post(bridge, lp("connect", b), "")));
            assertEquals("{\"Response\":\"started\"}", get(bridge, lp("start", a)).body());
            CompletableFuture<HttpResponse<String>> held = post(bridge, lp("poll", b), "messageId=0");
            String result = body(post(bridge, lp("send", a), "data=" + enc("{\"H\":\"webRtcHub3\",\"M\":\"Send\",\"A\":[\"hi\"],\"I\":0}")));
            assertTrue(result.startsWith("{\"I\":\"0\",\"R\":\""), result);
            assertEquals("{\"C\":\"1\",\"M\":[" + BROADCAST_HI + "]}", body(held));
            assertEquals("{\"C\":\"1\",\"M\":[" + BROADCAST_HI + "]}", body(post(bridge, lp("poll", a), "messageId=0")),
                    "the sender hears its own broadcast (Clients.All)");
            CompletableFuture<HttpResponse<String>> next = post(bridge, lp("poll", b), "messageId=1");
            assertFalse(next.isDone(), "nothing new: the poll is held");
            post(bridge, lp("abort", b), "").get(5, TimeUnit.SECONDS);
            // The poll is held, or (if the abort overtook it) finds the connection gone: a global error either way.
            assertTrue(body(next).startsWith("{\"E\":\"The connection "), "a poll hears the end");
            assertTrue(body(post(bridge, lp("poll", b), "messageId=1")).startsWith("{\"E\":\"The connection is unknown"));
        }
    }

    @Test
    void unknownMethodsHubsAndBadArgumentsAreInvocationErrors() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            String a = negotiate(bridge);
            body(post(bridge, lp("connect", a), ""));
            assertEquals("{\"I\":\"1\",\"E\":\"'Nope' method could not be resolved.\"}",
                    body(post(bridge, lp("send", a), "data=" + enc("{\"H\":\"webrtchub3\",\"M\":\"Nope\",\"A\":[],\"I\":1}"))));
            assertTrue(body(post(bridge, lp("send", a), "data=" + enc("{\"H\":\"other\",\"M\":\"send\",\"A\":[\"x\"],\"I\":2}")))
                    .startsWith("{\"I\":\"2\",\"E\":\"'other' Hub could not be resolved"));
            assertEquals("{\"I\":\"3\",\"E\":\"Error binding arguments: the hub method is Send(string).\"}",
                    body(post(bridge, lp("send", a), "data=" + enc("{\"H\":\"webrtchub3\",\"M\":\"send\",\"A\":[1,2],\"I\":3}"))));
            HttpResponse<String> malformed = post(bridge, lp("send", a), "data=" + enc("{\"H\":")).get(5, TimeUnit.SECONDS);
            assertEquals(400, malformed.statusCode());
            assertEquals(400, post(bridge, lp("send", a), "nodata=1").get(5, TimeUnit.SECONDS).statusCode());
            assertEquals(400, get(bridge, "/signalr/start?transport=longPolling&clientProtocol=1.4&connectionToken=nope").statusCode());
            assertEquals(400, post(bridge, "/signalr/connect?transport=serverSentEvents&clientProtocol=1.4&connectionToken=" + enc(a), "")
                    .get(5, TimeUnit.SECONDS).statusCode(), "only webSockets and longPolling are served");
            assertTrue(bridge.web().stats().badFrames() >= 4 && bridge.web().stats().ignoredFrames() >= 2);
        }
    }

    @Test
    void theWebSocketTransportInitsRelaysKeepsAliveAndReconnectsWithWhatItMissed() throws Exception {
        try (TestBridge bridge = TestBridge.start("    signalr: {keep-alive-interval: 300ms}\n")) {
            String a = negotiate(bridge);
            String ws = "/signalr/connect?transport=webSockets&clientProtocol=1.4&connectionToken=" + enc(a) + DATA + "&tid=3";
            try (WsClient socket = WsClient.connect(bridge.ws(ws))) {
                socket.expect("{\"C\":\"0\",\"S\":1,\"M\":[]}");
                socket.send("{\"H\":\"webrtchub3\",\"M\":\"send\",\"A\":[\"hi\"],\"I\":5}");
                socket.expect("{\"C\":\"1\",\"M\":[" + BROADCAST_HI + "]}");
                assertTrue(socket.next().startsWith("{\"I\":\"5\",\"R\":\""));
                socket.send("not json");
                socket.expect("{}"); // a keep-alive: the bad frame was ignored (counted) and the connection lives
                assertTrue(bridge.web().stats().badFrames() >= 1);
            }
            // away: a message for it is kept, and the reconnect brings it
            String b = negotiate(bridge);
            body(post(bridge, lp("connect", b), ""));
            body(post(bridge, lp("send", b), "data=" + enc("{\"H\":\"webrtchub3\",\"M\":\"send\",\"A\":[\"while away\"],\"I\":0}")));
            try (WsClient again = WsClient.connect(bridge.ws(ws.replace("/connect?", "/reconnect?") + "&messageId=1"))) {
                assertEquals("{\"C\":\"2\",\"M\":[{\"H\":\"webrtchub3\",\"M\":\"onMessageReceived\",\"A\":[\"while away\"]}]}", again.next());
            }
            try (WsClient unknown = WsClient.connect(bridge.ws(ws.replace(enc(a), "nope")))) {
                assertTrue(unknown.next().startsWith("{\"E\":\"Unrecognized connectionToken"));
                assertEquals(1000, unknown.closeCode(WsClient.WAIT));
            }
        }
    }

    @Test
    void invocationsOverTheRateLimitAreRefusedAndAFloodEndsTheConnection() throws Exception {
        try (TestBridge bridge = TestBridge.start("    rate-limit: {messages-per-second: 1, burst: 1, close-after: 2}\n")) {
            String a = negotiate(bridge);
            body(post(bridge, lp("connect", a), ""));
            java.util.function.IntFunction<String> call = id -> "data=" + enc("{\"H\":\"webrtchub3\",\"M\":\"send\",\"A\":[\"x\"],\"I\":" + id + "}");
            assertTrue(body(post(bridge, lp("send", a), call.apply(1))).startsWith("{\"I\":\"1\",\"R\":"));
            assertEquals("{\"I\":\"2\",\"E\":\"rate_limited: too many messages; this call was dropped.\"}",
                    body(post(bridge, lp("send", a), call.apply(2))));
            assertEquals("{\"I\":\"3\",\"E\":\"rate_limited: too many messages; the connection was closed.\"}",
                    body(post(bridge, lp("send", a), call.apply(3))));
            assertTrue(body(post(bridge, lp("poll", a), "messageId=0")).startsWith("{\"E\":\"The connection is unknown"));
        }
    }

    @Test
    void theHubsScriptIsServedForAnyHubName() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            HttpResponse<String> script = get(bridge, "/signalr/hubs");
            assertEquals(200, script.statusCode());
            assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("application/javascript"));
            assertTrue(script.body().contains("$.hubConnection(\"/signalr\", { useDefaultPath: false })"), script.body());
            assertTrue(script.body().contains("new window.Proxy(signalR"), "any hub name makes its proxy on first use");
            assertEquals(404, get(bridge, "/signalr/other").statusCode());
        }
    }
}
