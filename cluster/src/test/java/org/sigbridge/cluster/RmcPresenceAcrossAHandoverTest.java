package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.cluster.PresenceAcrossAHandoverTest.Observer;
import org.sigbridge.cluster.wire.ChannelKeys;
import org.sigbridge.spi.Participant;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.RedisExtension;
import org.sigbridge.testkit.peers.HaproxyServer;
import org.sigbridge.testkit.peers.NodeDriver;
import org.sigbridge.web.TestBridge;

/**
 * The presence grace for RTCMultiConnection users (docs/cluster.md §4, docs/socketio.md "RTCMultiConnection") with the
 * real socket.io-client 4.8 in Node ({@code web-socketio/npm/rmc-cluster-handover.js}): alice opens a room on instance
 * b; bob and gone reach instance a through HAProxy ({@code balance first}, health checks) and join it, both with
 * connection state recovery. a stops (what SIGTERM runs), or drains ({@code POST /admin/drain}, its deadline closing
 * the sockets); bob's client reconnects by itself through HAProxy to b (a draining instance fails its {@code /readyz}
 * check), and recovers on b as the same userid;
 * gone's does not come back. {@code sigbridge.js}-protocol observers of the
 * room's channel on b and c see bob join once and never leave, also after a's lease expired at the end of the grace and
 * a's fields were removed; gone leaves then.
 */
class RmcPresenceAcrossAHandoverTest {

    private static final Path NPM = Path.of("../web-socketio/npm").toAbsolutePath().normalize();
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Longer than the script's own limit (45 s), whose failure line says where it stood. */
    private static final Duration SCRIPT_LIMIT = Duration.ofSeconds(90);
    private static final String SETTINGS = Instances.FAST + "  presence-grace: 6s\n";

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    @Test
    void anRtcMultiConnectionUserMovedThroughHaproxyOffAStoppingInstanceStaysPresent() throws Exception {
        handOver(true);
    }

    @Test
    void anRtcMultiConnectionUserMovedThroughHaproxyOffADrainingInstanceStaysPresent() throws Exception {
        handOver(false);
    }

    private void handOver(boolean stop) throws Exception {
        assertTrue(Files.isDirectory(NPM.resolve("node_modules/socket.io-client")),
                "socket.io-client is not installed in " + NPM + ": run `npm ci` there (scripts/test does) with network access");
        String room = "rmc-handover";
        try (Instances cluster = new Instances()) {
            TestBridge a = TestBridge.startYaml(SocketIoRecoveryAcrossInstancesTest.yaml("a", redis.server(), SETTINGS));
            TestBridge b = cluster.startYaml(SocketIoRecoveryAcrossInstancesTest.yaml("b", redis.server(), SETTINGS));
            TestBridge c = cluster.startYaml(SocketIoRecoveryAcrossInstancesTest.yaml("c", redis.server(), SETTINGS));
            try (a; Observer onB = new Observer(b, room); Observer onC = new Observer(c, room);
                 HaproxyServer haproxy = HaproxyServer.startFailover(List.of(a.port(), b.port()))) {
                JsonNode[] lines = new JsonNode[2]; // bob's recovered line, then the last one
                CompletableFuture<?>[] stopping = new CompletableFuture<?>[1];
                List<String> output = NodeDriver.run(NPM, SCRIPT_LIMIT, (o, node) -> {
                    if (o.has("connected")) {
                        assertTrue(o.get("pid").asBoolean(), "the CONNECT answer carried a pid: " + node.output());
                        Instances.awaitRoster(room, 5, a, b, c); // alice, bob, gone and the two observers
                        assertEquals(2, a.bridge().hub().ops().endpoints().size(), "bob and gone on a: " + a.bridge().hub().ops().endpoints());
                        for (Observer obs : List.of(onB, onC)) {
                            obs.awaitEvent("joined", "bob");
                            obs.awaitEvent("joined", "gone");
                        }
                        node.writeLine("go");
                    } else if (o.has("got")) {
                        if (stop) {
                            stopping[0] = CompletableFuture.runAsync(a::close); // what SIGTERM runs: drains, then closes
                            stopping[0].get(30, TimeUnit.SECONDS);
                        } else {
                            assertEquals(202, java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                                    a.http("/admin/drain?deadline=200ms")).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
                            stopping[0] = CompletableFuture.completedFuture(null);
                        }
                        if (stop) {
                            // bob comes back only once the others know what a's stop left: its lease kept until the end
                            // of the grace (its participants held), or removed and bob swept from c's roster (none held)
                            String lease = "sb:inst:" + a.bridge().hub().nodeId();
                            Poll.until("a's lease kept for the grace, or bob removed from c's roster", WAIT,
                                    () -> redis.server().cli("EXISTS", lease).trim().equals("1") || !participantIds(c, room).contains("bob"));
                            node.writeLine("reconnect");
                        }
                    } else if (o.has("bobDisconnected") && !stop) {
                        node.writeLine("reconnect"); // the drain's deadline closed bob's socket
                    } else if (o.has("sameId")) {
                        lines[0] = o;
                        // gone, who did not come back, leaves at the end of the grace (stop: when a's lease expires then)
                        onC.awaitEvent("left", "gone");
                        onB.awaitEvent("left", "gone");
                        stopping[0].get(30, TimeUnit.SECONDS);
                        Poll.until("a's fields are gone from the room's members", WAIT,
                                () -> !redis.server().cli("HKEYS", ChannelKeys.of("sb", room).who()).contains(a.bridge().hub().nodeId()));
                        Instances.awaitRoster(room, 4, b, c); // alice, bob (on b) and the two observers
                        assertTrue(participantIds(b, room).contains("bob") && participantIds(c, room).contains("bob"),
                                "bob is present on b and c: " + participantIds(c, room));
                        for (Observer obs : List.of(onB, onC)) { // before the script ends: its sockets then leave
                            obs.drainPresence();
                            assertEquals(List.of("joined"), obs.events("bob"), obs.where + " saw bob join once and never leave: " + obs.all);
                            assertEquals(List.of("joined", "left"), obs.events("gone"), obs.where + " saw gone join and leave: " + obs.all);
                        }
                        node.writeLine("stopped");
                    } else if (o.has("aliceSaw")) {
                        lines[1] = o;
                    }
                }, "rmc-cluster-handover.js", "http://127.0.0.1:" + haproxy.port(), "http://127.0.0.1:" + b.port(), room);
                assertTrue(output.contains("{\"joined\":true,\"goneJoined\":true}"), "bob and gone joined: " + output);
                assertEquals("{\"recovered\":true,\"sameId\":true}", String.valueOf(lines[0]), "bob recovered on b: " + output);
                assertEquals("[true]", String.valueOf(lines[1].get("connects")), "bob reconnected once: " + output);
            }
        }
    }

    private static List<String> participantIds(TestBridge b, String channel) {
        return b.bridge().hub().participants(channel).stream().map(Participant::id).toList();
    }
}
