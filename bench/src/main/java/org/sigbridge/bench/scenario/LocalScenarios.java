package org.sigbridge.bench.scenario;

import java.util.List;

import org.sigbridge.bench.load.LoadRun;
import org.sigbridge.bench.load.LoadSpec;
import org.sigbridge.bench.load.RunResult;

/**
 * The traffic scenarios of issue 7 against servers that stay up for the whole group: closed-loop pairs,
 * channels of ten, latency against offered load, and scaling by clients and by channel size. Each point
 * runs {@code repeats} times per server, interleaved (A, B, A, B, …) so drift in machine load hits both.
 */
public final class LocalScenarios {
    public static final Comparison.Metric DELIVERIES = new Comparison.Metric("deliv/s", 0, true);
    public static final Comparison.Metric P50 = new Comparison.Metric("p50 ms", 3, true);
    public static final Comparison.Metric P99 = new Comparison.Metric("p99 ms", 3, true);
    static final Comparison.Metric LOST = new Comparison.Metric("lost", 0, false);
    static final Comparison.Metric SERVER_CPU = new Comparison.Metric("srv cpu%", 0, false);
    static final Comparison.Metric GEN_CPU = new Comparison.Metric("gen cpu%", 0, false);
    /**
     * The server's CPU time per delivery, in microseconds: its CPU share over the window divided by deliveries/s. On
     * two cores the generator's one core can saturate before the server's (both do about the same work per
     * message), and then deliveries/s compares generators; CPU per delivery still compares the servers.
     */
    public static final Comparison.Metric SERVER_US_PER_DELIVERY = new Comparison.Metric("srv µs/deliv", 2, true);

    /** The generator JVM's CPU per delivery (with the direct agents or clients, when they run in it), µs. */
    public static final Comparison.Metric GEN_US_PER_DELIVERY = new Comparison.Metric("gen µs/deliv", 2, true);
    /** A path's two bridges' CPU per delivery, all their threads, µs; none for a direct baseline. */
    public static final Comparison.Metric BRIDGES_US_PER_DELIVERY = new Comparison.Metric("bridges µs/deliv", 2, true);
    /** {@link #BRIDGES_US_PER_DELIVERY} without the bridges' JIT compiler threads: the path's own work. */
    public static final Comparison.Metric BRIDGES_NO_JIT_US_PER_DELIVERY = new Comparison.Metric("bridges w/o JIT µs/deliv", 2, true);
    /**
     * Generator and bridges together per delivery, µs: what the generator's core carries when the bridges are pinned
     * beside it (the default layout of the paths), against the generator with the direct agents in it.
     */
    public static final Comparison.Metric GEN_CORE_US_PER_DELIVERY = new Comparison.Metric("gen+bridges µs/deliv", 2, true);

    private final BenchSettings settings;
    private final List<ServerUnderTest> servers;
    private final ResultLog log;

    public LocalScenarios(BenchSettings settings, List<ServerUnderTest> servers, ResultLog log) {
        this.settings = settings;
        this.servers = List.copyOf(servers);
        this.log = log;
    }

    /** One unrecorded run per server so both JITs (and the generator's) are warm before the first point. */
    public void warmUp() throws Exception {
        for (ServerUnderTest server : servers) {
            run(server, settings.spec("jvm-warm-up", 100, 2, 0, 4));
        }
    }

    /** (a) 100 clients in pairs, closed loop. */
    public Comparison closedLoopPairs(int window) throws Exception {
        Comparison c = comparison("(a) 100 clients in pairs, closed loop, window " + window, "point",
                List.of(DELIVERIES, SERVER_US_PER_DELIVERY, P50, P99, LOST, SERVER_CPU, GEN_CPU));
        measure("a", c, "100 pairs w" + window, 100, settings.spec("a", 100, 2, 0, window));
        return c;
    }

    /** (b) 1,000 clients in channels of 10, closed loop. */
    public Comparison channelsOfTen(int window) throws Exception {
        Comparison c = comparison("(b) 1,000 clients in channels of 10, closed loop, window " + window, "point",
                List.of(DELIVERIES, SERVER_US_PER_DELIVERY, P50, P99, LOST, SERVER_CPU, GEN_CPU));
        measure("b", c, "1000 in 10s w" + window, 1000, settings.spec("b", 1000, 10, 0, window));
        return c;
    }

    /** (c) and the latency curve: 100 clients in pairs at fixed total rates (messages per second). */
    public Comparison latencyAgainstLoad(List<Integer> totalRates) throws Exception {
        Comparison c = comparison("(c) latency against offered load: 100 clients in pairs, open loop", "offered msg/s",
                List.of(P50, P99, DELIVERIES, SERVER_US_PER_DELIVERY, LOST, SERVER_CPU, GEN_CPU));
        for (int rate : totalRates) {
            measure("c", c, Integer.toString(rate), rate, settings.spec("c-" + rate, 100, 2, rate / 100.0, 1));
        }
        return c;
    }

