package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.web.WsClient;

/** Every limit and every bad input, each with its documented answer, against a real bridge. */
class LimitsAndErrorsTest {

    private static Map<String, JsonValue> error(String frame) throws Exception {
        return JsonObjectReader.readObject(JsonObjectReader.readObject(frame).get("error").json());
    }

    @Test
    void answersInvalidJsonWithErrorFrameAndKeepsTheConnectionOpen() throws Exception {
        try (TestBridge bridge = TestBridge.start(); WsClient a = WsClient.connect(bridge.ws("/"))) {
            a.send("{not json");
            Map<String, JsonValue> e = error(a.next());
            assertEquals("\"invalid_json\"", e.get("code").json());
            a.send("{\"open\":true,\"channel\":\"after\"}");
            a.expectPresent("after"); // still open and working
        }
    }

    @Test
    void answersWrongShapeWithInvalidFrameAndTheClientsId() throws Exception {
        try (TestBridge bridge = TestBridge.start(); WsClient a = WsClient.connect(bridge.ws("/ws/envelope"))) {
            a.send("{\"id\":\"abc-1\",\"channel\":\"c\",\"data\":1}");
            Map<String, JsonValue> e = error(a.next());
            assertEquals("\"invalid_frame\"", e.get("code").json());
            assertEquals("\"abc-1\"", e.get("id").json());
            a.send("[1,2]");
            assertEquals("\"invalid_frame\"", error(a.next()).get("code").json());
            a.send("{\"sender\":\"a\",\"channel\":7,\"message\":1}");
            assertEquals("\"invalid_frame\"", error(a.next()).get("code").json());
        }
    }

    @Test
    void answersDeniedChannelWithNotPermittedNamingTheEnvelopeId() throws Exception {
        try (TestBridge bridge = TestBridge.start(); WsClient a = WsClient.connect(bridge.ws("/ws/channels"))) {
            a.send("{\"id\":\"e-7\",\"channel\":\"denied-x\",\"data\":{\"a\":1}}");
            Map<String, JsonValue> e = error(a.next());
            assertEquals("\"not_permitted\"", e.get("code").json());
            assertEquals("\"e-7\"", e.get("id").json());
            a.send("{\"open\":true,\"channel\":\"denied-y\"}");
            assertEquals("\"not_permitted\"", error(a.next()).get("code").json());
        }
    }

    @Test
    void closesWith1009WhenAFrameExceedsMaxFrameBytes() throws Exception {
        try (TestBridge bridge = TestBridge.start("    max-frame-bytes: 1024\n"); WsClient a = WsClient.connect(bridge.ws("/"))) {
            a.send("{\"channel\":\"c\",\"data\":\"" + "x".repeat(2000) + "\"}");
            assertEquals(1009, a.closeCode(WsClient.WAIT));
        }
    }

    @Test
    void assemblesAFragmentedMessageAndRelaysItExactly() throws Exception {
        try (TestBridge bridge = TestBridge.start();
             WsClient a = WsClient.connect(bridge.ws("/")); WsClient b = WsClient.connect(bridge.ws("/"))) {
            b.send("{\"open\":true,\"channel\":\"c\"}");
            b.expectPresent("c");
            a.sendFragments("{\"channel\":\"c\",", "\"data\":{\"sdp\":\"v=0 ", "h\u00e9llo \u2603 \ud83d\ude00\"}}");
            b.expect("{\"sdp\":\"v=0 h\u00e9llo \u2603 \ud83d\ude00\"}");
            a.send("{\"channel\":\"c\",\"data\":\"after\"}");
            b.expect("\"after\"");
        }
    }

    @Test
    void closesWith1009WhenFragmentsTogetherExceedMaxFrameBytes() throws Exception {
        try (TestBridge bridge = TestBridge.start("    max-frame-bytes: 1024\n"); WsClient a = WsClient.connect(bridge.ws("/"))) {
            String part = "x".repeat(600);
            try {
                a.sendFragments("{\"channel\":\"c\",\"data\":\"" + part, part, "\"}");
            } catch (java.util.concurrent.CompletionException e) {
                // The bridge may close as soon as the first two fragments pass the limit, before the third is sent.
                assertInstanceOf(java.io.IOException.class, e.getCause(), e.toString());
            }
            assertEquals(1009, a.closeCode(WsClient.WAIT));
        }
    }

