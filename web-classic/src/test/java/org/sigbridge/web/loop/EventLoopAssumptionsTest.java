package org.sigbridge.web.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sigbridge.SigBridge;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.testkit.Poll;
import org.sigbridge.web.WebAdapter;

/**
 * Pins what {@code org.sigbridge.web.loop} assumes of Jetty 12 (docs/library-assumptions.md#jetty-event-loops), on a
 * started web adapter seen only through the JDK's thread API and the hub: its plain-HTTP port selects with
 * {@link LoopSelector}, one per {@code io-threads}; a WebSocket read runs in {@link LoopEndPoint}'s wrapper,
 * which Jetty runs in produce-consume mode on the selecting thread because it is declared non-blocking; the
 * thread's {@link WriteCork} is open during the read and released on that thread when the turn ends. If a Jetty
 * upgrade changes any of this, a test here fails before users see slower or stalled sockets.
 */
@Timeout(60)
class EventLoopAssumptionsTest {

    private static final String ADAPTER = "loop-pin";
    private static final int LOOPS = 2;

    private SigBridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = SigBridge.create(ConfigLoader.withInstalledAdapters().parse("""
                bridge:
                  shutdown-grace: 1s
                adapters:
                  %s:
                    type: web
                    port: 0
                    io-threads: %d
                routes:
                  - match: "*"
                    to: local
                """.formatted(ADAPTER, LOOPS), "loop-pin.yml"));
        bridge.start();
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    @Test
    void thePlainWebPortSelectsWithOneLoopSelectorPerIoThread() throws Exception {
        Poll.until("the adapter's threads selecting in LoopSelector", Duration.ofSeconds(10), Duration.ofMillis(20),
                () -> Thread.getAllStackTraces().entrySet().stream()
                        .filter(e -> e.getKey().getName().startsWith("web-" + ADAPTER + "-"))
                        .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> isFrame(f, LoopSelector.class.getName(), "select")))
                        .count(),
                n -> n == LOOPS);
    }

    @Test
    void aWebSocketReadRunsOnTheSelectingThreadWithTheCorkOpenAndReleasedAtTheEndOfTheTurn() throws Exception {
        Probe probe = new Probe();
        bridge.hub().subscribe(probe, "pin");
        int port = ((WebAdapter) bridge.adapter(ADAPTER).orElseThrow()).port();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/channels"), new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS);
        try {
            // the first frame can arrive with the upgrade and be read in the upgrade's own turn (Jetty's
            // WebSocketConnection.onOpen fills at once); the assumption is about the steady state: the next read
            socket.sendText("{\"channel\":\"pin\",\"data\":{\"n\":1}}", true).get(10, TimeUnit.SECONDS);
            probe.first.get(10, TimeUnit.SECONDS);
            socket.sendText("{\"channel\":\"pin\",\"data\":{\"n\":2}}", true).get(10, TimeUnit.SECONDS);

            Read read = probe.read.get(10, TimeUnit.SECONDS);
            assertTrue(read.thread().getName().startsWith("web-" + ADAPTER + "-"), "read on " + read.thread().getName());
            assertTrue(read.frames().stream().anyMatch(f -> f.getClassName().equals(LoopEndPoint.class.getName() + "$ReadInLoop")),
                    "the read did not run in LoopEndPoint's wrapper: " + read.frames());
            assertTrue(read.frames().stream().anyMatch(f -> isFrame(f, "org.eclipse.jetty.util.thread.strategy.AdaptiveExecutionStrategy", "pcRunTask")),
                    "Jetty did not run the non-blocking read in produce-consume mode on the selector thread: " + read.frames());
            assertTrue(read.corked(), "the thread's WriteCork was not open during the read");
            assertEquals(read.thread(), probe.released.get(10, TimeUnit.SECONDS), "the cork was released on another thread");
        } finally {
            socket.abort();
        }
    }

    private static boolean isFrame(StackTraceElement f, String className, String method) {
        return f.getClassName().equals(className) && f.getMethodName().equals(method);
    }

    /** What the hub's fan-out thread looked like while it delivered the browser's second frame. */
    private record Read(Thread thread, List<StackTraceElement> frames, boolean corked) {
    }

    /** A hub endpoint on the channel: it sees the read's thread, because the fan-out runs on it. */
    private static final class Probe implements Endpoint {
        final CompletableFuture<Void> first = new CompletableFuture<>();
        final CompletableFuture<Read> read = new CompletableFuture<>();
        final CompletableFuture<Thread> released = new CompletableFuture<>();

        @Override
        public String id() {
            return "probe";
        }

        @Override
        public String adapter() {
            return "test";
        }

        @Override
        public DeliveryResult deliver(Envelope envelope) {
            if (first.complete(null)) {
                return DeliveryResult.DELIVERED;
            }
            WriteCork cork = WriteCork.current();
            read.complete(new Read(Thread.currentThread(), List.of(Thread.currentThread().getStackTrace()), cork != null));
            if (cork != null) {
                cork.defer(() -> released.complete(Thread.currentThread()));
            }
            return DeliveryResult.DELIVERED;
        }
    }
}
