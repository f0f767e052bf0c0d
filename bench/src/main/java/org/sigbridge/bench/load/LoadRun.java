package org.sigbridge.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.HdrHistogram.AtomicHistogram;
import org.HdrHistogram.Histogram;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * One load run against one server: {@link #connect()} opens and subscribes every client,
 * {@link #measure()} runs warm-up, measurement and drain, {@link #close()} closes the sockets and the
 * Jetty client. The phases are separate so the scenario runner can sample server memory while
 * connections are held. Driven by one thread; not reusable after {@link #close()}.
 */
public final class LoadRun implements AutoCloseable {
    /** The drain ends early when nothing arrived for this long (or half the drain, if shorter). */
    private static final Duration NO_PROGRESS = Duration.ofSeconds(2);

    private final LoadSpec spec;
    private final long serverPid;
    private final List<Long> sidePids;
    private final DeliveryLedger ledger = new DeliveryLedger();
    private final RunCounters counters = new RunCounters();
    private final BenchClient[] clients;
    private final AtomicHistogram connectNanos = new AtomicHistogram(1_000, TimeUnit.SECONDS.toNanos(120), 3);
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger connectFailures = new AtomicInteger();
    private final HttpClient httpClient;
    private final WebSocketClient wsClient;
    private final QueuedThreadPool pool;
    private SourceAddresses sources = SourceAddresses.forThisMachine();
    /**
     * The WebSocket clients of the source addresses after the first ({@link SourceAddresses}), each on an HTTP client
     * bound to its address and sharing the first one's threads; empty while a run fits one address's ports.
     */
    private final List<HttpClient> boundHttpClients = new ArrayList<>();
    private final List<WebSocketClient> boundWsClients = new ArrayList<>();
    private volatile boolean sending;
    private java.nio.file.Path timelineFile;
    private double connectWallMs;

    /** @param serverPid the server's pid for CPU sampling, or 0 when unknown */
    public LoadRun(LoadSpec spec, long serverPid) {
        this(spec, serverPid, List.of());
    }

    /**
     * @param serverPid the server's pid for CPU sampling, or 0 when unknown
     * @param sidePids  processes whose CPU over the window is reported too, added up ({@link RunResult#sideCpuPct()}):
     *                  the bridges between the generator and the server of a path
     */
    public LoadRun(LoadSpec spec, long serverPid, List<Long> sidePids) {
        this.spec = spec;
        this.serverPid = serverPid;
        this.sidePids = List.copyOf(sidePids);
        this.clients = new BenchClient[spec.clients()];
        String filler = Payloads.filler(spec.dialect(), spec.payloadBytes());
        String runTag = Long.toString(System.nanoTime() % 1_000_000, 36);
        for (int i = 0; i < clients.length; i++) {
            String channel = "bench-" + runTag + "-" + (i / spec.perChannel());
            clients[i] = new BenchClient(i, channel, spec.fanout(), spec.dialect(), filler, ledger, this::onReceipt,
                    counters);
        }
        this.pool = new QueuedThreadPool(Math.max(8, spec.threads() + 4), 2);
        pool.setName("bench-client");
        pool.setDaemon(true);
        this.httpClient = httpClient(null);
        this.wsClient = webSocketClient(httpClient);
    }

    private HttpClient httpClient(InetSocketAddress bindAddress) {
        HttpClient client = new HttpClient();
        client.setExecutor(pool);
        client.setBindAddress(bindAddress);
        client.setMaxConnectionsPerDestination(LoadSpec.MAX_CLIENTS);
        // socket.io polling: every client keeps a GET pending and a POST in flight, all to one destination.
        client.setMaxRequestsQueuedPerDestination(5 * LoadSpec.MAX_CLIENTS);
        client.setIdleTimeout(Duration.ofMinutes(5).toMillis());
        return client;
    }

    private static WebSocketClient webSocketClient(HttpClient http) {
        WebSocketClient client = new WebSocketClient(http);
        client.setIdleTimeout(Duration.ofMinutes(5));
        client.setMaxTextMessageSize(1 << 20);
        return client;
    }

    /**
     * Clients per loopback source address (default: what this machine's ephemeral port range allows); the
     * {@code load} command's {@code --clients-per-address}. Call before {@link #connect()}.
     */
    public LoadRun clientsPerAddress(int perAddress) {
        this.sources = new SourceAddresses(perAddress);
        return this;
    }

    /**
     * Writes every measured delivery's send time and latency to {@code file} after the drain
     * ({@link DeliveryLedger#writeTimeline}; at most 1,000,000). Call before {@link #measure()}.
     */
    public LoadRun timeline(java.nio.file.Path file) {
        this.timelineFile = file;
        ledger.keepTimeline(1_000_000);
        return this;
    }

    /** How many loopback source addresses {@link #connect()} spreads the WebSockets over. */
    public int sourceAddresses() {
        return sources.count(clients.length);
    }

    /**
     * Connects every client (at most {@code connectConcurrency} attempts at once) and waits briefly for the
     * subscriptions to settle. Failed connections are counted, not retried.
     */
    public void connect() throws Exception {
        httpClient.start();
        wsClient.start();
        for (int slot = 1; slot < sourceAddresses(); slot++) {
            HttpClient bound = httpClient(SourceAddresses.bindAddress(slot));
            WebSocketClient ws = webSocketClient(bound);
            boundHttpClients.add(bound);
            boundWsClients.add(ws);
            bound.start();
            ws.start();
        }
        Semaphore inFlight = new Semaphore(spec.connectConcurrency());
        CountDownLatch done = new CountDownLatch(clients.length);
        long wallStart = System.nanoTime();
        for (BenchClient client : clients) {
            inFlight.acquire();
            long t0 = System.nanoTime();
            URI target = spec.dialect().connectUri(spec.urlFor(client.index()), client.channel(), client.index());
            if (spec.dialect().negotiates()) {
                negotiate(target).whenComplete((socket, failure) -> {
                    if (failure == null) {
                        open(client, socket);
                    } else {
                        client.opened().completeExceptionally(failure);
                    }
                });
            } else if (spec.dialect().polling()) {
                new SocketIoPolling(httpClient, client, target).start();
            } else {
                open(client, target);
            }
            client.opened().orTimeout(30, TimeUnit.SECONDS).whenComplete((ignored, failure) -> {
                if (failure == null) {
                    connectNanos.recordValue(Math.max(1_000, System.nanoTime() - t0));
                    connected.incrementAndGet();
                } else {
                    connectFailures.incrementAndGet();
                }
                inFlight.release();
                done.countDown();
            });
        }
        done.await(60 + clients.length / 50, TimeUnit.SECONDS);
        connectWallMs = (System.nanoTime() - wallStart) / 1e6;
        // Open frames were sent on open; give the server time to apply them before traffic starts.
        Thread.sleep(200 + clients.length / 20);
    }

    private void open(BenchClient client, URI target) {
        int slot = sources.slot(client.index());
        try {
            (slot == 0 ? wsClient : boundWsClients.get(slot - 1)).connect(client, target);
        } catch (IOException | RuntimeException e) {
            client.opened().completeExceptionally(e);
        }
    }

    /** SignalR: {@code POST …/negotiate?negotiateVersion=1}, then the socket URL with the connection token. */
    private CompletableFuture<URI> negotiate(URI hubSocket) {
        Request request = httpClient.newRequest(SignalRCodec.negotiateUri(hubSocket)).method(HttpMethod.POST)
                .timeout(30, TimeUnit.SECONDS);
        return new CompletableResponseListener(request).send().thenApply(response -> {
            if (response.getStatus() != 200) {
                throw new IllegalStateException("negotiate answered " + response.getStatus() + ": " + response.getContentAsString());
            }
            return SignalRCodec.socketUri(hubSocket, SignalRCodec.connectionToken(response.getContentAsString()));
        });
    }

    /** Warm-up, measurement window, drain; returns the figures. Call once, after {@link #connect()}. */
    public RunResult measure() throws InterruptedException {
        long warmupNanos = spec.warmup().toNanos();
        long durationNanos = spec.duration().toNanos();
        long start = System.nanoTime();
        OpenLoopPacer pacer = null;
        sending = true;
        if (!spec.idle()) {
            if (spec.closedLoop()) {
                for (BenchClient client : clients) {
                    for (int w = 0; w < spec.window(); w++) {
                        client.sendNext();
                    }
                }
            } else {
                pacer = new OpenLoopPacer(clients, spec.offeredPerSecond(), Math.min(4, spec.threads()),
                        start + warmupNanos + durationNanos);
            }
        }
        sleepUntil(start + warmupNanos);
        long windowStart = System.nanoTime();
        long epochMsAtWindowStart = System.currentTimeMillis();
        long selfCpu0 = CpuClock.selfNanos();
        long serverCpu0 = CpuClock.processNanos(serverPid);
        long sideCpu0 = sideNanos();
        long sideJit0 = sidePids.isEmpty() ? 0 : CpuClock.compilerNanos(sidePids);
        ledger.openWindow(windowStart);
        sleepUntil(windowStart + durationNanos);
        long windowEnd = System.nanoTime();
        ledger.closeWindow(windowEnd);
        long selfCpu1 = CpuClock.selfNanos();
        long serverCpu1 = CpuClock.processNanos(serverPid);
        long sideCpu1 = sideNanos();
        long sideJit1 = sidePids.isEmpty() ? 0 : CpuClock.compilerNanos(sidePids);
        sending = false;
        if (pacer != null) {
            pacer.join();
        }
        drain();
        if (timelineFile != null) {
            try {
                ledger.writeTimeline(timelineFile, epochMsAtWindowStart);
            } catch (IOException e) {
                System.err.println("timeline " + timelineFile + " not written: " + e);
            }
        }
        double seconds = (windowEnd - windowStart) / 1e9;
        DeliveryLedger.Totals totals = ledger.totals();
        return new RunResult(spec, connected.get(), connectFailures.get(), connectSummary(), connectWallMs,
                totals.sent(), totals.expected(), totals.delivered(), totals.lost(), totals.duplicates(),
                totals.other(), counters.sendFailures(), counters.closedEarly(), counters.closeReasons(), counters.otherFrames(), seconds,
                totals.latency(), percent(selfCpu0, selfCpu1, windowEnd - windowStart),
                percent(serverCpu0, serverCpu1, windowEnd - windowStart),
                sidePids.isEmpty() ? 0 : percent(sideCpu0, sideCpu1, windowEnd - windowStart),
                sidePids.isEmpty() ? 0 : percent(sideJit0, sideJit1, windowEnd - windowStart),
                pacer == null ? 0 : pacer.maxLagNanos() / 1e6);
    }

    /** The side processes' CPU so far, added up; -1 when one cannot be read. */
    private long sideNanos() {
        long sum = 0;
        for (long pid : sidePids) {
            long n = CpuClock.processNanos(pid);
            if (n < 0) {
                return -1;
            }
            sum += n;
        }
        return sum;
    }

    /** Connections that are open right now (for memory scenarios). */
    public int connections() {
        return connected.get();
    }

    public RunCounters counters() {
        return counters;
    }

    private void onReceipt(int sender) {
        if (sending && spec.closedLoop() && sender >= 0 && sender < clients.length) {
            BenchClient client = clients[sender];
            if (client.receiptFreesSlot()) {
                client.sendNext();
            }
        }
    }

    private void drain() throws InterruptedException {
        long deadline = System.nanoTime() + spec.drain().toNanos();
        long last = -1;
        long lastProgress = System.nanoTime();
        while (System.nanoTime() < deadline && ledger.deliveredSoFar() < ledger.expectedSoFar()) {
            long now = ledger.deliveredSoFar();
            if (now != last) {
                last = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > Math.min(NO_PROGRESS.toNanos(), spec.drain().toNanos() / 2)) {
                return;
            }
            Thread.sleep(20);
        }
    }

    private LatencySummary connectSummary() {
        Histogram copy = new Histogram(1_000, TimeUnit.SECONDS.toNanos(120), 3);
        copy.add(connectNanos);
        return LatencySummary.ofNanos(copy);
    }

    private static double percent(long cpu0, long cpu1, long wallNanos) {
        if (cpu0 < 0 || cpu1 < 0 || wallNanos <= 0) {
            return -1;
        }
        return 100.0 * (cpu1 - cpu0) / wallNanos;
    }

    private static void sleepUntil(long deadlineNanos) throws InterruptedException {
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 50_000_000L));
        }
    }

    /** Closes every socket and stops the Jetty client; idempotent. */
    @Override
    public void close() throws Exception {
        sending = false;
        for (BenchClient client : clients) {
            client.close();
        }
        Thread.sleep(100 + clients.length / 20);
        for (WebSocketClient ws : boundWsClients) {
            ws.stop();
        }
        for (HttpClient bound : boundHttpClients) {
            bound.stop();
        }
        wsClient.stop();
        httpClient.stop();
    }
}
