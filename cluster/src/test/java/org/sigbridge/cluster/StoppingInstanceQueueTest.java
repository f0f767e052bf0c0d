package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.LegState;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.peers.RedisServer;
import org.sigbridge.testkit.web.Frames;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * An instance that stops gracefully while envelopes wait in its queue to Redis (docs/cluster.md §6, "an instance
 * stopped"): each envelope its sender's instance accepted is delivered to the other instance's member, or an error
 * naming its id reaches its sender before the sender's connection closes; never neither, never both.
 *
 * <p>Redis is stopped (or stalled) after the first envelopes reached the other instance, so the later ones wait in the
 * stopping instance's queue ({@code outbound-max-age} is long: only the stop's grace gives them up). Redis comes back
 * (or goes on) after the instance stopped, so anything it had appended, or appends then, reaches the member; a marker
 * sent on b afterwards comes after all of it.
 */
@Timeout(120)
class StoppingInstanceQueueTest {

    private static final String CHANNEL = "drain-room";
    private static final int BEFORE = 20;
    private static final int QUEUED = 40;
    private static final String SETTINGS = """
              lease: 3s
              lease-renew: 1s
              outbound-max-age: 60s
              log-age: 120s
            """;

    /** How Redis fails while the instance stops. */
    private enum Fault {
        /** Stopped (SIGTERM) before the queued envelopes were sent, started again after the instance stopped. */
        DOWN,
        /** Stalled (SIGSTOP) before they were sent, going on (SIGCONT) after the instance stopped. */
        STALLED,
        /** Stalled before they were sent, going on once the instance began to stop (within its grace). */
        STALLED_UNTIL_THE_STOP_BEGAN
    }

    @Test
    void eachEnvelopeQueuedWhileRedisIsDownWhenItsInstanceStopsIsDeliveredOrReportedToItsSenderByIdNeverBoth() throws Exception {
        stopWhileRedis(Fault.DOWN);
    }

    /**
     * Redis stalled (SIGSTOP of redis-server, its connections open) instead: the scripts the instance sent before and
     * during its stop wait unanswered in Redis's socket, and run once Redis goes on, after the instance stopped. Those
     * whose senders were told must then append nothing.
     */
    @Test
    void eachEnvelopeQueuedWhileRedisStallsWhenItsInstanceStopsIsDeliveredOrReportedToItsSenderByIdNeverBoth() throws Exception {
        stopWhileRedis(Fault.STALLED);
    }

    /** Redis goes on while the instance drains: what it appends within the grace is delivered and not reported. */
    @Test
    void envelopesRedisTakesWithinTheStopsGraceAreDeliveredAndNotReported() throws Exception {
        stopWhileRedis(Fault.STALLED_UNTIL_THE_STOP_BEGAN);
    }

