package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.RedisExtension;
import org.sigbridge.testkit.peers.HaproxyServer;
import org.sigbridge.web.TestBridge;

/**
 * XHR sessions any instance serves (docs/cluster.md §2, "XHR sessions"): a session's channels and positions live in
 * Redis, so an XHR page whose polls the balancer spreads over two instances, or whose instance is killed, gets every
 * message once, in each sender's order; with Redis unreachable its requests are answered 503
 * {@code upstream_unavailable}, a post naming its envelope id. Counted, not sampled.
 */
class XhrAcrossInstancesTest {

    private static final String CHANNEL = "xhr-room";
    private static final int N = 150;
    private static final Duration WAIT = Duration.ofSeconds(30);

    /**
     * A cold JVM on a loaded machine can take longer than the defaults to connect and to finish Lettuce's handshake
     * (whose limit is the command timeout).
     */
    private static final String PATIENT = Instances.FAST + "  connect-timeout: 30s\n  command-timeout: 10s\n";

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    /** Records what the WebSocket clients get; the senders' own sink. */
    private final Set<String> reference = ConcurrentHashMap.newKeySet();
    private final LedgerClient.Sink sink = new LedgerClient.Sink() {
        @Override
        public void delivered(LedgerClient receiver, String sender, String id) {
            reference.add(receiver.name + " " + id);
        }

        @Override
        public void reported(LedgerClient sender, String id, String code) {
        }
    };

    /**
     * Two instances behind HAProxy without stickiness for XHR (the poller returns only its session cookie): the polls
     * alternate between the instances, each a takeover of the session. A third into the stream the instance a (a child
     * JVM) is killed with SIGKILL between two polls; from then on the page polls b (directly: this HAProxy has no health
     * checks, so it would try the dead server first on every other request, a second per retry). Every message of b's
     * sender arrives once, in order; of a's sender, every one that reached the channel's log (what b's own WebSocket
     * client got), once, in order, and nothing twice.
     */
    @Test
    void pollsSpreadOverTwoInstancesThenOneKilledGetEveryLoggedMessageOnceInOrder() throws Exception {
        try (Instances cluster = new Instances();
             ChildInstance a = ChildInstance.start(Instances.yaml("a", redis.server(), PATIENT))) {
            TestBridge b = cluster.start("b", redis.server(), PATIENT);
            try (HaproxyServer haproxy = HaproxyServer.start(List.of(a.port(), b.port()));
                 LedgerClient sa = LedgerClient.open("sa", a.ws("/ws/channels"), CHANNEL, sink);
                 LedgerClient sb = LedgerClient.open("sb", b.ws("/ws/channels"), CHANNEL, sink);
                 LedgerClient ref = LedgerClient.open("ref", b.ws("/ws/channels"), CHANNEL, sink)) {
                URI front = URI.create("http://127.0.0.1:" + haproxy.port() + "/");
                URI onB = URI.create("http://127.0.0.1:" + b.port() + "/");
                Instances.awaitRoster(CHANNEL, 3, b); // both instances share the channel before the session joins it
                XhrPoller p = new XhrPoller("p");
                assertEquals(200, p.poll(front, 0, CHANNEL).status(), "the first poll names the channel");
                long takeovers = 0;
                for (int i = 0; i < N; i++) {
                    sa.sendNext(id -> { }); // fails once a is gone
                    sb.sendNext(id -> { });
                    if (i % 10 == 9) {
                        drain(p, takeovers == 0 ? front : onB, 2); // polls while the stream runs; HAProxy alternates them
                    }
                    if (i == N / 3) {
                        Poll.until("p got messages through both instances", WAIT, Duration.ofMillis(1), () -> {
                            drain(p, front, 2);
                            return generations(p) > 6 && !p.from("sb").isEmpty();
                        }, done -> done);
                        takeovers = generations(p);
                        a.kill(); // between two polls: no answer of a is in flight
                    }
                }
                sb.sendMarker();
                ref.sendMarker();
                Poll.until("p got sb's end marker", WAIT, Duration.ofMillis(1), () -> {
                    drain(p, onB, 20);
                    return p.sawMarkerOf("sb");
                }, done -> done);
                Poll.until("ref got sb's end marker", WAIT, () -> ref.sawMarkerOf("sb"));
                assertAll(p, "sb", N);
                Set<Integer> logged = new TreeSet<>();
                reference.stream().filter(r -> r.startsWith("ref sa-")).forEach(r -> logged.add(Integer.parseInt(r.substring(7))));
                assertOnceInOrder(p, "sa");
                Set<Integer> missing = new TreeSet<>(logged);
                missing.removeAll(p.from("sa"));
                assertTrue(missing.isEmpty(), "p lost sa's messages that reached the log: " + missing);
                System.out.printf("| xhr: polls spread over a and b by HAProxy (%d takeovers), then kill -9 of a | %d | %d from sb,"
                        + " %d of sa's %d logged (+%d got from a only) | 0 | 0 |%n", takeovers, N + logged.size(), p.from("sb").size(),
                        logged.size(), logged.size(), p.from("sa").size() - logged.size());
            }
        }
    }