    @Test
    void closesWith1007WhenATextMessageIsNotUtf8() throws Exception {
        try (TestBridge bridge = TestBridge.start(); RawWebSocket raw = RawWebSocket.open(bridge.port(), "/")) {
            // 0xC3 0x28: a two-byte lead followed by a non-continuation byte (RFC 3629 §3).
            raw.sendText(new byte[] {'{', '"', 'x', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'});
            assertEquals(1007, raw.closeCode());
        }
    }

    @Test
    void negotiatesNoCompressionEvenWhenTheBrowserOffersIt() throws Exception {
        try (TestBridge bridge = TestBridge.start();
             RawWebSocket raw = RawWebSocket.open(bridge.port(), "/", "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n")) {
            assertFalse(raw.responseHead().toLowerCase(java.util.Locale.ROOT).contains("sec-websocket-extensions"), raw.responseHead());
            raw.sendText("{\"open\":true,\"channel\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            raw.sendText("{\"checkPresence\":true,\"channel\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals("{\"isChannelPresent\":true}", raw.nextText());
        }
    }

    @Test
    void acceptsAFrameJustBelowMaxFrameBytes() throws Exception {
        try (TestBridge bridge = TestBridge.start("    max-frame-bytes: 1024\n");
             WsClient a = WsClient.connect(bridge.ws("/")); WsClient b = WsClient.connect(bridge.ws("/"))) {
            b.send("{\"open\":true,\"channel\":\"c\"}");
            b.expectPresent("c");
            String data = "\"" + "y".repeat(900) + "\"";
            a.send("{\"channel\":\"c\",\"data\":" + data + "}");
            b.expect(data);
        }
    }

    @Test
    void refusesFramesOverTheRateThenClosesWith1008WhenItPersists() throws Exception {
        String limits = "    rate-limit:\n      messages-per-second: 1\n      burst: 3\n      close-after: 5\n";
        try (TestBridge bridge = TestBridge.start(limits); WsClient a = WsClient.connect(bridge.ws("/"))) {
            for (int i = 0; i < 3; i++) {
                a.send("{\"checkPresence\":true,\"channel\":\"c\"}");
                a.expect("{\"isChannelPresent\":false}");
            }
            a.send("{\"checkPresence\":true,\"channel\":\"c\"}");
            assertEquals("\"rate_limited\"", error(a.next()).get("code").json());
            for (int i = 0; i < 10 && !a.isClosed(); i++) {
                if (!a.trySend("{\"checkPresence\":true,\"channel\":\"c\"}")) {
                    break;
                }
            }
            assertEquals(1008, a.closeCode(WsClient.WAIT));
            assertTrue(bridge.web().stats().rateLimited() >= 5);
        }
    }

    @Test
    void refusesJoiningMoreThanMaxChannelsPerConnection() throws Exception {
        try (TestBridge bridge = TestBridge.start("    max-channels-per-connection: 2\n"); WsClient a = WsClient.connect(bridge.ws("/"))) {
            a.send("{\"open\":true,\"channel\":\"one\"}");
            a.send("{\"open\":true,\"channel\":\"two\"}");
            a.send("{\"open\":true,\"channel\":\"three\"}");
            assertEquals("\"too_many_channels\"", error(a.next()).get("code").json());
            a.expectPresent("two");
            a.send("{\"checkPresence\":true,\"channel\":\"three\"}");
            a.expect("{\"isChannelPresent\":false}");
        }
    }

    @Test
    void refusesConnectionsOverMaxConnectionsPerAddressWith429() throws Exception {
        try (TestBridge bridge = TestBridge.start("    max-connections-per-address: 2\n");
             WsClient a = WsClient.connect(bridge.ws("/")); WsClient b = WsClient.connect(bridge.ws("/"))) {
            CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                    () -> WsClient.connect(bridge.ws("/")));
            assertTrue(refused.getCause() instanceof WebSocketHandshakeException, refused.toString());
            assertEquals(429, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
            b.close();
            // the slot comes back once the server saw the close
            WsClient c = null;
            for (int i = 0; i < 100 && c == null; i++) {
                try {
                    c = WsClient.connect(bridge.ws("/"));
                } catch (CompletionException stillFull) {
                    a.expectNothing(Duration.ofMillis(20));
                }
            }
            assertTrue(c != null, "a connection slot was not given back");
            c.close();
        }
    }

    @Test
    void refusesForeignOriginWith403AtUpgrade() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                    () -> WsClient.connect(bridge.ws("/"), Map.of("Origin", "https://evil.example")));
            assertEquals(403, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
        }
    }

    @Test
    void acceptsLoopbackOriginsOnAnyPortAndTheBridgesOwnOrigin() throws Exception {
        try (TestBridge bridge = TestBridge.start();
             WsClient local = WsClient.connect(bridge.ws("/"), Map.of("Origin", "http://localhost:3000"));
             WsClient same = WsClient.connect(bridge.ws("/"), Map.of("Origin", "http://127.0.0.1:" + bridge.port()))) {
            local.send("{\"open\":true,\"channel\":\"o\"}");
            local.expectPresent("o");
            same.expectPresent("o");
        }
    }

    @Test
    void acceptsOriginsListedInAllowedOrigins() throws Exception {
        try (TestBridge bridge = TestBridge.start("    allowed-origins: [\"https://app.example.org\"]\n")) {
            WsClient.connect(bridge.ws("/"), Map.of("Origin", "https://app.example.org")).close();
            CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                    () -> WsClient.connect(bridge.ws("/"), Map.of("Origin", "http://localhost:3000")));
            assertEquals(403, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
        }
    }

    @Test
    void closesASilentSocketAfterIdleTimeoutWhenPingsAreOff() throws Exception {
        try (TestBridge bridge = TestBridge.start("    idle-timeout: 500ms\n    ping-interval: 0s\n");
             WsClient a = WsClient.connect(bridge.ws("/"))) {
            int code = a.closeCode(WsClient.WAIT);
            assertTrue(code == 1001 || code == 1000 || code == 1011, "closed with " + code);
        }
    }

    @Test
    void keepsASilentButLiveSocketOpenByPinging() throws Exception {
        try (TestBridge bridge = TestBridge.start("    idle-timeout: 600ms\n    ping-interval: 150ms\n");
             WsClient a = WsClient.connect(bridge.ws("/"))) {
            assertTrue(a.pingedWithin(WsClient.WAIT));
            a.expectNothing(Duration.ofMillis(1500)); // three idle timeouts pass
            assertFalse(a.isClosed());
            a.send("{\"open\":true,\"channel\":\"alive\"}");
            a.expectPresent("alive");
        }
    }

    @Test
    void closesASlowConsumerWith1013AndCountsIt() throws Exception {
        String limits = "    outbound-queue-frames: 8\n    max-frame-bytes: 65536\n    rate-limit:\n      messages-per-second: 100000\n      burst: 100000\n";
        try (TestBridge bridge = TestBridge.start(limits);
             WsClient slow = WsClient.connectNotReading(bridge.ws("/?channel=flood"));
             WsClient fast = WsClient.connect(bridge.ws("/ws/envelope"))) {
            String big = "\"" + "z".repeat(60_000) + "\"";
            for (int i = 0; i < 2000 && bridge.web().stats().slowConsumers() == 0; i++) {
                fast.send("{\"sender\":\"f\",\"channel\":\"flood\",\"message\":" + big + "}");
            }
            assertEquals(1, bridge.web().stats().slowConsumers());
            slow.startReading();
            assertEquals(1013, slow.closeCode(Duration.ofSeconds(10)));
        }
    }

    @Test
    void refusesBinaryFramesWithInvalidFrame() throws Exception {
        try (TestBridge bridge = TestBridge.start(); WsClient a = WsClient.connect(bridge.ws("/"))) {
            a.sendBinary(new byte[] {1, 2, 3});
            assertEquals("\"invalid_frame\"", error(a.next()).get("code").json());
            a.send("{\"open\":true,\"channel\":\"b\"}");
            a.expectPresent("b");
        }
    }
}
