package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.HealthProbe;
import org.sigbridge.testkit.web.WsClient;

/**
 * The web adapter's load limits held under floods (docs/reliability.md, "Load limits"): during each flood
 * {@code /healthz} on the same port keeps answering ({@link HealthProbe}; the latencies are printed, not asserted), and
 * {@code /metrics} counts what was refused. Each flood goes on until the probe has answered {@value #PROBES} more times
 * after the flood began, so those answers come from inside it.
 */
class LoadLimitsTest {

    private static final int PROBES = 20;
    private static final String NO_RATE_LIMIT = "    rate-limit:\n      messages-per-second: 100000\n      burst: 100000\n";

    @Test
    void aConnectionFloodIsRefused429PerAddressWhileIdleSocketsWait() throws Exception {
        try (TestBridge bridge = TestBridge.start("    max-connections-per-address: 8\n");
             HealthProbe probe = HealthProbe.start(bridge.http("/healthz"))) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket s = new Socket();
                    assertEquals(101, upgrade(bridge.port(), s), "a socket within the limit");
                    held.add(s);
                }
                for (int i = 0; i < 300; i++) { // idle TCP connections that never send a request (the accept backlog)
                    Socket idle = new Socket();
                    idle.connect(new InetSocketAddress("127.0.0.1", bridge.port()), 5000);
                    held.add(idle);
                }
                int refused = 0;
                java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
                int from = probe.answered();
                while (probe.answered() < from + PROBES) {
                    try (Socket s = new Socket()) {
                        int status = upgrade(bridge.port(), s);
                        statuses.merge(status, 1, Integer::sum);
                        if (status == 429) {
                            refused++;
                        }
                    }
                }
                assertTrue(refused > 0, "no upgrade refused: " + statuses);
                assertTrue(metric(bridge, "sigbridge_web_upgrades_refused_total\\{adapter=\"web\",reason=\"too_many_connections\"\\}")
                        >= refused, "the refusals are not counted");
                report("connection flood: 8 per address held, 300 idle TCP connections, upgrades in a loop (" + refused
                        + " refused 429)", probe, from);
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aFrameFloodIsRefusedRateLimitedThenClosed1008() throws Exception {
        String limits = "    rate-limit:\n      messages-per-second: 50\n      burst: 100\n      close-after: 20\n";
        try (TestBridge bridge = TestBridge.start(limits); HealthProbe probe = HealthProbe.start(bridge.http("/healthz"))) {
            int closed = 0;
            int aborted = 0;
            int from = probe.answered();
            while ((probe.answered() < from + PROBES || closed == 0) && aborted < 100) {
                try (WsClient flood = WsClient.connect(bridge.ws("/?channel=flood"))) {
                    while (flood.trySend("{\"sender\":\"f\",\"channel\":\"flood\",\"message\":1}") && flood.isOpen()) {
                        // as fast as the socket takes them, until the bridge closes it
                    }
                    int code = flood.closeCode(WsClient.WAIT);
                    // A client still writing when the bridge's 1008 close arrives may see its connection reset before
                    // it reads the close frame (the JDK client then reports an error, -1); any other code is wrong.
                    assertTrue(code == 1008 || code == -1, "closed " + code + ", not 1008");
                    if (code == 1008) {
                        closed++;
                    } else {
                        aborted++;
                    }
                }
            }
            assertTrue(closed > 0, "no flooding socket saw the 1008 close (" + aborted + " ended by a reset)");
            assertTrue(metric(bridge, "sigbridge_web_rate_limited_total\\{adapter=\"web\"\\}") > 0, "rate limiting not counted");
            report("frame flood: frames as fast as one socket sends, reconnecting (" + closed + " closed 1008, " + aborted
                    + " reset while writing)", probe, from);
        }
    }

    @Test
    void hugeFramesAreClosed1009() throws Exception {
        String huge = "\"" + "h".repeat(70_000) + "\"";
        try (TestBridge bridge = TestBridge.start("    max-frame-bytes: 65536\n" + NO_RATE_LIMIT);
             HealthProbe probe = HealthProbe.start(bridge.http("/healthz"))) {
            int closed = 0;
            int from = probe.answered();
            while (probe.answered() < from + PROBES) {
                try (WsClient flood = WsClient.connect(bridge.ws("/?channel=huge"))) {
                    flood.trySend("{\"sender\":\"f\",\"channel\":\"huge\",\"message\":" + huge + "}");
                    assertEquals(1009, flood.closeCode(WsClient.WAIT));
                    closed++;
                }
            }
            assertTrue(metric(bridge, "sigbridge_web_bad_frames_total\\{adapter=\"web\"\\}") >= closed, "huge frames not counted");
            report("huge frames: 70 KB messages over max-frame-bytes 64 KiB, reconnecting (" + closed + " closed 1009)", probe, from);
        }
    }

    @Test
    void aLongPollFloodHoldsAtMostMaxWaitersAndAnswersTheRestAtOnce() throws Exception {
        String xhr = "    xhr:\n      max-waiters: 16\n      long-poll-max-wait: 3s\n";
        try (TestBridge bridge = TestBridge.start(xhr); HealthProbe probe = HealthProbe.start(bridge.http("/healthz"))) {
            HttpClient poller = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            poller.send(HttpRequest.newBuilder(bridge.http("/Home/GetData")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString()); // takes the poller cookie
            List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
            int from = probe.answered();
            while (probe.answered() < from + PROBES || polls.size() < 200) {
                polls.add(poller.sendAsync(HttpRequest.newBuilder(bridge.http("/Home/LongPoll?wait=3000"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
                if (polls.size() % 50 == 0) {
                    CompletableFuture.allOf(polls.subList(polls.size() - 50, polls.size() - 40).toArray(CompletableFuture[]::new)).join();
                }
            }
            for (CompletableFuture<HttpResponse<String>> p : polls) {
                assertEquals(200, p.join().statusCode());
            }
            long notHeld = metric(bridge, "sigbridge_web_xhr_long_polls_not_held_total\\{adapter=\"web\"\\}");
            assertTrue(notHeld > 0, "no long poll was answered at once");
            report("XHR long-poll flood: " + polls.size() + " long polls from one poller, max-waiters 16 (" + notHeld
                    + " answered at once)", probe, from);
        }
    }

    /** Prints the case's row of docs/reliability.md's load table (probes since {@code from}) and asserts they answered. */
    private static void report(String flood, HealthProbe probe, int from) {
        HealthProbe.Summary s = probe.summarySince(from);
        System.out.println("| " + flood + " | " + s + " |");
        assertTrue(s.ok() >= PROBES, "/healthz did not answer during the flood: " + s);
    }

    /** Sends a WebSocket upgrade over {@code s} and returns the status code of the answer. */
    private static int upgrade(int port, Socket s) throws Exception {
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(5000);
        OutputStream out = s.getOutputStream();
        out.write(("GET /?channel=load HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        return Integer.parseInt(status.split(" ")[1]);
    }

    /** A counter's value in the bridge's {@code /metrics}; 0 when absent. */
    static long metric(TestBridge bridge, String series) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(bridge.http("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+]+)$").matcher(body);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }
}
