package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.cluster.wire.BusFrame;
import org.sigbridge.cluster.wire.ChannelKeys;
import org.sigbridge.cluster.wire.EnvelopeCodec;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.RedisExtension;
import org.sigbridge.testkit.peers.LineClient;
import org.sigbridge.testkit.peers.NodeDriver;
import org.sigbridge.web.TestBridge;

/**
 * Addressed envelopes to a participant whose instance goes away (docs/cluster.md §5, "When the holder goes away"), with
 * RTCMultiConnection users in the real socket.io-client 4.8 ({@code web-socketio/npm/rmc-cluster-addressed.js}): alice
 * on instance a sends bob, on instance b, per-user messages n = 0..9, which he gets; then b goes away and she sends
 * n = 10..19. The ledger of the test is the room channel's Redis log (each envelope's id and offset) and b's last
 * delivered-through watermark in Redis:
 * <ul>
 *   <li>b killed ({@code kill -9} of a child JVM), bob never back: alice gets {@code no_such_recipient} naming exactly
 *   the envelopes after b's last watermark (n = 10..19), each once, none of those before;</li>
 *   <li>b stopped (what SIGTERM runs) with bob held in the presence grace, bob never back: the same, once the grace
 *   ended;</li>
 *   <li>b stopped, bob's client recovers on instance c within the grace: he gets n = 10..19 once, in order, and alice
 *   gets no error.</li>
 * </ul>
 */
class AddressedToAGoneHolderTest {

    private static final Path NPM = Path.of("../web-socketio/npm").toAbsolutePath().normalize();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration SCRIPT_LIMIT = Duration.ofSeconds(120);
    private static final String SETTINGS = Instances.FAST + "  presence-grace: 4s\n  connect-timeout: 30s\n";
    private static final Pattern N = Pattern.compile("\"n\":(\\d+)");

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    @Test
    void envelopesToAParticipantOfAKilledInstanceAfterItsLastWatermarkAreReportedByIdAndNoneBefore() throws Exception {
        String room = "addressed-killed";
        try (Instances cluster = new Instances();
             ChildInstance b = ChildInstance.start(SocketIoRecoveryAcrossInstancesTest.yaml("b", redis.server(), SETTINGS))) {
            TestBridge a = cluster.startYaml(SocketIoRecoveryAcrossInstancesTest.yaml("a", redis.server(), SETTINGS));
            String[] bNode = new String[1];
            List<String> reported = new CopyOnWriteArrayList<>();
            List<String> output = NodeDriver.run(NPM, SCRIPT_LIMIT, (o, node) -> {
                if (o.has("connected")) {
                    Instances.awaitRoster(room, 2, a); // alice, and bob from b
                    node.writeLine("send1");
                } else if (o.has("got1")) {
                    bNode[0] = holderOf(a, room);
                    long last = topOfLog(room);
                    // b's watermark covers what bob got (b writes it with each lease renewal): those are settled as delivered
                    Poll.until("b's watermark reached offset " + last, WAIT, () -> watermark(room, bNode[0]) >= last);
                    b.kill();
                    node.writeLine("send2"); // before a's sweep (lease 3 s): a still sends them to b
                } else if (o.has("error")) {
                    report(o, reported, node);
                }
            }, "rmc-cluster-addressed.js", "http://127.0.0.1:" + a.port(), "http://127.0.0.1:" + b.port(), room);
            assertReportedAfterWatermark(room, bNode[0], reported, output);
        }
    }