    /** Scaling by clients: pairs, closed loop, window 1. */
    public Comparison scaleClients(List<Integer> clientCounts) throws Exception {
        Comparison c = comparison("scaling by clients: pairs, closed loop, window 1", "clients",
                List.of(DELIVERIES, SERVER_US_PER_DELIVERY, P50, P99, LOST, SERVER_CPU, GEN_CPU));
        for (int n : clientCounts) {
            measure("scale-clients", c, Integer.toString(n), n, settings.spec("clients-" + n, n, 2, 0, 1));
        }
        return c;
    }

    /** Scaling by channel size: 1,000 clients, closed loop, window 1. */
    public Comparison scaleChannelSize(List<Integer> sizes) throws Exception {
        Comparison c = comparison("scaling by channel size: 1,000 clients, closed loop, window 1", "channel size",
                List.of(DELIVERIES, SERVER_US_PER_DELIVERY, P50, P99, LOST, SERVER_CPU, GEN_CPU));
        for (int size : sizes) {
            measure("scale-fanout", c, Integer.toString(size), size, settings.spec("size-" + size, 1000, size, 0, 1));
        }
        return c;
    }

    private Comparison comparison(String title, String pointHeader, List<Comparison.Metric> metrics) {
        return new Comparison(title, pointHeader, servers.stream().map(ServerUnderTest::name).toList(), metrics);
    }

    private void measure(String scenario, Comparison c, String point, double x, LoadSpec spec) throws Exception {
        c.point(point, x);
        for (int rep = 1; rep <= settings.repeats(); rep++) {
            for (ServerUnderTest server : servers) {
                RunResult r = run(server, spec.withLabel(server.name() + " " + point));
                log.run(scenario, server.name(), rep, r);
                record(c, point, server.name(), r);
            }
        }
    }

    /** The metrics every traffic comparison shows. */
    public static List<Comparison.Metric> metrics() {
        return List.of(DELIVERIES, SERVER_US_PER_DELIVERY, P50, P99, LOST, SERVER_CPU, GEN_CPU);
    }

    /** The metrics of the XMPP and SIP paths: {@link #metrics()} and the CPU per delivery of generator and bridges. */
    public static List<Comparison.Metric> pathMetrics() {
        return List.of(DELIVERIES, SERVER_US_PER_DELIVERY, GEN_CORE_US_PER_DELIVERY, BRIDGES_US_PER_DELIVERY, BRIDGES_NO_JIT_US_PER_DELIVERY,
                GEN_US_PER_DELIVERY,
                P50, P99, LOST, SERVER_CPU, GEN_CPU);
    }

    /** Adds one run's figures to {@code c}. */
    public static void record(Comparison c, String point, String server, RunResult r) {
        c.add(point, server, DELIVERIES.name(), r.deliveriesPerSecond());
        c.add(point, server, P50.name(), r.latency().p50Ms());
        c.add(point, server, P99.name(), r.latency().p99Ms());
        c.add(point, server, LOST.name(), r.lost());
        c.add(point, server, SERVER_CPU.name(), r.serverCpuPct());
        if (r.deliveriesPerSecond() > 0 && r.serverCpuPct() >= 0) {
            c.add(point, server, SERVER_US_PER_DELIVERY.name(), r.serverCpuPct() / 100 * 1e6 / r.deliveriesPerSecond());
        }
        c.add(point, server, GEN_CPU.name(), r.generatorCpuPct());
        if (r.deliveriesPerSecond() > 0 && r.generatorCpuPct() >= 0 && r.sideCpuPct() >= 0) {
            double perDelivery = 1e4 / r.deliveriesPerSecond(); // µs per delivery for each % of a core
            c.add(point, server, GEN_US_PER_DELIVERY.name(), r.generatorCpuPct() * perDelivery);
            if (r.sideCpuPct() > 0) {
                c.add(point, server, BRIDGES_US_PER_DELIVERY.name(), r.sideCpuPct() * perDelivery);
                if (r.sideJitCpuPct() >= 0) {
                    c.add(point, server, BRIDGES_NO_JIT_US_PER_DELIVERY.name(), (r.sideCpuPct() - r.sideJitCpuPct()) * perDelivery);
                }
            }
            c.add(point, server, GEN_CORE_US_PER_DELIVERY.name(), (r.generatorCpuPct() + r.sideCpuPct()) * perDelivery);
        }
    }

    /** One load run of {@code spec} against {@code server}'s URLs. */
    public static RunResult run(ServerUnderTest server, LoadSpec spec) throws Exception {
        return run(server, spec, null);
    }

    /** As {@link #run(ServerUnderTest, LoadSpec)}; a non-null {@code timeline} gets each delivery's send time and latency. */
    public static RunResult run(ServerUnderTest server, LoadSpec spec, java.nio.file.Path timeline) throws Exception {
        try (LoadRun run = new LoadRun(spec.withUrls(server.urls(spec.dialect())), server.pid(), server.sidePids())) {
            if (timeline != null) {
                run.timeline(timeline);
            }
            run.connect();
            return run.measure();
        }
    }
}
