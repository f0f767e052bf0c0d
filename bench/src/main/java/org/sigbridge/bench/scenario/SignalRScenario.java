package org.sigbridge.bench.scenario;

import java.util.List;

import org.sigbridge.bench.load.RunResult;
import org.sigbridge.bench.load.WireDialect;

/**
 * Core SignalR broadcast latency at fixed rates (docs/benchmarks.md): clients speaking the ASP.NET Core SignalR JSON
 * hub protocol (negotiate, handshake, {@code Send} without invocation id; docs/signalr.md) broadcast in rooms of
 * {@code roomSize}, each room a hub of its own, open loop at a fixed total rate. Baselines in the same run and at the
 * same rate and room size: the same sigbridge process driven through its own channels dialect (what the SignalR dialect
 * adds to the bridge's native path; the ratio column), and the Node {@code ws} relay (the local scenarios' baseline).
 * Repeats are interleaved column by column.
 */
public final class SignalRScenario {
    /** The SignalR column's name in tables and {@code results.jsonl}. */
    public static final String SIGNALR = "sigbridge-signalr";

    private final BenchSettings settings;
    private final ServerUnderTest sigbridge;
    private final ServerUnderTest node;
    private final ResultLog log;

    /** One column: a server driven in one dialect. */
    private record Column(String name, ServerUnderTest server, BenchSettings settings) {
    }

    /** {@code sigbridge} and {@code node} are started and closed by {@link #run}; {@code settings}' dialect is ignored. */
    public SignalRScenario(BenchSettings settings, ServerUnderTest sigbridge, ServerUnderTest node, ResultLog log) {
        this.settings = settings;
        this.sigbridge = sigbridge;
        this.node = node;
        this.log = log;
    }

    /** Every rate in {@code totalRates} (messages per second over all clients), {@code clients} in rooms of {@code roomSize}. */
    public Comparison run(List<Integer> totalRates, int clients, int roomSize) throws Exception {
        List<Column> columns = List.of(new Column(SIGNALR, sigbridge, with(WireDialect.SIGNALR)),
                new Column(sigbridge.name(), sigbridge, with(WireDialect.CHANNELS)),
                new Column(node.name(), node, with(WireDialect.CHANNELS)));
        Comparison c = new Comparison("Core SignalR broadcast: " + clients + " clients in rooms of " + roomSize
                + ", open loop (SignalR hub protocol vs sigbridge's channels dialect, same process, and the Node relay)",
                "offered msg/s", columns.stream().map(Column::name).toList(),
                List.of(LocalScenarios.P50, LocalScenarios.P99, LocalScenarios.DELIVERIES,
                        LocalScenarios.SERVER_US_PER_DELIVERY, LocalScenarios.LOST, LocalScenarios.SERVER_CPU,
                        LocalScenarios.GEN_CPU));
        try {
            sigbridge.start();
            node.start();
            double warmRate = totalRates.get(0) / (double) clients;
            for (Column column : columns) { // unrecorded, so every JIT is warm before the first point
                LocalScenarios.run(column.server(), column.settings().spec("signalr-warm-up", clients, roomSize, warmRate, 1));
            }
            for (int rate : totalRates) {
                String point = Integer.toString(rate);
                c.point(point, rate);
                for (int rep = 1; rep <= settings.repeats(); rep++) {
                    for (Column column : columns) {
                        RunResult r = LocalScenarios.run(column.server(), column.settings()
                                .spec("signalr-" + rate, clients, roomSize, rate / (double) clients, 1)
                                .withLabel(column.name() + " " + point));
                        log.run("signalr", column.name(), rep, r);
                        LocalScenarios.record(c, point, column.name(), r);
                    }
                }
            }
        } finally {
            sigbridge.close();
            node.close();
        }
        return c;
    }

    private BenchSettings with(WireDialect dialect) {
        return new BenchSettings(settings.repeats(), settings.warmup(), settings.duration(), settings.drain(),
                settings.payloadBytes(), settings.threads(), dialect);
    }
}
