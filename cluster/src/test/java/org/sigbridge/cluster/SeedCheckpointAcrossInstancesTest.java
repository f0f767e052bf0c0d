package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.RedisExtension;
import org.sigbridge.testkit.peers.HaproxyServer;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;
import org.sigbridge.web.WebStats;

/**
 * Server-side checkpoints for seed dialects across instances (docs/design.md §3.8, docs/cluster.md §2): a bare
 * channels-dialect page that named its sender is on instance a, its connection drops mid-stream while a lives, a writes
 * the checkpoint to Redis, and the page's reconnect through a real HAProxy ({@code balance first}, b listed first) lands
 * on b, which claims the checkpoint ({@code GETDEL}) and replays the gap from
 * the channel's log in the page's own format. Counted with a ledger of every message of the two senders (one on each
 * instance): each once, in its sender's order, none of the page's own back.
 */
class SeedCheckpointAcrossInstancesTest {

    private static final String CHANNEL = "seed-ckpt";
    private static final int N = 90;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    /** An instance's YAML: {@link Instances#yaml} with checkpoints for pages without verified identity. */
    private String yaml(String name) {
        String base = Instances.yaml(name, redis.server(), Instances.FAST + "  connect-timeout: 30s\n");
        String rate = "    rate-limit: { messages-per-second: 100000, burst: 100000 }\n";
        assertTrue(base.contains(rate), base);
        return base.replace(rate, rate + "    checkpoints: { unverified: true }\n");
    }

