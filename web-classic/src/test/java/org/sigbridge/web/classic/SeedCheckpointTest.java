package org.sigbridge.web.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.ConfigException;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.config.Secret;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.identity.TokenMinter;

/**
 * Server-side checkpoints for the seed WebSocket formats on one instance (docs/design.md §3.8): a seed page whose
 * connection drops (its socket closed from the client's side while the bridge lives) and that joins the same channel
 * again as the same sender gets what was sent meanwhile, once, in order, in its own format, never its own envelopes,
 * then live traffic; a second claimer gets nothing; a checkpoint expires after {@code checkpoints.window}; without
 * verified identity there are none unless {@code checkpoints.unverified} is set.
 */
class SeedCheckpointTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void underVerifiedIdentityADroppedPageGetsItsGapOnceInOrderAndASecondClaimerNothing() throws Exception {
        try (TestBridge bridge = TestBridge.start("""
                    identity:
                      mode: verified
                      secret: %s
                """.formatted(SECRET))) {
            TokenMinter minter = new TokenMinter(Secret.of(SECRET));
            String alice = minter.mint("alice", Optional.empty(), Instant.now(), Duration.ofHours(1));
            String bob = minter.mint("bob", Optional.empty(), Instant.now(), Duration.ofHours(1));
            try (WsClient s = WsClient.connect(bridge.ws("/ws/channels?token=" + bob));
                 WsClient p = WsClient.connect(bridge.ws("/ws/channels?token=" + alice))) {
                s.send(open("c"));
                s.expectPresent("c");
                p.send(open("c")); // names no sender: under verified identity its sender id is the token's subject
                p.expectPresent("c");
                s.send(data("c", "m0")).send(data("c", "m1"));
                assertEquals(List.of("m0", "m1"), take(p, 2));
                p.send(data("c", "p-own")); // after the last envelope handed to it: in the gap's range, never replayed
                assertEquals(List.of("p-own"), take(s, 1));

                p.close(); // the page's connection drops; the bridge lives
                awaitCheckpoints(bridge, WebStats.Checkpoint.WRITTEN, 1);
                for (int i = 2; i <= 6; i++) {
                    s.send(data("c", "m" + i));
                }
                try (WsClient back = WsClient.connect(bridge.ws("/ws/channels?token=" + alice))) {
                    back.send(open("c"));
                    s.send(data("c", "live")); // live, or the gap's last if the open is handled after it: in order either way
                    assertEquals(List.of("m2", "m3", "m4", "m5", "m6", "live"), take(back, 6),
                            "the gap once, in order, then live; nothing of its own");
                    awaitCheckpoints(bridge, WebStats.Checkpoint.RECOVERED, 1);

                    try (WsClient second = WsClient.connect(bridge.ws("/ws/channels?token=" + alice))) {
                        second.send(open("c"));
                        second.expectPresent("c"); // the answer is its first frame: nothing was replayed before it
                        s.send(data("c", "live-2"));
                        assertEquals(List.of("live-2"), take(second, 1), "the checkpoint was taken once: nothing replayed to a second claimer");
                        assertEquals(List.of("live-2"), take(back, 1));
                    }
                }
                assertEquals(0, bridge.web().stats().checkpoints(WebStats.Checkpoint.NOT_RECOVERED));
            }
        }
    }

    @Test
    void withCheckpointsUnverifiedAnEnvelopePageIsKnownByTheSenderOfItsEnvelopes() throws Exception {
        try (TestBridge bridge = TestBridge.start("""
                    checkpoints:
                      unverified: true
                """)) {
            try (WsClient s = WsClient.connect(bridge.ws("/ws/envelope?channel=e"));
                 WsClient p = WsClient.connect(bridge.ws("/ws/envelope"))) {
                s.expectPresent("e");
                p.sendEnvelope("hello", "ann", "e", "{\"n\":\"hello\"}"); // joins by its first send
                assertEquals(List.of("hello"), take(s, 1));
                s.sendEnvelope("m0", "sam", "e", "{\"n\":\"m0\"}");
                assertEquals(List.of("m0"), take(p, 1));
                p.close();
                awaitCheckpoints(bridge, WebStats.Checkpoint.WRITTEN, 1);
                s.sendEnvelope("m1", "sam", "e", "{\"n\":\"m1\"}");
                s.sendEnvelope("m2", "sam", "e", "{\"n\":\"m2\"}");
                try (WsClient back = WsClient.connect(bridge.ws("/ws/envelope"))) {
                    back.sendEnvelope("back", "ann", "e", "{\"n\":\"back\"}");
                    assertEquals(List.of("back"), take(s, 1));
                    s.sendEnvelope("live", "sam", "e", "{\"n\":\"live\"}");
                    List<Map<String, JsonValue>> got = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        got.add(back.nextEnvelope(WAIT));
                    }
                    assertEquals(List.of("m1", "m2", "live"), got.stream().map(e -> e.get("id").asText()).toList(),
                            "whole envelopes, as an envelope socket receives them: the gap, then live");
                    assertEquals("\"sam\"", got.get(0).get("sender").json());
                }
            }
        }
    }

    @Test
    void withoutVerifiedIdentityThereAreNoCheckpointsByDefault() throws Exception {
        try (TestBridge bridge = TestBridge.start();
             WsClient s = WsClient.connect(bridge.ws("/ws/channels"));
             WsClient p = WsClient.connect(bridge.ws("/ws/channels"))) {
            s.send("{\"presence\":true}").send(open("c"));
            s.expectPresent("c");
            p.send(openAs("c", "ann"));
            p.expectPresent("c");
            s.send(data("c", "m0"));
            assertEquals(List.of("m0"), take(p, 1));
            p.close();
            s.next(f -> f.containsKey("presence") && f.get("presence").json().contains("\"left\""), WAIT); // the close was seen
            s.send(data("c", "gap"));
            try (WsClient back = WsClient.connect(bridge.ws("/ws/channels"))) {
                back.send(openAs("c", "ann"));
                back.expectPresent("c");
                s.send(data("c", "live"));
                assertEquals(List.of("live"), take(back, 1), "any page may name any sender: nothing is replayed to one");
            }
            assertEquals(0, bridge.web().stats().checkpoints(WebStats.Checkpoint.WRITTEN));
        }
    }

    @Test
    void aCheckpointExpiresAfterItsWindow() throws Exception {
        try (TestBridge bridge = TestBridge.start("""
                    checkpoints:
                      window: 200ms
                      unverified: true
                """);
             WsClient s = WsClient.connect(bridge.ws("/ws/channels"));
             WsClient p = WsClient.connect(bridge.ws("/ws/channels"))) {
            s.send(open("c"));
            s.expectPresent("c");
            p.send(openAs("c", "ann"));
            p.expectPresent("c");
            s.send(data("c", "m0"));
            assertEquals(List.of("m0"), take(p, 1));
            p.close();
            awaitCheckpoints(bridge, WebStats.Checkpoint.WRITTEN, 1);
            s.send(data("c", "gap"));
            Thread.sleep(400); // the window passing is the event under test: no signal marks it
            try (WsClient back = WsClient.connect(bridge.ws("/ws/channels"))) {
                back.send(openAs("c", "ann"));
                back.expectPresent("c");
                s.send(data("c", "live"));
                assertEquals(List.of("live"), take(back, 1), "an expired checkpoint replays nothing");
            }
            assertEquals(0, bridge.web().stats().checkpoints(WebStats.Checkpoint.RECOVERED));
        }
    }

    @Test
    void theKeysAreCheckedAtTheirLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("""
                adapters:
                  web:
                    type: web
                    checkpoints:
                      window: 11m
                """));
        assertEquals(5, e.line(), e.getMessage());
        assertTrue(e.problem().startsWith("checkpoints.window must be at most 10m"), e.problem());
        assertThrows(IllegalArgumentException.class, () -> new org.sigbridge.web.CheckpointSettings(Duration.ofSeconds(-1), null));
        assertEquals(Duration.ofSeconds(30), org.sigbridge.web.CheckpointSettings.DEFAULTS.window());
        assertTrue(org.sigbridge.web.CheckpointSettings.DEFAULTS.enabledFor(true));
        assertTrue(!org.sigbridge.web.CheckpointSettings.DEFAULTS.enabledFor(false), "off without verified identity by default");
    }

    private static void parse(String yaml) throws Exception {
        new ConfigLoader(ConfigLoader.installedFactories(), Map.<String, String>of()::get).parse(yaml, "x.yml");
    }

    private static void awaitCheckpoints(TestBridge bridge, WebStats.Checkpoint event, long n) throws Exception {
        Poll.until(n + " checkpoints " + event.label(), WAIT, Duration.ofMillis(5),
                () -> bridge.web().stats().checkpoints(event), v -> v >= n);
    }

    private static String open(String channel) {
        return "{\"open\":true,\"channel\":" + JsonValue.string(channel).json() + "}";
    }

    private static String openAs(String channel, String sender) {
        return "{\"open\":true,\"channel\":" + JsonValue.string(channel).json() + ",\"sender\":" + JsonValue.string(sender).json() + "}";
    }

    /** A channels publish whose data is {@code {"n":name}}, so that receivers can tell deliveries from other frames. */
    private static String data(String channel, String name) {
        return "{\"channel\":" + JsonValue.string(channel).json() + ",\"data\":{\"n\":" + JsonValue.string(name).json() + "}}";
    }

    /** The names of the next {@code n} deliveries (frames or envelopes carrying {@code n}), in arrival order. */
    private static List<String> take(WsClient c, int n) throws InterruptedException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, JsonValue> f = c.next(m -> m.containsKey("n") || m.containsKey("message"), WAIT);
            JsonValue name = f.containsKey("n") ? f.get("n") : org.sigbridge.testkit.web.Frames.parse(f.get("message").json()).get("n");
            names.add(name.asText());
        }
        return names;
    }
}
