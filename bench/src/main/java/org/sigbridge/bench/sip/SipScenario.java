package org.sigbridge.bench.sip;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.sigbridge.bench.load.LoadSpec;
import org.sigbridge.bench.load.RunResult;
import org.sigbridge.bench.scenario.BenchSettings;
import org.sigbridge.bench.scenario.Comparison;
import org.sigbridge.bench.scenario.JitActivity;
import org.sigbridge.bench.scenario.LocalScenarios;
import org.sigbridge.bench.scenario.ResultLog;

/**
 * Issue 7 §3: pairs of browsers through two sigbridges and Kamailio (MESSAGE over TCP), against pairs of
 * JAIN-SIP user agents directly through the same Kamailio build and config, closed loop, window 1 on both
 * sides: a browser sends its next probe when the previous one was delivered to its partner, a direct agent
 * when its previous MESSAGE got its final response (the testkit agent blocks per MESSAGE, a new Call-ID each).
 * The bridges' own sending window per (channel, member) conversation is their config
 * ({@code max-in-flight-per-member}, in {@link #DEFAULT_BRIDGE_OPTIONS}); with window-1 browsers it only matters
 * when a browser's next envelope arrives before the previous MESSAGE's response.
 */
public final class SipScenario {
    public static final String DIRECT = "jain-sip-direct";
    /** The second bridge pair of an A/B ({@link #compareWith}). */
    public static final String COMPARED = "sigbridge-sip-B";
    /** The bridges' sip keys unless {@code --sip-bridge-options} says otherwise: everything over TCP, as the agents. */
    public static final String DEFAULT_BRIDGE_OPTIONS = "register-transport: tcp;max-in-flight-per-member: 4";

    private final BenchSettings settings;
    private final List<String> launch;
    private final String cpus;
    private final String bridgeCpus;
    private final List<String> bridgeOptions;
    private final Function<String, List<String>> jvmOptions;
    private final Path workDir;
    private final ResultLog log;
    private final int shmMegabytes;
    private Path compareJar;

    /** @param jvmOptions extra JVM options for the sigbridge process of a role (e.g. JFR when profiling) */
    public SipScenario(BenchSettings settings, List<String> launch, Function<String, List<String>> jvmOptions,
                        String cpus, String bridgeCpus, List<String> bridgeOptions, Path workDir, ResultLog log, int shmMegabytes) {
        this.bridgeCpus = bridgeCpus;
        this.bridgeOptions = List.copyOf(bridgeOptions);
        this.settings = settings;
        this.launch = List.copyOf(launch);
        this.cpus = cpus;
        this.jvmOptions = jvmOptions;
        this.workDir = workDir;
        this.log = log;
        this.shmMegabytes = shmMegabytes;
    }

    /**
     * Measures a second bridge pair running another sigbridge jar in the same runs, with its own Kamailio, interleaved
     * with the first (A, B per repeat, then the direct agents): an A/B of two builds under the same load and noise.
     */
    public SipScenario compareWith(Path jar) {
        this.compareJar = jar;
        return this;
    }

    public Comparison run(List<Integer> pairCounts, int window) throws Exception {
        Comparison c = new Comparison("SIP path: pairs, closed loop, window " + window
                + ", MESSAGE over TCP, Kamailio shm " + shmMegabytes + " MB on CPUs " + (cpus.isEmpty() ? "any" : cpus)
                + ", bridges on CPUs " + (bridgeCpus.isEmpty() ? "any" : bridgeCpus) + " with " + (bridgeOptions.isEmpty() ? "no extra keys"
                : "`" + String.join("; ", bridgeOptions) + "`") + " (srv cpu% = Kamailio and its workers)", "pairs",
                compareJar == null ? List.of("sigbridge-sip", DIRECT) : List.of("sigbridge-sip", COMPARED, DIRECT),
                LocalScenarios.pathMetrics());
        // Not interleaved: a run that exhausts Kamailio's shared memory leaves it answering 500 for a while,
        // so every direct run gets a fresh Kamailio, and the bridges get their own one per point.
        for (int pairs : pairCounts) {
            String point = Integer.toString(pairs);
            c.point(point, pairs);
            LoadSpec spec = settings.spec("sip", 2 * pairs, 2, 0, window);
            List<BenchKamailio> kamailios = new ArrayList<>();
            List<SipPathServer> paths = new ArrayList<>();
            try {
                kamailios.add(BenchKamailio.start(shmMegabytes, cpus));
                paths.add(new SipPathServer(kamailios.get(0), kamailios.get(0).pid(), launch, jvmOptions, bridgeCpus, bridgeOptions, workDir));
                if (compareJar != null) {
                    kamailios.add(BenchKamailio.start(shmMegabytes, cpus));
                    paths.add(new SipPathServer(kamailios.get(1), kamailios.get(1).pid(), List.of("-jar", compareJar.toString()), jvmOptions,
                            bridgeCpus, bridgeOptions, workDir, COMPARED));
                }
                LoadSpec warm = settings.spec("sip-warm-up", 2 * pairs, 2, 0, window);
                for (SipPathServer path : paths) {
                    path.start();
                    JitActivity.warmUntilSettled("sip " + path.name(), path, warm);
                }
                if (paths.size() > 1) {
                    // Again, each until settled: a pair that idled while the other warmed may compile again once traffic
                    // resumes (seen under load: the first pair's compilers at 30-45 % of a core in its measured runs,
                    // the second's at 0-7 %), and an A/B would compare a compiling JVM with a settled one.
                    for (SipPathServer path : paths) {
                        JitActivity.warmUntilSettled("sip " + path.name() + " again", path, warm);
                    }
                }
                for (int rep = 1; rep <= settings.repeats(); rep++) {
                    for (SipPathServer path : paths) {
                        RunResult viaBridge = LocalScenarios.run(path, spec.withLabel(path.name() + " " + point));
                        log.run("sip", path.name(), rep, viaBridge);
                        LocalScenarios.record(c, point, path.name(), viaBridge);
                    }
                }
            } finally {
                paths.forEach(SipPathServer::close);
                for (int k = 0; k < kamailios.size(); k++) {
                    keepLog(kamailios.get(k), "kamailio-path-" + (k == 0 ? "" : "B-") + pairs + "-pairs.log");
                    kamailios.get(k).close();
                }
            }
            for (int rep = 1; rep <= settings.repeats(); rep++) {
                try (BenchKamailio kamailio = BenchKamailio.start(shmMegabytes, cpus)) {
                    long kamailioPid = kamailio.pid();
                    RunResult direct = direct(kamailio, kamailioPid, spec.withLabel(DIRECT + " " + point));
                    log.run("sip", DIRECT, rep, direct);
                    LocalScenarios.record(c, point, DIRECT, direct);
                }
            }
        }
        return c;
    }

    private void keepLog(BenchKamailio kamailio, String name) throws java.io.IOException {
        String shm = "shared-memory failures in the log: " + kamailio.shmFailures() + " (pool " + kamailio.shmMegabytes()
                + " MB)\n";
        System.out.println("  " + name + ": " + shm.trim());
        java.nio.file.Files.writeString(workDir.resolve(name), shm + kamailio.logTail(40));
    }

    private RunResult direct(BenchKamailio kamailio, long pid, LoadSpec spec) throws Exception {
        try (SipDirectRun run = new SipDirectRun(spec.withUrl(SipDirectRun.uri(kamailio)), kamailio, pid)) {
            run.connect();
            RunResult result = run.measure();
            keepLog(kamailio, "kamailio-direct-" + spec.clients() / 2 + "-pairs-" + System.nanoTime() + ".log");
            return result;
        }
    }
}
