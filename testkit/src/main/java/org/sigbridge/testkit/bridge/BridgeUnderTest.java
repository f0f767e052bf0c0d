package org.sigbridge.testkit.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.sigbridge.SigBridge;
import org.sigbridge.config.BridgeConfig;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.hub.Hub;
import org.sigbridge.ops.PrometheusMetrics;
import org.sigbridge.spi.Adapter;
import org.sigbridge.spi.AdapterFactory;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.ops.OpsView;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.peers.ScratchDir;

/**
 * A whole sigbridge in the test's JVM, started from YAML as an operator's file is: the text is written to a
 * scratch directory, read back by the real {@link ConfigLoader} ({@code ${ENV}} from a map the test gives) and
 * started with {@link SigBridge}. It records every leg state report from before the start, so a test waits for
 * a leg's state instead of sleeping, and reads the bridge's metrics as {@code /metrics} serves them.
 *
 * <p>One per test or per bridge role, owned by the test thread (the waits are not meant to run in parallel);
 * the leg-state listener runs on the reporting adapter's thread and only enqueues. {@link #close()} stops the
 * bridge and deletes the scratch directory; it is idempotent. Module helpers (a protocol's YAML, browsers on the
 * hub) wrap one of these rather than start bridges of their own.
 */
public final class BridgeUnderTest implements AutoCloseable {

    /** Leg reports kept for {@link #awaitLeg} and {@link #awaitReport}: far more than a test provokes. */
    private static final int MAX_REPORTS = 10_000;

    private final SigBridge bridge;
    private final Optional<Path> configFile;
    private final ScratchDir scratch;
    private final LinkedBlockingQueue<LegState> reports = new LinkedBlockingQueue<>(MAX_REPORTS);

    private BridgeUnderTest(SigBridge bridge, Optional<Path> configFile, ScratchDir scratch) {
        this.bridge = bridge;
        this.configFile = configFile;
        this.scratch = scratch;
        bridge.ops().onLegState(this::record);
    }

    /** A bridge from {@code yaml} with every adapter installed on the class path and no environment. */
    public static BridgeUnderTest fromYaml(String yaml) throws Exception {
        return fromYaml(yaml, Map.of());
    }

    /** A bridge from {@code yaml} with every adapter installed on the class path; {@code ${NAME}} reads {@code env}. */
    public static BridgeUnderTest fromYaml(String yaml, Map<String, String> env) throws Exception {
        return fromYaml(yaml, env, ConfigLoader.installedFactories());
    }

    /**
     * A bridge from {@code yaml} with only {@code factories}' adapter types; {@code ${NAME}} reads {@code env}.
     * The file is {@code sigbridge.yml} in a fresh scratch directory ({@link #configFile()}), so messages name a
     * line of it.
     *
     * @throws org.sigbridge.config.ConfigException if the YAML is refused, as the launcher would refuse it
     * @throws org.sigbridge.spi.AdapterStartException if an adapter does not start (the others are closed)
     */
    public static BridgeUnderTest fromYaml(String yaml, Map<String, String> env, List<AdapterFactory> factories) throws Exception {
        ScratchDir scratch = ScratchDir.create("sigbridge-under-test-");
        try {
            Path file = scratch.resolve("sigbridge.yml");
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
            BridgeConfig config = new ConfigLoader(factories, env::get).load(file);
            return start(SigBridge.create(config, factories, Clock.systemUTC()), Optional.of(file), scratch);
        } catch (IOException e) {
            scratch.close();
            throw new UncheckedIOException(e);
        } catch (Exception | Error e) {
            scratch.close();
            throw e;
        }
    }

    /** A bridge from a config the test built or edited itself, with every adapter installed on the class path. */
    public static BridgeUnderTest fromConfig(BridgeConfig config) throws Exception {
        return start(SigBridge.create(config), Optional.empty(), null);
    }

    private static BridgeUnderTest start(SigBridge bridge, Optional<Path> file, ScratchDir scratch) throws Exception {
        BridgeUnderTest under = new BridgeUnderTest(bridge, file, scratch);
        try {
            bridge.start();
            return under;
        } catch (Exception | Error e) {
            under.close();
            throw e;
        }
    }

