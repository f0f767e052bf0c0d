package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.Participant;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.RedisExtension;
import org.sigbridge.testkit.web.Frames;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * A draining or stopping instance's clients that resume elsewhere look continuously present (docs/cluster.md §4, the
 * presence grace): a {@code sigbridge.js}-protocol page on instance a, closed by a's drain ({@code POST /admin/drain})
 * or stop, resumes on b as the same participant, and observers on b and c see no {@code left} and no second
 * {@code joined} for it; a resumable page that does not come back leaves after the grace; a plain socket (no positions)
 * leaves at once; a page that names a session it was never given gets a participant of its own.
 */
class PresenceAcrossAHandoverTest {

    private static final String CHANNEL = "handover-room";
    private static final Duration GRACE = Duration.ofSeconds(4);
    private static final String SETTINGS = Instances.FAST + "  presence-grace: " + GRACE.toSeconds() + "s\n";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    @Test
    void aPageMovedOffADrainingInstanceStaysPresentAndOneThatDoesNotComeBackLeavesAfterTheGrace() throws Exception {
        handOver(false);
    }

    @Test
    void aPageMovedOffAStoppingInstanceStaysPresentAndOneThatDoesNotComeBackLeavesWhenItsLeaseEnds() throws Exception {
        handOver(true);
    }

    private void handOver(boolean stop) throws Exception {
        try (Instances cluster = new Instances()) {
            TestBridge a = TestBridge.startYaml(Instances.yaml("a", redis.server(), SETTINGS));
            TestBridge b = cluster.start("b", redis.server(), SETTINGS);
            TestBridge c = cluster.start("c", redis.server(), SETTINGS);
            try (a; Observer onB = new Observer(b); Observer onC = new Observer(c);
                 WsClient plain = WsClient.connect(a.ws("/ws/channels"));
                 ResumingClient page = ResumingClient.open("page", a.ws("/ws/channels"), CHANNEL);
                 ResumingClient gone = ResumingClient.open("gone", a.ws("/ws/channels"), CHANNEL)) {
                plain.send("{\"open\":true,\"channel\":\"" + CHANNEL + "\"}");
                Instances.awaitRoster(CHANNEL, 5, a, b, c);
                String p = participantOf(page);
                String g = participantOf(gone);
                String n = participantIds(a).stream().filter(id -> id.startsWith(nodeOf(a) + ":") && !id.equals(p) && !id.equals(g))
                        .findFirst().orElseThrow();
                for (Observer o : List.of(onB, onC)) {
                    o.awaitEvent("joined", p);
                }

                CompletableFuture<Void> stopping = null;
                if (stop) {
                    stopping = CompletableFuture.runAsync(a::close); // what SIGTERM runs: drains, then closes
                } else {
                    assertEquals(202, java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            a.http("/admin/drain?deadline=200ms")).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
                }
                Poll.until("a closed the page's socket", WAIT, page::isBroken);
                onC.awaitEvent("left", n); // a socket without positions leaves at once
                page.resume(b.ws("/ws/channels"));
                Instances.awaitRoster(CHANNEL, 4, b, c); // the page (on b, and still held by a), gone, and the observers
                assertTrue(participantIds(c).contains(p), "c's roster shows the page's participant: " + participantIds(c));

                // The page that did not come back leaves after the grace: held leaves are announced (drain) or a's lease
                // expires and the others remove what it held (stop); the page's own held field goes with it.
                onC.awaitEvent("left", g);
                onB.awaitEvent("left", g);
                if (stopping != null) {
                    stopping.get(30, TimeUnit.SECONDS);
                }
                Poll.until("a's fields are gone from the channel's members", WAIT,
                        () -> !redis.server().cli("HKEYS", org.sigbridge.cluster.wire.ChannelKeys.of("sb", CHANNEL).who()).contains(nodeOf(a)));
                Instances.awaitRoster(CHANNEL, 3, b, c); // the page and the two observers

                for (Observer o : List.of(onB, onC)) {
                    o.drainPresence();
                    assertEquals(List.of("joined"), o.events(p), o.where + " saw the page join once and never leave: " + o.all);
                }
                assertTrue(participantIds(b).contains(p) && participantIds(c).contains(p));

                // A page that names a session it was never given (altered tag) gets a participant of its own.
                String forged = page.sessions().get(0);
                forged = forged.substring(0, forged.length() - 1) + (forged.endsWith("A") ? "B" : "A");
                try (ResumingClient thief = ResumingClient.open("thief", c.ws("/ws/channels"), CHANNEL)) {
                    thief.resumeNaming(b.ws("/ws/channels"), List.of(forged));
                    Instances.awaitRoster(CHANNEL, 4, b, c);
                    String t = participantOf(thief);
                    assertFalse(t.equals(p), "the forged session did not give the page's participant");
                    onC.awaitEvent("joined", t);
                }
            }
        }
    }

