package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.LegState;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.RedisExtension;
import org.sigbridge.testkit.peers.HaproxyServer;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;
import org.sigbridge.web.WebStats;
import org.slf4j.LoggerFactory;

/**
 * Server-side checkpoints for seed dialects under the two faults docs/cluster.md §2 ("Checkpoints for seed WebSocket
 * pages") names besides a dropped connection: the page's instance drains ({@code POST /admin/drain}, its sockets closed
 * with 1001 mid-stream) and the page reconnects through a real HAProxy to the other instance; and Redis is unreachable
 * when the checkpoint is written and claimed (bounded, logged once, counted, the socket joins live). Real Redis, two
 * instances in the test's JVM.
 */
class SeedCheckpointFaultsTest {

    private static final String CHANNEL = "seed-ckpt-faults";
    private static final int N = 90;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final SeedPages PAGES = new SeedPages(CHANNEL);

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    /**
     * a drains while b's sender keeps sending: the page on a is closed with 1001 between two of b's messages, a writes
     * its checkpoint, and the page's reconnect through HAProxy lands on b, which replays the gap from the log. Every
     * message of both senders once, in order, none of the page's own.
     */
    @Test
    void aPageOfADrainingInstanceGetsItsGapOnceInOrderOnTheOther() throws Exception {
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.startYaml(SeedPages.yaml("a", redis.server()));
            TestBridge b = cluster.startYaml(SeedPages.yaml("b", redis.server()));
            try (HaproxyServer haproxy = HaproxyServer.startFailover(List.of(b.port(), a.port()));
                 WsClient sa = WsClient.connect(a.ws("/ws/channels"));
                 WsClient sb = WsClient.connect(b.ws("/ws/channels"));
                 WsClient page = WsClient.connect(a.ws("/ws/channels"))) {
                sa.send(PAGES.open());
                sb.send(PAGES.open());
                Instances.awaitRoster(CHANNEL, 2, a, b);
                page.send(PAGES.openAs("pat"));
                Instances.awaitRoster(CHANNEL, 3, a, b);
                SeedPages.Tally tally = new SeedPages.Tally();
                int saSent = N / 3;
                WsClient back = null;
                try {
                    for (int i = 0; i < N; i++) {
                        if (i < saSent) {
                            sa.send(PAGES.data("sa-" + i)); // a's own sender: its envelopes are in a's history and the log
                        }
                        sb.send(PAGES.data("sb-" + i));
                        if (i == 5) {
                            page.send(PAGES.data("pat-own"));
                        }
                        if (i == saSent) {
                            sa.present(CHANNEL, WAIT); // a handled every frame of sa before the drain closes it
                            HttpResponse<String> r = post(a.http("/admin/drain?deadline=1ms")); // closes while b's stream goes on
                            assertEquals(202, r.statusCode(), r.body());
                        }
                        if (i == N / 2) {
                            assertEquals(1001, page.closeCode(WAIT));
                            Poll.until("a wrote the page's checkpoint", WAIT, Duration.ofMillis(5),
                                    () -> a.web().stats().checkpoints(WebStats.Checkpoint.WRITTEN), n -> n >= 1);
                            for (Map<String, JsonValue> f : page.drain()) {
                                if (f.containsKey("n")) {
                                    tally.record(f.get("n").asText());
                                }
                            }
                            back = WsClient.connect(URI.create("ws://127.0.0.1:" + haproxy.port() + "/ws/channels")); // to b
                            back.send(PAGES.openAs("pat"));
                        }
                    }
                    assertTrue(back != null, "the drain closed the page within the stream");
                    sb.send(PAGES.data("sb-end"));
                    while (true) {
                        String name = back.next(f -> f.containsKey("n"), WAIT).get("n").asText();
                        if (name.equals("sb-end")) {
                            break;
                        }
                        tally.record(name);
                    }
                } finally {
                    if (back != null) {
                        back.close();
                    }
                }
                Poll.until("b counted the resume's end", WAIT, Duration.ofMillis(5),
                        () -> b.web().stats().checkpoints(WebStats.Checkpoint.RECOVERED)
                                + b.web().stats().checkpoints(WebStats.Checkpoint.NOT_RECOVERED), n -> n >= 1);
                assertEquals(1, b.web().stats().checkpoints(WebStats.Checkpoint.RECOVERED), "recovered on b");
                int[] row = tally.assertOnceInOrder(saSent, N);
                int lost = row[1];
                int duplicated = row[2];
                System.out.printf("| seed checkpoint: its instance a drained mid-stream, reconnected through HAProxy to b | %d | %d | %d | %d |%n",
                        saSent + N, saSent + N - lost, lost, duplicated);
                assertEquals(0, lost + duplicated);
            }
        }
    }

    /**
     * Redis stopped: two pages on a close; a keeps both checkpoints in its memory, counts them as written and unshared,
     * and logs the outage once. The page that comes back to a gets a's sender's gap from a's history; the one that goes
     * to b cannot ask Redis for its checkpoint, joins live at once (counted not_recovered on b) and gets b's next
     * message. No claim waits: each answer comes while Redis is still down.
     */
    @Test
    void whileRedisIsDownCheckpointsStayOnTheirInstanceAndAReconnectElsewhereJoinsLive() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("org.sigbridge.web.classic.Checkpoints");
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.startYaml(SeedPages.yaml("a", redis.server()));
            TestBridge b = cluster.startYaml(SeedPages.yaml("b", redis.server()));
            try (WsClient sa = WsClient.connect(a.ws("/ws/channels"));
                 WsClient sb = WsClient.connect(b.ws("/ws/channels"));
                 WsClient p1 = WsClient.connect(a.ws("/ws/channels"));
                 WsClient p2 = WsClient.connect(a.ws("/ws/channels"))) {
                sa.send(PAGES.open());
                sb.send(PAGES.open());
                p1.send(PAGES.openAs("p1"));
                p2.send(PAGES.openAs("p2"));
                Instances.awaitRoster(CHANNEL, 4, a, b);
                sa.send(PAGES.data("sa-0"));
                for (WsClient p : List.of(p1, p2)) {
                    assertEquals("sa-0", p.next(f -> f.containsKey("n"), WAIT).get("n").asText());
                }

                redis.server().stop();
                Instances.awaitLeg(a, LegState.Status.DOWN, WAIT);
                Instances.awaitLeg(b, LegState.Status.DOWN, WAIT);
                p1.close();
                p2.close();
                Poll.until("a kept both checkpoints, unshared", WAIT, Duration.ofMillis(5),
                        () -> a.web().stats().checkpoints(WebStats.Checkpoint.WRITTEN) + "/"
                                + a.web().stats().checkpoints(WebStats.Checkpoint.UNSHARED), s -> s.equals("2/2"));
                for (int i = 1; i <= 5; i++) {
                    sa.send(PAGES.data("sa-" + i)); // local on a; cannot cross to b while Redis is down
                }
                sa.present(CHANNEL, WAIT);

                try (WsClient again = WsClient.connect(a.ws("/ws/channels"));
                     WsClient elsewhere = WsClient.connect(b.ws("/ws/channels"))) {
                    again.send(PAGES.openAs("p1"));
                    elsewhere.send(PAGES.openAs("p2"));
                    for (int i = 1; i <= 5; i++) {
                        assertEquals("sa-" + i, again.next(f -> f.containsKey("n"), WAIT).get("n").asText(), "a's gap, in order");
                    }
                    Poll.until("b answered p2's claim without Redis", WAIT, Duration.ofMillis(5),
                            () -> b.web().stats().checkpoints(WebStats.Checkpoint.NOT_RECOVERED), n -> n == 1);
                    elsewhere.present(CHANNEL, WAIT); // b handled its open: it is subscribed
                    sb.send(PAGES.data("sb-live"));
                    assertEquals("sb-live", elsewhere.next(f -> f.containsKey("n"), WAIT).get("n").asText(), "p2 joined live on b");
                    again.expectNothing(Duration.ofMillis(200)); // nothing twice (sb-live cannot cross without Redis)
                    assertFalse(redis.server().isRunning(), "every answer above came while Redis was down");
                    assertEquals(1, a.web().stats().checkpoints(WebStats.Checkpoint.RECOVERED), "p1 recovered on a");
                    assertEquals(1, b.web().stats().checkpoints(WebStats.Checkpoint.UNSHARED), "b's claim counted unshared");
                }
                long warnings = logs.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
                assertEquals(2, warnings, "the outage logged once per instance's mount: " + logs.list);
            }
        } finally {
            logger.detachAppender(logs);
        }
    }

    private static HttpResponse<String> post(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
