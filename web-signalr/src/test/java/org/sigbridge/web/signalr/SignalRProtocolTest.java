package org.sigbridge.web.signalr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * The hubs on a real bridge, driven by raw HTTP and WebSockets as the {@code @microsoft/signalr} client speaks
 * (docs/signalr.md#wire): negotiate with CORS, the handshake and its refusals, completions, pings, and bad input
 * answered with a completion error or a Close message that says why, counted, the bridge going on.
 */
class SignalRProtocolTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String RS = "\u001e";
    private static final String HANDSHAKE = "{\"protocol\":\"json\",\"version\":1}" + RS;

    static HttpResponse<String> negotiate(TestBridge bridge, String hub, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(bridge.http("/hubs/" + hub + "/negotiate?negotiateVersion=1"))
                .header("X-Requested-With", "XMLHttpRequest").POST(HttpRequest.BodyPublishers.noBody());
        if (origin != null) {
            request.header("Origin", origin);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A socket that negotiated and shook hands. */
    static WsClient connected(TestBridge bridge, String hub) throws Exception {
        Map<String, JsonValue> body = JsonObjectReader.readObject(negotiate(bridge, hub, null).body());
        WsClient ws = WsClient.connect(bridge.ws("/hubs/" + hub + "?id=" + body.get("connectionToken").asText()));
        ws.send(HANDSHAKE);
        ws.expect("{}" + RS);
        return ws;
    }

    @Test
    void negotiateAnswersAnIdATokenAndTheTransports() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            HttpResponse<String> response = negotiate(bridge, "webRtcHub3", null);
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            Map<String, JsonValue> body = JsonObjectReader.readObject(response.body());
            assertEquals("1", body.get("negotiateVersion").json());
            assertTrue(body.get("connectionId").isString() && body.get("connectionToken").isString(), response.body());
            assertEquals("[{\"transport\":\"WebSockets\",\"transferFormats\":[\"Text\"]},"
                    + "{\"transport\":\"ServerSentEvents\",\"transferFormats\":[\"Text\"]},"
                    + "{\"transport\":\"LongPolling\",\"transferFormats\":[\"Text\"]}]", body.get("availableTransports").json());
            HttpResponse<String> old = HTTP.send(HttpRequest.newBuilder(bridge.http("/hubs/h/negotiate"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            Map<String, JsonValue> v0 = JsonObjectReader.readObject(old.body());
            assertEquals("0", v0.get("negotiateVersion").json(), "a client without negotiateVersion gets version 0");
            assertTrue(!v0.containsKey("connectionToken") && v0.get("connectionId").isString(), old.body());
        }
    }

    @Test
    void negotiateGivesAnAllowedOriginCredentialedCorsAndRefusesOthers() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            HttpResponse<String> allowed = negotiate(bridge, "h", "http://localhost:5173");
            assertEquals(200, allowed.statusCode());
            assertEquals("http://localhost:5173", allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
            assertEquals("true", allowed.headers().firstValue("Access-Control-Allow-Credentials").orElse(""));
            HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(bridge.http("/hubs/h/negotiate?negotiateVersion=1"))
                    .header("Origin", "http://localhost:5173").header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "x-requested-with,x-signalr-user-agent")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, preflight.statusCode());
            assertEquals("x-requested-with,x-signalr-user-agent", preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""));
            assertEquals("true", preflight.headers().firstValue("Access-Control-Allow-Credentials").orElse(""));
            HttpResponse<String> foreign = negotiate(bridge, "h", "https://evil.example");
            assertEquals(403, foreign.statusCode());
            assertTrue(foreign.body().contains("not_permitted"), foreign.body());
            HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(bridge.http("/hubs/h/negotiate")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, get.statusCode());
            HttpResponse<String> other = HTTP.send(HttpRequest.newBuilder(bridge.http("/hubs/h/other")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, other.statusCode());
        }
    }

    @Test
    void aSocketWithAnUnknownOrUsedTokenOrAnotherProtocolGetsAHandshakeError() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            try (WsClient unknown = WsClient.connect(bridge.ws("/hubs/h?id=nope"))) {
                unknown.send(HANDSHAKE);
                unknown.expect("{\"error\":\"No Connection with that ID\"}" + RS);
                assertEquals(1000, unknown.closeCode(WsClient.WAIT));
            }
            String token = JsonObjectReader.readObject(negotiate(bridge, "h", null).body()).get("connectionToken").asText();
            try (WsClient first = WsClient.connect(bridge.ws("/hubs/h?id=" + token));
                 WsClient second = WsClient.connect(bridge.ws("/hubs/h?id=" + token))) {
                first.send(HANDSHAKE);
                first.expect("{}" + RS);
                second.send(HANDSHAKE);
                second.expect("{\"error\":\"Another connection already uses this connection id.\"}" + RS);
            }
            try (WsClient pack = WsClient.connect(bridge.ws("/hubs/h"))) {
                pack.send("{\"protocol\":\"messagepack\",\"version\":1}" + RS);
                pack.expect("{\"error\":\"The protocol 'messagepack' is not supported.\"}" + RS);
            }
            try (WsClient v2 = WsClient.connect(bridge.ws("/hubs/h"))) {
                v2.send("{\"protocol\":\"json\",\"version\":2}" + RS);
                v2.expect("{\"error\":\"The server does not support version 2 of the 'json' protocol.\"}" + RS);
            }
            try (WsClient garbage = WsClient.connect(bridge.ws("/hubs/h"))) {
                garbage.send("hello" + RS);
                String answer = garbage.next();
                assertTrue(answer.startsWith("{\"error\":\"An unexpected error occurred during connection handshake.")
                        && answer.endsWith("}" + RS), answer);
            }
            try (WsClient noHub = WsClient.connect(bridge.ws("/hubs/a/b"))) {
                noHub.send(HANDSHAKE);
                assertTrue(noHub.next().startsWith("{\"error\":\"No hub at '/hubs/a/b'"));
            }
        }
    }

    @Test
    void invocationsAreCompletedAndSeveralRecordsInOneFrameAreEachAnswered() throws Exception {
        try (TestBridge bridge = TestBridge.start();
             WsClient a = connected(bridge, "h")) {
            a.send("{\"type\":1,\"invocationId\":\"7\",\"target\":\"nope\",\"arguments\":[]}" + RS
                    + "{\"type\":4,\"invocationId\":\"8\",\"target\":\"Counter\",\"arguments\":[]}" + RS
                    + "{\"type\":1,\"target\":\"send\",\"arguments\":[\"one\"]}" + RS
                    + "{\"type\":6}" + RS + "{\"type\":5,\"invocationId\":\"8\"}" + RS);
            a.expect("{\"type\":3,\"invocationId\":\"7\",\"error\":\"Unknown hub method 'nope'\"}" + RS);
            a.expect("{\"type\":3,\"invocationId\":\"8\",\"error\":\"Unknown hub method 'Counter': this hub has no streaming methods.\"}" + RS);
            a.expect("{\"type\":1,\"target\":\"onMessageReceived\",\"arguments\":[\"one\"]}" + RS);
            a.send("{\"type\":1,\"invocationId\":\"9\",\"target\":\"Send\",\"arguments\":[\"two\"],\"headers\":{}}" + RS);
            a.expect("{\"type\":1,\"target\":\"onMessageReceived\",\"arguments\":[\"two\"]}" + RS);
            String completion = a.next();
            assertTrue(completion.startsWith("{\"type\":3,\"invocationId\":\"9\",\"result\":\""), completion);
        }
    }

    @Test
    void withClientsOthersTheSenderDoesNotHearItsOwnBroadcast() throws Exception {
        try (TestBridge bridge = TestBridge.start("    signalr: {clients: others}\n");
             WsClient a = connected(bridge, "h");
             WsClient b = connected(bridge, "h")) {
            a.send("{\"type\":1,\"invocationId\":\"1\",\"target\":\"Send\",\"arguments\":[\"x\"]}" + RS);
            b.expect("{\"type\":1,\"target\":\"onMessageReceived\",\"arguments\":[\"x\"]}" + RS);
            assertTrue(a.next().startsWith("{\"type\":3,\"invocationId\":\"1\",\"result\":"), "only the completion");
            a.expectNothing(Duration.ofMillis(300));
        }
    }

    @Test
    void theServerPingsAConnectionItHasNotWrittenTo() throws Exception {
        try (TestBridge bridge = TestBridge.start("    signalr: {keep-alive-interval: 300ms}\n");
             WsClient a = connected(bridge, "h")) {
            a.expect("{\"type\":6}" + RS);
            a.expect("{\"type\":6}" + RS);
        }
    }

    @Test
    void unreadableMessagesCloseTheConnectionWithAnErrorThatSaysWhy() throws Exception {
        try (TestBridge bridge = TestBridge.start("    signalr: {max-message-bytes: 1024}\n")) {
            assertClosedWith(bridge, "{\"type\":1," + RS, "Connection closed with an error. InvalidDataException: Error reading JSON");
            assertClosedWith(bridge, "{\"type\":6}", "a hub message must end with the record separator 0x1E");
            assertClosedWith(bridge, "{\"type\":99}" + RS, "Unknown message type: 99");
            assertClosedWith(bridge, "{\"type\":\"1\"}" + RS, "Expected 'type' to be of type Integer.");
            assertClosedWith(bridge, "{\"target\":\"Send\"}" + RS, "Missing required property 'type'.");
            assertClosedWith(bridge, "{\"type\":1,\"arguments\":[]}" + RS, "Missing required property 'target'.");
            assertClosedWith(bridge, "{\"type\":1,\"target\":\"Send\",\"arguments\":{}}" + RS, "Expected 'arguments' to be of type Array.");
            assertClosedWith(bridge, "[1,2]" + RS, "Expected a JSON Object.");
            assertClosedWith(bridge, RS + RS, "two record separators in a row");
            assertClosedWith(bridge, "{\"type\":1,\"target\":\"Send\",\"arguments\":[\"" + "x".repeat(2000) + "\"]}" + RS,
                    "The maximum message size of 1024B was exceeded.");
            assertTrue(bridge.web().stats().badFrames() >= 10, "each is counted: " + bridge.web().stats().badFrames());
            // the bridge goes on
            try (WsClient a = connected(bridge, "h")) {
                a.send("{\"type\":1,\"target\":\"Send\",\"arguments\":[\"fine\"]}" + RS);
                a.expect("{\"type\":1,\"target\":\"onMessageReceived\",\"arguments\":[\"fine\"]}" + RS);
            }
        }
    }

    @Test
    void aBinaryFrameIsAProtocolErrorAndAFrameOverMaxFrameBytesIsClosedWith1009() throws Exception {
        try (TestBridge bridge = TestBridge.start("    max-frame-bytes: 4096\n")) {
            try (WsClient a = connected(bridge, "h")) {
                a.sendBinary(new byte[] {1, 2, 3});
                assertEquals("{\"type\":7,\"error\":\"Connection closed with an error. InvalidDataException: Binary messages are not "
                        + "part of the 'json' hub protocol.\"}" + RS, a.next());
            }
            try (WsClient b = connected(bridge, "h")) {
                b.trySend("{\"type\":1,\"target\":\"Send\",\"arguments\":[\"" + "y".repeat(5000) + "\"]}" + RS);
                assertEquals(1009, b.closeCode(WsClient.WAIT));
            }
        }
    }

    @Test
    void aSocketThatSendsNoHandshakeIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (TestBridge bridge = TestBridge.start("    signalr: {handshake-timeout: 300ms}\n");
             WsClient silent = WsClient.connect(bridge.ws("/hubs/h"))) {
            assertEquals(1000, silent.closeCode(WsClient.WAIT));
        }
    }

    @Test
    void callsOverTheRateLimitAreCompletedWithAnErrorAndAFloodIsClosed() throws Exception {
        try (TestBridge bridge = TestBridge.start("    rate-limit: {messages-per-second: 1, burst: 2, close-after: 3}\n");
             WsClient a = connected(bridge, "h")) {
            String call = "{\"type\":1,\"invocationId\":\"%s\",\"target\":\"Send\",\"arguments\":[\"m\"]}" + RS;
            a.send(call.formatted("1") + call.formatted("2") + call.formatted("3"));
            for (int i = 0; i < 4; i++) {
                a.next(); // two echoes and two completions
            }
            assertEquals("{\"type\":3,\"invocationId\":\"3\",\"error\":\"rate_limited: too many messages; this call was dropped.\"}" + RS,
                    a.next(), "one token per hub message, even in one frame");
            a.send(call.formatted("4") + call.formatted("5"));
            a.next(); // 4: rate_limited
            assertEquals("{\"type\":7,\"error\":\"Rate limit exceeded: too many messages; closing.\"}" + RS, a.next());
            assertEquals(1008, a.closeCode(WsClient.WAIT));
            assertTrue(bridge.web().stats().rateLimited() >= 3);
        }
    }

    @Test
    void aClientCloseMessageEndsTheConnection() throws Exception {
        try (TestBridge bridge = TestBridge.start();
             WsClient a = connected(bridge, "h")) {
            a.send("{\"type\":7}" + RS);
            assertEquals(1000, a.closeCode(WsClient.WAIT));
        }
    }

    private static void assertClosedWith(TestBridge bridge, String input, String errorPart) throws Exception {
        try (WsClient a = connected(bridge, "h")) {
            a.send(input);
            String close = a.next();
            assertTrue(close.startsWith("{\"type\":7,\"error\":\"") && close.endsWith("\"}" + RS) && close.contains(errorPart),
                    input + " → " + close);
            assertEquals(1000, a.closeCode(WsClient.WAIT), input);
        }
    }

}
