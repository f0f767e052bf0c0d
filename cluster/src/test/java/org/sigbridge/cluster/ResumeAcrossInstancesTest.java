package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.RedisExtension;
import org.sigbridge.web.TestBridge;

/**
 * Resume across instances (docs/design.md §3.8, docs/cluster.md §2): a {@code sigbridge.js}-protocol client whose
 * instance dies ({@code kill -9}), or whose connection moves to another instance, resumes there from its last position
 * and gets what it missed from every instance, once, in each sender's order; a position the channel's log no longer
 * holds is answered {@code recovered: false}. Counted, not sampled: every message of every sender is accounted for.
 */
class ResumeAcrossInstancesTest {

    private static final String CHANNEL = "resume-room";
    private static final int N = 240;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    @Test
    void aClientWhoseInstanceWasKilledResumesOnAnotherWithNothingLostOrDoubled() throws Exception {
        try (Instances cluster = new Instances();
             // A cold child JVM on a loaded machine can take longer than the default 5 s to connect.
             ChildInstance a = ChildInstance.start(Instances.yaml("a", redis.server(), Instances.FAST + "  connect-timeout: 30s\n"))) {
            TestBridge b = cluster.start("b", redis.server());
            TestBridge c = cluster.start("c", redis.server());
            try (ResumingClient r = ResumingClient.open("r", a.ws("/ws/channels"), CHANNEL);
                 ResumingClient sa = ResumingClient.open("sa", a.ws("/ws/channels"), CHANNEL);
                 ResumingClient sb = ResumingClient.open("sb", b.ws("/ws/channels"), CHANNEL);
                 ResumingClient sc = ResumingClient.open("sc", c.ws("/ws/channels"), CHANNEL)) {
                Instances.awaitRoster(CHANNEL, 4, b, c);
                List<ResumingClient> senders = List.of(sa, sb, sc, r);
                boolean killed = false;
                boolean resumed = false;
                for (int i = 0; i < N; i++) {
                    for (ResumingClient s : senders) {
                        s.sendNext(); // sa's and r's sends fail once a is gone; r sends again after it resumed
                    }
                    if (i == 0) {
                        awaitFirst(r, "sb"); // r holds a position with a's cut of the log before anything fails
                    }
                    if (i == N / 3) {
                        a.kill();
                        killed = true;
                    }
                    if (killed && !resumed && r.isBroken()) {
                        assertTrue(r.resume(b.ws("/ws/channels")), "r resumed on b from its position on a");
                        resumed = true;
                    }
                    pace(i);
                }
                if (!resumed) {
                    Poll.until("r noticed that a died", WAIT, r::isBroken);
                    assertTrue(r.resume(b.ws("/ws/channels")), "r resumed on b from its position on a");
                }
                for (ResumingClient s : List.of(sb, sc, r)) {
                    s.sendMarker();
                }
                awaitMarkers(r, "sb", "sc");
                awaitMarkers(sb, "sc", "r");
                awaitMarkers(sc, "sb", "r");

                assertAll(r, "sb", N);
                assertAll(r, "sc", N);
                // sa died with a: what a appended to the log reached sb and sc; r must have all of that, and may have
                // more (what it got on a before a appended it), each once and in order.
                Set<Integer> appended = new TreeSet<>(sb.from("sa"));
                assertEquals(appended, new TreeSet<>(sc.from("sa")), "sb and sc got the same of sa's messages");
                assertOnceInOrder(r, "sa");
                Set<Integer> missing = new TreeSet<>(appended);
                missing.removeAll(r.from("sa"));
                assertTrue(missing.isEmpty(), "r lost sa's messages that reached the log: " + missing);
                assertTrue(r.from("r").isEmpty(), "none of r's own came back to it: " + r.from("r"));
                assertOnceInOrder(sb, "r");
                assertOnceInOrder(sc, "r");
                System.out.printf("| resume across instances: kill -9, r resumed on b | %d | %d from sb, %d from sc, %d of sa's %d appended"
                        + " (+%d got on a only) | lost 0 | duplicated 0 |%n", 2 * N + appended.size(), r.from("sb").size(), r.from("sc").size(),
                        appended.size(), appended.size(), r.from("sa").size() - appended.size());
            }
        }
    }

