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
 * <p>Redis is stopped after the first envelopes reached the other instance, so the later ones wait in the stopping
 * instance's queue ({@code outbound-max-age} is long: only the stop's grace gives them up). Redis comes back after the
 * instance stopped, so anything it had appended would reach the member then.
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

    @Test
    void eachEnvelopeQueuedWhenItsInstanceStopsIsDeliveredOrReportedToItsSenderByIdNeverBoth() throws Exception {
        try (RedisServer redis = RedisServer.start(); Instances cluster = new Instances()) {
            TestBridge b = cluster.start("b", redis, SETTINGS);
            TestBridge a = TestBridge.startYaml(Instances.yaml("a", redis, SETTINGS).replace("shutdown-grace: 1s", "shutdown-grace: 2s"));
            try (a; WsClient sender = WsClient.connect(a.ws("/")); WsClient member = WsClient.connect(b.ws("/"))) {
                sender.send("{\"open\":true,\"channel\":\"" + CHANNEL + "\"}");
                member.send("{\"open\":true,\"channel\":\"" + CHANNEL + "\"}");
                Instances.awaitRoster(CHANNEL, 2, a, b);
                List<String> delivered = new ArrayList<>();
                send(sender, 1, BEFORE);
                Instances.awaitFrames(member, delivered, BEFORE, Duration.ofSeconds(20));

                redis.stop();
                Instances.awaitLeg(a, LegState.Status.DOWN, Duration.ofSeconds(10));
                send(sender, BEFORE + 1, BEFORE + QUEUED);
                assertTrue(sender.present(CHANNEL, WsClient.WAIT), "a handled every envelope above");

                a.close(); // drains: the queue to Redis is resolved while the sender's socket is open, then it closes
                assertTrue(sender.closeCode(Duration.ofSeconds(10)) > 0, "the sender's connection closed with the stop");
                Set<String> reported = new TreeSet<>();
                for (Map<String, JsonValue> f : sender.drain()) {
                    if (f.containsKey("error")) {
                        JsonValue id = Frames.parse(f.get("error").json()).get("id");
                        assertTrue(id != null && id.isString(), "an error naming an envelope id: " + f);
                        assertTrue(reported.add(id.asText()), "reported once: " + id.asText());
                    }
                }

                redis.startAgain(); // whatever a appended would reach b now; a appended nothing more after the stop
                Instances.awaitLeg(b, LegState.Status.READY, Duration.ofSeconds(20));
                member.expectNothing(Duration.ofSeconds(2));
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
                assertEquals(List.of(), neither, "neither delivered nor reported to the sender");
                assertEquals(List.of(), both, "delivered and reported");
                assertEquals(IntStream.rangeClosed(1, BEFORE).mapToObj(i -> "\"d-" + i + "\"").toList(),
                        delivered.subList(0, BEFORE), "what Redis took before it stopped, once, in order");
            }
        }
    }

    private static void send(WsClient sender, int from, int to) {
        for (int i = from; i <= to; i++) {
            sender.send("{\"id\":\"d-" + i + "\",\"channel\":\"" + CHANNEL + "\",\"data\":\"d-" + i + "\"}");
        }
    }
}
