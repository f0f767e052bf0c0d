package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.testkit.junit.RedisExtension;
import org.sigbridge.testkit.peers.HaproxyServer;
import org.sigbridge.testkit.peers.NodeDriver;
import org.sigbridge.testkit.peers.RedisServer;
import org.sigbridge.web.TestBridge;

/**
 * socket.io 4.6+ connection state recovery across instances (docs/design.md §3.8, docs/cluster.md §2) with the real
 * socket.io-client 4.8 in Node ({@code web-socketio/npm/cluster-recovery.js}): r's client reaches instance a (a child
 * JVM) through HAProxy; senders on a, b and c number their messages; a is killed ({@code kill -9}) mid-stream, r's
 * client reconnects through HAProxy by itself, lands on another instance, claims its session there from Redis and
 * recovers ({@code socket.recovered === true}) with what it missed once and in each sender's order. Counted, not sampled.
 */
class SocketIoRecoveryAcrossInstancesTest {

    private static final Path NPM = Path.of("../web-socketio/npm").toAbsolutePath().normalize();
    private static final String CHANNEL = "sio-resume";
    private static final int ROUNDS = 150;

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    /** An instance's YAML: {@link Instances#yaml} with socket.io connection state recovery on. */
    static String yaml(String name, RedisServer redis, String clusterExtra) {
        String base = Instances.yaml(name, redis, clusterExtra);
        String rate = "    rate-limit: { messages-per-second: 100000, burst: 100000 }\n";
        assertTrue(base.contains(rate), base);
        return base.replace(rate, rate + """
                    socketio:
                      connection-state-recovery:
                        max-disconnection-duration: 30s
                """);
    }

    @Test
    void aSocketIoClientWhoseInstanceWasKilledRecoversOnAnotherWithNothingLostOrDoubled() throws Exception {
        assertTrue(Files.isDirectory(NPM.resolve("node_modules/socket.io-client")),
                "socket.io-client is not installed in " + NPM + ": run `npm ci` there (scripts/test does) with network access");
        String patient = Instances.FAST + "  connect-timeout: 30s\n"; // a loaded CI machine can take longer than the default 5 s
        try (Instances cluster = new Instances();
             ChildInstance a = ChildInstance.start(yaml("a", redis.server(), patient))) {
            TestBridge b = cluster.startYaml(yaml("b", redis.server(), patient));
            TestBridge c = cluster.startYaml(yaml("c", redis.server(), patient));
            try (HaproxyServer haproxy = HaproxyServer.startFailover(List.of(a.port(), b.port(), c.port()))) {
                JsonNode[] gotLine = new JsonNode[1];
                List<String> output = NodeDriver.run(NPM, Duration.ofSeconds(90), (o, node) -> {
                    if (o.has("connected")) {
                        assertTrue(o.get("pid").asBoolean(), "the CONNECT answer carried a pid: " + node.output());
                        Instances.awaitRoster(CHANNEL, 4, b, c);
                        assertEquals(1, b.bridge().hub().ops().endpoints().size(), "only sb on b: r went to a " + b.bridge().hub().ops().endpoints());
                        assertEquals(1, c.bridge().hub().ops().endpoints().size(), "only sc on c: r went to a " + c.bridge().hub().ops().endpoints());
                        node.writeLine("go");
                    } else if (o.has("kill")) {
                        a.kill();
                        node.writeLine("killed");
                    } else if (o.has("got")) {
                        gotLine[0] = o;
                    }
                }, "cluster-recovery.js", "http://127.0.0.1:" + haproxy.port(), "http://127.0.0.1:" + a.port(),
                        "http://127.0.0.1:" + b.port(), "http://127.0.0.1:" + c.port(), String.valueOf(ROUNDS), CHANNEL);
                JsonNode result = gotLine[0];
                assertTrue(result != null, "node printed no result: " + output);
                assertEquals("[true]", result.get("connects").toString(), "r reconnected once, and recovered: " + output);
                assertTrue(result.get("missedWhileAway").asInt() > 0, "messages were sent while r was away: " + result);
                JsonNode got = result.get("got");
                for (String sender : List.of("sb", "sc")) {
                    assertEquals(range(ROUNDS), ints(got.path("r").path(sender)), "r got every message of " + sender + " once, in order");
                }
                // sa died with a: what a appended to the log reached sb and sc; r must have all of it, each once, in order.
                List<Integer> appended = ints(got.path("sb").path("sa"));
                assertEquals(appended, ints(got.path("sc").path("sa")), "sb and sc got the same of sa's messages");
                List<Integer> fromSa = ints(got.path("r").path("sa"));
                assertEquals(new ArrayList<>(new TreeSet<>(fromSa)), fromSa, "r got sa's messages once, in order: " + fromSa);
                Set<Integer> missing = new TreeSet<>(appended);
                missing.removeAll(fromSa);
                assertTrue(missing.isEmpty(), "r lost sa's messages that reached the log: " + missing);
                assertTrue(got.path("r").path("r").isMissingNode(), "none of r's own came back to it: " + got.path("r"));
                for (String receiver : List.of("sb", "sc")) {
                    assertEquals(List.of(0), ints(got.path(receiver).path("r")), receiver + " got r's message once");
                }
                System.out.printf("| socket.io 4 recovery across instances: kill -9, r recovered through HAProxy | %d | %d from sb, %d from sc,"
                        + " %d of sa's %d appended (+%d got on a only) | lost 0 | duplicated 0 |%n", 2 * ROUNDS + appended.size(),
                        ROUNDS, ROUNDS, appended.size(), appended.size(), fromSa.size() - appended.size());
            }
        }
    }

    private static List<Integer> range(int n) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        return all;
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asInt()));
        return list;
    }
}
