package org.sigbridge.bench.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.sigbridge.bench.load.WireDialect;

/**
 * {@code N} sigbridge instances sharing their channels through one {@code redis-server} (docs/cluster.md), started
 * under one holder shell so that {@link #pid()} names a process whose descendants are the whole server side: the
 * generator's CPU sampling ({@code CpuClock.processNanos}) then counts every instance and Redis together. Channel
 * members are spread over the instances' URLs ({@link #urls}), so with two or more instances every delivery crosses
 * Redis. Redis runs without persistence from a private directory under the results directory.
 *
 * <p>A {@link Placement} may pin Redis and each instance to CPUs of their own inside the holder's (each command is
 * prefixed with {@code taskset -c}); the default places everything on the holder's CPUs.
 */
public final class ClusterServer implements ServerUnderTest {
    private final String name;
    private final List<String> launch;
    private final int instances;
    private final String cpus;
    private final Path workDir;
    private final Placement placement;
    private final List<String> jvmOptions;
    private final List<Integer> ports = new ArrayList<>();
    private final List<Path> prefixes = new ArrayList<>();
    private ServerProcess holder;

    /**
     * Where Redis and the instances run, as {@code taskset -c} CPU lists; an empty list leaves a process on the
     * holder's CPUs.
     *
     * @param redis     Redis's CPUs
     * @param instances instance {@code i}'s CPUs are {@code instances.get(min(i, size - 1))}; empty: the holder's
     */
    public record Placement(String redis, List<String> instances) {
        /** Everything on the holder's CPUs. */
        public static final Placement SHARED = new Placement("", List.of());

        public Placement {
            instances = List.copyOf(instances);
        }

        String instance(int i) {
            return instances.isEmpty() ? "" : instances.get(Math.min(i, instances.size() - 1));
        }
    }

    /** @param launch how java finds sigbridge ({@link SigbridgeServer#launchArgs}) */
    public ClusterServer(String name, List<String> launch, int instances, String cpus, Path workDir) {
        this(name, launch, instances, cpus, workDir, Placement.SHARED);
    }

    /** @param placement the CPUs of Redis and of each instance inside the holder's {@code cpus} */
    public ClusterServer(String name, List<String> launch, int instances, String cpus, Path workDir, Placement placement) {
        this(name, launch, instances, cpus, workDir, placement, List.of());
    }

    /**
     * @param jvmOptions JVM options of every instance, before {@code launch}; {@value #INSTANCE} in an option is
     *                   replaced by the instance's path prefix in the work directory (e.g.
     *                   {@code -Xlog:gc*:file={instance}-gc.log} writes {@code .../instance-0-gc.log} beside its log)
     */
    public ClusterServer(String name, List<String> launch, int instances, String cpus, Path workDir, Placement placement,
                         List<String> jvmOptions) {
        this.name = name;
        this.launch = List.copyOf(launch);
        this.instances = instances;
        this.cpus = cpus;
        this.workDir = workDir;
        this.placement = placement;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** The placeholder of {@link #ClusterServer(String, List, int, String, Path, Placement, List)}'s JVM options. */
    public static final String INSTANCE = "{instance}";

    /** Each instance's path prefix ({@code DIR/instance-I}) for {@link #INSTANCE}, in start order; empty before start. */
    public List<Path> instancePrefixes() {
        return List.copyOf(prefixes);
    }

    /**
     * The bench config plus a {@code cluster:} section naming {@code redisPort}, as instance {@code instanceName}. Its
     * {@code connect-timeout} (the first connection at start only) is 30 s, not 5: on the shared 2-core machine an
     * instance started beside others' builds missed 5 s and the whole run stopped (sessions 13, 14 and 16).
     */
    public static String config(String instanceName, int redisPort) {
        return SigbridgeServer.BENCH_CONFIG.replace("name: sigbridge-bench", "name: " + instanceName)
                + "cluster:\n  redis: redis://127.0.0.1:" + redisPort + "\n  connect-timeout: 30s\n";
    }

    /** Starts a {@code redis-server} without persistence on {@code port} from {@code dir}; the command line. */
    static List<String> redisCommand(Path dir, int port) {
        return List.of("redis-server", "--bind", "127.0.0.1", "--port", Integer.toString(port), "--save", "",
                "--appendonly", "no", "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start() {
        try {
            Path dir = Files.createDirectories(workDir.resolve(name + "-" + System.nanoTime()));
            int redisPort = ServerProcess.freePort();
            StringBuilder script = new StringBuilder("set -e\n")
                    .append(shell(pinned(placement.redis(), redisCommand(dir, redisPort)))).append(" &\n")
                    .append("until redis-cli -p ").append(redisPort).append(" ping >/dev/null 2>&1; do sleep 0.05; done\n");
            for (int i = 0; i < instances; i++) {
                int port = ServerProcess.freePort();
                ports.add(port);
                Path config = Files.writeString(dir.resolve("instance-" + i + ".yml"), config(name + "-" + i, redisPort));
                List<String> java = new ArrayList<>(List.of("java"));
                Path prefix = dir.resolve("instance-" + i);
                prefixes.add(prefix);
                jvmOptions.forEach(o -> java.add(o.replace(INSTANCE, prefix.toString())));
                java.addAll(launch);
                java.addAll(List.of("--config", config.toString()));
                script.append("SIGBRIDGE_WEB_PORT=").append(port).append(' ').append(shell(pinned(placement.instance(i), java)))
                        .append(" >").append(shell(List.of(dir.resolve("instance-" + i + ".log").toString()))).append(" 2>&1 &\n");
            }
            script.append("wait\n");
            holder = ServerProcess.start(List.of("bash", "-c", script.toString()), cpus, Map.of(), workDir,
                    workDir.resolve(name + ".log"));
            for (int port : ports) {
                holder.awaitAccept(port, Duration.ofSeconds(90));
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            close(); // nothing may outlive a failed start: Redis and the instances are the holder's children
            throw e;
        }
    }

    private static List<String> pinned(String cpuList, List<String> command) {
        if (cpuList.isEmpty()) {
            return command;
        }
        List<String> full = new ArrayList<>(List.of("taskset", "-c", cpuList));
        full.addAll(command);
        return full;
    }

    private static String shell(List<String> words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            b.append(b.isEmpty() ? "" : " ").append('\'').append(w.replace("'", "'\\''")).append('\'');
        }
        return b.toString();
    }

    @Override
    public long pid() {
        return holder.pid();
    }

    @Override
    public URI url(WireDialect dialect) {
        return urls(dialect).get(0);
    }

    @Override
    public List<URI> urls(WireDialect dialect) {
        return ports.stream().map(p -> URI.create("ws://127.0.0.1:" + p
                + (dialect == WireDialect.PEERJS ? "/peerjs" : "/ws/" + dialect.wire()))).toList();
    }

    /** Stops every instance and Redis (SIGTERM to each, SIGKILL after a bound), then the holder. Idempotent. */
    @Override
    public void close() {
        if (holder == null) {
            return;
        }
        List<ProcessHandle> children = ProcessHandle.of(holder.pid()).map(p -> p.descendants().toList()).orElse(List.of());
        children.forEach(ProcessHandle::destroy);
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                child.destroyForcibly();
            }
        }
        holder.close();
        holder = null;
        ports.clear();
    }
}
