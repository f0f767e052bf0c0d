package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sigbridge.cluster.wire.ChannelKeys;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.peers.RedisServer;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * Gap filling off the receiver's lock (docs/cluster.md §3): a receiving instance that missed a long run of a channel's
 * frames reads them from the log a page at a time while the channel's live frames keep coming, and delivers every
 * envelope once and in order: the live frames that arrive while a page is being read wait behind it. A second
 * channel's live traffic at the same time arrives once and in order too.
 *
 * <p>The gap is made as {@code TailReplayTest} makes it: instance b (a child JVM) is stopped with SIGSTOP and its
 * pub/sub connection killed, so what a appends meanwhile reaches b only from the log, once b goes on (SIGCONT).
 */
@Timeout(180)
class GapFillTest {

    private static final String FILLED = "fill-room";
    private static final String OTHER = "other-room";
    /** More than two pages of the log ({@link LogFill#PAGE}). */
    private static final int MISSED = 2 * LogFill.PAGE + 250;
    private static final int LIVE = 400;
    /**
     * {@code outbound-capacity} above {@link #MISSED}: the missed envelopes are sent at once, faster than a loaded
     * machine appends them, and the default queue (1,000) refuses the overflow to its sender, as it should; this test
     * is about the fill, not the queue bound.
     */
    private static final String SETTINGS = """
              outbound-capacity: 4000
              lease: 6s
              lease-renew: 2s
              outbound-max-age: 5s
              log-age: 60s
            """;

    @Test
    void aLongGapIsFilledOncePageByPageWhileLiveFramesWaitBehindItAndAnotherChannelGoesOn() throws Exception {
        try (RedisServer redis = RedisServer.start(); Instances cluster = new Instances();
             ChildInstance b = ChildInstance.start(Instances.yaml("b", redis, SETTINGS))) {
            TestBridge a = cluster.start("a", redis, SETTINGS);
            try (WsClient fa = WsClient.connect(a.ws("/")); WsClient fb = WsClient.connect(b.ws("/"));
                 WsClient oa = WsClient.connect(a.ws("/")); WsClient ob = WsClient.connect(b.ws("/"))) {
                for (WsClient c : List.of(fa, fb)) {
                    c.send("{\"open\":true,\"channel\":\"" + FILLED + "\"}");
                }
                for (WsClient c : List.of(oa, ob)) {
                    c.send("{\"open\":true,\"channel\":\"" + OTHER + "\"}");
                }
                Instances.awaitRoster(FILLED, 2, a);
                Instances.awaitRoster(OTHER, 2, a);
                fa.send("{\"channel\":\"" + FILLED + "\",\"data\":\"warm\"}");
                fb.expect("\"warm\""); // b follows the channel's log

                b.pause();
                redis.cli("CLIENT", "KILL", "TYPE", "pubsub"); // what Redis publishes now never reaches b
                for (int i = 1; i <= MISSED; i++) {
                    fa.send("{\"channel\":\"" + FILLED + "\",\"data\":\"f-" + i + "\"}");
                }
                String meta = ChannelKeys.of("sb", FILLED).meta();
                Poll.until("Redis appended the missed envelopes", Duration.ofSeconds(60), Duration.ofMillis(20),
                        () -> redis.cli("HGET", meta, "t").trim(), t -> t.equals(String.valueOf(MISSED + 1)));
                b.resume();

                // b's pub/sub connection comes back and its first frame finds the gap: the fill reads the log page by
                // page while both channels' live frames keep arriving.
                for (int i = 1; i <= LIVE; i++) {
                    fa.send("{\"channel\":\"" + FILLED + "\",\"data\":\"f-" + (MISSED + i) + "\"}");
                    oa.send("{\"channel\":\"" + OTHER + "\",\"data\":\"o-" + i + "\"}");
                }

                List<String> filled = Instances.awaitFrames(fb, new ArrayList<>(), MISSED + LIVE, Duration.ofSeconds(90));
                assertEquals(frames("f-", MISSED + LIVE), filled, "every envelope of the filled channel, once, in order");
                List<String> other = Instances.awaitFrames(ob, new ArrayList<>(), LIVE, Duration.ofSeconds(30));
                assertEquals(frames("o-", LIVE), other, "every envelope of the other channel, once, in order");
                fb.expectNothing(Duration.ofMillis(500));
                ob.expectNothing(Duration.ofMillis(1));
            }
        }
    }