    /**
     * The real {@code sigbridge.js} (in Node, {@code src/test/node/sigbridge-page.js}) behind HAProxy ({@code balance
     * first}, health checks): its page reaches a; a stops (what SIGTERM runs), the script reconnects through HAProxy by
     * itself, lands on b and resumes there as the same participant; observers on b and c never see it leave or join
     * again, also after a's lease expired at the end of the grace and a's fields were removed.
     */
    @Test
    void theRealSigbridgeJsPageMovedThroughHaproxyOffAStoppingInstanceStaysPresent() throws Exception {
        String settings = Instances.FAST + "  presence-grace: 10s\n"; // the script's backoff: up to a few seconds
        try (Instances cluster = new Instances()) {
            TestBridge a = TestBridge.startYaml(Instances.yaml("a", redis.server(), settings));
            TestBridge b = cluster.start("b", redis.server(), settings);
            TestBridge c = cluster.start("c", redis.server(), settings);
            try (a; Observer onB = new Observer(b); Observer onC = new Observer(c);
                 org.sigbridge.testkit.peers.HaproxyServer haproxy = org.sigbridge.testkit.peers.HaproxyServer.startFailover(
                         List.of(a.port(), b.port(), c.port()))) {
                Instances.awaitRoster(CHANNEL, 2, b, c);
                Process node = new ProcessBuilder("node", "--experimental-websocket", "--no-warnings",
                        java.nio.file.Path.of("src/test/node/sigbridge-page.js").toAbsolutePath().toString(),
                        "http://127.0.0.1:" + haproxy.port(), CHANNEL).redirectErrorStream(true).start();
                java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
                Thread reader = new Thread(() -> {
                    try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(node.getInputStream(),
                            java.nio.charset.StandardCharsets.UTF_8))) {
                        for (String l; (l = in.readLine()) != null; ) {
                            lines.add(l);
                        }
                    } catch (java.io.IOException e) {
                        lines.add("reader: " + e);
                    }
                });
                reader.setDaemon(true);
                reader.start();
                List<String> seen = new ArrayList<>();
                try {
                    awaitLine(lines, seen, "{\"joined\":true}");
                    Instances.awaitRoster(CHANNEL, 3, a, b, c);
                    String p = participantIds(a).stream().filter(id -> id.startsWith(nodeOf(a) + ":")).findFirst().orElseThrow();
                    for (Observer o : List.of(onB, onC)) {
                        o.awaitEvent("joined", p);
                    }
                    CompletableFuture<Void> stopping = CompletableFuture.runAsync(a::close);
                    awaitLine(lines, seen, "{\"closed\":true}");
                    awaitLine(lines, seen, "{\"resumed\":"); // recovered or not: a quiet channel has no log to resume from
                    stopping.get(30, TimeUnit.SECONDS);
                    Poll.until("a's lease expired and its fields are gone from the channel's members", WAIT,
                            () -> !redis.server().cli("HKEYS", org.sigbridge.cluster.wire.ChannelKeys.of("sb", CHANNEL).who()).contains(nodeOf(a)));
                    Instances.awaitRoster(CHANNEL, 3, b, c);
                    assertTrue(participantIds(b).contains(p) && participantIds(c).contains(p), "the page is " + p + " on b: "
                            + participantIds(b));
                    for (Observer o : List.of(onB, onC)) {
                        o.drainPresence();
                        assertEquals(List.of("joined"), o.events(p), o.where + " saw the page join once and never leave: " + o.all);
                    }
                } finally {
                    node.getOutputStream().close();
                    if (!node.waitFor(10, TimeUnit.SECONDS)) {
                        node.destroyForcibly();
                    }
                }
            }
        }
    }

    /** Waits for a line of the page that starts with {@code expected}. */
    private static void awaitLine(java.util.concurrent.BlockingQueue<String> lines, List<String> seen, String expected)
            throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            String l = lines.poll(100, TimeUnit.MILLISECONDS);
            if (l != null) {
                seen.add(l);
                if (l.startsWith(expected)) {
                    return;
                }
            }
        }
        throw new AssertionError("the page never printed " + expected + "; it printed " + seen);
    }

    /** The participant id a resumable page's newest session names (docs/dialects.md §5.4 on a cluster). */
    private static String participantOf(ResumingClient c) {
        List<String> s = c.sessions();
        String newest = s.get(s.size() - 1);
        String[] parts = newest.split("~");
        assertEquals(3, parts.length, "a cluster session is <endpoint>~<participant>~<tag>: " + newest);
        return parts[1];
    }

    private static String nodeOf(TestBridge b) {
        return b.bridge().hub().nodeId();
    }

    private static List<String> participantIds(TestBridge b) {
        return b.bridge().hub().participants(CHANNEL).stream().map(Participant::id).toList();
    }

    /** A plain channels socket with presence events on, recording every presence event it gets (also RmcPresenceAcrossAHandoverTest's). */
    static final class Observer implements AutoCloseable {
        final String where;
        final WsClient ws;
        final List<Map<String, JsonValue>> all = new ArrayList<>();

        Observer(TestBridge on) throws Exception {
            this(on, CHANNEL);
        }

        Observer(TestBridge on, String channel) throws Exception {
            this(on, channel, null);
        }

        /** With {@code token} ({@code identity.mode: verified}), or {@code null}. */
        Observer(TestBridge on, String channel, String token) throws Exception {
            this.where = "the observer on " + on.bridge().config().bridge().name();
            this.ws = WsClient.connect(on.ws(token == null ? "/ws/channels" : "/ws/channels?token=" + token));
            ws.send("{\"presence\":true}");
            ws.send("{\"open\":true,\"channel\":\"" + channel + "\"}");
        }

        synchronized void drainPresence() {
            for (Map<String, JsonValue> f : ws.drain()) {
                if (f.containsKey("presence")) {
                    all.add(Frames.parse(f.get("presence").json()));
                }
            }
        }

        synchronized List<String> events(String participant) {
            List<String> kinds = new ArrayList<>();
            for (Map<String, JsonValue> e : all) {
                if (participant.equals(Frames.parse(e.get("participant").json()).get("id").asText())) {
                    kinds.add(e.get("event").asText());
                }
            }
            return kinds;
        }

        void awaitEvent(String kind, String participant) throws Exception {
            Poll.until(where + " saw " + participant + " " + kind, WAIT, () -> {
                drainPresence();
                return events(participant).contains(kind);
            });
        }

        @Override
        public void close() {
            ws.close();
        }
    }
}
