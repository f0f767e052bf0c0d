package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.RedisExtension;
import org.sigbridge.testkit.peers.HaproxyServer;
import org.sigbridge.testkit.peers.NodeDriver;
import org.sigbridge.web.TestBridge;

/**
 * socket.io 4.6+ connection state recovery of an RTCMultiConnection user across instances (docs/cluster.md §2,
 * docs/socketio.md "RTCMultiConnection") with the real socket.io-client 4.8 in Node
 * ({@code web-socketio/npm/rmc-cluster-recovery.js}): alice opens a room on instance b, dave joins it on instance c;
 * bob reaches instance a (a child JVM) through HAProxy and joins it; alice and dave message him. a is killed
 * ({@code kill -9}); while bob's client waits to reconnect alice and dave go on messaging him and carol joins the room
 * with a participation request. bob's client reconnects through HAProxy by itself and lands on b, which takes his
 * session from Redis and puts him back into the room from its channel's log: {@code recovered === true}, what he missed
 * once and in each sender's order, then the live messages — dave's from c reaching him on b. When the room's log no
 * longer holds his position ({@code log-length: 10}, 60 messages missed) he is told {@code recovered === false}, with a
 * new socket id, and gets none of the gap.
 */
class RmcRecoveryAcrossInstancesTest {

    private static final Path NPM = Path.of("../web-socketio/npm").toAbsolutePath().normalize();
    /** Longer than the scripts' own limit (45 s), whose failure line says where they stood. */
    private static final Duration SCRIPT_LIMIT = Duration.ofSeconds(90);

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    /**
     * The cluster section: a lease longer than the test, so that a's members (bob among them) stay in b's rosters
     * after the kill and alice's messages to bob are addressed to him on the room's log, not refused as to nobody.
     */
    private static String cluster(String more) {
        return """
                  lease: 30s
                  lease-renew: 1s
                  outbound-max-age: 1s
                  log-age: 30s
                  connect-timeout: 30s
                """ + more;
    }

    @Test
    void aUserWhoseInstanceWasKilledRecoversInItsRoomOnAnotherWithWhatItMissedOnceInOrder() throws Exception {
        JsonNode after = run("rmc-resume", 12, "recovered", cluster(""), true);
        String missedThenLive = "[5,6,7,8,9,10,11,12,13,14,15,16,\"live\"]";
        assertEquals("{\"alice\":" + missedThenLive + ",\"dave\":" + missedThenLive + ",\"carol\":[\"request\"]}",
                sorted(after.get("afterReconnect")), "what bob missed once, in each sender's order, then the live ones: " + after);
        assertEquals(2 * 13 + 1, after.get("count").asInt(), "nothing else: " + after);
        assertEquals("[\"bob\"]", after.get("to").toString(), "only what was addressed to bob (or his room)");
        assertEquals("[\"string\"]", after.get("offsets").toString(), "every event carries its offset");
    }

    @Test
    void aUserWhosePositionTheLogNoLongerHoldsIsToldItWasNotRecovered() throws Exception {
        JsonNode after = run("rmc-trimmed", 30, "trimmed", cluster("  log-length: 10\n"), false);
        assertEquals("{\"alice\":[\"live\"],\"dave\":null,\"carol\":null}", sorted(after.get("afterReconnect")),
                "none of the gap, then the live one: " + after);
        assertEquals(1, after.get("count").asInt(), "nothing else: " + after);
    }

    /**
     * The balancer moved bob while his instance a lives ({@code web-socketio/npm/rmc-cluster-moved.js}): his transport
     * breaks, alice (on b) and eve (on a, linked to him: her messages go to his kept user on a directly, on no log)
     * message him meanwhile, he reconnects to b and recovers there. a hears his userid join the room from b and lets
     * its kept user go at once (not at the end of the window), without telling eve that he left, and publishes eve's
     * messages again, addressed to him; then eve's live message from a reaches him on b through the room's log.
     */
    @Test
    void aUserTheBalancerMovedWhileItsInstanceLivesRecoversThereAndItsOldInstanceLetsItGoQuietly() throws Exception {
        try (Instances instances = new Instances()) {
            TestBridge a = instances.startYaml(SocketIoRecoveryAcrossInstancesTest.yaml("a", redis.server(), cluster("")));
            TestBridge b = instances.startYaml(SocketIoRecoveryAcrossInstancesTest.yaml("b", redis.server(), cluster("")));
            String room = "rmc-moved";
            JsonNode[] recoveredLine = new JsonNode[1];
            JsonNode[] afterLine = new JsonNode[1];
            List<String> output = NodeDriver.run(NPM, SCRIPT_LIMIT, (o, node) -> {
                if (o.has("connected")) {
                    assertEquals(2, a.bridge().hub().ops().endpoints().size(), "eve and bob on a: " + a.bridge().hub().ops().endpoints());
                    Instances.awaitRoster(room, 3, a, b);
                    node.writeLine("go");
                } else if (o.has("sameId")) {
                    recoveredLine[0] = o;
                    // a lets bob's kept user go when it hears him join from b, long before the window (30 s) ends
                    Poll.until("a lets bob's kept user go", Duration.ofSeconds(10), Duration.ofMillis(20),
                            () -> a.bridge().hub().ops().endpoints().size(), n -> n == 1);
                    node.writeLine("taken");
                } else if (o.has("afterReconnect")) {
                    afterLine[0] = o;
                }
            }, "rmc-cluster-moved.js", "http://127.0.0.1:" + a.port(), "http://127.0.0.1:" + b.port(), room);
            JsonNode after = afterLine[0];
            assertTrue(output.contains("{\"eveJoined\":true}") && output.contains("{\"joined\":true}"), "eve and bob joined: " + output);
            assertEquals("{\"recovered\":true,\"sameId\":true}", String.valueOf(recoveredLine[0]), "bob recovered on b: " + output);
            assertEquals("{\"alice\":[5,6,7,8,9,\"live\"],\"eve\":[1,2,3,\"live\"]}", String.valueOf(after.get("afterReconnect")),
                    "what bob missed once, in each sender's order (eve's, on no log, handed on by a), then the live ones: " + output);
            assertEquals(10, after.get("count").asInt(), "nothing else: " + after);
            assertEquals("[]", after.get("eveSawBobLeave").toString(), "eve never heard bob leave: he moved, he did not go");
        }
    }

