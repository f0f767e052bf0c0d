package org.sigbridge.bench.scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.sigbridge.bench.load.CpuClock;
import org.sigbridge.bench.load.LoadSpec;
import org.sigbridge.bench.load.RunResult;

/**
 * {@code --only cluster} (docs/benchmarks.md, docs/cluster.md): what sharing channels through Redis costs.
 * <ul>
 *   <li>latency at a fixed rate, 100 clients in pairs: one plain instance, one instance with the cluster on (its
 *       deliveries stay local but every envelope is appended to Redis as well), and two instances with the members of
 *       each pair on different instances (every delivery crosses Redis);</li>
 *   <li>deliveries/s and server CPU per delivery, closed loop, channels of 6 spread over 1, 2 and 3 instances
 *       (server CPU counts every instance and Redis);</li>
 *   <li>memory per idle connection with the cluster off and on (a fresh instance each; Redis apart).</li>
 * </ul>
 * Every server runs on the servers' CPUs; on a 2-core machine two or three JVMs and Redis share one core, so the
 * figures show cost per delivery, not scaling. With a {@link ClusterServer.Placement} other than
 * {@link ClusterServer.Placement#SHARED} Redis and the second instance run elsewhere (e.g. beside the generator), so
 * that a light fixed rate measures the hop through Redis rather than queueing on one saturated core.
 *
 * <p>With a compared jar ({@code --compare-jar}), {@code cluster-1-B} and {@code cluster-2-B} (and {@code cluster-3-B}
 * in the closed loop) run that jar in the same placement, interleaved with this build's, and the tables' ratio column
 * is {@code cluster-2} over {@code cluster-2-B}: an A/B of the cross-instance path in one run. The latency table adds
 * per repeat the added latency of each cluster server against the plain instance of the same repeat
 * ({@code added p50 ms}, {@code added p99 ms}; the goal is ≤ +0.5 ms p50, ≤ +2 ms p99).
 */
public final class ClusterScenario {
    private final BenchSettings settings;
    private final List<String> launch;
    private final Path benchConfig;
    private final String cpus;
    private final Path out;
    private final ResultLog log;
    private final List<String> compareLaunch;
    private final ClusterServer.Placement placement;
    private final List<String> instanceJvm;
    private final List<String> instanceJvmB;
    private int counter;
    private boolean timelines;

    public ClusterScenario(BenchSettings settings, List<String> launch, Path benchConfig, String cpus, Path out, ResultLog log) {
        this(settings, launch, benchConfig, cpus, out, log, List.of(), ClusterServer.Placement.SHARED);
    }

    /**
     * @param compareLaunch how java finds the compared sigbridge jar ({@link SigbridgeServer#launchArgs}); empty: none
     * @param placement     where Redis and the instances run inside {@code cpus}
     */
    public ClusterScenario(BenchSettings settings, List<String> launch, Path benchConfig, String cpus, Path out, ResultLog log,
                           List<String> compareLaunch, ClusterServer.Placement placement) {
        this(settings, launch, benchConfig, cpus, out, log, compareLaunch, placement, List.of());
    }

    /** @param instanceJvm JVM options of every cluster instance, both jars ({@link ClusterServer#INSTANCE} replaced) */
    public ClusterScenario(BenchSettings settings, List<String> launch, Path benchConfig, String cpus, Path out, ResultLog log,
                           List<String> compareLaunch, ClusterServer.Placement placement, List<String> instanceJvm) {
        this(settings, launch, benchConfig, cpus, out, log, compareLaunch, placement, instanceJvm, instanceJvm);
    }

    /**
     * @param instanceJvm   JVM options of this build's cluster instances and of the plain instance (options naming
     *                      {@link ClusterServer#INSTANCE}, such as a GC log, only for the cluster's)
     * @param instanceJvmB  those of the compared jar's cluster instances ({@code --cluster-jvm-B}): an A/B of JVM
     *                      options alone when both jars are one
     */
    public ClusterScenario(BenchSettings settings, List<String> launch, Path benchConfig, String cpus, Path out, ResultLog log,
                           List<String> compareLaunch, ClusterServer.Placement placement, List<String> instanceJvm,
                           List<String> instanceJvmB) {
        this.instanceJvm = List.copyOf(instanceJvm);
        this.instanceJvmB = List.copyOf(instanceJvmB);
        this.settings = settings;
        this.launch = List.copyOf(launch);
        this.benchConfig = benchConfig;
        this.cpus = cpus;
        this.out = out;
        this.log = log;
        this.compareLaunch = List.copyOf(compareLaunch);
        this.placement = placement;
    }

