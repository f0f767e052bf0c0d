package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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
    private static final SeedPages PAGES = new SeedPages(CHANNEL);

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    @Test
    void aDroppedSeedPageThatReconnectsThroughHaproxyToTheOtherInstanceGetsItsGapOnceInOrder() throws Exception {
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.startYaml(SeedPages.yaml("a", redis.server()));
            TestBridge b = cluster.startYaml(SeedPages.yaml("b", redis.server()));
            // balance first: every new connection goes to b while it is up, so the reconnect lands on the other instance
            try (HaproxyServer haproxy = HaproxyServer.startFailover(List.of(b.port(), a.port()));
                 WsClient sa = WsClient.connect(a.ws("/ws/channels"));
                 WsClient sb = WsClient.connect(b.ws("/ws/channels"))) {
                URI front = URI.create("ws://127.0.0.1:" + haproxy.port() + "/ws/channels");
                sa.send(PAGES.open());
                sb.send(PAGES.open());
                Instances.awaitRoster(CHANNEL, 2, a, b);
                WsClient page = WsClient.connect(a.ws("/ws/channels"));
                page.send(PAGES.openAs("pat"));
                Instances.awaitRoster(CHANNEL, 3, a, b);
                TestBridge first = a;
                TestBridge other = b;

                SeedPages.Tally tally = new SeedPages.Tally();
                WsClient back = null;
                String before = "";
                String keys = "";
                try {
                    for (int i = 0; i < N; i++) {
                        sa.send(PAGES.data("sa-" + i));
                        sb.send(PAGES.data("sb-" + i));
                        if (i == 10) {
                            page.send(PAGES.data("pat-own")); // its own, later in the channel than what it was handed: never replayed
                        }
                        if (i == N / 3) {
                            // The senders pause until the page has read all they sent: a seed page acknowledges nothing,
                            // so what its instance handed it while its connection broke would be lost with the connection.
                            int last = i;
                            while (!(tally.got.getOrDefault("sa", List.of()).contains(last) && tally.got.getOrDefault("sb", List.of()).contains(last))) {
                                tally.record(page.next(f -> f.containsKey("n"), WAIT).get("n").asText());
                            }
                            before = tally.toString();
                            page.close(); // its connection drops; its instance lives
                            Poll.until("the first instance wrote the page's checkpoint", WAIT, Duration.ofMillis(5),
                                    () -> first.web().stats().checkpoints(WebStats.Checkpoint.WRITTEN), n -> n == 1);
                            keys = "at the write: [" + redis.server().cli("KEYS", "sb:rec:*").trim() + "]";
                        }
                        if (i == 2 * N / 3) {
                            keys += ", before the reconnect: [" + redis.server().cli("KEYS", "sb:rec:*").trim() + "]";
                            back = WsClient.connect(front); // through HAProxy, to b
                            back.send(PAGES.openAs("pat"));
                        }
                    }
                    sa.send(PAGES.data("sa-end"));
                    sb.send(PAGES.data("sb-end"));
                    Set<String> markers = new TreeSet<>();
                    while (markers.size() < 2) {
                        String name = back.next(f -> f.containsKey("n"), WAIT).get("n").asText();
                        if (name.endsWith("-end")) {
                            markers.add(name);
                        } else {
                            tally.record(name);
                        }
                    }
                } finally {
                    page.close();
                    if (back != null) {
                        back.close();
                    }
                }
                System.out.println("seed checkpoint: " + keys + "; before the drop the page had " + before
                        + "; in all " + tally);
                String counts = "checkpoints in Redis " + keys + "; " + SeedPages.counts(a, "a") + "; " + SeedPages.counts(b, "b");
                Poll.until("the resume's end was counted: " + counts, WAIT, Duration.ofMillis(5),
                        () -> other.web().stats().checkpoints(WebStats.Checkpoint.RECOVERED)
                                + other.web().stats().checkpoints(WebStats.Checkpoint.NOT_RECOVERED), n -> n >= 1);
                assertEquals(1, other.web().stats().checkpoints(WebStats.Checkpoint.RECOVERED),
                        "the reconnect landed on the other instance and recovered there; " + counts);
                int[] row = tally.assertOnceInOrder(N, N);
                int lost = row[1];
                int duplicated = row[2];
                System.out.printf("| seed checkpoint: dropped on a, reconnected through HAProxy to b | %d | %d | %d | %d |%n",
                        2 * N, 2 * N - lost, lost, duplicated);
                assertEquals(0, lost + duplicated);
            }
        }
    }
}