    @Test
    void envelopesToAParticipantHeldByAStoppedInstanceThatNeverComesBackAreReportedOnceAndNoneBefore() throws Exception {
        String room = "addressed-stopped";
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.startYaml(SocketIoRecoveryAcrossInstancesTest.yaml("a", redis.server(), SETTINGS));
            TestBridge b = TestBridge.startYaml(SocketIoRecoveryAcrossInstancesTest.yaml("b", redis.server(), SETTINGS));
            String bNode = b.bridge().hub().nodeId();
            List<String> reported = new CopyOnWriteArrayList<>();
            CompletableFuture<?>[] stopping = new CompletableFuture<?>[1];
            try (b) {
                List<String> output = NodeDriver.run(NPM, SCRIPT_LIMIT, (o, node) -> {
                    if (o.has("connected")) {
                        Instances.awaitRoster(room, 2, a);
                        node.writeLine("send1");
                    } else if (o.has("got1")) {
                        stopping[0] = CompletableFuture.runAsync(b::close); // what SIGTERM runs: drains, then closes
                    } else if (o.has("bobDisconnected")) {
                        node.writeLine("send2"); // b closed bob's connection: from here on nobody delivers to him
                    } else if (o.has("error")) {
                        report(o, reported, node);
                    }
                }, "rmc-cluster-addressed.js", "http://127.0.0.1:" + a.port(), "http://127.0.0.1:" + b.port(), room);
                stopping[0].get(30, TimeUnit.SECONDS);
                assertReportedAfterWatermark(room, bNode, reported, output);
            }
        }
    }

    @Test
    void envelopesToAParticipantWhoseClientResumesElsewhereWithinTheGraceReachItOnceInOrderAndNoneIsReported() throws Exception {
        String room = "addressed-resumed";
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.startYaml(SocketIoRecoveryAcrossInstancesTest.yaml("a", redis.server(), SETTINGS));
            TestBridge c = cluster.startYaml(SocketIoRecoveryAcrossInstancesTest.yaml("c", redis.server(), SETTINGS));
            TestBridge b = TestBridge.startYaml(SocketIoRecoveryAcrossInstancesTest.yaml("b", redis.server(), SETTINGS));
            String bNode = b.bridge().hub().nodeId();
            JsonNode[] recovered = new JsonNode[1];
            List<String> reported = new CopyOnWriteArrayList<>();
            CompletableFuture<?>[] stopping = new CompletableFuture<?>[1];
            try (b) {
                List<String> output = NodeDriver.run(NPM, SCRIPT_LIMIT, (o, node) -> {
                    if (o.has("connected")) {
                        Instances.awaitRoster(room, 2, a);
                        node.writeLine("send1");
                    } else if (o.has("got1")) {
                        stopping[0] = CompletableFuture.runAsync(b::close);
                    } else if (o.has("bobDisconnected")) {
                        node.writeLine("send2");
                    } else if (o.has("sent2")) {
                        stopping[0].get(30, TimeUnit.SECONDS); // b's lease kept for the grace: bob is held
                        node.writeLine("reconnect http://127.0.0.1:" + c.port());
                    } else if (o.has("recovered")) {
                        recovered[0] = o;
                        // b's lease expires at the grace's end and its fields are swept: a wrong rule would report now
                        Poll.until("b's fields are gone from the room's members", WAIT,
                                () -> !redis.server().cli("HKEYS", ChannelKeys.of("sb", room).who()).contains(bNode));
                        Poll.until("a's ledger settled every envelope to bob", WAIT, Duration.ofMillis(100), () -> tracked(a), v -> v == 0);
                        node.writeLine("end");
                    } else if (o.has("error")) {
                        reported.add(o.get("error").toString());
                    }
                }, "rmc-cluster-addressed.js", "http://127.0.0.1:" + a.port(), "http://127.0.0.1:" + b.port(), room);
                assertEquals("true", String.valueOf(recovered[0].get("recovered")), "bob recovered on c: " + output);
                List<Integer> expected = new ArrayList<>();
                for (int n = 0; n < 20; n++) {
                    expected.add(n);
                }
                assertEquals(expected.toString().replace(" ", ""), recovered[0].get("got").toString(), "bob got every message once, in order: " + output);
                assertEquals(List.of(), reported, "alice was told of no failure: " + output);
            }
        }
    }

    /** The reported ids are exactly those of the room's log addressed to bob above b's last watermark (n = 10..19). */
    /** Alice's error frame: a {@code no_such_recipient} naming one envelope; the script ends after the tenth. */
    private static void report(JsonNode o, List<String> reported, LineClient node) {
        assertEquals("no_such_recipient", o.get("error").get("code").asText(), o.toString());
        reported.add(o.get("error").get("id").asText());
        if (reported.size() == 10) {
            node.writeLine("end");
        }
    }

    private void assertReportedAfterWatermark(String room, String holder, List<String> reported, List<String> output) {
        long mark = watermark(room, holder);
        Map<Long, String[]> log = log(room);
        Set<String> after = new HashSet<>();
        List<Integer> afterN = new ArrayList<>();
        log.forEach((offset, idAndN) -> {
            if (offset > mark) {
                after.add(idAndN[0]);
                afterN.add(Integer.parseInt(idAndN[1]));
            }
        });
        assertEquals(List.of(10, 11, 12, 13, 14, 15, 16, 17, 18, 19), afterN, "the log after b's last watermark " + mark + ": " + log.size()
                + " entries; output: " + output);
        assertEquals(10, reported.size(), "each reported once: " + reported);
        assertEquals(after, new HashSet<>(reported), "the ids reported are those after b's last watermark " + mark + ": " + output);
        String fin = output.stream().filter(l -> l.startsWith("{\"final\"")).findFirst().orElseThrow();
        assertTrue(fin.contains("\"got\":[0,1,2,3,4,5,6,7,8,9]"), "bob got the first ten once, in order: " + fin);
    }

    /** The instance a's roster has bob on. */
    private String holderOf(TestBridge a, String room) throws Exception {
        return Poll.until("bob's instance", WAIT, Duration.ofMillis(20), () -> {
            try (RedisClient client = RedisClient.create(redis.server().uri());
                 StatefulRedisConnection<String, String> conn = client.connect()) {
                return conn.sync().hgetall(ChannelKeys.of("sb", room).who()).entrySet().stream()
                        .filter(e -> e.getValue().contains("\"bob\"")).map(e -> e.getKey().split(" ")[0]).findFirst().orElse("");
            }
        }, s -> !s.isEmpty());
    }

    private long watermark(String room, String instance) {
        try (RedisClient client = RedisClient.create(redis.server().uri());
             StatefulRedisConnection<String, String> conn = client.connect()) {
            String mark = conn.sync().hget(ChannelKeys.of("sb", room).watermarks(), instance);
            return mark == null ? -1 : Long.parseLong(mark.split(" ")[1]);
        }
    }

    private long topOfLog(String room) {
        return log(room).keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** Offset → {envelope id, n} of the room's log entries that are alice's messages to bob. */
    private Map<Long, String[]> log(String room) {
        Map<Long, String[]> out = new TreeMap<>();
        try (RedisClient client = RedisClient.create(redis.server().uri());
             StatefulRedisConnection<String, String> conn = client.connect()) {
            for (StreamMessage<String, String> m : conn.sync().xrange(ChannelKeys.of("sb", room).log(), Range.create("-", "+"))) {
                BusFrame f = BusFrame.parse(m.getBody().get("f")).orElseThrow();
                var e = EnvelopeCodec.readEnvelope(f.body()).orElseThrow().envelope();
                Matcher n = N.matcher(e.message().json());
                if ("bob".equals(e.recipient()) && n.find()) {
                    out.put(f.offset(), new String[] {e.id(), n.group(1)});
                }
            }
        }
        return out;
    }

    /** {@code sigbridge_cluster_addressed_tracked} of {@code a}, from its {@code /metrics}. */
    private static double tracked(TestBridge a) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(a.http("/metrics")).timeout(Duration.ofSeconds(5)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^sigbridge_cluster_addressed_tracked (\\S+)$").matcher(r.body());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
