package org.sigbridge.bench.xmpp;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.sigbridge.bench.load.CpuClock;
import org.sigbridge.bench.load.DeliveryLedger;
import org.sigbridge.bench.load.LatencySummary;
import org.sigbridge.bench.load.LoadSpec;
import org.sigbridge.bench.load.Payloads;
import org.sigbridge.bench.load.RunResult;
import org.sigbridge.bench.load.WireDialect;
import org.sigbridge.testkit.peers.ProsodyServer;

/**
 * The direct XMPP baseline: {@code spec.clients()} Smack clients in MUC rooms of {@code spec.perChannel()},
 * closed loop with {@code spec.window()}, same probes and accounting as the WebSocket generator. The spec's
 * URL is informational ({@code xmpp://127.0.0.1:PORT/}). Driven by one thread.
 */
public final class SmackDirectRun implements AutoCloseable {
    private final LoadSpec spec;
    private final ProsodyServer prosody;
    private final long prosodyPid;
    private final DeliveryLedger ledger = new DeliveryLedger();
    private final SmackPeer[] peers;
    private final List<String> users;
    private volatile boolean sending;

    /** @param users one Prosody account per client (password {@link ProsodyServer#PASSWORD}) */
    public SmackDirectRun(LoadSpec spec, ProsodyServer prosody, long prosodyPid, List<String> users) {
        this(spec, prosody, prosodyPid, users, StanzaShape.PLAIN);
    }

    /** @param shape the bridge stanza's elements every client adds to its bodies ({@link StanzaShape}) */
    public SmackDirectRun(LoadSpec spec, ProsodyServer prosody, long prosodyPid, List<String> users, StanzaShape shape) {
        if (!spec.closedLoop() || users.size() < spec.clients()) {
            throw new IllegalArgumentException("direct XMPP runs are closed loop with one account per client");
        }
        this.spec = spec;
        this.prosody = prosody;
        this.prosodyPid = prosodyPid;
        this.peers = new SmackPeer[spec.clients()];
        String filler = Payloads.filler(WireDialect.CHANNELS, spec.payloadBytes());
        for (int i = 0; i < peers.length; i++) {
            peers[i] = new SmackPeer(i, spec.fanout(), filler, ledger, shape);
        }
        this.users = List.copyOf(users);
    }

    public static URI uri(ProsodyServer prosody) {
        return URI.create("xmpp://127.0.0.1:" + prosody.port() + "/");
    }

    public void connect() throws Exception {
        String tag = Long.toString(System.nanoTime() % 1_000_000, 36);
        for (int i = 0; i < peers.length; i++) {
            peers[i].join(prosody, users.get(i), "direct-" + tag + "-" + (i / spec.perChannel()), this::onReceipt);
        }
    }

    public RunResult measure() throws InterruptedException {
        sending = true;
        for (SmackPeer peer : peers) {
            for (int w = 0; w < spec.window(); w++) {
                peer.sendNext();
            }
        }
        TimeUnit.NANOSECONDS.sleep(spec.warmup().toNanos());
        long start = System.nanoTime();
        long self0 = CpuClock.selfNanos();
        long server0 = CpuClock.processNanos(prosodyPid);
        ledger.openWindow(start);
        TimeUnit.NANOSECONDS.sleep(spec.duration().toNanos());
        long end = System.nanoTime();
        ledger.closeWindow(end);
        long self1 = CpuClock.selfNanos();
        long server1 = CpuClock.processNanos(prosodyPid);
        sending = false;
        long deadline = System.nanoTime() + spec.drain().toNanos();
        while (System.nanoTime() < deadline && ledger.deliveredSoFar() < ledger.expectedSoFar()) {
            Thread.sleep(20);
        }
        DeliveryLedger.Totals t = ledger.totals();
        long failures = 0;
        for (SmackPeer peer : peers) {
            failures += peer.sendFailures();
        }
        double wall = end - start;
        return new RunResult(spec, peers.length, 0, LatencySummary.EMPTY, 0, t.sent(), t.expected(), t.delivered(),
                t.lost(), t.duplicates(), t.other(), failures, 0, Map.of(), Map.of(), wall / 1e9, t.latency(),
                self0 < 0 ? -1 : 100.0 * (self1 - self0) / wall, server0 < 0 ? -1 : 100.0 * (server1 - server0) / wall, 0, 0, 0);
    }

    private void onReceipt(int sender) {
        if (sending && sender >= 0 && sender < peers.length && peers[sender].receiptFreesSlot()) {
            peers[sender].sendNext();
        }
    }

    @Override
    public void close() {
        for (SmackPeer peer : peers) {
            peer.close();
        }
    }
}