    @Test
    void aDroppedSeedPageThatReconnectsThroughHaproxyToTheOtherInstanceGetsItsGapOnceInOrder() throws Exception {
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.startYaml(yaml("a"));
            TestBridge b = cluster.startYaml(yaml("b"));
            // balance first: every new connection goes to b while it is up, so the reconnect lands on the other instance
            try (HaproxyServer haproxy = HaproxyServer.startFailover(List.of(b.port(), a.port()));
                 WsClient sa = WsClient.connect(a.ws("/ws/channels"));
                 WsClient sb = WsClient.connect(b.ws("/ws/channels"))) {
                URI front = URI.create("ws://127.0.0.1:" + haproxy.port() + "/ws/channels");
                sa.send(open());
                sb.send(open());
                Instances.awaitRoster(CHANNEL, 2, a, b);
                WsClient page = WsClient.connect(a.ws("/ws/channels"));
                page.send(openAs("pat"));
                Instances.awaitRoster(CHANNEL, 3, a, b);
                TestBridge first = a;
                TestBridge other = b;

                Map<String, List<Integer>> got = new HashMap<>();
                List<String> foreign = new ArrayList<>();
                WsClient back = null;
                String before = "";
                String keys = "";
                try {
                    for (int i = 0; i < N; i++) {
                        sa.send(data("sa-" + i));
                        sb.send(data("sb-" + i));
                        if (i == 10) {
                            page.send(data("pat-own")); // its own, later in the channel than what it was handed: never replayed
                        }
                        if (i == N / 3) {
                            // The senders pause until the page has read all they sent: a seed page acknowledges nothing,
                            // so what its instance handed it while its connection broke would be lost with the connection.
                            int last = i;
                            while (!(got.getOrDefault("sa", List.of()).contains(last) && got.getOrDefault("sb", List.of()).contains(last))) {
                                record(page.next(f -> f.containsKey("n"), WAIT).get("n").asText(), got, foreign);
                            }
                            before = got.toString();
                            page.close(); // its connection drops; its instance lives
                            Poll.until("the first instance wrote the page's checkpoint", WAIT, Duration.ofMillis(5),
                                    () -> first.web().stats().checkpoints(WebStats.Checkpoint.WRITTEN), n -> n == 1);
                            keys = "at the write: [" + redis.server().cli("KEYS", "sb:rec:*").trim() + "]";
                        }
                        if (i == 2 * N / 3) {
                            keys += ", before the reconnect: [" + redis.server().cli("KEYS", "sb:rec:*").trim() + "]";
                            back = WsClient.connect(front); // through HAProxy, to b
                            back.send(openAs("pat"));
                        }
                    }
                    sa.send(data("sa-end"));
                    sb.send(data("sb-end"));
                    Set<String> markers = new TreeSet<>();
                    while (markers.size() < 2) {
                        String name = back.next(f -> f.containsKey("n"), WAIT).get("n").asText();
                        if (name.endsWith("-end")) {
                            markers.add(name);
                        } else {
                            record(name, got, foreign);
                        }
                    }
                } finally {
                    page.close();
                    if (back != null) {
                        back.close();
                    }
                }
                System.out.println("seed checkpoint: " + keys + "; before the drop the page had " + before
                        + "; in all " + got);
                String counts = "checkpoints in Redis " + keys + "; " + counts(a, "a") + "; " + counts(b, "b");
                Poll.until("the resume's end was counted: " + counts, WAIT, Duration.ofMillis(5),
                        () -> other.web().stats().checkpoints(WebStats.Checkpoint.RECOVERED)
                                + other.web().stats().checkpoints(WebStats.Checkpoint.NOT_RECOVERED), n -> n >= 1);
                assertEquals(1, other.web().stats().checkpoints(WebStats.Checkpoint.RECOVERED),
                        "the reconnect landed on the other instance and recovered there; " + counts);
                assertEquals(List.of(), foreign, "nothing of its own came back, nothing unexpected");
                int lost = 0;
                int duplicated = 0;
                for (String sender : List.of("sa", "sb")) {
                    List<Integer> seq = got.getOrDefault(sender, List.of());
                    Set<Integer> distinct = new TreeSet<>(seq);
                    duplicated += seq.size() - distinct.size();
                    lost += N - distinct.size();
                    for (int k = 1; k < seq.size(); k++) {
                        assertTrue(seq.get(k) > seq.get(k - 1), sender + " out of order or doubled at " + k + ": " + seq);
                    }
                    assertEquals(N, distinct.size(), sender + ": missing some of 0.." + (N - 1) + ": " + seq);
                }
                System.out.printf("| seed checkpoint: dropped on a, reconnected through HAProxy to b | %d | %d | %d | %d |%n",
                        2 * N, 2 * N - lost, lost, duplicated);
                assertEquals(0, lost + duplicated);
            }
        }
    }

    private static String counts(TestBridge bridge, String name) {
        WebStats st = bridge.web().stats();
        return name + ": written " + st.checkpoints(WebStats.Checkpoint.WRITTEN) + ", recovered "
                + st.checkpoints(WebStats.Checkpoint.RECOVERED) + ", not recovered " + st.checkpoints(WebStats.Checkpoint.NOT_RECOVERED);
    }

    private static void record(String data, Map<String, List<Integer>> got, List<String> foreign) {
        int dash = data.lastIndexOf('-');
        String sender = data.substring(0, dash);
        if (!sender.equals("sa") && !sender.equals("sb")) {
            foreign.add(data);
            return;
        }
        got.computeIfAbsent(sender, s -> new ArrayList<>()).add(Integer.parseInt(data.substring(dash + 1)));
    }

    private static String open() {
        return "{\"open\":true,\"channel\":" + JsonValue.string(CHANNEL).json() + "}";
    }

    private static String openAs(String sender) {
        return "{\"open\":true,\"channel\":" + JsonValue.string(CHANNEL).json() + ",\"sender\":" + JsonValue.string(sender).json() + "}";
    }

    /** A publish whose data is {@code {"n":name}}: receivers tell deliveries from other frames by {@code n}. */
    private static String data(String name) {
        return "{\"channel\":" + JsonValue.string(CHANNEL).json() + ",\"data\":{\"n\":" + JsonValue.string(name).json() + "}}";
    }
}