    /**
     * Every latency run writes each measured delivery's send time and latency to
     * {@code timeline-SERVER-RATE-rREPEAT.tsv} in the results directory ({@code --cluster-timeline}): where in the
     * window the slow ones fall.
     */
    public ClusterScenario keepTimelines() {
        this.timelines = true;
        return this;
    }

    /** Added latency of a cross-instance delivery at {@code rate} messages per second in total. */
    public Comparison latency(int rate) throws Exception {
        return latency(List.of(rate));
    }

    /** Added latency of a cross-instance delivery at each of {@code rates} (messages per second in total), one point each. */
    public Comparison latency(List<Integer> rates) throws Exception {
        List<ServerUnderTest> servers = servers(2);
        String where = placement.equals(ClusterServer.Placement.SHARED) ? "" : ", " + placementNote();
        Comparison c = new Comparison("cluster: latency at a fixed rate, 100 clients in pairs (cluster-2: every pair across two instances"
                + where + ")", "offered msg/s", servers.stream().map(ServerUnderTest::name).toList(), latencyMetrics());
        List<Point> points = rates.stream().map(rate -> new Point(Integer.toString(rate), rate,
                settings.spec("cluster-lat-" + rate, 100, 2, rate / 100.0, 1))).toList();
        return measure(c, servers, points);
    }

    /** Deliveries/s and CPU per delivery with 1, 2 and 3 instances, channels of 6, closed loop. */
    public Comparison throughput(int window) throws Exception {
        List<ServerUnderTest> servers = servers(3);
        Comparison c = new Comparison("cluster: 120 clients in channels of 6 spread over the instances, closed loop, window " + window
                + " (srv cpu: every instance and Redis)", "point", servers.stream().map(ServerUnderTest::name).toList(),
                LocalScenarios.metrics());
        return measure(c, servers, List.of(new Point("120 in 6s w" + window, 120, settings.spec("cluster-tput", 120, 6, 0, window))));
    }

    /**
     * The plain instance and cluster-1..{@code most}; with a compared jar, {@code cluster-2} and {@code cluster-2-B}
     * first (the ratio column is first over second), then the rest with each {@code -B} beside its own.
     */
    private List<ServerUnderTest> servers(int most) {
        List<ServerUnderTest> servers = new ArrayList<>();
        if (!compareLaunch.isEmpty()) {
            servers.add(cluster("cluster-2", launch, 2));
            servers.add(cluster("cluster-2-B", compareLaunch, 2));
        }
        servers.add(plain("sigbridge"));
        for (int n = 1; n <= most; n++) {
            if (compareLaunch.isEmpty() || n != 2) {
                servers.add(cluster("cluster-" + n, launch, n));
                if (!compareLaunch.isEmpty()) {
                    servers.add(cluster("cluster-" + n + "-B", compareLaunch, n));
                }
            }
        }
        return servers;
    }

    private ClusterServer cluster(String name, List<String> how, int instances) {
        return new ClusterServer(name, how, instances, cpus, out, placement, name.endsWith("-B") ? instanceJvmB : instanceJvm);
    }

    private String placementNote() {
        return "Redis on CPU " + placement.redis() + ", instances on CPUs " + String.join(" / ", placement.instances());
    }

    private static List<Comparison.Metric> latencyMetrics() {
        List<Comparison.Metric> metrics = new ArrayList<>(LocalScenarios.metrics());
        metrics.add(ADDED_P50);
        metrics.add(ADDED_P99);
        metrics.add(JIT_PCT);
        metrics.add(GC_MS);
        metrics.add(GC_MAX);
        metrics.add(GC_PROMOTED);
        metrics.add(GC_COPIED);
        return metrics;
    }