    /**
     * An envelope only the log holds (written there by hand as the append script would have, its frame never published:
     * what a lost last frame looks like) reaches the receiving instance from its periodic position check, whose reads
     * no longer hold the receive thread: once, and before the next live envelope.
     */
    @Test
    void anEntryOnlyTheLogHoldsIsDeliveredByThePositionCheckOnceAndInOrder() throws Exception {
        try (RedisServer redis = RedisServer.start(); Instances cluster = new Instances()) {
            TestBridge a = cluster.start("a", redis); // lease-renew 1s: the check runs every second
            TestBridge b = cluster.start("b", redis);
            try (WsClient ca = WsClient.connect(a.ws("/")); WsClient cb = WsClient.connect(b.ws("/"))) {
                ca.send("{\"open\":true,\"channel\":\"" + FILLED + "\"}");
                cb.send("{\"open\":true,\"channel\":\"" + FILLED + "\"}");
                Instances.awaitRoster(FILLED, 2, a, b);
                ca.send("{\"channel\":\"" + FILLED + "\",\"data\":\"first\"}");
                cb.expect("\"first\"");

                ChannelKeys keys = ChannelKeys.of("sb", FILLED);
                io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.uri());
                try (var connection = client.connect()) {
                    var redisCommands = connection.sync();
                    String frame = redisCommands.xrange(keys.log(), io.lettuce.core.Range.create("1-0", "1-0")).get(0).getBody().get("f");
                    String second = frame.replaceFirst(" 1\n", " 2\n").replace("\"first\"", "\"from-the-log\"")
                            .replaceFirst("\"id\":\"[^\"]*\"", "\"id\":\"from-the-log-1\"").replaceFirst(",\"h\":\"[^\"]*\"", "");
                    redisCommands.xadd(keys.log(), new io.lettuce.core.XAddArgs().id("2-0"), java.util.Map.of("f", second));
                    redisCommands.hset(keys.meta(), "t", "2");
                } finally {
                    client.shutdown();
                }

                List<String> got = Instances.awaitFrames(cb, new ArrayList<>(), 1, Duration.ofSeconds(20));
                assertEquals(List.of("\"from-the-log\""), got, "found by the position check, never published");
                ca.send("{\"channel\":\"" + FILLED + "\",\"data\":\"after\"}");
                assertEquals("\"after\"", Instances.awaitFrames(cb, got, 2, Duration.ofSeconds(20)).get(1));
                cb.expectNothing(Duration.ofMillis(1500)); // a check later: nothing a second time
            }
        }
    }

    /**
     * A fill whose log read times out while the channel's live frames wait behind it (docs/cluster.md §3): Redis
     * stalls (SIGSTOP of redis-server) after it published the live frames and before it answers the read. The read is
     * answered as failed after {@code command-timeout} (2 s); the frames that waited are dropped from the live path (the log
     * has them) and the position stays; once Redis goes on, the next position check reads the gap and those frames
     * from the log: every envelope once, in order, then the next live one.
     *
     * <p>The gap is what a lost frame leaves: entries only the log holds (written there by hand as the append script
     * would have, while b is stopped with SIGSTOP so its position check cannot read them first); the live frames after
     * them are published while b is stopped, so they wait in its socket and arrive together when it goes on, behind the
     * read their first one starts.
     */
    @Test
    void aFillWhoseReadTimesOutWhileFramesWaitBehindItDeliversTheGapAndThemOnceInOrderAfterRedisGoesOn() throws Exception {
        int gap = 30;
        int live = 200;
        String settings = """
                  lease: 15s
                  lease-renew: 3s
                  log-age: 60s
                """;
        try (RedisServer redis = RedisServer.start(); Instances cluster = new Instances();
             ChildInstance b = ChildInstance.start(Instances.yaml("b", redis, settings))) {
            TestBridge a = cluster.start("a", redis, settings);
            try (WsClient fa = WsClient.connect(a.ws("/")); WsClient fb = WsClient.connect(b.ws("/"))) {
                for (WsClient c : List.of(fa, fb)) {
                    c.send("{\"open\":true,\"channel\":\"" + FILLED + "\"}");
                }
                Instances.awaitRoster(FILLED, 2, a);
                fa.send("{\"channel\":\"" + FILLED + "\",\"data\":\"warm\"}");
                fb.expect("\"warm\""); // offset 1: b follows the channel's log

                b.pause();
                ChannelKeys keys = ChannelKeys.of("sb", FILLED);
                io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.uri());
                try (var connection = client.connect()) {
                    var commands = connection.sync();
                    String warm = commands.xrange(keys.log(), io.lettuce.core.Range.create("1-0", "1-0")).get(0).getBody().get("f");
                    for (int i = 1; i <= gap; i++) { // s-i at offset i + 1, never published
                        String frame = warm.replaceFirst(" 1\n", " " + (i + 1) + "\n").replace("\"warm\"", "\"s-" + i + "\"")
                                .replaceFirst("\"id\":\"[^\"]*\"", "\"id\":\"log-only-" + i + "\"").replaceFirst(",\"h\":\"[^\"]*\"", "");
                        commands.xadd(keys.log(), new io.lettuce.core.XAddArgs().id((i + 1) + "-0"), java.util.Map.of("f", frame));
                    }
                    commands.hset(keys.meta(), "t", String.valueOf(gap + 1));
                } finally {
                    client.shutdown();
                }
                for (int i = gap + 1; i <= gap + live; i++) {
                    fa.send("{\"channel\":\"" + FILLED + "\",\"data\":\"s-" + i + "\"}");
                }
                Poll.until("Redis appended and published the live envelopes", Duration.ofSeconds(30), Duration.ofMillis(20),
                        () -> redis.cli("HGET", keys.meta(), "t").trim(), t -> t.equals(String.valueOf(gap + live + 1)));

                redis.pause(); // the read that b's first frame starts gets no answer
                b.resume();
                Poll.until("b's fill read timed out", Duration.ofSeconds(30), Duration.ofMillis(100),
                        () -> metric(b, "fill_failed"), n -> n >= 1);
                redis.resume();

                List<String> got = Instances.awaitFrames(fb, new ArrayList<>(), gap + live, Duration.ofSeconds(30));
                assertEquals(frames("s-", gap + live), got, "the gap and the frames that waited behind it, once, in order");
                fa.send("{\"channel\":\"" + FILLED + "\",\"data\":\"after\"}");
                assertEquals("\"after\"", Instances.awaitFrames(fb, got, gap + live + 1, Duration.ofSeconds(20)).get(gap + live));
                fb.expectNothing(Duration.ofMillis(500));
            }
        }
    }

    /** {@code sigbridge_cluster_envelopes_total{event}} of the child instance, from its {@code /metrics}. */
    private static double metric(ChildInstance instance, String event) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + instance.port() + "/metrics"))
                        .timeout(Duration.ofSeconds(5)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^sigbridge_cluster_envelopes_total\\{event=\"" + event
                + "\"\\} (\\S+)$").matcher(r.body());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static List<String> frames(String prefix, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "\"" + prefix + i + "\"").toList();
    }
}
