package org.sigbridge.web.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.Secret;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;
import org.sigbridge.web.identity.TokenMinter;

/**
 * A channels socket names its sender in {@code open} or {@code resume} (docs/dialects.md §2.2): its publishes carry
 * it (seen here whole by an envelope socket on the same channel); bad names are refused; under {@code identity.mode:
 * verified} only the token's sender may be named.
 */
class ChannelsSenderTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void theSenderNamedInOpenIsStampedOnEveryChannelsPublish() throws Exception {
        try (TestBridge bridge = TestBridge.start();
             WsClient watcher = WsClient.connect(bridge.ws("/ws/envelope?channel=c"));
             WsClient ann = WsClient.connect(bridge.ws("/ws/channels"));
             WsClient plain = WsClient.connect(bridge.ws("/ws/channels"))) {
            watcher.expectPresent("c");
            ann.send("{\"open\":true,\"channel\":\"c\",\"sender\":\"Ann Tab\"}");
            ann.expectPresent("c");
            ann.send("{\"channel\":\"c\",\"data\":{\"x\":1}}");
            Map<String, JsonValue> e = watcher.nextEnvelope(WAIT);
            assertEquals("\"Ann Tab\"", e.get("sender").json());
            assertEquals("{\"x\":1}", e.get("message").json());
            plain.send("{\"open\":true,\"channel\":\"c\"}");
            plain.expectPresent("c");
            plain.send("{\"channel\":\"c\",\"data\":2}");
            assertEquals("null", watcher.nextEnvelope(WAIT).get("sender").json(), "a socket that named nobody publishes without a sender");
            assertEquals("2", ann.next(), "a channels socket still receives the bare data");
        }
    }

    @Test
    void badNamesAreRefusedAndTheSocketDoesNotJoin() throws Exception {
        try (TestBridge bridge = TestBridge.start();
             WsClient a = WsClient.connect(bridge.ws("/ws/channels"))) {
            a.send("{\"open\":true,\"channel\":\"c\",\"sender\":7}");
            assertEquals("\"invalid_frame\"", a.nextError(WAIT).get("code").json());
            a.send("{\"open\":true,\"channel\":\"c\",\"sender\":\"  \"}");
            assertEquals("\"invalid_frame\"", a.nextError(WAIT).get("code").json());
            a.send("{\"open\":true,\"channel\":\"c\",\"sender\":\"" + "x".repeat(257) + "\"}");
            assertEquals("\"too_large\"", a.nextError(WAIT).get("code").json());
            a.send("{\"resume\":{\"channel\":\"c\",\"sender\":[]}}");
            assertEquals("\"invalid_frame\"", a.nextError(WAIT).get("code").json());
            assertFalse(a.present("c", WAIT), "no refused open joined the channel");
            a.send("{\"open\":true,\"channel\":\"c\",\"sender\":\"" + "x".repeat(256) + "\"}");
            a.expectPresent("c");
            a.send("{\"open\":true,\"channel\":\"d\",\"sender\":\"someone else\"}");
            Map<String, JsonValue> other = a.nextError(WAIT);
            assertEquals("\"invalid_frame\"", other.get("code").json());
            assertTrue(other.get("detail").asText().contains("already speaks as"), other.toString());
        }
    }

    @Test
    void underVerifiedIdentityOnlyTheTokensSenderMayBeNamed() throws Exception {
        try (TestBridge bridge = TestBridge.start("""
                    identity:
                      mode: verified
                      secret: %s
                      max-ttl: 2h
                """.formatted(SECRET))) {
            TokenMinter minter = new TokenMinter(Secret.of(SECRET));
            String alice = minter.mint("alice", Optional.empty(), Instant.now(), Duration.ofHours(1));
            String bob = minter.mint("bob", Optional.empty(), Instant.now(), Duration.ofHours(1));
            try (WsClient watcher = WsClient.connect(bridge.ws("/ws/envelope?channel=c&token=" + bob));
                 WsClient a = WsClient.connect(bridge.ws("/ws/channels?token=" + alice))) {
                watcher.expectPresent("c");
                a.send("{\"open\":true,\"channel\":\"c\",\"sender\":\"mallory\"}");
                Map<String, JsonValue> refused = a.nextError(WAIT);
                assertEquals("\"not_permitted\"", refused.get("code").json());
                assertTrue(refused.get("detail").asText().contains("not the token's sender 'alice'"), refused.toString());
                a.send("{\"open\":true,\"channel\":\"c\",\"sender\":\"alice\"}");
                a.expectPresent("c");
                a.send("{\"channel\":\"c\",\"data\":\"hi\"}");
                assertEquals("\"alice\"", watcher.nextEnvelope(WAIT).get("sender").json());
            }
        }
    }
}
