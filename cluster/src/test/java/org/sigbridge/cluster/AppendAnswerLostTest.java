package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
 * An append that Redis ran and whose answer was lost with the connection (docs/cluster.md §6, "an append's answer
 * lost"): its sender must not be told it failed. Each envelope is delivered to the other instance's member or reported
 * to its sender by id; never both, never neither.
 *
 * <p>Made deterministic with Redis's own client pauses: while Redis postpones writes ({@code CLIENT PAUSE WRITE}), a's
 * appends wait in it unrun; a second connection then queues, behind them, the kill of a's command connection and a
 * pause of every client for longer than {@code outbound-max-age}. Once writes go on, Redis runs a's appends (in time:
 * well within {@code command-timeout}, and publishes them to b), then kills a's connection before the answers are
 * written, then answers nobody for 3.5 s. a learns whether its appends ran only after they are older than the max age.
 */
@Timeout(120)
class AppendAnswerLostTest {

    private static final String CHANNEL = "lost-answer-room";
    private static final int BEFORE = 5;
    private static final int QUEUED = 10;
    private static final String SETTINGS = """
              lease: 10s
              lease-renew: 1s
              outbound-max-age: 3s
              command-timeout: 2s
              log-age: 120s
            """;

    @Test
    void appendsRedisRanWhoseAnswersWereLostWithTheConnectionAreDeliveredAndNotReportedWhenRedisAnswersAfterTheMaxAge()
            throws Exception {
        try (RedisServer redis = RedisServer.start(); Instances cluster = new Instances()) {
            TestBridge a = cluster.start("a", redis, SETTINGS);
            TestBridge b = cluster.start("b", redis, SETTINGS);
            try (WsClient sender = WsClient.connect(a.ws("/")); WsClient member = WsClient.connect(b.ws("/"))) {
                for (WsClient client : List.of(sender, member)) {
                    client.send("{\"open\":true,\"channel\":\"" + CHANNEL + "\"}");
                }
                Instances.awaitRoster(CHANNEL, 2, a, b);
                List<String> delivered = new ArrayList<>();
                send(sender, 1, BEFORE);
                Instances.awaitFrames(member, delivered, BEFORE, Duration.ofSeconds(20));

                // Redis postpones every write from now on: a's next appends wait in it, unrun.
                redis.cli("CLIENT", "PAUSE", "60000", "WRITE");
                send(sender, BEFORE + 1, BEFORE + QUEUED);
                List<String> postponed = new ArrayList<>();
                Poll.until("a's appends wait in Redis", Duration.ofSeconds(10), () -> {
                    postponed.clear();
                    for (String line : redis.cli("CLIENT", "LIST").split("\n")) {
                        if (line.contains(" cmd=eval ") && line.contains(" flags=b ")) {
                            postponed.add(line.substring(line.indexOf("id=") + 3, line.indexOf(' ')));
                        }
                    }
                    return !postponed.isEmpty();
                });
                String killed;
                try (Socket killer = new Socket("127.0.0.1", redis.port())) {
                    killer.setSoTimeout(20_000);
                    // A write first, so that this connection waits behind a's appends and runs right after them.
                    StringBuilder commands = new StringBuilder("SET sigbridge-test-killer 1\r\n");
                    for (String id : postponed) {
                        commands.append("CLIENT KILL ID ").append(id).append("\r\n");
                    }
                    commands.append("CLIENT PAUSE 3500 ALL\r\n");
                    killer.getOutputStream().write(commands.toString().getBytes(StandardCharsets.US_ASCII));
                    killer.getOutputStream().flush();
                    redis.cli("CLIENT", "UNPAUSE");
                    killed = readLines(killer.getInputStream(), postponed.size() + 2);
                }
                assertTrue(killed.contains(":1"), "Redis killed the connection its appends came on: " + killed);

                // A marker from the same sender once a is connected again: it goes behind everything a held, so once
                // the member has it, each envelope before it was appended or given up (and its sender told).
                Instances.awaitLeg(a, LegState.Status.DOWN, Duration.ofSeconds(3)); // the pause of every client lasts 3.5 s
                Instances.awaitLeg(a, LegState.Status.READY, Duration.ofSeconds(20));
                sender.send("{\"id\":\"marker\",\"channel\":\"" + CHANNEL + "\",\"data\":\"marker\"}");
                Poll.until("the marker reached the member", Duration.ofSeconds(30), () -> {
                    delivered.addAll(member.drainText());
                    return delivered.contains("\"marker\"");
                });
                member.expectNothing(Duration.ofSeconds(1)); // nothing more comes later (a probe found, or a late run)
                delivered.addAll(member.drainText());
                delivered.remove("\"marker\"");
                Set<String> reported = new TreeSet<>();
                for (Map<String, JsonValue> f : sender.drain()) {
                    if (f.containsKey("error")) {
                        JsonValue id = Frames.parse(f.get("error").json()).get("id");
                        assertTrue(id != null && id.isString(), "an error naming an envelope id: " + f);
                        assertTrue(reported.add(id.asText()), "reported once: " + id.asText());
                    }
                }
                Set<String> got = new HashSet<>();
                for (String frame : delivered) {
                    assertTrue(got.add(frame), "delivered once: " + frame);
                }
                List<String> both = new ArrayList<>();
                List<String> neither = new ArrayList<>();
                int queuedDelivered = 0;
                for (int i = BEFORE + 1; i <= BEFORE + QUEUED; i++) {
                    boolean d = got.contains("\"d-" + i + "\"");
                    boolean r = reported.contains("d-" + i);
                    queuedDelivered += d ? 1 : 0;
                    if (d && r) {
                        both.add("d-" + i);
                    } else if (!d && !r) {
                        neither.add("d-" + i);
                    }
                }
                System.out.printf("| an append's answer lost, Redis answering again after the max age | %d | %d | %d | %d |"
                        + " delivered %s, reported %s%n", QUEUED, queuedDelivered, reported.size(), both.size(), delivered, reported);
                assertTrue(queuedDelivered > 0, "Redis ran appends of a's before it killed the connection: b delivered them");
                assertEquals(List.of(), neither, "neither delivered nor reported to the sender");
                assertEquals(List.of(), both, "delivered and reported");
            }
        }
    }

    /** Reads {@code count} one-line RESP replies. */
    private static String readLines(InputStream in, int count) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int lines = 0;
        while (lines < count) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            out.write(c);
            if (c == '\n') {
                lines++;
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static void send(WsClient sender, int from, int to) {
        for (int i = from; i <= to; i++) {
            sender.send("{\"id\":\"d-" + i + "\",\"channel\":\"" + CHANNEL + "\",\"data\":\"d-" + i + "\"}");
        }
    }
}