    private static final Comparison.Metric ADDED_P50 = new Comparison.Metric("added p50 ms", 3, true);
    private static final Comparison.Metric ADDED_P99 = new Comparison.Metric("added p99 ms", 2, true);
    /**
     * CPU of the JIT compiler threads of every JVM of the server over the whole run (warm-up, window and drain), in % of
     * a core: a server still compiling its path in a run is measured with its compilers, not at its steady state.
     */
    private static final Comparison.Metric JIT_PCT = new Comparison.Metric("jit % core", 1, true);

    /** The server's process and its descendants (a cluster's holder: every instance and Redis). */
    private static List<Long> processTree(ServerUnderTest s) {
        List<Long> pids = new ArrayList<>(List.of(s.pid()));
        ProcessHandle.of(s.pid()).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        return pids;
    }

    private record Point(String name, double x, LoadSpec spec) {
    }

    /** Memory per idle connection, cluster off and on. */
    public Comparison idleMemory(List<Integer> connections) throws Exception {
        int redisPort = ServerProcess.freePort();
        Path dir = Files.createDirectories(out.resolve("cluster-memory-redis"));
        Path config = Files.writeString(out.resolve("sigbridge-cluster-bench.yml"), ClusterServer.config("sigbridge-cluster", redisPort));
        try (ServerProcess redis = ServerProcess.start(ClusterServer.redisCommand(dir, redisPort), "", Map.of(), dir,
                dir.resolve("redis.stdout.log"))) {
            redis.awaitAccept(redisPort, java.time.Duration.ofSeconds(15));
            Supplier<ServerUnderTest> off = () -> plain("sigbridge");
            Supplier<ServerUnderTest> on = () -> new SigbridgeServer("sigbridge-cluster", launch, config, List.of(), cpus, out,
                    "sigbridge-cluster-" + (++counter) + ".log");
            return new MemoryScenario(settings, List.of(off, on), List.of("sigbridge", "sigbridge-cluster"), log)
                    .run("cluster: memory per idle connection, cluster off and on (RSS delta / connections, fresh server each; Redis apart)",
                            connections);
        }
    }

    private SigbridgeServer plain(String name) {
        List<String> options = instanceJvm.stream().filter(o -> !o.contains(ClusterServer.INSTANCE)).toList();
        return new SigbridgeServer(name, launch, benchConfig, options, cpus, out, name + "-cl-" + (++counter) + ".log");
    }

    /** The GC logs of a cluster server's instances ({@code --cluster-gc-log}), or none. */
    private static List<Path> gcLogs(ServerUnderTest s) {
        if (!(s instanceof ClusterServer cs)) {
            return List.of();
        }
        return cs.instancePrefixes().stream().map(p -> p.resolveSibling(p.getFileName() + "-gc.log")).filter(Files::isRegularFile).toList();
    }

    /**
     * What one run cost in collector pauses, every instance of the server together: young pause time per second of
     * the run (its warm-up, measured time and drain), the longest pause, and what young pauses promoted and copied
     * per second. From the collections each instance's log shows after {@code before} (its last one before the run).
     */
    private static void recordGc(Comparison c, String point, String server, List<Path> logs, List<Integer> before, double seconds)
            throws java.io.IOException {
        double youngMs = 0;
        double youngMax = 0;
        long promotedKb = 0;
        long copiedKb = 0;
        for (int i = 0; i < logs.size(); i++) {
            var d = org.sigbridge.bench.report.GcLogDigest.read(logs.get(i), before.get(i));
            youngMs += d.youngTotalMs() + d.fullTotalMs();
            youngMax = Math.max(youngMax, Math.max(d.youngMaxMs(), d.fullMaxMs()));
            promotedKb += d.promotedKb();
            copiedKb += d.copiedKb();
        }
        c.add(point, server, GC_MS.name(), youngMs / seconds);
        c.add(point, server, GC_MAX.name(), youngMax);
        c.add(point, server, GC_PROMOTED.name(), promotedKb / 1024.0 / seconds);
        c.add(point, server, GC_COPIED.name(), copiedKb / 1024.0 / seconds);
    }

    private static final Comparison.Metric GC_MS = new Comparison.Metric("gc pause ms/s", 1, true);
    private static final Comparison.Metric GC_MAX = new Comparison.Metric("gc max pause ms", 1, true);
    private static final Comparison.Metric GC_PROMOTED = new Comparison.Metric("gc promoted MiB/s", 2, true);
    /** What young pauses copied (into a survivor space or the old generation): their work, whatever the machine's load. */
    private static final Comparison.Metric GC_COPIED = new Comparison.Metric("gc copied MiB/s", 2, true);

