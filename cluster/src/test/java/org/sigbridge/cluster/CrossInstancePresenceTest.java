package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.junit.RedisExtension;
import org.sigbridge.testkit.web.Frames;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * Presence across instances on a real Redis: joins and leaves on one instance are events on the others, rosters agree,
 * and a killed instance's participants leave the others once its lease expires (docs/cluster.md §6).
 */
class CrossInstancePresenceTest {

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    @Test
    void aJoinAndALeaveOnAnotherInstanceAreEventsHere() throws Exception {
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.start("a", redis.server());
            TestBridge b = cluster.start("b", redis.server());
            try (WsClient ca = WsClient.connect(a.ws("/"))) {
                ca.send("{\"presence\":true}");
                ca.send("{\"open\":true,\"channel\":\"room\"}");
                Instances.awaitRoster("room", 1, a);
                String bId;
                try (WsClient cb = WsClient.connect(b.ws("/"))) {
                    cb.send("{\"open\":true,\"channel\":\"room\"}");
                    Map<String, JsonValue> joined = presence(ca, "joined");
                    bId = participantId(joined);
                    assertTrue(bId.startsWith(b.bridge().hub().nodeId() + ":"), "b's participant id is node-qualified: " + bId);
                    Instances.awaitRoster("room", 2, a, b);
                }
                Map<String, JsonValue> left = presence(ca, "left");
                assertEquals(bId, participantId(left));
                assertEquals("true", left.get("present").json(), "the channel still has ca");
                Instances.awaitRoster("room", 1, a);
            }
        }
    }

    @Test
    void aKilledInstancesParticipantsLeaveTheOthersWithinTheLease() throws Exception {
        try (Instances cluster = new Instances();
             ChildInstance k = ChildInstance.start(Instances.yaml("k", redis.server(), Instances.FAST))) {
            TestBridge a = cluster.start("a", redis.server());
            try (WsClient ca = WsClient.connect(a.ws("/")); WsClient ck = WsClient.connect(k.ws("/"))) {
                ca.send("{\"presence\":true}");
                ca.send("{\"open\":true,\"channel\":\"room\"}");
                ck.send("{\"open\":true,\"channel\":\"room\"}");
                String kId = participantId(presence(ca, "joined"));
                Instances.awaitRoster("room", 2, a);
                long t0 = System.nanoTime();
                k.kill();
                Map<String, JsonValue> left = ca.next(f -> f.containsKey("presence"), Duration.ofSeconds(20));
                Map<String, JsonValue> p = Frames.parse(left.get("presence").json());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertEquals("\"left\"", p.get("event").json());
                assertEquals(kId, participantId(p));
                // lease 3s + renew 1s: the others notice within about 4s (20s with the default 15s + 5s)
                assertTrue(ms < 8_000, "left after " + ms + " ms");
                Instances.awaitRoster("room", 1, a);
            }
        }
    }

    @Test
    void anInstanceWhoseLeaseLapsedWhileItLivedAnnouncesItsParticipantsAgain() throws Exception {
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.start("a", redis.server());
            TestBridge b = cluster.start("b", redis.server());
            try (WsClient ca = WsClient.connect(a.ws("/")); WsClient cb = WsClient.connect(b.ws("/"))) {
                ca.send("{\"open\":true,\"channel\":\"room\"}");
                cb.send("{\"open\":true,\"channel\":\"room\"}");
                Instances.awaitRoster("room", 2, a, b);
                String bNode = b.bridge().hub().nodeId();
                String who = org.sigbridge.cluster.wire.ChannelKeys.of("sb", "room").who();
                // What the others do when b's lease has expired (b starved for longer than the lease): lease and
                // participants gone from Redis, while b lives on. One script, so that b's renewal cannot fall in between.
                String removed = redis.server().cli("EVAL", """
                        redis.call('DEL', KEYS[1])
                        for _, f in ipairs(redis.call('HKEYS', KEYS[2])) do
                          if string.sub(f, 1, #ARGV[1]) == ARGV[1] then redis.call('HDEL', KEYS[2], f) end
                        end
                        return 1""", "2", org.sigbridge.cluster.wire.ChannelKeys.lease("sb", bNode), who, bNode + " ");
                assertEquals("1", removed.trim(), "the script ran");
                org.sigbridge.testkit.Poll.until("b's participant is in Redis again", Duration.ofSeconds(30),
                        () -> redis.server().cli("HKEYS", who).lines().anyMatch(f -> f.startsWith(bNode + " ")));
                Instances.awaitRoster("room", 2, a, b);
            }
        }
    }

    private static Map<String, JsonValue> presence(WsClient client, String event) throws Exception {
        Map<String, JsonValue> frame = client.next(f -> f.containsKey("presence"), Duration.ofSeconds(10));
        Map<String, JsonValue> p = Frames.parse(frame.get("presence").json());
        assertEquals("\"" + event + "\"", p.get("event").json(), "presence event " + p);
        return p;
    }

    private static String participantId(Map<String, JsonValue> presence) {
        return Frames.parse(presence.get("participant").json()).get("id").asText();
    }
}