    @Test
    void aClientWhoseConnectionMovedToAnotherInstanceGetsEveryMessageOnceInOrder() throws Exception {
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.start("a", redis.server());
            TestBridge b = cluster.start("b", redis.server());
            TestBridge c = cluster.start("c", redis.server());
            try (ResumingClient r = ResumingClient.open("r", a.ws("/ws/channels"), CHANNEL);
                 ResumingClient sa = ResumingClient.open("sa", a.ws("/ws/channels"), CHANNEL);
                 ResumingClient sb = ResumingClient.open("sb", b.ws("/ws/channels"), CHANNEL);
                 ResumingClient sc = ResumingClient.open("sc", c.ws("/ws/channels"), CHANNEL)) {
                Instances.awaitRoster(CHANNEL, 4, a, b, c);
                List<ResumingClient> senders = List.of(sa, sb, sc);
                for (int i = 0; i < N; i++) {
                    for (ResumingClient s : senders) {
                        assertTrue(s.sendNext(), s.name + " sent");
                    }
                    if (i == 0) {
                        awaitFirst(r, "sb");
                    }
                    if (i == N / 3) {
                        r.drop();
                    }
                    if (i == N / 3 + 20) {
                        assertTrue(r.resume(b.ws("/ws/channels")), "r resumed on b from its position on a");
                    }
                    pace(i);
                }
                for (ResumingClient s : senders) {
                    s.sendMarker();
                }
                awaitMarkers(r, "sa", "sb", "sc");
                for (String sender : List.of("sa", "sb", "sc")) {
                    assertAll(r, sender, N);
                }
                System.out.printf("| resume across instances: connection moved from a to b | %d | %d | lost 0 | duplicated 0 |%n",
                        3 * N, r.from("sa").size() + r.from("sb").size() + r.from("sc").size());
            }
        }
    }

    @Test
    void aPositionOlderThanTheLogHoldsIsNotRecovered() throws Exception {
        String small = Instances.FAST + "  log-length: 10\n";
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.start("a", redis.server(), small);
            TestBridge b = cluster.start("b", redis.server(), small);
            try (ResumingClient r = ResumingClient.open("r", a.ws("/ws/channels"), CHANNEL);
                 ResumingClient sb = ResumingClient.open("sb", b.ws("/ws/channels"), CHANNEL)) {
                Instances.awaitRoster(CHANNEL, 2, a, b);
                sb.sendNext();
                Poll.until("r got sb-0", WAIT, () -> r.from("sb").size() == 1);
                r.drop();
                Instances.awaitRoster(CHANNEL, 1, b); // r left; a has nobody on it now
                for (int i = 0; i < 30; i++) {
                    assertTrue(sb.sendNext()); // 30 more than the log's 10; b appends them before it reads the log for r
                }
                assertFalse(r.resume(b.ws("/ws/channels")), "the log no longer holds r's position: not recovered");
                assertEquals(List.of(0), r.from("sb"), "nothing replayed");
                sb.sendNext();
                Poll.until("r gets what is sent from now on", WAIT, () -> r.from("sb").contains(31));
                assertEquals(List.of(0, 31), r.from("sb"));
            }
        }
    }

    /** About 600 messages a second in all: a stream that is still going while an instance dies and a client moves. */
    private static void pace(int i) throws InterruptedException {
        if (i % 10 == 9) {
            Thread.sleep(40);
        }
    }

    private static void awaitFirst(ResumingClient c, String sender) throws Exception {
        Poll.until(c.name + " got " + sender + "'s first message", WAIT, () -> !c.from(sender).isEmpty());
    }

    private static void awaitMarkers(ResumingClient c, String... senders) throws Exception {
        for (String s : senders) {
            Poll.until(c.name + " got " + s + "'s end marker", WAIT, () -> c.sawMarkerOf(s));
        }
    }

    /** Every one of {@code sender}'s {@code n} messages, once each, in order. */
    private static void assertAll(ResumingClient c, String sender, int n) {
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(i);
        }
        List<Integer> got = c.from(sender);
        if (!got.equals(expected)) {
            Set<Integer> missing = new TreeSet<>(expected);
            missing.removeAll(got);
            throw new AssertionError(c.name + " from " + sender + ": " + got.size() + " of " + n + ", missing " + missing
                    + ", duplicated " + (got.size() - new TreeSet<>(got).size()) + ", arrival order " + got);
        }
    }

    private static void assertOnceInOrder(ResumingClient c, String sender) {
        List<Integer> got = c.from(sender);
        for (int i = 1; i < got.size(); i++) {
            if (got.get(i) <= got.get(i - 1)) {
                throw new AssertionError(c.name + " got " + sender + "-" + got.get(i) + " after " + sender + "-" + got.get(i - 1)
                        + " (doubled or out of order): " + got);
            }
        }
    }

}
