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
 * The presence grace for the socket.io 4 {@code message} relay with connection state recovery (docs/cluster.md §4,
 * docs/socketio.md) with the real socket.io-client 4.8 in Node ({@code web-socketio/npm/relay-cluster-handover.js}):
 * r and gone reach instance a through HAProxy ({@code balance first}, health checks) on one channel, both with
 * recovery, so each is the participant {@code sio-<socket id>}; a sender on b. a stops
 * (what SIGTERM runs), or drains ({@code POST /admin/drain}, closing its sockets at the deadline); once the stop is done,
 * or once the drain closed r's socket, r's client reconnects through HAProxy, lands on b (a draining instance fails the
 * balancer's {@code /readyz} check) and recovers there with its socket id, so as the same participant; gone's does not
 * come back. Observers of the channel on b and c see r join once and never leave, also after the grace ended (a's lease
 * expired, or the drained a announced what it held); gone leaves then.
 */
class SocketIoPresenceAcrossAHandoverTest {

    private static final Path NPM = Path.of("../web-socketio/npm").toAbsolutePath().normalize();
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Longer than the script's own limit (45 s), whose failure line says where it stood. */
    private static final Duration SCRIPT_LIMIT = Duration.ofSeconds(90);
    /** A loaded machine's first connect in a fresh JVM (Lettuce and Netty loading) can take longer than the default 5 s. */
    private static final String SETTINGS = Instances.FAST + "  presence-grace: 6s\n  connect-timeout: 30s\n";
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    @Test
    void aRelaySocketMovedThroughHaproxyOffAStoppingInstanceStaysPresent() throws Exception {
        handOver(true);
    }

    /** The drain's deadline closes r's socket; HAProxy's {@code /readyz} check sends its reconnect to b. */
    @Test
    void aRelaySocketMovedThroughHaproxyOffADrainingInstanceStaysPresent() throws Exception {
        handOver(false);
    }

    /**
     * Verified identity ({@code identity.mode: verified}): r, gone and s present tokens, so each is its token's sender
     * on any instance; a drains: r's recovered socket on b is the same participant, no {@code left}, no second
     * {@code joined}.
     */
    @Test
    void aVerifiedRelaySocketMovedThroughHaproxyOffADrainingInstanceStaysPresent() throws Exception {
        handOver(false, true);
    }

    /**
     * r and gone on socket.io's long-polling transport (HTTP requests through HAProxy, {@code balance first} keeping them
     * on a); a drains: r recovers on b over polling, the same participant.
     */
    @Test
    void aRelaySocketOnLongPollingMovedThroughHaproxyOffADrainingInstanceStaysPresent() throws Exception {
        handOver(false, false, "polling");
    }

    private void handOver(boolean stop) throws Exception {
        handOver(stop, false);
    }

    private void handOver(boolean stop, boolean verified) throws Exception {
        handOver(stop, verified, "websocket");
    }

    private void handOver(boolean stop, boolean verified, String transport) throws Exception {
        assertTrue(Files.isDirectory(NPM.resolve("node_modules/socket.io-client")),
                "socket.io-client is not installed in " + NPM + ": run `npm ci` there (scripts/test does) with network access");
        String channel = "relay-handover";
        try (Instances cluster = new Instances()) {
            TestBridge a = TestBridge.startYaml(yaml("a", verified));
            TestBridge b = cluster.startYaml(yaml("b", verified));
            TestBridge c = cluster.startYaml(yaml("c", verified));
            try (a; Observer onB = new Observer(b, channel, verified ? token("observer-b") : null);
                 Observer onC = new Observer(c, channel, verified ? token("observer-c") : null);
                 HaproxyServer haproxy = HaproxyServer.startFailover(List.of(a.port(), b.port()))) {
                JsonNode[] recovered = new JsonNode[1];
                boolean[] reconnecting = new boolean[1];
                String[] ids = new String[2]; // r's and gone's participant ids
                List<String> output = NodeDriver.run(NPM, SCRIPT_LIMIT, (o, node) -> {
                    if (o.has("connected")) {
                        assertTrue(o.get("pid").asBoolean(), "the CONNECT answer carried a pid: " + node.output());
                        assertEquals(transport, o.get("via").asText(), "r's transport");
                        ids[0] = verified ? "r" : "sio-" + o.get("id").asText();
                        ids[1] = verified ? "gone" : "sio-" + o.get("goneId").asText();
                        Instances.awaitRoster(channel, 5, a, b, c); // r, gone, s and the two observers
                        assertTrue(participantIds(c, channel).containsAll(List.of(ids[0], ids[1])),
                                "r and gone are sio-<socket id>: " + participantIds(c, channel));
                        for (Observer obs : List.of(onB, onC)) {
                            obs.awaitEvent("joined", ids[0]);
                            obs.awaitEvent("joined", ids[1]);
                        }
                        node.writeLine("go");
                    } else if (o.has("got") && !stop) {
                        assertEquals(202, java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                                a.http("/admin/drain?deadline=200ms")).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
                    } else if (o.has("rDisconnected") && !stop && !reconnecting[0]) {
                        reconnecting[0] = true; // once: the script's own close at its end says so too
                        node.writeLine("reconnect"); // the deadline closed r's socket, its leave held
                    } else if (o.has("got")) {
                        CompletableFuture.runAsync(a::close).get(30, TimeUnit.SECONDS); // what SIGTERM runs: drains, then closes
                        // r comes back only once the others know what a's stop left: its lease kept until the end of the
                        // grace (its participants held), or removed and r swept from c's roster (none held)
                        String lease = "sb:inst:" + a.bridge().hub().nodeId();
                        Poll.until("a's lease kept for the grace, or r removed from c's roster", WAIT,
                                () -> redis.server().cli("EXISTS", lease).trim().equals("1") || !participantIds(c, channel).contains(ids[0]));
                        node.writeLine("reconnect");
                    } else if (o.has("via")) {
                        assertEquals(transport, o.get("via").asText(), "r's transport after it recovered on b");
                    } else if (o.has("sameId")) {
                        recovered[0] = o;
                        // gone, who did not come back, leaves at the end of the grace: a's lease expires (stop), or a
                        // announces the leaves it held (drain)
                        onC.awaitEvent("left", ids[1]);
                        onB.awaitEvent("left", ids[1]);
                        Poll.until("a's fields are gone from the channel's members", WAIT,
                                () -> !redis.server().cli("HKEYS", ChannelKeys.of("sb", channel).who()).contains(a.bridge().hub().nodeId()));
                        Instances.awaitRoster(channel, 4, b, c); // r (on b), s and the two observers
                        assertTrue(participantIds(b, channel).contains(ids[0]) && participantIds(c, channel).contains(ids[0]),
                                "r is present on b and c: " + participantIds(c, channel));
                        for (Observer obs : List.of(onB, onC)) { // before the script ends: its sockets then leave
                            obs.drainPresence();
                            assertEquals(List.of("joined"), obs.events(ids[0]), obs.where + " saw r join once and never leave: " + obs.all);
                            assertEquals(List.of("joined", "left"), obs.events(ids[1]), obs.where + " saw gone join and leave: " + obs.all);
                        }
                        node.writeLine("stopped");
                    }
                }, "relay-cluster-handover.js", verified
                        ? new String[] {"http://127.0.0.1:" + haproxy.port(), "http://127.0.0.1:" + b.port(), channel, transport,
                                token("r"), token("gone"), token("s")}
                        : new String[] {"http://127.0.0.1:" + haproxy.port(), "http://127.0.0.1:" + b.port(), channel, transport});
                assertEquals("{\"recovered\":true,\"sameId\":true}", String.valueOf(recovered[0]), "r recovered on b: " + output);
            }
        }
    }

    /** An instance's YAML: the relay with recovery, and with {@code verified} identity.mode verified under {@link #SECRET}. */
    private String yaml(String name, boolean verified) {
        String y = SocketIoRecoveryAcrossInstancesTest.yaml(name, redis.server(), SETTINGS);
        String recovery = "    socketio:\n";
        assertTrue(y.contains(recovery), y);
        return verified ? y.replace(recovery, "    identity:\n      mode: verified\n      secret: " + SECRET + "\n" + recovery) : y;
    }

    private static String token(String sender) {
        return new org.sigbridge.web.identity.TokenMinter(org.sigbridge.config.Secret.of(SECRET))
                .mint(sender, java.util.Optional.empty(), java.time.Instant.now(), Duration.ofHours(1));
    }

    private static List<String> participantIds(TestBridge b, String channel) {
        return b.bridge().hub().participants(channel).stream().map(Participant::id).toList();
    }
}
