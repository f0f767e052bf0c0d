package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sigbridge.cluster.wire.ChannelKeys;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.Position;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.peers.RedisServer;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * A resume across instances right after a channel's log began again (docs/design.md §3.8, docs/cluster.md §6, "the
 * tail replay"): the client's position is in the new log, but below the envelopes another instance appends into it
 * again, which the client already had from the old log. The position's log cut cannot tell those apart from new ones;
 * the stamps it carries for the old log (the highest stamp of each sending instance its instance had delivered) can.
 *
 * <p>Made deterministic with instance a (the sender's, a child JVM) stopped with SIGSTOP while Redis restarts without
 * persistence: instance b starts the new log with its own envelopes (so the client's positions are in the new log at
 * offset 0), and only when a is let go on does it append its retained envelopes (x-1..x-5) again, after them. The
 * client (channels dialect with positions, as {@code sigbridge.js}) had x-1..x-5 on b from the old log. The third case
 * is the mirror one: envelopes the client's instance missed of the old log, which the instance it resumes on had
 * delivered and so drops by id when they come again.
 */
@Timeout(120)
class ResumeAfterNewEpochTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CHANNEL = "epoch-room";
    /** A lease long enough that the pause below does not expire a's lease. */
    private static final String SETTINGS = """
              lease: 6s
              lease-renew: 2s
              outbound-max-age: 5s
              log-age: 30s
            """;

    /** The client's state on b: its session, its positions, and how many of b's own envelopes went into the new log. */
    private record OnB(String session, String oldEpoch, String position, int fromB) {
    }

    @Test
    void aClientResumingOnTheSendersInstanceAfterRedisCameBackEmptyGetsNoEnvelopeTwice() throws Exception {
        try (RedisServer redis = RedisServer.start(); Instances cluster = new Instances();
             ChildInstance a = ChildInstance.start(Instances.yaml("a", redis, SETTINGS))) {
            TestBridge b = cluster.start("b", redis, SETTINGS);
            try (WsClient s = WsClient.connect(a.ws("/ws/channels")); WsClient t = WsClient.connect(b.ws("/ws/channels"))) {
                OnB onB = untilTheNewLog(redis, a, b, s, t);
                a.resume();
                awaitReplay(redis, onB.fromB() + 5); // a appended x-1..x-5 again, after b's own
                // a follows the new log (its sender got b's envelopes from it): a resume there can read it
                Poll.until("a's sender got y-" + onB.fromB(), WAIT, () -> s.drainText().contains("\"y-" + onB.fromB() + "\""));

                try (WsClient r = WsClient.connect(a.ws("/ws/channels"))) {
                    List<String> got = resume(r, onB);
                    t.send("{\"channel\":\"" + CHANNEL + "\",\"data\":\"after\"}");
                    got.addAll(untilAfter(r));
                    row("on the sender's instance a, after a appended x-1..x-5 again", got);
                    assertEquals(List.of("\"after\""), got, "x-1..x-5 came from the old log on b, b's own from b: only the next one"
                            + " (position " + onB.position() + ")");
                    r.expectNothing(Duration.ofMillis(500));
                }
            }
        }
    }

    @Test
    void aClientResumingOnAThirdInstanceBeforeTheReplayArrivesDropsItLive() throws Exception {
        try (RedisServer redis = RedisServer.start(); Instances cluster = new Instances();
             ChildInstance a = ChildInstance.start(Instances.yaml("a", redis, SETTINGS))) {
            TestBridge b = cluster.start("b", redis, SETTINGS);
            try (WsClient s = WsClient.connect(a.ws("/ws/channels")); WsClient t = WsClient.connect(b.ws("/ws/channels"))) {
                OnB onB = untilTheNewLog(redis, a, b, s, t);
                // c never had the channel open under the old log: it knows nothing of x-1..x-5 but what the position says.
                TestBridge c = cluster.start("c", redis, SETTINGS);
                try (WsClient r = WsClient.connect(c.ws("/ws/channels"))) {
                    List<String> got = resume(r, onB);
                    a.resume();
                    awaitReplay(redis, onB.fromB() + 5); // a appends x-1..x-5 again; c gets them live, behind the gate
                    t.send("{\"channel\":\"" + CHANNEL + "\",\"data\":\"after\"}");
                    got.addAll(untilAfter(r));
                    row("on a third instance c, before a appended x-1..x-5 again (live)", got);
                    assertEquals(List.of("\"after\""), got,
                            "x-1..x-5, which the client had, are not delivered again; then live (position " + onB.position() + ")");
                    r.expectNothing(Duration.ofMillis(500));
                }
            }
        }
    }

    /**
     * The mirror case: what the client's instance missed of the old log (its subscription was cut while a appended
     * m-1..m-3, then Redis lost the log) but the instance it resumes on had delivered. That instance drops a's copies by
     * envelope id, as every receiver that had them does; the client, which came later, must still get them.
     */
    @Test
    void aClientResumingWhereTheEnvelopesItsInstanceMissedWereDeliveredGetsTheirCopiesOnce() throws Exception {
        try (RedisServer redis = RedisServer.start(); Instances cluster = new Instances();
             ChildInstance a = ChildInstance.start(Instances.yaml("a", redis, SETTINGS));
             ChildInstance b = ChildInstance.start(Instances.yaml("b", redis, SETTINGS))) {
            TestBridge f = cluster.start("f", redis, SETTINGS);
            try (WsClient s = WsClient.connect(a.ws("/ws/channels")); WsClient t = WsClient.connect(b.ws("/ws/channels"));
                 WsClient w = WsClient.connect(f.ws("/ws/channels")); WsClient client = WsClient.connect(b.ws("/ws/channels"))) {
                client.send("{\"positions\":true}");
                String session = client.next(m -> m.containsKey("session"), WAIT).get("session").asText();
                client.send("{\"open\":true,\"channel\":\"" + CHANNEL + "\"}");
                client.next(m -> m.containsKey("joined"), WAIT);
                for (WsClient c : new WsClient[] {s, t, w}) {
                    c.send("{\"open\":true,\"channel\":\"" + CHANNEL + "\"}");
                }
                Instances.awaitRoster(CHANNEL, 4, f);
                s.send("{\"channel\":\"" + CHANNEL + "\",\"data\":\"warm\"}");
                Map<String, JsonValue> warm = client.next(m -> m.containsKey("position"), WAIT);
                assertEquals("\"warm\"", warm.get("data").json());
                String oldEpoch = cut(warm.get("position").asText()).epoch();
                w.expect("\"warm\"");

                b.pause();
                redis.cli("CLIENT", "KILL", "TYPE", "pubsub"); // b's subscription: b never reads m-1..m-3 from the old log
                for (int i = 1; i <= 3; i++) {
                    s.send("{\"channel\":\"" + CHANNEL + "\",\"data\":\"m-" + i + "\"}");
                }
                List<String> onF = Instances.awaitFrames(w, new ArrayList<>(), 3, Duration.ofSeconds(20)); // f subscribed again and read them
                assertEquals(List.of("\"m-1\"", "\"m-2\"", "\"m-3\""), onF);
                a.pause(); // its tail (warm, m-1..m-3) goes into the new log only when it is let go on
                redis.stop();
                redis.startAgain();
                b.resume();

                AtomicInteger fromB = new AtomicInteger();
                String[] position = new String[1];
                Poll.until("b hands out positions in the new log", Duration.ofSeconds(30), Duration.ofMillis(100), () -> {
                    t.send("{\"channel\":\"" + CHANNEL + "\",\"data\":\"y-" + fromB.incrementAndGet() + "\"}");
                    Map<String, JsonValue> m = client.next(x -> x.containsKey("position"), WAIT);
                    assertEquals("\"y-" + fromB.get() + "\"", m.get("data").json(), "b has not got m-1..m-3");
                    position[0] = m.get("position").asText();
                    return cut(position[0]).epoch();
                }, e -> !e.equals(oldEpoch));
                client.close();
                Poll.until("f follows the new log", WAIT, () -> w.drainText().contains("\"y-" + fromB.get() + "\""));

                try (WsClient r = WsClient.connect(f.ws("/ws/channels"))) {
                    List<String> got = resume(r, new OnB(session, null, position[0], fromB.get()));
                    a.resume();
                    awaitReplay(redis, fromB.get() + 4); // a appends warm, m-1..m-3 again; f drops them by id
                    t.send("{\"channel\":\"" + CHANNEL + "\",\"data\":\"after\"}");
                    got.addAll(untilAfter(r));
                    System.out.printf("| resume after a new epoch: on f, which had m-1..m-3 that b missed | 4 | %d | %d | %d |%n",
                            got.stream().filter(d -> d.startsWith("\"m-") || d.equals("\"after\"")).distinct().count(),
                            4 - got.stream().filter(d -> d.startsWith("\"m-") || d.equals("\"after\"")).distinct().count(),
                            got.size() - got.stream().distinct().count() + got.stream().filter("\"warm\""::equals).count());
                    assertEquals(List.of("\"m-1\"", "\"m-2\"", "\"m-3\"", "\"after\""), got,
                            "what b missed, once, in order, not warm again, then live (position " + position[0] + ")");
                    r.expectNothing(Duration.ofMillis(500));
                }
            }
        }
    }

    /**
     * The client on b gets x-1..x-5 from a's sender s under the old log; a is stopped; Redis restarts empty; b's sender
     * t sends until b hands the client a position in the new log. Returns with a still stopped.
     */
    private static OnB untilTheNewLog(RedisServer redis, ChildInstance a, TestBridge b, WsClient s, WsClient t) throws Exception {
        String session;
        String oldEpoch;
        String[] position = new String[1];
        AtomicInteger fromB = new AtomicInteger();
        try (WsClient client = WsClient.connect(b.ws("/ws/channels"))) {
            client.send("{\"positions\":true}");
            session = client.next(f -> f.containsKey("session"), WAIT).get("session").asText();
            client.send("{\"open\":true,\"channel\":\"" + CHANNEL + "\"}");
            client.next(f -> f.containsKey("joined"), WAIT);
            s.send("{\"open\":true,\"channel\":\"" + CHANNEL + "\"}");
            t.send("{\"open\":true,\"channel\":\"" + CHANNEL + "\"}");
            Instances.awaitRoster(CHANNEL, 3, b);
            for (int i = 1; i <= 5; i++) {
                s.send("{\"channel\":\"" + CHANNEL + "\",\"data\":\"x-" + i + "\"}");
            }
            for (int i = 1; i <= 5; i++) {
                Map<String, JsonValue> f = client.next(m -> m.containsKey("position"), WAIT);
                assertEquals("\"x-" + i + "\"", f.get("data").json());
                position[0] = f.get("position").asText();
            }
            oldEpoch = cut(position[0]).epoch();

            a.pause();
            redis.stop(); // no persistence: it comes back empty, the old log with x-1..x-5 is gone
            redis.startAgain();
            Instances.awaitLeg(b, LegState.Status.READY, Duration.ofSeconds(30));
            Poll.until("b hands out positions in the new log", Duration.ofSeconds(30), Duration.ofMillis(100), () -> {
                t.send("{\"channel\":\"" + CHANNEL + "\",\"data\":\"y-" + fromB.incrementAndGet() + "\"}");
                Map<String, JsonValue> f = client.next(m -> m.containsKey("position"), WAIT);
                assertEquals("\"y-" + fromB.get() + "\"", f.get("data").json());
                position[0] = f.get("position").asText();
                return cut(position[0]).epoch();
            }, e -> !e.equals(oldEpoch));
            client.expectNothing(Duration.ofMillis(200));
        }
        return new OnB(session, oldEpoch, position[0], fromB.get());
    }

    /** What {@code r} gets up to the envelope "after", that one included. */
    private static List<String> untilAfter(WsClient r) throws Exception {
        List<String> got = new ArrayList<>();
        while (got.isEmpty() || !got.get(got.size() - 1).equals("\"after\"")) {
            got.add(r.next(f -> f.containsKey("position"), WAIT).get("data").json());
        }
        return got;
    }

    /** The ledger row of docs/cluster.md §10: one envelope owed after the resume; copies of x-1..x-5 are duplicates. */
    private static void row(String where, List<String> got) {
        long delivered = got.stream().filter("\"after\""::equals).count();
        long duplicated = got.stream().filter(d -> d.startsWith("\"x-")).count();
        System.out.printf("| resume after a new epoch: %s | 1 | %d | %d | %d |%n", where, delivered, 1 - delivered, duplicated);
    }

    /** Waits until Redis numbered {@code top} envelopes in the channel's new log (b's own, then a's again). */
    private static void awaitReplay(RedisServer redis, int top) throws Exception {
        String meta = ChannelKeys.of("sb", CHANNEL).meta();
        Poll.until("the new log holds " + top + " envelopes", Duration.ofSeconds(30), Duration.ofMillis(50),
                () -> redis.cli("HGET", meta, "t").trim(), v -> v.equals(String.valueOf(top)));
    }

    /** Resumes on {@code r}'s instance; returns the data replayed before the answer, which must say recovered. */
    private static List<String> resume(WsClient r, OnB onB) throws Exception {
        r.send("{\"positions\":true}");
        r.next(f -> f.containsKey("session"), WAIT);
        r.send("{\"resume\":{\"channel\":\"" + CHANNEL + "\",\"position\":\"" + onB.position() + "\",\"sessions\":[\""
                + onB.session() + "\"]}}");
        List<String> replayed = new ArrayList<>();
        while (true) {
            Map<String, JsonValue> f = r.next(m -> m.containsKey("position") || m.containsKey("resumed"), WAIT);
            if (f.containsKey("resumed")) {
                assertTrue(f.get("resumed").json().contains("\"recovered\":true"), f.toString());
                return replayed;
            }
            replayed.add(f.get("data").json());
        }
    }

    private static Position.Mark cut(String wire) {
        return Position.parse(wire).orElseThrow().log();
    }
}
