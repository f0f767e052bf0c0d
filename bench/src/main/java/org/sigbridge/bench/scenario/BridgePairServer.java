package org.sigbridge.bench.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.sigbridge.bench.load.WireDialect;

/**
 * Two sigbridge instances in front of one upstream server (Prosody, Kamailio): each runs the bench config
 * with its local route replaced by a route to the upstream. Clients alternate between the bridges, so
 * every message crosses bridge A → upstream → bridge B. Subclasses say which upstream and how to reach it.
 */
public abstract class BridgePairServer implements ServerUnderTest {

    private static final String LOCAL_ROUTES = """
            routes:
              - match: "*"
                to: local
            """;

    private final List<String> launch;
    private final String cpus;
    private final Function<String, List<String>> jvmOptions;
    private final Path workDir;
    private final List<SigbridgeServer> bridges = new ArrayList<>();

    protected BridgePairServer(List<String> launch, Function<String, List<String>> jvmOptions, String cpus, Path workDir) {
        this.launch = List.copyOf(launch);
        this.cpus = cpus;
        this.jvmOptions = jvmOptions;
        this.workDir = workDir;
    }

    /** The accounts the two bridges use upstream, in start order. */
    public static List<String> accounts() {
        return List.of("bridgea", "bridgeb");
    }

    /**
     * The YAML that replaces the bench config's local route for {@code account}: the upstream adapter's
     * section (indented under {@code adapters:}) followed by its {@code routes:}.
     */
    protected abstract String upstreamSection(String account);

    @Override
    public void start() {
        for (String account : accounts()) {
            String id = name() + "-" + account;
            SigbridgeServer bridge = new SigbridgeServer(launch, writeConfig(account, id), jvmOptions.apply(id), cpus, workDir,
                    id + ".log");
            bridge.start();
            bridges.add(bridge);
        }
    }

    private Path writeConfig(String account, String id) {
        String yaml = SigbridgeServer.BENCH_CONFIG.replace("name: sigbridge-bench", "name: bench-" + account)
                .replace(LOCAL_ROUTES, upstreamSection(account));
        try {
            return Files.writeString(workDir.resolve(id + ".yml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The two bridges' process ids, in start order (empty before {@link #start()}). */
    public List<Long> bridgePids() {
        return bridges.stream().map(SigbridgeServer::pid).toList();
    }

    /** The bridges: a path's runs report their CPU beside the upstream server's. */
    @Override
    public List<Long> sidePids() {
        return bridgePids();
    }

    @Override
    public URI url(WireDialect dialect) {
        return bridges.get(0).url(dialect);
    }

    @Override
    public List<URI> urls(WireDialect dialect) {
        return bridges.stream().map(b -> b.url(dialect)).toList();
    }

    @Override
    public void close() {
        bridges.forEach(SigbridgeServer::close);
        bridges.clear();
    }
}