    public SigBridge bridge() {
        return bridge;
    }

    public Hub hub() {
        return bridge.hub();
    }

    /** The bridge's ops view: leg states, channel snapshots, metrics. */
    public OpsView ops() {
        return bridge.ops();
    }

    /** The file the bridge was loaded from; empty for {@link #fromConfig}. */
    public Optional<Path> configFile() {
        return configFile;
    }

    /** The port of the ops module's own server ({@code bridge.ops} in the YAML); -1 without one. */
    public int opsPort() {
        return bridge.opsPort();
    }

    /** Adapter {@code name}, as its own type (e.g. the web adapter, for its port). */
    public <T extends Adapter> T adapter(String name, Class<T> type) {
        Adapter adapter = bridge.adapter(name).orElseThrow(() -> new AssertionError("no adapter '" + name + "' in this bridge"));
        return type.cast(adapter);
    }

    /**
     * Waits for a state of leg {@code adapter} that satisfies {@code test}: the current one, or a later report.
     * When the current one does, the reports so far are dropped, so a caller can wait for DOWN, then READY.
     *
     * @throws AssertionError naming {@code what}, the reports seen and the current state after {@code timeout}
     */
    public LegState awaitLeg(String adapter, Predicate<LegState> test, String what, Duration timeout) throws InterruptedException {
        LegState current = ops().legStates().get(adapter);
        if (current != null && test.test(current)) {
            reports.clear();
            return current;
        }
        return awaitReport(adapter, test, what, timeout);
    }

    /** {@link #awaitLeg(String, Predicate, String, Duration)} for a status. */
    public LegState awaitLeg(String adapter, LegState.Status status, Duration timeout) throws InterruptedException {
        return awaitLeg(adapter, s -> s.status() == status, "reported " + status, timeout);
    }

    /**
     * Waits for the next report of leg {@code adapter} that satisfies {@code test}, in report order from the
     * start (or from the last report a wait took), without looking at the current state.
     */
    public LegState awaitReport(String adapter, Predicate<LegState> test, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<LegState> seen = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            LegState s = left <= 0 ? null : reports.poll(left, TimeUnit.NANOSECONDS);
            if (s == null) {
                throw new AssertionError("leg " + adapter + " never " + what + " within " + timeout + "; saw " + seen
                        + ", now " + ops().legStates().get(adapter));
            }
            seen.add(s);
            if (s.adapter().equals(adapter) && test.test(s)) {
                return s;
            }
        }
    }

    /**
     * This bridge's metrics in the Prometheus text format, as {@code /metrics} serves them. Needs the ops module
     * (sigbridge-ops) on the test class path; testkit does not bring it.
     */
    public String scrape() {
        return PrometheusMetrics.of(ops().metrics())
                .orElseThrow(() -> new AssertionError("the bridge has no Prometheus metrics: put sigbridge-ops on the test class path"))
                .scrapeText();
    }

    /**
     * The value of one series of the scrape, named as the text format prints it, labels included (e.g.
     * {@code sigbridge_xmpp_reconnects_total{adapter="xmpp"}}).
     *
     * @throws AssertionError if the scrape has no such series
     */
    public double sample(String series) {
        String prefix = series + " ";
        return scrape().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()).trim())).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + series));
    }

    /** Waits until {@link #sample} of {@code series} reaches {@code atLeast}, asking every 20 ms (a scrape has no event). */
    public void awaitSample(String series, double atLeast, Duration timeout) throws Exception {
        Poll.until(series + " >= " + atLeast, timeout, Duration.ofMillis(20), () -> sample(series), v -> v >= atLeast);
    }

    /** Stops the bridge (every adapter, within {@code bridge.shutdown-grace}) and deletes the scratch directory. */
    @Override
    public void close() {
        try {
            bridge.close();
        } finally {
            if (scratch != null) {
                scratch.close();
            }
        }
    }

    private void record(LegState state) {
        if (!reports.offer(state)) {
            reports.poll(); // the test never waits: keep the newest reports
            reports.offer(state);
        }
    }
}