    /** The per-sender lists in a fixed order: alice, dave, carol (absent: null). */
    private static String sorted(JsonNode bySender) {
        return "{\"alice\":" + bySender.get("alice") + ",\"dave\":" + bySender.get("dave") + ",\"carol\":" + bySender.get("carol") + "}";
    }

    /** Runs the script's case; asserts the common steps and bob's {@code recovered}; returns its {@code afterReconnect} line. */
    private JsonNode run(String room, int missed, String scenario, String clusterSection, boolean recovered) throws Exception {
        assertTrue(Files.isDirectory(NPM.resolve("node_modules/socket.io-client")),
                "socket.io-client is not installed in " + NPM + ": run `npm ci` there (scripts/test does) with network access");
        try (Instances instances = new Instances();
             ChildInstance a = ChildInstance.start(SocketIoRecoveryAcrossInstancesTest.yaml("a", redis.server(), clusterSection))) {
            TestBridge b = instances.startYaml(SocketIoRecoveryAcrossInstancesTest.yaml("b", redis.server(), clusterSection));
            TestBridge c = instances.startYaml(SocketIoRecoveryAcrossInstancesTest.yaml("c", redis.server(), clusterSection));
            try (HaproxyServer haproxy = HaproxyServer.startFailover(List.of(a.port(), b.port()))) {
                JsonNode[] lines = new JsonNode[2]; // bob's recovered line, then his afterReconnect
                List<String> output = NodeDriver.run(NPM, SCRIPT_LIMIT, (o, node) -> {
                    if (o.has("connected")) {
                        assertTrue(o.get("pid").asBoolean(), "the CONNECT answer carried a pid: " + node.output());
                        Instances.awaitRoster(room, 3, b, c);
                        assertEquals(1, b.bridge().hub().ops().endpoints().size(), "only alice on b: bob went to a "
                                + b.bridge().hub().ops().endpoints());
                        node.writeLine("go");
                    } else if (o.has("kill")) {
                        a.kill();
                        node.writeLine("killed");
                    } else if (o.has("sameId")) {
                        lines[0] = o;
                    } else if (o.has("afterReconnect")) {
                        lines[1] = o;
                    }
                }, "rmc-cluster-recovery.js", "http://127.0.0.1:" + haproxy.port(), "http://127.0.0.1:" + b.port(),
                        "http://127.0.0.1:" + c.port(), room, String.valueOf(missed), scenario);
                JsonNode recoveredLine = lines[0];
                JsonNode after = lines[1];
                assertTrue(output.contains("{\"opened\":true}") && output.contains("{\"joined\":true}")
                        && output.contains("{\"carolJoined\":true}") && output.contains("{\"daveJoined\":true}"),
                        "alice opened, bob, carol and dave joined: " + output);
                assertTrue(output.contains("{\"sentWhileAway\":true}"), "alice and carol sent while bob was away: " + output);
                assertTrue(recoveredLine != null && after != null, "node printed no result: " + output);
                assertEquals(recovered, recoveredLine.get("recovered").asBoolean(), "bob's recovered: " + output);
                assertEquals(recovered, recoveredLine.get("sameId").asBoolean(), (recovered ? "a recovered socket keeps its id"
                        : "a socket not recovered is a new socket, with a new id (as socket.io 4)") + ": " + output);
                assertEquals("[" + recovered + "]", after.get("connects").toString(), "bob reconnected once: " + output);
                return after;
            }
        }
    }
}
