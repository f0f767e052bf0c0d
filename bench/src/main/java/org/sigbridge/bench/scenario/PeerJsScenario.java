package org.sigbridge.bench.scenario;

import java.util.List;
import java.util.function.Supplier;

import org.sigbridge.bench.load.RunResult;
import org.sigbridge.bench.load.WireDialect;

/**
 * PeerJS relay, sigbridge against the npm {@code peer} server in the same run (docs/benchmarks.md): pairs of raw
 * WebSocket PeerJS clients sending {@code OFFER} frames to each other in a closed loop (the servers relay each with
 * {@code src} stamped), repeats interleaved server by server; then memory per idle peer, a fresh server each.
 * CPU per relayed message is the {@code srv µs/deliv} column; its ratio is sigbridge over {@code peer}.
 */
public final class PeerJsScenario {
    private final BenchSettings settings;
    private final Supplier<ServerUnderTest> sigbridge;
    private final Supplier<ServerUnderTest> peer;
    private final ResultLog log;

    /** {@code settings}' dialect is replaced by {@link WireDialect#PEERJS}. */
    public PeerJsScenario(BenchSettings settings, Supplier<ServerUnderTest> sigbridge, Supplier<ServerUnderTest> peer,
                          ResultLog log) {
        this.settings = new BenchSettings(settings.repeats(), settings.warmup(), settings.duration(), settings.drain(),
                settings.payloadBytes(), settings.threads(), WireDialect.PEERJS);
        this.sigbridge = sigbridge;
        this.peer = peer;
        this.log = log;
    }

    /** The relay comparison at {@code pairs} pairs with {@code window} OFFERs in flight per client. */
    public Comparison relay(int pairs, int window) throws Exception {
        List<ServerUnderTest> servers = List.of(sigbridge.get(), peer.get());
        Comparison c = new Comparison("PeerJS relay: sigbridge vs npm `peer`, " + pairs * 2 + " clients in pairs, OFFER "
                + "frames, closed loop, window " + window, "point", servers.stream().map(ServerUnderTest::name).toList(),
                LocalScenarios.metrics());
        String point = pairs + " pairs w" + window;
        c.point(point, pairs);
        try {
            for (ServerUnderTest s : servers) {
                s.start();
            }
            for (ServerUnderTest s : servers) { // unrecorded warm-up, as LocalScenarios#warmUp
                LocalScenarios.run(s, settings.spec("peerjs-warm-up", pairs * 2, 2, 0, window));
            }
            for (int rep = 1; rep <= settings.repeats(); rep++) {
                for (ServerUnderTest s : servers) {
                    RunResult r = LocalScenarios.run(s, settings.spec("peerjs", pairs * 2, 2, 0, window)
                            .withLabel(s.name() + " " + point));
                    log.run("peerjs", s.name(), rep, r);
                    LocalScenarios.record(c, point, s.name(), r);
                }
            }
        } finally {
            servers.forEach(ServerUnderTest::close);
        }
        return c;
    }

    /** Memory per idle PeerJS peer (registered, no traffic), a fresh server per measurement. */
    public Comparison idleMemory(List<Integer> peers) throws Exception {
        return new MemoryScenario(settings, List.of(sigbridge, peer), List.of("sigbridge", "node-peer"), log)
                .run("PeerJS memory per idle peer (RSS delta / peers, fresh server each)", peers);
    }
}
