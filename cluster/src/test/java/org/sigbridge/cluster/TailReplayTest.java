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
 * The tail replay (docs/cluster.md §6): envelopes that Redis ran and answered, but that a receiving instance had not
 * yet received when Redis lost its memory, reach it all the same, once and in their sender's order.
 *
 * <p>The loss is made deterministic: instance b (a child JVM) is stopped with SIGSTOP and its pub/sub connection is
 * killed ({@code CLIENT KILL TYPE pubsub}: Redis drops what it would have sent it), instance a appends envelopes that
 * Redis answers, then Redis is restarted without persistence (it comes back empty) and b is let go on (SIGCONT). The
 * log those envelopes were in is gone; only a's retained tail can bring them back.
 */
@Timeout(120)
class TailReplayTest {

    private static final String CHANNEL = "replay-room";
    /** A lease long enough that the pause below does not expire b's lease; the default wait for Redis. */
    private static final String SETTINGS = """
              lease: 6s
              lease-renew: 2s
              outbound-max-age: 5s
              log-age: 30s
            """;

    @Test
    void envelopesAReceiverMissedBeforeRedisCameBackEmptyAreReplayedOnceInOrder() throws Exception {
        try (RedisServer redis = RedisServer.start(); Instances cluster = new Instances();
             ChildInstance b = ChildInstance.start(Instances.yaml("b", redis, SETTINGS))) {
            TestBridge a = cluster.start("a", redis, SETTINGS);
            try (WsClient ca = WsClient.connect(a.ws("/")); WsClient cb = WsClient.connect(b.ws("/"))) {
                ca.send("{\"open\":true,\"channel\":\"" + CHANNEL + "\"}");
                cb.send("{\"open\":true,\"channel\":\"" + CHANNEL + "\"}");
                Instances.awaitRoster(CHANNEL, 2, a);
                ca.send("{\"channel\":\"" + CHANNEL + "\",\"data\":\"warm\"}");
                cb.expect("\"warm\""); // b follows the channel's log

                b.pause();
                redis.cli("CLIENT", "KILL", "TYPE", "pubsub"); // b's subscription: what Redis publishes now never reaches b
                for (int i = 1; i <= 20; i++) {
                    ca.send("{\"id\":\"e-" + i + "\",\"channel\":\"" + CHANNEL + "\",\"data\":\"e-" + i + "\"}");
                }
                String meta = ChannelKeys.of("sb", CHANNEL).meta();
                Poll.until("Redis appended the 20 envelopes after 'warm'", Duration.ofSeconds(20), Duration.ofMillis(20),
                        () -> redis.cli("HGET", meta, "t").trim(), t -> t.equals("21"));
                redis.stop(); // no persistence: it comes back empty, the log with e-1..e-20 is gone
                redis.startAgain();
                b.resume();

                List<String> got = Instances.awaitFrames(cb, new ArrayList<>(), 20, Duration.ofSeconds(40));
                assertEquals(IntStream.rangeClosed(1, 20).mapToObj(i -> "\"e-" + i + "\"").toList(), got,
                        "every envelope Redis had answered, once, in order (and not 'warm' a second time)");

                ca.send("{\"channel\":\"" + CHANNEL + "\",\"data\":\"after\"}");
                assertEquals("\"after\"", Instances.awaitFrames(cb, got, 21, Duration.ofSeconds(20)).get(20));
                cb.expectNothing(Duration.ofMillis(500));
                ca.expectNothing(Duration.ofMillis(1)); // no error: nothing was given up
            }
        }
    }

    /**
     * A log rolled back under its epoch (what a promoted replica that missed writes holds, made here by hand: the
     * offsets after 5 removed from the meta hash and the stream) and an instance that opened the channel only then,
     * so it knows no more than Redis: its envelope is numbered at an offset the receiver delivered already. The
     * receiver's position check finds the log below what it delivered and starts a new epoch; the sender's tail
     * replay brings its envelope there. Before, the receiver dropped it as a second copy.
     */
    @Test
    void anEnvelopeNumberedIntoALogRolledBackUnderItsEpochReachesAReceiverThatHadDeliveredPastIt() throws Exception {
        try (RedisServer redis = RedisServer.start(); Instances cluster = new Instances()) {
            TestBridge a = cluster.start("a", redis);
            TestBridge b = cluster.start("b", redis);
            try (WsClient ca = WsClient.connect(a.ws("/")); WsClient cb = WsClient.connect(b.ws("/"))) {
                ca.send("{\"open\":true,\"channel\":\"" + CHANNEL + "\"}");
                cb.send("{\"open\":true,\"channel\":\"" + CHANNEL + "\"}");
                Instances.awaitRoster(CHANNEL, 2, a, b);
                for (int i = 1; i <= 20; i++) {
                    ca.send("{\"channel\":\"" + CHANNEL + "\",\"data\":\"e-" + i + "\"}");
                }
                assertEquals(20, Instances.awaitFrames(cb, new ArrayList<>(), 20, Duration.ofSeconds(20)).size());
                a.close(); // its tail goes with it: nothing of a is replayed

                ChannelKeys keys = ChannelKeys.of("sb", CHANNEL);
                List<String> xdel = new ArrayList<>(List.of("XDEL", keys.log()));
                IntStream.rangeClosed(6, 20).forEach(i -> xdel.add(i + "-0"));
                redis.cli(xdel.toArray(String[]::new));
                redis.cli("XSETID", keys.log(), "5-0");
                redis.cli("HSET", keys.meta(), "t", "5");

                TestBridge c = cluster.start("c", redis); // it reads offset 5 at open: it knows no more than Redis
                try (WsClient cc = WsClient.connect(c.ws("/"))) {
                    cc.send("{\"open\":true,\"channel\":\"" + CHANNEL + "\"}");
                    Instances.awaitRoster(CHANNEL, 2, b, c);
                    cc.send("{\"channel\":\"" + CHANNEL + "\",\"data\":\"x\"}");
                    cc.send("{\"channel\":\"" + CHANNEL + "\",\"data\":\"y\"}");
                    List<String> got = Instances.awaitFrames(cb, new ArrayList<>(), 2, Duration.ofSeconds(20));
                    assertEquals(List.of("\"x\"", "\"y\""), got, "c's envelopes, once, in order");
                    cb.expectNothing(Duration.ofMillis(500));
                }
            }
        }
    }
}
