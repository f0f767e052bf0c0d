package org.sigbridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.sigbridge.config.BridgeConfig;
import org.sigbridge.config.ConfigException;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.hub.Hub;
import org.sigbridge.metrics.BridgeMetrics;
import org.sigbridge.metrics.Metrics;
import org.sigbridge.metrics.MetricsProvider;
import org.sigbridge.spi.Adapter;
import org.sigbridge.spi.AdapterFactory;
import org.sigbridge.spi.AdapterSettings;
import org.sigbridge.spi.AdapterStartException;
import org.sigbridge.spi.Backend;
import org.sigbridge.spi.RouteReload;
import org.sigbridge.spi.cluster.ClusterFactory;
import org.sigbridge.spi.cluster.ClusterLayer;
import org.sigbridge.spi.ops.OpsMount;
import org.sigbridge.spi.ops.OpsService;
import org.sigbridge.spi.ops.OpsView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bridge: its hub and adapters, with one lifecycle. This is the API a host program embeds:
 *
 * <pre>{@code
 * try (SigBridge bridge = SigBridge.create(SigBridge.load(Path.of("conf/sigbridge.yml")))) {
 *     bridge.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #start} starts back ends first, then front ends, each in config order; if one fails, those
 * already started are closed in reverse and the failure is thrown: nothing is left half-started.
 * {@link #close} drains front ends within the bridge's shutdown grace and closes every adapter in
 * reverse start order. Both are idempotent and may be called from any thread.
 *
 * <p>With a {@code cluster:} section the installed cluster module's layer is started before every adapter and closed
 * after them (docs/cluster.md); without one no cluster code runs.
 *
 * <p>Metrics go to the installed {@link MetricsProvider} (the ops module's Prometheus registry) or nowhere; a front
 * end that serves the operations endpoints ({@link OpsMount}) gets {@link #ops()} before it starts, and with
 * {@code bridge.ops} set the installed {@link OpsService} serves them on a port of their own. The core itself logs
 * through SLF4J only: the host chooses the backend.
 */
public final class SigBridge implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SigBridge.class);

    private volatile BridgeConfig config;
    private final List<AdapterFactory> factories;
    private final Hub hub;
    private final List<Adapter> startOrder;
    private final List<Adapter> started = new ArrayList<>();
    private final ClusterLayer cluster;
    private boolean clusterStarted;
    private OpsService.Running opsServer;
    private final Object reloadLock = new Object();
    private State state = State.NEW;

    private enum State { NEW, RUNNING, CLOSED }

    private SigBridge(BridgeConfig config, List<AdapterFactory> factories, Hub hub, List<Adapter> startOrder, ClusterLayer cluster) {
        this.config = config;
        this.cluster = cluster;
        this.factories = List.copyOf(factories);
        this.hub = hub;
        this.startOrder = startOrder;
        hub.ops().reloadWith(this::reloadRoutes);
    }

    /** Reads and validates a config file with the adapters installed on the class path. */
    public static BridgeConfig load(Path file) throws ConfigException {
        return ConfigLoader.withInstalledAdapters().load(file);
    }

    /** A bridge for {@code config} using the adapters installed on the class path. Does no I/O. */
    public static SigBridge create(BridgeConfig config) {
        return create(config, ConfigLoader.installedFactories(), Clock.systemUTC());
    }

    /**
     * A bridge for {@code config} using the given adapter factories. Does no I/O.
     *
     * @throws IllegalArgumentException if an adapter's settings have no factory among {@code factories}
     */
    public static SigBridge create(BridgeConfig config, List<AdapterFactory> factories, Clock clock) {
        return create(config, factories, clock, MetricsProvider.installed());
    }

    /**
     * A bridge for {@code config} that records its metrics (the hub's and every adapter's) in {@code metrics}, for a
     * host with a metrics system of its own. Does no I/O.
     *
     * @throws IllegalArgumentException if an adapter's settings have no factory among {@code factories}
     */
    public static SigBridge create(BridgeConfig config, List<AdapterFactory> factories, Clock clock, Metrics metrics) {
        Objects.requireNonNull(config, "config");
        Map<String, Adapter> adapters = new LinkedHashMap<>();
        for (Map.Entry<String, AdapterSettings> entry : config.adapters().entrySet()) {
            AdapterSettings settings = entry.getValue();
            AdapterFactory factory = factories.stream()
                    .filter(f -> f.settingsType().isInstance(settings))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no adapter factory for " + settings.getClass().getName()
                            + " (adapter '" + entry.getKey() + "'); is its module on the class path?"));
            adapters.put(entry.getKey(), factory.create(entry.getKey(), settings));
        }
        Map<String, Backend> backends = new LinkedHashMap<>();
        List<Adapter> order = new ArrayList<>();
        adapters.forEach((name, adapter) -> adapter.backend().ifPresent(b -> {
            backends.put(name, b);
            order.add(adapter);
        }));
        adapters.values().stream().filter(a -> a.backend().isEmpty()).forEach(order::add);
        BridgeMetrics hubMetrics = new BridgeMetrics(metrics);
        hubMetrics.startDropsAtZero(adapters.keySet());
        Hub hub = new Hub(config.bridge().name(), config.routes(), backends, clock, hubMetrics, config.bridge().history());
        ClusterLayer cluster = null;
        if (config.cluster() != null) {
            ClusterFactory factory = ConfigLoader.installedClusterFactory().orElseThrow(() -> new IllegalArgumentException(
                    "the config has a cluster section but no cluster module (sigbridge-cluster) is on the class path"));
            cluster = factory.create(config.cluster(), config.bridge().name());
        }
        return new SigBridge(config, factories, hub, List.copyOf(order), cluster);
    }

    /**
     * Starts every adapter. On failure closes those already started, in reverse, and rethrows.
     *
     * @throws IllegalStateException if called after {@link #close}
     */
    public synchronized void start() throws AdapterStartException {
        if (state == State.RUNNING) {
            return;
        }
        if (state == State.CLOSED) {
            throw new IllegalStateException("this bridge was closed; create a new one");
        }
        if (cluster != null && !clusterStarted) {
            try {
                cluster.start(hub.attachCluster(cluster));
                clusterStarted = true;
            } catch (AdapterStartException | RuntimeException e) {
                state = State.CLOSED;
                cluster.close();
                throw e instanceof AdapterStartException ase ? ase : new AdapterStartException("cluster: failed to start: " + e, e);
            }
        }
        for (Adapter adapter : startOrder) {
            try {
                if (adapter instanceof OpsMount mount) {
                    mount.mountOps(hub.ops());
                }
                adapter.start(hub);
            } catch (AdapterStartException | RuntimeException e) {
                closeStarted();
                state = State.CLOSED;
                adapter.close();
                throw e instanceof AdapterStartException ase ? ase
                        : new AdapterStartException(adapter.name() + ": failed to start: " + e, e);
            }
            started.add(adapter);
        }
        if (config.bridge().ops() != null) {
            try {
                opsServer = startOpsServer();
            } catch (AdapterStartException | RuntimeException e) {
                closeStarted();
                state = State.CLOSED;
                throw e instanceof AdapterStartException ase ? ase : new AdapterStartException("ops: failed to start: " + e, e);
            }
        }
        state = State.RUNNING;
    }

    private OpsService.Running startOpsServer() throws AdapterStartException {
        OpsService service = java.util.ServiceLoader.load(OpsService.class).findFirst().orElseThrow(() -> new AdapterStartException(
                config.source() + ": bridge.ops is set but the ops module (sigbridge-ops) is not on the class path; "
                        + "add it, or remove bridge.ops"));
        return service.start(hub.ops(), config.bridge().ops());
    }

    /**
     * Reads the config file this bridge was loaded from again and, if it is valid, puts its routes in effect
     * for channels opened from now on (SIGHUP and the admin API call this). Open channels keep their links;
     * no connection is dropped. Adapter and bridge sections are not re-applied: a change there is logged and
     * needs a restart. Any thread; serialised; blocks only to read the file.
     *
     * @return {@link RouteReload.Reloaded}, or {@link RouteReload.Refused} with the one-line reason (the
     *         {@link ConfigException} message for a bad file); the old table then stays
     */
    public RouteReload reloadRoutes() {
        synchronized (reloadLock) {
            BridgeConfig current = config;
            Path file = Path.of(current.source());
            if (!java.nio.file.Files.isRegularFile(file)) {
                return refused("routes were not loaded from a file (" + current.source() + "); nothing to reload");
            }
            BridgeConfig next;
            try {
                next = new ConfigLoader(factories, System::getenv).load(file);
            } catch (ConfigException e) {
                return refused(e.getMessage());
            }
            try {
                hub.ops().replaceRoutes(next.routes());
            } catch (IllegalArgumentException e) {
                return refused(current.source() + ": " + e.getMessage() + "; hint: adding an adapter needs a restart");
            }
            if (!next.adapters().equals(current.adapters()) || !next.bridge().equals(current.bridge())
                    || !Objects.equals(next.cluster(), current.cluster())) {
                log.warn("routes reloaded; changes to the bridge, adapters or cluster sections of {} take effect on restart", file);
            }
            config = current.withRoutes(next.routes());
            List<String> table = next.routes().describe();
            int rules = next.routes().rules().size();
            log.info("routes reloaded from {}: {} {}; open channels keep their current links", file, rules, rules == 1 ? "rule" : "rules");
            table.forEach(line -> log.info("route {}", line));
            return new RouteReload.Reloaded(current.source(), table);
        }
    }

    private static RouteReload refused(String reason) {
        log.warn("routes not reloaded, the current table stays: {}", reason);
        return new RouteReload.Refused(reason);
    }

    /** What each adapter serves and the routing table, for start-up logs. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        if (cluster != null) {
            lines.addAll(cluster.describe());
        }
        for (Adapter adapter : startOrder) {
            lines.addAll(adapter.describe());
        }
        if (opsServer != null) {
            lines.addAll(opsServer.describe());
        }
        for (String route : config.routes().describe()) {
            lines.add("route " + route);
        }
        return lines;
    }

    public BridgeConfig config() {
        return config;
    }

    /** The hub, for a host that wants to attach its own endpoints. */
    public Hub hub() {
        return hub;
    }

    /** The operations view: leg states, channel snapshots, routing, reload, metrics. */
    public OpsView ops() {
        return hub.ops();
    }

    /** The port of the ops server ({@code bridge.ops}); -1 without one or before start. */
    public synchronized int opsPort() {
        return opsServer == null ? -1 : opsServer.port();
    }

    /** An adapter by its config name. */
    public Optional<Adapter> adapter(String name) {
        return startOrder.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /** Drains within the shutdown grace and closes every started adapter in reverse order. Idempotent. */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (opsServer != null) {
            opsServer.close();
            opsServer = null;
        }
        List<Adapter> reverse = new ArrayList<>(started);
        Collections.reverse(reverse);
        if (cluster != null && clusterStarted) {
            cluster.handOver(); // resumable clients' leaves are held back for the presence grace (docs/cluster.md §4)
        }
        drainAll(reverse);
        if (cluster != null && clusterStarted) {
            // What waits for the other instances is shared or its senders told before their connections close
            // (docs/cluster.md §6); the errors it gave are then written out like any queued frame.
            boolean told = false;
            try {
                told = cluster.drain(config.bridge().shutdownGrace());
            } catch (RuntimeException e) {
                log.warn("cluster: drain failed", e);
            }
            if (told) {
                drainAll(reverse);
            }
        }
        closeStarted();
    }

    private void drainAll(List<Adapter> reverse) {
        for (Adapter adapter : reverse) {
            try {
                adapter.drain(config.bridge().shutdownGrace());
            } catch (RuntimeException e) {
                log.warn("{}: drain failed", adapter.name(), e);
            }
        }
    }

    private void closeStarted() {
        List<Adapter> reverse = new ArrayList<>(started);
        Collections.reverse(reverse);
        for (Adapter adapter : reverse) {
            try {
                adapter.close();
            } catch (RuntimeException e) {
                log.warn("{}: close failed", adapter.name(), e);
            }
        }
        started.clear();
        if (cluster != null) {
            try {
                cluster.close();
            } catch (RuntimeException e) {
                log.warn("cluster: close failed", e);
            }
        }
    }

    /** This build's version, e.g. {@code 0.1.0}. */
    public static String version() {
        try (InputStream in = SigBridge.class.getResourceAsStream("/sigbridge-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
