package org.sigbridge.dist.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.dist.SigbridgeProcess;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.ProsodyServer;
import org.sigbridge.testkit.sip.SipTransport;
import org.sigbridge.testkit.sip.SipUserAgent;
import org.sigbridge.testkit.soak.ProcessGauge;
import org.sigbridge.testkit.soak.SoakSample;
import org.sigbridge.testkit.xmpp.NativeXmppUser;

/**
 * The all-dialect soak (docs/reliability.md, "Soak"): the packaged jar, started as an operator starts it, with
 * channels {@code soak-xmpp-*} routed to MUC rooms on a real Prosody (a Smack occupant echoing in each) and
 * {@code soak-sip-*} routed through a real Kamailio to a JAIN-SIP user agent (echoing by MESSAGE to the channel's
 * AOR), the rest local. {@value #WORKERS} workers run {@link SoakCycles} back to back (local, XMPP, SIP in turn): every
 * browser dialect joins, talks, leaves and reconnects. Every interval the bridge process's heap after a full GC
 * (its memory bean over JMX, {@link ProcessGauge}), RSS, threads and file descriptors ({@code /proc/<pid>}) are sampled
 * with its open connections and channels. After the clients leave: connections, channels and participants back to 0 (admin API), threads within
 * {@value #THREAD_SLACK} and file descriptors within {@value #FD_SLACK} of the warm-up baseline, heap after GC within
 * {@value #HEAP_BOUND_MB} MiB of it, and the ledger ({@link SoakLedger}) exact: lost = 0 (every token delivered to
 * every receiver owed it, or reported to its sender by id), duplicated = 0, every failure report mapped to its token,
 * every echo owed sent. Entries reported and delivered anyway are printed, each with its report, for a reader to
 * judge (docs/design.md §3.9: a report says the envelope was not delivered). Alice's 300 s registration is kept by
 * {@link KeptRegistration}.
 *
 * <p>Length: {@code -Dsigbridge.soak.seconds} (default {@value #DEFAULT_SECONDS}, the suite's form; 1800 for the
 * documented 30-minute run, with {@code -Dsigbridge.test.timeout} above it). Samples go to
 * {@code target/soak/mixed-soak.csv}, a plot to {@code target/soak/mixed-soak.svg}, the ledger's table to
 * {@code target/soak/mixed-soak-ledger.md}.
 */
class MixedSoakIT {

    static final int DEFAULT_SECONDS = 40;
    /** Stated bound on heap growth (after GC, clients gone) over the warm-up baseline. */
    static final int HEAP_BOUND_MB = 24;
    static final int THREAD_SLACK = 8;
    static final int FD_SLACK = 16;
    static final int WORKERS = 2;
    private static final Duration READY = Duration.ofSeconds(120);
    /**
     * Samples before this (or a third of a shorter run) are warm-up; the first after it is the baseline. The bounded
     * tables fill for minutes at the soak's rate (the hub keeps a closed channel's history for {@code history.max-age},
     * 2 minutes; heap after GC rose until about 400 s in the 30-minute run of docs/reliability.md §5.1).
     */
    static final int WARM_UP_SECONDS = 600;
    /** How often alice renews her 300 s registration. */
    private static final long REGISTRATION_REFRESH_SECONDS = 120;
    /** The bridge's log line for {@code channel}'s AOR registered (not un-registered). */
    private static Pattern registered(String channel) {
        return Pattern.compile("(?<!un-)registered " + Pattern.quote(channel) + "@\\S+ at ");
    }

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    @RegisterExtension
    static final KamailioExtension KAMAILIO = new KamailioExtension();

    @TempDir
    Path dir;

    @Test
    void everyDialectWithXmppAndSipRoutesLeaksNothingAndLosesNothing() throws Exception {
        long seconds = Long.getLong("sigbridge.soak.seconds", DEFAULT_SECONDS);
        ProsodyServer xmpp = PROSODY.server();
        int web = SigbridgeProcess.freeTcpPort();
        Path config = dir.resolve("soak.yml");
        Files.writeString(config, yaml(web, FreePorts.tcpAndUdp(), xmpp));
        SoakLedger ledger = new SoakLedger();
        List<SoakSample> samples = new ArrayList<>();
        Path out = Path.of("target", "soak");
        Files.createDirectories(out);
        SipUserAgent alice = SipUserAgent.start("alice", KAMAILIO.server().port());
        try (SigbridgeProcess jar = SigbridgeProcess.start(Map.of(), List.of("-Xmx256m"), "--config", config.toString());
             NativeXmppUser bob0 = NativeXmppUser.join(xmpp, "bob", "soak-xmpp-0", "bob0");
             NativeXmppUser bob1 = NativeXmppUser.join(xmpp, "bob", "soak-xmpp-1", "bob1");
             EchoPeers echo = new EchoPeers()) {
            assertEquals(200, alice.register(SipTransport.UDP, SoakCycles.WAIT));
            try (KeptRegistration binding = new KeptRegistration(alice, Duration.ofSeconds(REGISTRATION_REFRESH_SECONDS))) {
                jar.awaitLine(l -> l.contains("ready in"), READY); // the shaded jar's start took 30 s on the loaded machine
                try (ProcessGauge gauge = ProcessGauge.of(jar.pid())) { // its agent's threads are there before the baseline
                    soak(jar, gauge, web, seconds, ledger, samples, out, echo, bob0, bob1, alice, binding);
                }
            } finally {
                Files.write(out.resolve("bridge.log"), jar.output()); // the bridge's own log of the run, for a failure's story
            }
        } finally {
            alice.close();
        }
    }

