package org.sigbridge.bench.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.sigbridge.bench.load.LoadSpec;
import org.sigbridge.bench.load.RunResult;
import org.sigbridge.bench.load.WireDialect;

/**
 * socket.io 4, sigbridge against the npm {@code socket.io} 4.8 server in the same run (docs/benchmarks.md, issue 13):
 * the same generator speaks Engine.IO 4 and Socket.IO v5 to both ({@code SocketIoCodec}), as socket.io-client 4 pages
 * of the relay family (docs/socketio.md) do (the channel in the handshake query, {@code message} events to the other members), once
 * over WebSocket and once over HTTP long-polling. For each transport: closed-loop pairs and rooms of 10, repeats
 * interleaved server by server, after warming sigbridge until its JIT compilers settle ({@link JitActivity}); latency
 * at one fixed rate; then memory per idle socket.io connection, a fresh server each. Ratios are sigbridge over Node, or
 * over the {@code --compare-jar} build when one is given ({@link #compareWith}).
 */
public final class SocketIoScenario {
    private final BenchSettings settings;
    private final Supplier<ServerUnderTest> sigbridge;
    private final Supplier<ServerUnderTest> sigbridgeUnit;
    private final Supplier<ServerUnderTest> node;
    private final ResultLog log;
    /** {@code --compare-jar}: that build as the traffic and the memory comparisons run it; {@code null} without. */
    private Supplier<ServerUnderTest> compared;
    private Supplier<ServerUnderTest> comparedUnit;

    /**
     * @param sigbridge     sigbridge as the local scenarios run it (the traffic comparisons)
     * @param sigbridgeUnit sigbridge with the shipped JVM options (the memory comparison)
     */
    public SocketIoScenario(BenchSettings settings, Supplier<ServerUnderTest> sigbridge, Supplier<ServerUnderTest> sigbridgeUnit,
                            Supplier<ServerUnderTest> node, ResultLog log) {
        this.settings = settings;
        this.sigbridge = sigbridge;
        this.sigbridgeUnit = sigbridgeUnit;
        this.node = node;
        this.log = log;
    }

    /**
     * A/B of two builds in one run ({@code --compare-jar}): {@code traffic} (named {@link ScenarioMain#COMPARED}) runs
     * beside sigbridge in the traffic tables and {@code unit} (named {@link #COMPARED_UNIT}) beside it in the memory
     * table, second in both, so each table's ratio column reads "this build / that jar"; Node stays as the last column.
     */
    public SocketIoScenario compareWith(Supplier<ServerUnderTest> traffic, Supplier<ServerUnderTest> unit) {
        this.compared = traffic;
        this.comparedUnit = unit;
        return this;
    }

    /** How the memory table calls the {@code --compare-jar} build started with the shipped JVM options. */
    public static final String COMPARED_UNIT = "sigbridge-unit-B";

    /** The transport's name in titles and {@code results.jsonl}. */
    static String transport(WireDialect dialect) {
        return dialect.polling() ? "polling" : "WebSocket";
    }

