package org.sigbridge.bench.sip;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.sigbridge.bench.load.CpuClock;
import org.sigbridge.bench.load.DeliveryLedger;
import org.sigbridge.bench.load.LatencySummary;
import org.sigbridge.bench.load.LoadSpec;
import org.sigbridge.bench.load.Payloads;
import org.sigbridge.bench.load.Probe;
import org.sigbridge.bench.load.RunResult;
import org.sigbridge.bench.load.WireDialect;
import org.sigbridge.testkit.sip.ReceivedSipMessage;
import org.sigbridge.testkit.sip.SipTransport;
import org.sigbridge.testkit.sip.SipUserAgent;

/**
 * The direct SIP baseline: pairs of JAIN-SIP user agents (testkit {@link SipUserAgent}) registered over
 * TCP at Kamailio, each sending {@code application/json} MESSAGEs carrying probes to its partner. The
 * agent's send blocks until the final response, so {@code window} sender threads per agent make the closed
 * loop. Same probes and accounting as the WebSocket generator. Driven by one thread.
 */
public final class SipDirectRun implements AutoCloseable {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final LoadSpec spec;
    private final BenchKamailio kamailio;
    private final long kamailioPid;
    private final DeliveryLedger ledger = new DeliveryLedger();
    private final List<SipUserAgent> agents = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong failures = new AtomicLong();
    private final Map<String, Long> failureKinds = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile boolean sending;

    public SipDirectRun(LoadSpec spec, BenchKamailio kamailio, long kamailioPid) {
        if (!spec.closedLoop() || spec.perChannel() != 2) {
            throw new IllegalArgumentException("direct SIP runs are pairs in a closed loop");
        }
        this.spec = spec;
        this.kamailio = kamailio;
        this.kamailioPid = kamailioPid;
    }

    public static URI uri(BenchKamailio kamailio) {
        return URI.create("ws://127.0.0.1:" + kamailio.port() + "/sip-direct");
    }

    public void connect() {
        String tag = Long.toString(System.nanoTime() % 1_000_000, 36);
        for (int i = 0; i < spec.clients(); i++) {
            SipUserAgent agent = SipUserAgent.start("ua" + tag + "x" + i, kamailio.port());
            agents.add(agent);
            int status = agent.register(SipTransport.TCP, REQUEST_TIMEOUT);
            if (status != 200) {
                throw new IllegalStateException("REGISTER of " + agent.user() + " answered " + status);
            }
        }
    }

    public RunResult measure() throws InterruptedException {
        running = true;
        sending = true;
        String filler = Payloads.filler(WireDialect.CHANNELS, spec.payloadBytes());
        for (int i = 0; i < agents.size(); i++) {
            SipUserAgent self = agents.get(i);
            String peer = agents.get(i % 2 == 0 ? i + 1 : i - 1).user();
            AtomicLong seq = new AtomicLong();
            int index = i;
            for (int w = 0; w < spec.window(); w++) {
                start("sip-send-" + i + "-" + w, () -> sendLoop(self, index, peer, seq, filler));
            }
            DeliveryLedger.Receiver receiver = ledger.receiver();
            start("sip-recv-" + i, () -> receiveLoop(self, receiver));
        }
        TimeUnit.NANOSECONDS.sleep(spec.warmup().toNanos());
        long start = System.nanoTime();
        long self0 = CpuClock.selfNanos();
        long server0 = CpuClock.processNanos(kamailioPid);
        ledger.openWindow(start);
        TimeUnit.NANOSECONDS.sleep(spec.duration().toNanos());
        long end = System.nanoTime();
        ledger.closeWindow(end);
        sending = false;
        long self1 = CpuClock.selfNanos();
        long server1 = CpuClock.processNanos(kamailioPid);
        long deadline = System.nanoTime() + spec.drain().toNanos();
        while (System.nanoTime() < deadline && ledger.deliveredSoFar() < ledger.expectedSoFar()) {
            Thread.sleep(20);
        }
        running = false;
        for (Thread t : threads) {
            t.join(REQUEST_TIMEOUT.toMillis() + 1000);
        }
        DeliveryLedger.Totals t = ledger.totals();
        double wall = end - start;
        return new RunResult(spec, agents.size(), 0, LatencySummary.EMPTY, 0, t.sent(), t.expected(), t.delivered(),
                t.lost(), t.duplicates(), t.other(), failures.get(), 0, failureKinds(), Map.of(), wall / 1e9, t.latency(),
                self0 < 0 ? -1 : 100.0 * (self1 - self0) / wall, server0 < 0 ? -1 : 100.0 * (server1 - server0) / wall, 0, 0, 0);
    }

    private void sendLoop(SipUserAgent self, int index, String peer, AtomicLong seq, String filler) {
        while (sending) {
            long now = System.nanoTime();
            boolean measured = ledger.onSent(now, 1);
            String body = new Probe(index, seq.getAndIncrement(), now, measured).body(filler);
            try {
                int status = self.sendMessage(peer, "application/json", body, SipTransport.TCP, REQUEST_TIMEOUT);
                if (status != 200) {
                    failure("status " + status);
                }
            } catch (RuntimeException e) {
                failure(e.getMessage());
            }
        }
    }

    /** Counts a failed MESSAGE and backs off 1 ms so a refusing proxy is not hammered in a tight loop. */
    private void failure(String what) {
        failures.incrementAndGet();
        failureKinds.merge(what, 1L, Long::sum);
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Failed MESSAGEs by final status or exception message; empty in a clean run. */
    public Map<String, Long> failureKinds() {
        return Map.copyOf(failureKinds);
    }

    private void receiveLoop(SipUserAgent self, DeliveryLedger.Receiver receiver) {
        while (running) {
            try {
                ReceivedSipMessage m = self.received().poll(100, TimeUnit.MILLISECONDS);
                if (m == null) {
                    continue;
                }
                long now = System.nanoTime();
                Probe probe = Probe.parse(m.body());
                if (probe.isProbe()) {
                    receiver.onDelivery(probe, now);
                } else {
                    receiver.onOther();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    @Override
    public void close() {
        running = false;
        sending = false;
        agents.forEach(SipUserAgent::close);
    }
}