    private static void soak(SigbridgeProcess jar, ProcessGauge gauge, int web, long seconds, SoakLedger ledger, List<SoakSample> samples, Path out,
            EchoPeers echo, NativeXmppUser bob0, NativeXmppUser bob1, SipUserAgent alice, KeptRegistration binding) throws Exception {
        echo.xmpp(bob0, "bob0", ledger);
        echo.xmpp(bob1, "bob1", ledger);
        echo.sip(alice, "alice", ledger);
        BridgeCounts counts = new BridgeCounts(web);
        SoakCycles cycles = new SoakCycles(web, ledger, channel -> {
            Pattern line = registered(channel);
            return (int) jar.output().stream().filter(l -> line.matcher(l).find()).count();
        });

        AtomicLong started = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            int worker = w;
            Thread t = new Thread(() -> {
                for (int cycle = 0; System.nanoTime() < end; cycle++) {
                    started.incrementAndGet();
                    try {
                        cycles.run(worker, cycle);
                    } catch (Exception | AssertionError e) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                        System.err.println("soak worker " + worker + " cycle " + cycle + " failed: " + e);
                    }
                }
            }, "soak-worker-" + w);
            workers.add(t);
            t.start();
        }
        // A sample waits for a full GC in the bridge (long on a loaded machine): due times that passed meanwhile are skipped.
        long interval = Math.max(5, seconds / 60);
        long warmUp = Math.min(WARM_UP_SECONDS, seconds / 3);
        SoakSample baseline = null;
        for (long next = interval; next <= seconds; ) {
            long due = t0 + TimeUnit.SECONDS.toNanos(next);
            while (System.nanoTime() < due) {
                TimeUnit.NANOSECONDS.sleep(Math.min(due - System.nanoTime(), 200_000_000)); // the sampling clock
            }
            SoakSample s = SoakSample.take(gauge, (System.nanoTime() - t0) / 1e9, counts.connections(),
                    BridgeCounts.channels(counts.channelsJson()), ledger.deliveries());
            samples.add(s);
            System.out.println("soak sample " + s.csv());
            if (baseline == null && s.seconds() >= warmUp) {
                baseline = s; // after warm-up: classes loaded, pools grown, rooms and registrations made once
            }
            long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            next = Math.max(next + interval, (elapsed / interval + 1) * interval);
        }
        for (Thread t : workers) {
            t.join(TimeUnit.SECONDS.toMillis(120));
            assertTrue(!t.isAlive(), t.getName() + " did not finish its last cycle");
        }

        Poll.until("every connection closed", Duration.ofSeconds(60), Duration.ofMillis(200), counts::connections, n -> n == 0);
        String channels = Poll.until("every channel closed and no participant left (XHR mailboxes idle out after 2 s)",
                Duration.ofSeconds(60), Duration.ofMillis(200), counts::channelsJson,
                j -> BridgeCounts.channels(j) == 0 && BridgeCounts.participants(j) == 0);
        SoakSample base = baseline;
        SoakSample last = Poll.until("threads and file descriptors back near the baseline " + base.csv(), Duration.ofSeconds(90),
                Duration.ofSeconds(1), () -> SoakSample.take(gauge, (System.nanoTime() - t0) / 1e9, 0, 0, ledger.deliveries()),
                s -> s.threads() <= base.threads() + THREAD_SLACK && s.fds() <= base.fds() + FD_SLACK);
        SoakSample endSample = SoakSample.take(gauge, (System.nanoTime() - t0) / 1e9, counts.connections(),
                BridgeCounts.channels(counts.channelsJson()), ledger.deliveries());
        samples.add(endSample);
        ledger.drain(Duration.ofSeconds(30)); // late deliveries (a MESSAGE retransmitted, an echo after its cycle gave up)
        writeOut(out, samples, seconds, base, endSample, ledger);
        System.out.println("lost (first 50): " + ledger.lost().stream().limit(50).toList());
        System.out.println("duplicated (first 20): " + ledger.duplicated().stream().limit(20).toList());
        System.out.println("reported and delivered anyway (all): " + ledger.reportedAndDelivered());
        System.out.println("echoes whose original reached the peer but never sent: " + ledger.echoesNotSent());
        System.out.println("reports never matched to a token: " + ledger.unmatchedReports());
        System.out.println("SIP registration: " + binding.summary());
        System.out.println("soak cycles: " + started.get() + ", failed: " + failed.get()
                + (firstFailure.get() == null ? "" : " (first: " + firstFailure.get() + ")") + "; last before end " + last.csv());

        assertEquals(List.of(), ledger.lost(), "lost: sent, never delivered, sender never told");
        // The SIP UA is the route's target (its AOR) and, once it has written to the channel, a dynamic member too: it is
        // reached through its AOR only (conf/reference/sip.md; it got every later envelope twice before).
        assertEquals(List.of(), ledger.duplicated(), "duplicated");
        assertEquals(Map.of(), ledger.unmatchedReports(), "failure reports the ledger could not map to a token");
        assertEquals(List.of(), ledger.echoesNotSent(), "echoes the XMPP/SIP peers owed but never sent");
        assertTrue(binding.longestGap().toSeconds() < 300, "alice's 300 s binding lapsed: " + binding.summary());
        for (SoakSample s : samples) {
            if (s.seconds() >= seconds * 2 / 3.0 && s.seconds() <= seconds) {
                assertTrue(s.heapMb() <= base.heapMb() + HEAP_BOUND_MB, "heap after GC under traffic grew from " + base.heapMb()
                        + " MiB at the baseline to " + s.heapMb() + " MiB at " + s.seconds() + " s (bound " + HEAP_BOUND_MB + ")");
            }
        }
        // A cycle whose client step timed out on a loaded machine (a 20 s connect, a 30 s wait) lost nothing if the
        // ledger says so (above); more than 1 in 20 failing is a bridge that stopped serving.
        if (failed.get() > started.get() / 20) {
            throw new AssertionError(failed.get() + " of " + started.get() + " cycles failed; the first", firstFailure.get());
        }
        assertEquals(0, endSample.connections());
        assertEquals(0, BridgeCounts.channels(channels));
        assertTrue(endSample.heapMb() <= base.heapMb() + HEAP_BOUND_MB, "heap after GC grew from " + base.heapMb() + " to "
                + endSample.heapMb() + " MiB (bound " + HEAP_BOUND_MB + ")");
        assertTrue(ledger.deliveries() > seconds * 5, "too little traffic: " + ledger.deliveries() + " deliveries");
    }

    private static String yaml(int web, int sip, ProsodyServer xmpp) {
        return """
                bridge:
                  name: soak
                  shutdown-grace: 1s
                  default-route: local
                adapters:
                  web:
                    type: web
                    host: 127.0.0.1
                    port: %d
                    demo: false
                    rate-limit:
                      messages-per-second: 100000
                      burst: 100000
                    xhr:
                      channel-idle-timeout: 2s
                      client-timeout: 5s
                  xmpp:
                    type: xmpp
                    host: 127.0.0.1
                    port: %d
                    domain: %s
                    username: alice
                    password: %s
                    tls: disabled
                    muc-service: %s
                  sip:
                    type: sip
                    listen-host: 127.0.0.1
                    listen-port: %d
                    domain: %s
                    proxy: 127.0.0.1:%d
                routes:
                  - match: "soak-xmpp-*"
                    to: xmpp
                    target: "{channel}@%s"
                    options:
                      body: json
                  - match: "soak-sip-*"
                    to: sip
                    target: sip:alice@localhost
                """.formatted(web, xmpp.port(), xmpp.domain(), ProsodyServer.PASSWORD, xmpp.mucService(), sip,
                KAMAILIO.server().domain(), KAMAILIO.server().port(), xmpp.mucService());
    }

    private static void writeOut(Path out, List<SoakSample> samples, long seconds, SoakSample base, SoakSample end, SoakLedger ledger)
            throws Exception {
        StringBuilder csv = new StringBuilder(SoakSample.CSV_HEADER).append('\n');
        samples.forEach(s -> csv.append(s.csv()).append('\n'));
        Files.writeString(out.resolve("mixed-soak.csv"), csv);
        Files.writeString(out.resolve("mixed-soak.svg"), SoakSample.svg(samples, "sigbridge all-dialect soak (packaged jar), " + seconds
                + " s, " + WORKERS + " workers: envelope, channels, XHR, socket.io 4, PeerJS, SignalR; XMPP and SIP routes"));
        System.out.println("soak " + seconds + " s: baseline " + base.csv() + "; end " + end.csv() + "; samples in " + out.toAbsolutePath());
        String table = ledger.table();
        Files.writeString(out.resolve("mixed-soak-ledger.md"), table);
        System.out.print(table);
    }
}