    /** How many times the session changed instance so far: its owner generation in Redis. */
    private long generations(XhrPoller p) {
        return Long.parseLong(redis.server().cli("HGET", "sb:s:xhr:" + p.session(), ".g").trim());
    }

    @Test
    void withRedisUnreachableRequestsAreAnsweredUpstreamUnavailableAndThePosterIsToldById() throws Exception {
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.start("a", redis.server(), PATIENT);
            URI onA = URI.create("http://127.0.0.1:" + a.port() + "/");
            XhrPoller p = new XhrPoller("p");
            assertEquals(200, p.poll(onA, 0, CHANNEL).status());
            redis.server().stop();
            XhrPoller.Reply post = p.post(onA, "{\"id\":\"lost-1\",\"channel\":\"" + CHANNEL + "\",\"message\":\"hi\",\"sender\":\"p\"}");
            assertEquals(503, post.status(), post.body());
            assertTrue(post.body().contains("\"code\":\"upstream_unavailable\"") && post.body().contains("\"id\":\"lost-1\""),
                    "the poster is told by envelope id: " + post.body());
            XhrPoller.Reply poll = p.poll(onA, 0, null);
            assertEquals(503, poll.status(), poll.body());
            assertTrue(poll.body().contains("\"code\":\"upstream_unavailable\""), poll.body());
            redis.server().startAgain();
            Poll.until("posts are accepted again once Redis is back", WAIT, Duration.ofMillis(50), () -> p.post(onA,
                    "{\"channel\":\"" + CHANNEL + "\",\"message\":\"again\",\"sender\":\"p\"}").status(), s -> s == 200);
        }
    }

    /**
     * Up to {@code n} polls of 200 ms each; stops at the first with nothing. An answer 503 (a move, HAProxy finding no
     * server) or 502 (HAProxy's, while a dies) is polled again, as the page does.
     */
    private static void drain(XhrPoller p, URI base, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            XhrPoller.Reply r = p.poll(base, 200, null);
            if (r.status() == 200 && r.body().equals("false")) {
                return;
            }
            if (r.status() != 200 && r.status() != 503 && r.status() != 502) {
                throw new AssertionError("poll answered " + r);
            }
        }
    }

    private static void assertAll(XhrPoller p, String sender, int n) {
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(i);
        }
        List<Integer> got = p.from(sender);
        if (!got.equals(expected)) {
            Set<Integer> missing = new TreeSet<>(expected);
            missing.removeAll(got);
            throw new AssertionError(p.name + " from " + sender + ": " + got.size() + " of " + n + ", missing " + missing
                    + ", duplicated " + (got.size() - new TreeSet<>(got).size()) + ", arrival order " + got);
        }
    }

    private static void assertOnceInOrder(XhrPoller p, String sender) {
        List<Integer> got = p.from(sender);
        for (int i = 1; i < got.size(); i++) {
            if (got.get(i) <= got.get(i - 1)) {
                throw new AssertionError(p.name + " got " + sender + "-" + got.get(i) + " after " + sender + "-" + got.get(i - 1)
                        + " (doubled or out of order): " + got);
            }
        }
    }
}
