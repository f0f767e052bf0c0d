package org.sigbridge.web.peerjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.LineClient;
import org.sigbridge.testkit.web.Frames;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * The differential check of docs/peerjs.md ("Checked against `peer`"): one scripted raw-WebSocket and HTTP client
 * sequence, run against the reference npm {@code peer} 1.0.2 server ({@code src/test/js/peer-server.js}, installed
 * from the lock file there) and against sigbridge, gives the same transcript once the id from {@code GET /peerjs/id}
 * is replaced and each frame's top-level members are compared regardless of order, except at the steps marked
 * "(differs)", where each side's documented answer is asserted.
 */
class PeerJsDifferentialTest {

    private static final Path JS = PeerJsClient.PROJECT.toAbsolutePath();
    /** HTTP/1.1 as browsers send it: the reference's ws server answers a request offering h2c "Invalid Upgrade header". */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration QUIET = Duration.ofMillis(300);
    private static final long EXPIRE_MILLIS = 300;
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Test
    void theScriptedClientGetsThePeerServersTranscriptFromSigbridge() throws Exception {
        Map<String, String> reference = reference();
        Map<String, String> ours;
        try (TestBridge bridge = TestBridge.start("    peerjs: {expire-timeout: " + EXPIRE_MILLIS + "ms}\n")) {
            ours = script(bridge.port());
        }
        assertEquals(reference.keySet(), ours.keySet(), "same steps");
        for (String step : ours.keySet()) {
            if (step.endsWith("(differs)")) {
                continue;
            }
            assertEquals(reference.get(step), ours.get(step), step + "\nreference: " + reference + "\nsigbridge: " + ours);
        }
        // docs/peerjs.md "Checked against `peer`": sigbridge ends the admission errors with close code 1000 (RFC 6455
        // §7.4.1); the reference's close frame carries no code, which the client sees as 1005 (RFC 6455 §7.1.5).
        for (String closing : List.of("ID-TAKEN close (differs)", "INVALID-KEY close (differs)")) {
            assertEquals("1005", reference.get(closing), closing);
            assertEquals("1000", ours.get(closing), closing);
        }
    }

    /** Runs {@link #script} against the real {@code peer} server on a free loopback port. */
    private static Map<String, String> reference() throws Exception {
        assertTrue(Files.isRegularFile(JS.resolve("node_modules/peer/package.json")), "the npm peer server is not "
                + "installed in " + JS + ": run `npm ci --ignore-scripts` there while online (scripts/test does)");
        int port = FreePorts.tcpAndUdp();
        try (LineClient server = LineClient.start("peer-server", List.of("node", "peer-server.js", Integer.toString(port),
                Long.toString(EXPIRE_MILLIS)), Map.of(), JS)) {
            server.awaitLine("saying it listens on " + port, ("{\"listening\":" + port + "}")::equals, Duration.ofSeconds(20));
            return script(port);
        }
    }

    /**
     * The scripted client: each step acts, then records what the socket that should answer got (a normalised frame,
     * "nothing" after {@link #QUIET}, or a close code); finally any frame left on any socket is recorded.
     */
    private static Map<String, String> script(int port) throws Exception {
        Map<String, String> t = new LinkedHashMap<>();
        HttpResponse<String> id = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/peerjs/id?ts=17000000000000.123&version=1.5.5")).header("Origin", "https://app.example.org").build(),
                HttpResponse.BodyHandlers.ofString());
        String alice = id.body();
        t.put("GET /peerjs/id", id.statusCode() + " " + id.headers().firstValue("content-type").orElse("")
                + " acao=" + id.headers().firstValue("access-control-allow-origin").orElse("") + " "
                + alice.replaceAll(UUID, "<uuid>"));
        Normaliser n = new Normaliser(alice);
        try (WsClient a = connect(port, "peerjs", alice, "t-a");
             WsClient b = connect(port, "peerjs", "bob", "t-b")) {
            t.put("alice OPEN", n.next("alice", a));
            t.put("bob OPEN", n.next("bob", b));
            try (WsClient thief = connect(port, "peerjs", "bob", "other")) {
                t.put("ID-TAKEN", n.next("thief", thief));
                t.put("ID-TAKEN close (differs)", Integer.toString(thief.closeCode(WsClient.WAIT)));
            }
            try (WsClient wrongKey = connect(port, "nope", "carol", "t-c")) {
                t.put("INVALID-KEY", n.next("wrong key", wrongKey));
                t.put("INVALID-KEY close (differs)", Integer.toString(wrongKey.closeCode(WsClient.WAIT)));
            }
            a.send("{\"type\":\"OFFER\",\"src\":\"mallory\",\"dst\":\"bob\",\"payload\":{\"sdp\":{\"type\":\"offer\","
                    + "\"sdp\":\"v=0\"},\"type\":\"data\",\"connectionId\":\"dc_1\"}}");
            t.put("OFFER, src stamped", n.next("bob", b));
            b.send("{\"type\":\"ANSWER\",\"dst\":\"" + alice + "\",\"payload\":{\"sdp\":{\"type\":\"answer\"},\"connectionId\":\"dc_1\"}}");
            t.put("ANSWER", n.next("alice", a));
            a.send("{\"type\":\"CANDIDATE\",\"dst\":\"bob\",\"payload\":{\"candidate\":{\"candidate\":\"candidate:1\",\"sdpMid\":\"0\"}}}");
            t.put("CANDIDATE", n.next("bob", b));
            a.send("{\"type\":\"OFFER\",\"dst\":\"bob\",\"extra\":1,\"payload\":{}}");
            t.put("OFFER with an extra member", n.next("bob", b));
            b.send("{\"type\":\"LEAVE\",\"dst\":\"" + alice + "\",\"payload\":{\"connectionId\":\"dc_1\"}}");
            t.put("LEAVE", n.next("alice", a));
            a.send("{\"type\":\"HEARTBEAT\"}");
            t.put("HEARTBEAT", n.quiet("alice", a) + " " + n.quiet("bob", b));
            a.send("{\"type\":\"OFFER\",\"dst\":\"ghost\",\"payload\":{}}");
            a.send("{\"type\":\"CANDIDATE\",\"dst\":\"ghost\",\"payload\":{}}");
            t.put("EXPIRE for a dst that never came", n.next("alice", a));
            t.put("one EXPIRE per pair", n.quiet("alice", a));
            t.put("left over", n.drained("alice", a) + " " + n.drained("bob", b));
        }
        return t;
    }

    private static WsClient connect(int port, String key, String id, String token) {
        return WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/peerjs?key=" + key + "&id=" + id + "&token=" + token
                + "&version=1.5.5"));
    }

    /** Frames as "who {members sorted by name}", the fetched id replaced by {@code <alice>}. */
    private record Normaliser(String alice) {

        String next(String who, WsClient socket) throws InterruptedException {
            return frame(who, socket.next());
        }

        String quiet(String who, WsClient socket) throws InterruptedException {
            try {
                return who + " " + sorted(socket.next(f -> true, QUIET));
            } catch (AssertionError nothingWithinQuiet) {
                return who + " nothing";
            }
        }

        String drained(String who, WsClient socket) {
            List<String> left = new ArrayList<>();
            for (Map<String, JsonValue> f : socket.drain()) {
                left.add(sorted(f));
            }
            return who + " " + left;
        }

        private String frame(String who, String text) {
            return who + " " + sorted(Frames.parse(text));
        }

        private String sorted(Map<String, JsonValue> members) {
            Map<String, String> s = new TreeMap<>();
            members.forEach((k, v) -> s.put(k, v.json().replace(alice, "<alice>")));
            return s.toString();
        }
    }
}