    private Comparison measure(Comparison c, List<ServerUnderTest> servers, List<Point> points) throws Exception {
        points.forEach(p -> c.point(p.name(), p.x()));
        List<ServerUnderTest> started = new ArrayList<>();
        try {
            for (ServerUnderTest s : servers) {
                started.add(s); // closed even if its start fails half-way
                s.start();
                LocalScenarios.run(s, settings.spec("cluster-warm-up", 100, 2, 0, 4)); // JIT warm, channels of Redis made
            }
            // Then one discarded run of each fixed-rate point per server: the closed loop leaves the fixed rate's paths
            // (the caller's send, the receiver's fast path, idle wake-ups) to compile in the first measured repeat (at
            // 500 msg/s 700-1,700 compilations per instance there against 50-130 in later repeats, docs/benchmarks.md#s16-clat).
            for (Point point : points) {
                if (point.spec().ratePerClient() > 0) {
                    for (ServerUnderTest s : servers) {
                        List<Long> tree = processTree(s);
                        long jit0 = CpuClock.compilerNanos(tree);
                        long t0 = System.nanoTime();
                        LocalScenarios.run(s, point.spec().withLabel(s.name() + " " + point.name() + " warm-up"));
                        long jit1 = CpuClock.compilerNanos(tree);
                        System.out.printf("  cluster %s %s warm-up (discarded): JIT compilers %.1f%% of a core%n", s.name(),
                                point.name(), jit0 < 0 || jit1 < 0 ? -1.0 : 100.0 * (jit1 - jit0) / (System.nanoTime() - t0));
                    }
                }
            }
            for (int rep = 1; rep <= settings.repeats(); rep++) {
                for (Point point : points) {
                    java.util.Map<String, RunResult> runs = new java.util.LinkedHashMap<>();
                    for (ServerUnderTest s : servers) {
                        List<Path> gcLogs = gcLogs(s);
                        List<Integer> gcBefore = new ArrayList<>();
                        for (Path g : gcLogs) {
                            gcBefore.add(org.sigbridge.bench.report.GcLogDigest.read(g).lastGcId());
                        }
                        List<Long> tree = processTree(s);
                        long jit0 = CpuClock.compilerNanos(tree);
                        long runStart = System.nanoTime();
                        Path timeline = timelines && point.spec().ratePerClient() > 0
                                ? out.resolve("timeline-" + s.name() + "-" + point.name() + "-r" + rep + ".tsv") : null;
                        RunResult r = LocalScenarios.run(s, point.spec().withLabel(s.name() + " " + point.name()), timeline);
                        double seconds = (System.nanoTime() - runStart) / 1e9;
                        long jit1 = CpuClock.compilerNanos(tree);
                        log.run("cluster", s.name(), rep, r);
                        LocalScenarios.record(c, point.name(), s.name(), r);
                        runs.put(s.name(), r);
                        if (jit0 >= 0 && jit1 >= 0) {
                            c.add(point.name(), s.name(), JIT_PCT.name(), (jit1 - jit0) / 1e9 / seconds * 100);
                        }
                        if (!gcLogs.isEmpty()) {
                            recordGc(c, point.name(), s.name(), gcLogs, gcBefore, seconds);
                        }
                    }
                    RunResult plain = runs.get("sigbridge");
                    if (plain != null && plain.latency().p50Ms() >= 0) {
                        for (var e : runs.entrySet()) {
                            if (!e.getKey().equals("sigbridge")) {
                                // Only latency tables declare these metrics; others ignore them in their tables.
                                c.add(point.name(), e.getKey(), ADDED_P50.name(), e.getValue().latency().p50Ms() - plain.latency().p50Ms());
                                c.add(point.name(), e.getKey(), ADDED_P99.name(), e.getValue().latency().p99Ms() - plain.latency().p99Ms());
                            }
                        }
                    }
                }
            }
        } finally {
            started.forEach(ServerUnderTest::close);
        }
        return c;
    }
}
