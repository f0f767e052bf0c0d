package org.sigbridge.bench.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.sigbridge.bench.load.CpuClock;
import org.sigbridge.bench.report.JsonLine;

/**
 * Start to ready: time from spawning {@code java [options] -jar sigbridge.jar --config conf/sigbridge.yml} until
 * its web port accepts a TCP connection, and the figure sigbridge logs itself ("ready in N ms", measured
 * from {@code main}, so without JVM start-up), and the CPU time the server had used by then (a loaded machine stretches
 * the first two, hardly the third). Pinned only with {@code --ready-cpus}: otherwise each launch inherits the runner's
 * CPU affinity, which {@code scripts/bench} sets to the generator's CPUs (CPU 1 on two cores), so that by default a
 * start runs on one CPU, the JIT compilers beside {@code main} and the serial collector chosen (docs/benchmarks.md,
 * "Start to ready, session 13"); {@code --ready-cpus 0,1} gives it the whole of a two-core machine. Several
 * launches (as {@code bin/sigbridge} runs it with the class-data sharing archive, a bare {@code java -jar}, another
 * jar, the floor programs; {@link ReadyLaunches}) are measured in turn within each repeat; ratios are the first
 * launch over the second.
 */
public final class ReadyScenario {
    static final Comparison.Metric PORT_MS = new Comparison.Metric("spawn→accept ms", 0, true);
    static final Comparison.Metric LOGGED_MS = new Comparison.Metric("logged 'ready in' ms", 0, true);
    /** The server's CPU time (user + system, all threads) when its port first accepted: what a busy machine does not stretch. */
    static final Comparison.Metric CPU_MS = new Comparison.Metric("cpu ms to accept", 0, true);
    private static final Pattern READY = Pattern.compile("ready in (\\d+) ms");

    private final Map<String, Supplier<SigbridgeServer>> launches;
    private final ResultLog log;

    /** @param launches by column name, in column order (the first two make the ratio columns) */
    public ReadyScenario(Map<String, Supplier<SigbridgeServer>> launches, ResultLog log) {
        this.launches = new LinkedHashMap<>(launches);
        this.log = log;
    }

    public Comparison run(int repeats) throws Exception {
        Comparison c = new Comparison("start to ready, default config (conf/sigbridge.yml)", "config",
                List.copyOf(launches.keySet()), List.of(PORT_MS, CPU_MS, LOGGED_MS));
        c.point("default", 0);
        for (int rep = 1; rep <= repeats; rep++) {
            for (Map.Entry<String, Supplier<SigbridgeServer>> launch : launches.entrySet()) {
                measure(c, launch.getKey(), launch.getValue(), rep);
            }
        }
        return c;
    }

    private void measure(Comparison c, String name, Supplier<SigbridgeServer> factory, int rep) throws Exception {
        double portMs;
        double cpuMs;
        double loggedMs = Double.NaN;
        try (SigbridgeServer server = factory.get()) {
            server.start();
            portMs = server.readyNanos() / 1e6;
            cpuMs = CpuClock.processNanos(server.pid()) / 1e6;
            for (int i = 0; i < 50 && Double.isNaN(loggedMs); i++) {
                loggedMs = loggedReadyMs(server);
                if (Double.isNaN(loggedMs)) {
                    Thread.sleep(20);
                }
            }
        }
        c.add("default", name, PORT_MS.name(), portMs);
        if (cpuMs >= 0) {
            c.add("default", name, CPU_MS.name(), cpuMs);
        }
        if (!Double.isNaN(loggedMs)) {
            c.add("default", name, LOGGED_MS.name(), loggedMs);
        }
        log.line(new JsonLine().put("scenario", "ready").put("server", name).put("rep", rep)
                .put("spawnToAcceptMs", portMs).put("cpuToAcceptMs", cpuMs).put("loggedReadyMs", loggedMs)
                .put("loadavg1", MachineInfo.loadAverage1()));
    }

    private static double loggedReadyMs(SigbridgeServer server) {
        try {
            Matcher m = READY.matcher(Files.readString(server.log()));
            return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
