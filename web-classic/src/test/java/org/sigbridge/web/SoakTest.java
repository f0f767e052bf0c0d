package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.soak.SoakSample;
import org.sigbridge.testkit.web.WsClient;

/**
 * The soak (docs/reliability.md, "Soak"): mixed browser traffic at a steady rate — envelope and channels WebSockets
 * joining and leaving, a receiver that reconnects, XHR posters — while heap after GC, RSS, threads, file descriptors,
 * open connections and channels are sampled. After the clients leave, connections and channels must be back to zero,
 * threads and file descriptors back near the baseline, and heap after GC within {@value #HEAP_BOUND_MB} MiB of it.
 *
 * <p>Length: {@code -Dsigbridge.soak.seconds} (default 30, the suite's form — the
 * classic dialects also soak in dist's all-dialect {@code MixedSoakIT}; 1800 for the documented 30-minute run).
 * Samples go to {@code target/soak/soak.csv} and a plot to {@code target/soak/soak.svg}.
 */
class SoakTest {

    /** Stated bound on heap growth (after GC, clients gone) over the warm-up baseline. */
    static final int HEAP_BOUND_MB = 24;
    private static final int WORKERS = 2;
    private static final Duration CYCLE = Duration.ofMillis(500);

    @Test
    void mixedTrafficLeaksNothing() throws Exception {
        long seconds = Long.getLong("sigbridge.soak.seconds", 30);
        String web = "    rate-limit:\n      messages-per-second: 100000\n      burst: 100000\n"
                + "    xhr:\n      channel-idle-timeout: 2s\n      client-timeout: 5s\n";
        AtomicLong received = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong cycles = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<SoakSample> samples = new ArrayList<>();
        Path out = Path.of("target", "soak");
        Files.createDirectories(out);
        try (TestBridge bridge = TestBridge.start(web)) {
            HttpClient http = HttpClient.newHttpClient();
            long t0 = System.nanoTime();
            ScheduledExecutorService traffic = Executors.newScheduledThreadPool(WORKERS);
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                AtomicLong cycle = new AtomicLong();
                traffic.scheduleAtFixedRate(() -> {
                    cycles.incrementAndGet();
                    try {
                        received.addAndGet(cycle(bridge, "soak-" + worker + "-" + cycle.getAndIncrement()));
                    } catch (Exception | AssertionError e) {
                        // A client step that timed out on a loaded machine (a 5 s connect, a 5 s wait): counted; the
                        // soak judges leaks, and a bridge that stopped serving fails the traffic bound below.
                        if (failed.incrementAndGet() == 1) {
                            failure.set(e);
                        }
                    }
                }, 0, CYCLE.toMillis(), TimeUnit.MILLISECONDS);
            }
            long interval = Math.max(2, seconds / 60);
            SoakSample baseline = null;
            try {
                for (long next = interval; next <= seconds; next += interval) {
                    long due = t0 + TimeUnit.SECONDS.toNanos(next);
                    while (System.nanoTime() < due) {
                        TimeUnit.NANOSECONDS.sleep(Math.min(due - System.nanoTime(), 200_000_000)); // the sampling clock
                    }
                    SoakSample s = SoakSample.take((System.nanoTime() - t0) / 1e9, connections(http, bridge), channels(http, bridge),
                            received.get());
                    samples.add(s);
                    if (baseline == null && next >= Math.min(10, seconds / 4)) {
                        baseline = s; // after warm-up: classes loaded, pools grown
                    }
                }
            } finally {
                traffic.shutdown();
                assertTrue(traffic.awaitTermination(30, TimeUnit.SECONDS), "traffic did not stop");
            }
            if (failed.get() > Math.max(2, cycles.get() / 20)) {
                throw new AssertionError(failed.get() + " of " + cycles.get() + " cycles failed; the first", failure.get());
            }
            Poll.until("every connection closed", Duration.ofSeconds(30), Duration.ofMillis(200), () -> connections(http, bridge), n -> n == 0);
            Poll.until("every channel closed (XHR channels idle out after 2 s)", Duration.ofSeconds(30), Duration.ofMillis(200),
                    () -> channels(http, bridge), n -> n == 0);
            SoakSample base = baseline;
            Poll.until("threads and file descriptors back near the baseline " + base.csv(), Duration.ofSeconds(60), Duration.ofMillis(500),
                    () -> SoakSample.take((System.nanoTime() - t0) / 1e9, 0, 0, received.get()),
                    s -> s.threads() <= base.threads() + 8 && s.fds() <= base.fds() + 16);
            SoakSample end = SoakSample.take((System.nanoTime() - t0) / 1e9, connections(http, bridge), channels(http, bridge), received.get());
            samples.add(end);
            writeOut(out, samples, seconds, base, end);
            System.out.println("soak cycles: " + cycles.get() + ", failed on the client side: " + failed.get()
                    + (failure.get() == null ? "" : " (first: " + failure.get() + ")"));
            assertEquals(0, end.connections());
            assertEquals(0, end.channels());
            assertTrue(end.heapMb() <= base.heapMb() + HEAP_BOUND_MB, "heap after GC grew from " + base.heapMb() + " to " + end.heapMb()
                    + " MiB (bound " + HEAP_BOUND_MB + ")");
            assertTrue(received.get() > seconds * 10, "too little traffic: " + received.get());
        }
    }

    /**
     * One cycle on a channel of its own: two envelope sockets and a channels socket join, exchange, one reconnects, an XHR
     * client posts (the XHR mailbox leaves the channel once idle).
     */
    private static long cycle(TestBridge bridge, String channel) throws Exception {
        long got = 0;
        String q = "/?channel=" + URLEncoder.encode(channel, StandardCharsets.UTF_8);
        try (WsClient a = WsClient.connect(bridge.ws(q)); WsClient b = WsClient.connect(bridge.ws(q));
             WsClient c = WsClient.connect(bridge.ws("/ws/channels"))) {
            c.send("{\"open\":true,\"channel\":" + "\"" + channel + "\"}");
            Poll.until("three on " + channel, WsClient.WAIT, () -> bridge.bridge().hub().participants(channel).size() == 3);
            for (int i = 0; i < 5; i++) {
                a.send("{\"sender\":\"a\",\"channel\":\"" + channel + "\",\"message\":{\"n\":" + i + ",\"sdp\":\"v=0 " + "x".repeat(200) + "\"}}");
            }
            for (int i = 0; i < 5; i++) {
                b.nextEnvelope(WsClient.WAIT);
                c.next(f -> f.containsKey("n"), WsClient.WAIT);
                got += 2;
            }
            b.close(); // a reconnect
            Poll.until("b left " + channel, WsClient.WAIT, () -> bridge.bridge().hub().participants(channel).size() == 2);
            try (WsClient again = WsClient.connect(bridge.ws(q))) {
                Poll.until("the reconnected socket on " + channel, WsClient.WAIT,
                        () -> bridge.bridge().hub().participants(channel).size() == 3);
                HttpClient xhr = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
                String form = "message=" + URLEncoder.encode("{\"channel\":\"" + channel + "\",\"message\":\"xhr\",\"sender\":\"x\"}",
                        StandardCharsets.UTF_8);
                HttpResponse<String> posted = xhr.send(HttpRequest.newBuilder(bridge.http("/Home/PostData"))
                        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, posted.statusCode(), posted.body());
                again.nextEnvelope(WsClient.WAIT);
                got++;
            }
        }
        return got;
    }

    private static int connections(HttpClient http, TestBridge bridge) throws Exception {
        String body = http.send(HttpRequest.newBuilder(bridge.http("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^sigbridge_web_connections\\{[^}]*\\} ([0-9.]+)$").matcher(body);
        int n = 0;
        while (m.find()) {
            n += (int) Double.parseDouble(m.group(1));
        }
        return n;
    }

    private static int channels(HttpClient http, TestBridge bridge) throws Exception {
        String body = http.send(HttpRequest.newBuilder(bridge.http("/admin/channels")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"route\":").matcher(body);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static void writeOut(Path out, List<SoakSample> samples, long seconds, SoakSample base, SoakSample end) throws Exception {
        StringBuilder csv = new StringBuilder(SoakSample.CSV_HEADER).append('\n');
        samples.forEach(s -> csv.append(s.csv()).append('\n'));
        Files.writeString(out.resolve("soak.csv"), csv);
        Files.writeString(out.resolve("soak.svg"), SoakSample.svg(samples, "sigbridge soak, " + seconds + " s, " + WORKERS
                + " workers every " + CYCLE.toMillis() + " ms (web: envelope, channels, XHR)"));
        System.out.println("soak " + seconds + " s: baseline " + base.csv() + "; end " + end.csv() + "; samples in " + out.toAbsolutePath());
    }
}