    /**
     * Closed-loop pairs ({@code pairClients} clients, {@code window} in flight each) and rooms of 10
     * ({@code roomClients} clients, window 1), then {@code pairClients} clients in pairs at {@code totalRate} messages/s
     * open loop; the two servers stay up for all of it.
     *
     * @return the closed-loop table and the fixed-rate table
     */
    public List<Comparison> traffic(WireDialect dialect, int pairClients, int window, int roomClients, int totalRate) throws Exception {
        BenchSettings s = with(dialect);
        String tag = "socketio-" + (dialect.polling() ? "polling" : "ws");
        List<ServerUnderTest> servers = new ArrayList<>(List.of(sigbridge.get()));
        if (compared != null) {
            servers.add(compared.get());
        }
        servers.add(node.get());
        List<String> names = servers.stream().map(ServerUnderTest::name).toList();
        Comparison closed = new Comparison("socket.io 4 over " + transport(dialect) + ": sigbridge vs Node socket.io 4.8, closed loop ("
                + pairClients + " clients in pairs, window " + window + "; " + roomClients + " clients in rooms of 10, window 1)",
                "point", names, LocalScenarios.metrics());
        Comparison fixed = new Comparison("socket.io 4 over " + transport(dialect) + ": latency at a fixed rate, " + pairClients
                + " clients in pairs, open loop", "offered msg/s", names,
                List.of(LocalScenarios.P50, LocalScenarios.P99, LocalScenarios.DELIVERIES, LocalScenarios.SERVER_US_PER_DELIVERY,
                        LocalScenarios.LOST, LocalScenarios.SERVER_CPU, LocalScenarios.GEN_CPU));
        try {
            for (ServerUnderTest server : servers) {
                server.start();
            }
            // Unrecorded: sigbridge until its JIT compilers settle (their threads' CPU would count as the server's; on a
            // loaded machine one warm-up run is not enough), then each point's shape once per server.
            for (ServerUnderTest server : servers.subList(0, servers.size() - 1)) {
                JitActivity.warmUntilSettled(tag + " " + server.name(), server, s.spec(tag + "-warm-up", pairClients, 2, 0, window));
            }
            for (ServerUnderTest server : servers) {
                LocalScenarios.run(server, s.spec(tag + "-warm-up", pairClients, 2, 0, window));
                LocalScenarios.run(server, s.spec(tag + "-warm-up", roomClients, 10, 0, 1));
            }
            measure(tag + "-a", closed, pairClients + " pairs w" + window, servers, s.spec(tag + "-a", pairClients, 2, 0, window));
            measure(tag + "-b", closed, roomClients + " in 10s w1", servers, s.spec(tag + "-b", roomClients, 10, 0, 1));
            measure(tag + "-c", fixed, Integer.toString(totalRate), servers,
                    s.spec(tag + "-c-" + totalRate, pairClients, 2, totalRate / (double) pairClients, 1));
        } finally {
            servers.forEach(ServerUnderTest::close);
        }
        return List.of(closed, fixed);
    }

    /** Memory per idle socket.io connection (connected to its channel, no traffic), a fresh server each. */
    public Comparison idleMemory(WireDialect dialect, List<Integer> connections) throws Exception {
        List<Supplier<ServerUnderTest>> servers = new ArrayList<>(List.of(sigbridgeUnit));
        List<String> names = new ArrayList<>(List.of(ScenarioMain.SIGBRIDGE_UNIT));
        if (comparedUnit != null) {
            servers.add(comparedUnit);
            names.add(COMPARED_UNIT);
        }
        servers.add(node);
        names.add(NodeProcess.SOCKETIO);
        return new MemoryScenario(with(dialect), servers, names, log)
                .run("socket.io 4 over " + transport(dialect) + ": memory per idle connection (RSS delta / connections, fresh server each)",
                        connections);
    }

    private void measure(String scenario, Comparison c, String point, List<ServerUnderTest> servers, LoadSpec spec) throws Exception {
        c.point(point, c.points().size());
        for (int rep = 1; rep <= settings.repeats(); rep++) {
            for (ServerUnderTest server : servers) {
                RunResult r = LocalScenarios.run(server, spec.withLabel(server.name() + " " + point));
                log.run(scenario, server.name(), rep, r);
                LocalScenarios.record(c, point, server.name(), r);
            }
        }
    }

    private BenchSettings with(WireDialect dialect) {
        return new BenchSettings(settings.repeats(), settings.warmup(), settings.duration(), settings.drain(),
                settings.payloadBytes(), settings.threads(), dialect);
    }

    /** Every transport the scenario measures, WebSocket first. */
    static List<WireDialect> transports(String list) {
        List<WireDialect> out = new ArrayList<>();
        for (String t : list.split(",")) {
            switch (t.trim()) {
                case "websocket", "ws" -> out.add(WireDialect.SOCKETIO);
                case "polling" -> out.add(WireDialect.SOCKETIO_POLLING);
                case "" -> { }
                default -> throw new IllegalArgumentException("--socketio-transports takes websocket and polling, not " + t);
            }
        }
        return out;
    }
}
