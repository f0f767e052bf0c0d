package org.sigbridge.bench.scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

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
 * figures show cost per delivery, not scaling.
 */
public final class ClusterScenario {
    private final BenchSettings settings;
    private final List<String> launch;
    private final Path benchConfig;
    private final String cpus;
    private final Path out;
    private final ResultLog log;
    private int counter;

    public ClusterScenario(BenchSettings settings, List<String> launch, Path benchConfig, String cpus, Path out, ResultLog log) {
        this.settings = settings;
        this.launch = List.copyOf(launch);
        this.benchConfig = benchConfig;
        this.cpus = cpus;
        this.out = out;
        this.log = log;
    }

    /** Added latency of a cross-instance delivery at {@code rate} messages per second in total. */
    public Comparison latency(int rate) throws Exception {
        List<ServerUnderTest> servers = List.of(plain("sigbridge"), new ClusterServer("cluster-1", launch, 1, cpus, out),
                new ClusterServer("cluster-2", launch, 2, cpus, out));
        return measure("cluster: latency at " + rate + " msg/s, 100 clients in pairs (cluster-2: every pair across two instances)",
                "offered msg/s", Integer.toString(rate), rate, servers, settings.spec("cluster-lat-" + rate, 100, 2, rate / 100.0, 1));
    }

    /** Deliveries/s and CPU per delivery with 1, 2 and 3 instances, channels of 6, closed loop. */
    public Comparison throughput(int window) throws Exception {
        List<ServerUnderTest> servers = List.of(plain("sigbridge"), new ClusterServer("cluster-1", launch, 1, cpus, out),
                new ClusterServer("cluster-2", launch, 2, cpus, out), new ClusterServer("cluster-3", launch, 3, cpus, out));
        return measure("cluster: 120 clients in channels of 6 spread over the instances, closed loop, window " + window
                        + " (srv cpu: every instance and Redis)", "point", "120 in 6s w" + window, 120, servers,
                settings.spec("cluster-tput", 120, 6, 0, window));
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
        return new SigbridgeServer(name, launch, benchConfig, List.of(), cpus, out, name + "-cl-" + (++counter) + ".log");
    }

    private Comparison measure(String title, String pointHeader, String point, double x, List<ServerUnderTest> servers,
                               LoadSpec spec) throws Exception {
        Comparison c = new Comparison(title, pointHeader, servers.stream().map(ServerUnderTest::name).toList(),
                LocalScenarios.metrics());
        c.point(point, x);
        List<ServerUnderTest> started = new ArrayList<>();
        try {
            for (ServerUnderTest s : servers) {
                started.add(s); // closed even if its start fails half-way
                s.start();
                LocalScenarios.run(s, settings.spec("cluster-warm-up", 100, 2, 0, 4)); // JIT warm, channels of Redis made
            }
            for (int rep = 1; rep <= settings.repeats(); rep++) {
                for (ServerUnderTest s : servers) {
                    RunResult r = LocalScenarios.run(s, spec.withLabel(s.name() + " " + point));
                    log.run("cluster", s.name(), rep, r);
                    LocalScenarios.record(c, point, s.name(), r);
                }
            }
        } finally {
            started.forEach(ServerUnderTest::close);
        }
        return c;
    }
}
