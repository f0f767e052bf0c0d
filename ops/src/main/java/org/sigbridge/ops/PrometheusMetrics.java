package org.sigbridge.ops;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.sigbridge.metrics.Metrics;

/**
 * {@link Metrics} in a Prometheus registry of its own (client_java), with the JVM basics (registered on the first
 * scrape); one per bridge, so several bridges in one JVM do not mix. Thread-safe: recording is lock-free; registration takes a lock.
 *
 * <p>A sampler family is registered in the registry once, on its first registration, and reads every sampler
 * registered under its name at scrape time (several adapters of one type share a name, each labelled by adapter).
 */
public final class PrometheusMetrics implements Metrics {

    /** The content type of {@link #scrape}: Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private enum Kind { COUNTER, TIMER, GAUGES, COUNTERS }

    private record Family(Kind kind, List<String> labelNames, Object metric, List<Sampler> samplers) {
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<String, Family> families = new HashMap<>();
    private volatile boolean jvmRegistered;

    public PrometheusMetrics() {
    }

    /**
     * Registers the JVM basics (client_java's {@code JvmMetrics}) on the first read of the registry, not at start: they
     * bring the platform MBean server and several hundred classes that a start would otherwise load before it is ready
     * (docs/benchmarks.md, start to ready). Their counters (GC time, allocated bytes) count from that first read.
     */
    private void registerJvmOnce() {
        if (!jvmRegistered) {
            synchronized (this) {
                if (!jvmRegistered) {
                    JvmMetrics.builder().register(registry);
                    jvmRegistered = true;
                }
            }
        }
    }

    @Override
    public synchronized Counter counter(String name, String help, String... labelNames) {
        Family f = families.get(name);
        if (f == null) {
            io.prometheus.metrics.core.metrics.Counter c = io.prometheus.metrics.core.metrics.Counter.builder()
                    .name(name).help(help).labelNames(labelNames).register(registry);
            Counter counter = labelValues -> c.labelValues(labelValues)::inc;
            f = new Family(Kind.COUNTER, List.of(labelNames), counter, List.of());
            families.put(name, f);
        }
        require(name, f, Kind.COUNTER, List.of(labelNames));
        return (Counter) f.metric();
    }

    @Override
    public synchronized Timer timer(String name, String help, double... upperBoundsSeconds) {
        Family f = families.get(name);
        if (f == null) {
            Histogram h = Histogram.builder().name(name).help(help)
                    .classicUpperBounds(Arrays.copyOf(upperBoundsSeconds, upperBoundsSeconds.length))
                    // Observed once per envelope: keeping native (exponential) buckets as well showed in the relay profiles.
                    .classicOnly()
                    .register(registry);
            Timer timer = nanos -> h.observe(nanos / 1e9);
            f = new Family(Kind.TIMER, List.of(), timer, List.of());
            families.put(name, f);
        }
        require(name, f, Kind.TIMER, List.of());
        return (Timer) f.metric();
    }

    @Override
    public Registration gauges(String name, String help, List<String> labelNames, Sampler sampler) {
        return sampled(Kind.GAUGES, name, help, labelNames, sampler);
    }

    @Override
    public Registration counters(String name, String help, List<String> labelNames, Sampler sampler) {
        return sampled(Kind.COUNTERS, name, help, labelNames, sampler);
    }

    private synchronized Registration sampled(Kind kind, String name, String help, List<String> labelNames, Sampler sampler) {
        Family f = families.get(name);
        if (f == null) {
            List<Sampler> samplers = new CopyOnWriteArrayList<>();
            String[] labels = labelNames.toArray(String[]::new);
            Object metric = kind == Kind.GAUGES
                    ? GaugeWithCallback.builder().name(name).help(help).labelNames(labels)
                            .callback(cb -> samplers.forEach(s -> s.sample(cb::call))).register(registry)
                    : CounterWithCallback.builder().name(name).help(help).labelNames(labels)
                            .callback(cb -> samplers.forEach(s -> s.sample(cb::call))).register(registry);
            f = new Family(kind, List.copyOf(labelNames), metric, samplers);
            families.put(name, f);
        }
        require(name, f, kind, labelNames);
        List<Sampler> samplers = f.samplers();
        samplers.add(sampler);
        return () -> samplers.remove(sampler);
    }

    private static void require(String name, Family f, Kind kind, List<String> labelNames) {
        if (f.kind() != kind || !f.labelNames().equals(labelNames)) {
            throw new IllegalArgumentException("metric " + name + " is registered already as " + f.kind() + " " + f.labelNames()
                    + ", not " + kind + " " + labelNames);
        }
    }

    /** The registry, for a host that adds collectors of its own (or scrapes it itself); holds the JVM basics. */
    public PrometheusRegistry registry() {
        registerJvmOnce();
        return registry;
    }

    /**
     * Writes every metric in the Prometheus text format. Formats in the caller's thread; never blocks on a sampler
     * (the first call registers the JVM basics first).
     */
    public void scrape(OutputStream out) throws IOException {
        registerJvmOnce();
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
    }

    /** {@link #scrape} as a string, for tests and small endpoints. */
    public String scrapeText() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            scrape(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The scrape text of a bridge's metrics, if they are Prometheus metrics (the ops module was installed). */
    public static java.util.Optional<PrometheusMetrics> of(Metrics metrics) {
        return metrics instanceof PrometheusMetrics p ? java.util.Optional.of(p) : java.util.Optional.empty();
    }
}