    private static void stopWhileRedis(Fault fault) throws Exception {
        try (RedisServer redis = RedisServer.start(); Instances cluster = new Instances()) {
            TestBridge b = cluster.start("b", redis, SETTINGS);
            TestBridge a = TestBridge.startYaml(Instances.yaml("a", redis, SETTINGS).replace("shutdown-grace: 1s", "shutdown-grace: 2s"));
            TestBridge c = cluster.start("c", redis, SETTINGS);
            try (a; WsClient sender = WsClient.connect(a.ws("/")); WsClient member = WsClient.connect(b.ws("/"));
                 WsClient other = WsClient.connect(c.ws("/"))) {
                for (WsClient client : List.of(sender, member, other)) {
                    client.send("{\"open\":true,\"channel\":\"" + CHANNEL + "\"}");
                }
                Instances.awaitRoster(CHANNEL, 3, a, b, c);
                List<String> delivered = new ArrayList<>();
                send(sender, 1, BEFORE);
                Instances.awaitFrames(member, delivered, BEFORE, Duration.ofSeconds(20));

                if (fault != Fault.DOWN) {
                    redis.pause();
                } else {
                    redis.stop();
                    Instances.awaitLeg(a, LegState.Status.DOWN, Duration.ofSeconds(10));
                }
                send(sender, BEFORE + 1, BEFORE + QUEUED);
                assertTrue(sender.present(CHANNEL, WsClient.WAIT), "a handled every envelope above");

                if (fault == Fault.STALLED_UNTIL_THE_STOP_BEGAN) {
                    int port = a.port();
                    var stopping = java.util.concurrent.CompletableFuture.runAsync(a::close);
                    Poll.until("a began to stop (its port refuses connections)", Duration.ofSeconds(10), () -> refuses(port));
                    redis.resume();
                    stopping.get(30, java.util.concurrent.TimeUnit.SECONDS);
                } else {
                    a.close(); // drains: the queue to Redis is resolved while the sender's socket is open, then it closes
                }
                assertTrue(sender.closeCode(Duration.ofSeconds(10)) > 0, "the sender's connection closed with the stop");
                Set<String> reported = new TreeSet<>();
                for (Map<String, JsonValue> f : sender.drain()) {
                    if (f.containsKey("error")) {
                        JsonValue id = Frames.parse(f.get("error").json()).get("id");
                        assertTrue(id != null && id.isString(), "an error naming an envelope id: " + f);
                        assertTrue(reported.add(id.asText()), "reported once: " + id.asText());
                    }
                }

                if (fault == Fault.STALLED) {
                    redis.resume(); // runs what a sent and b reads what it publishes
                } else if (fault == Fault.DOWN) {
                    redis.startAgain(); // whatever a appended would reach b now; a appended nothing more after the stop
                    Instances.awaitLeg(b, LegState.Status.READY, Duration.ofSeconds(20));
                }
                // Through Redis after everything it ran of a's: b delivers by log offset, so the marker comes after it.
                other.send("{\"channel\":\"" + CHANNEL + "\",\"data\":\"marker\"}");
                Poll.until("the marker reached the member", Duration.ofSeconds(30), () -> {
                    delivered.addAll(member.drainText());
                    return delivered.contains("\"marker\"");
                });
                delivered.remove("\"marker\"");
                member.expectNothing(Duration.ofMillis(500));
                delivered.addAll(member.drainText());

                Set<String> got = new HashSet<>();
                for (String frame : delivered) {
                    assertTrue(got.add(frame), "delivered once: " + frame);
                }
                List<String> neither = new ArrayList<>();
                List<String> both = new ArrayList<>();
                for (int i = 1; i <= BEFORE + QUEUED; i++) {
                    boolean d = got.contains("\"d-" + i + "\"");
                    boolean r = reported.contains("d-" + i);
                    if (!d && !r) {
                        neither.add("d-" + i);
                    } else if (d && r) {
                        both.add("d-" + i);
                    }
                }
                long queuedDelivered = IntStream.rangeClosed(BEFORE + 1, BEFORE + QUEUED).filter(i -> got.contains("\"d-" + i + "\"")).count();
                System.out.printf("| stop of the sender's instance, Redis %s | %d | %d before + %d queued | %d | %d | %d |%n",
                        fault.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), BEFORE + QUEUED, BEFORE, queuedDelivered, reported.size(),
                        neither.size(), both.size());
                assertEquals(List.of(), neither, "neither delivered nor reported to the sender");
                if (fault == Fault.STALLED_UNTIL_THE_STOP_BEGAN) {
                    assertTrue(queuedDelivered > 0, "Redis went on within the grace: what it took then was delivered");
                }
                assertEquals(List.of(), both, "delivered and reported");
                assertEquals(IntStream.rangeClosed(1, BEFORE).mapToObj(i -> "\"d-" + i + "\"").toList(),
                        delivered.subList(0, BEFORE), "what Redis took before it stopped, once, in order");
            }
        }
    }

    private static boolean refuses(int port) {
        try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private static void send(WsClient sender, int from, int to) {
        for (int i = from; i <= to; i++) {
            sender.send("{\"id\":\"d-" + i + "\",\"channel\":\"" + CHANNEL + "\",\"data\":\"d-" + i + "\"}");
        }
    }
}
