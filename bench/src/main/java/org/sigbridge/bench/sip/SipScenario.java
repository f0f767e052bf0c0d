package org.sigbridge.bench.sip;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import org.sigbridge.bench.load.LoadSpec;
import org.sigbridge.bench.load.RunResult;
import org.sigbridge.bench.scenario.BenchSettings;
import org.sigbridge.bench.scenario.Comparison;
import org.sigbridge.bench.scenario.LocalScenarios;
import org.sigbridge.bench.scenario.ResultLog;
import org.sigbridge.testkit.peers.KamailioServer;

/**
 * Issue 7 §3: pairs of browsers through two sigbridges and Kamailio (MESSAGE over TCP), against pairs of
 * JAIN-SIP user agents directly through the same Kamailio, closed loop, interleaved repeats. Window 1:
 * the testkit agent sends every MESSAGE in one Call-ID with increasing CSeq, so concurrent MESSAGEs of
 * one agent are refused by the receiver (RFC 3261 §12.2.2), and sigbridge keeps one MESSAGE in flight per
 * (channel, member) conversation anyway (DESIGN.md §5).
 */
public final class SipScenario {
    public static final String DIRECT = "jain-sip-direct";

    private final BenchSettings settings;
    private final List<String> launch;
    private final String cpus;
    private final Function<String, List<String>> jvmOptions;
    private final Path workDir;
    private final ResultLog log;

    /** @param jvmOptions extra JVM options for the sigbridge process of a role (e.g. JFR when profiling) */
    public SipScenario(BenchSettings settings, List<String> launch, Function<String, List<String>> jvmOptions,
                        String cpus, Path workDir, ResultLog log) {
        this.settings = settings;
        this.launch = List.copyOf(launch);
        this.cpus = cpus;
        this.jvmOptions = jvmOptions;
        this.workDir = workDir;
        this.log = log;
    }

    public Comparison run(List<Integer> pairCounts, int window) throws Exception {
        Comparison c = new Comparison("SIP path: pairs, closed loop, window " + window
                + ", MESSAGE over TCP (srv cpu% = Kamailio main process)", "pairs", List.of("sigbridge-sip", DIRECT),
                LocalScenarios.metrics());
        try (KamailioServer kamailio = KamailioServer.builder().start()) {
            long kamailioPid = org.sigbridge.bench.xmpp.PeerPinning.pin(kamailio.directory(), cpus);
            try (SipPathServer path = new SipPathServer(kamailio, kamailioPid, launch, jvmOptions, cpus, workDir)) {
                path.start();
                LocalScenarios.run(path, settings.spec("sip-warm-up", 2, 2, 0, window));
                direct(kamailio, kamailioPid, settings.spec("sip-warm-up", 2, 2, 0, window));
                for (int pairs : pairCounts) {
                    String point = Integer.toString(pairs);
                    c.point(point, pairs);
                    LoadSpec spec = settings.spec("sip", 2 * pairs, 2, 0, window);
                    for (int rep = 1; rep <= settings.repeats(); rep++) {
                        RunResult viaBridge = LocalScenarios.run(path, spec.withLabel("sigbridge-sip " + point));
                        log.run("sip", path.name(), rep, viaBridge);
                        LocalScenarios.record(c, point, path.name(), viaBridge);
                        RunResult direct = direct(kamailio, kamailioPid, spec.withLabel(DIRECT + " " + point));
                        log.run("sip", DIRECT, rep, direct);
                        LocalScenarios.record(c, point, DIRECT, direct);
                    }
                }
            }
        }
        return c;
    }

    private RunResult direct(KamailioServer kamailio, long pid, LoadSpec spec) throws Exception {
        try (SipDirectRun run = new SipDirectRun(spec.withUrl(SipDirectRun.uri(kamailio)), kamailio, pid)) {
            run.connect();
            RunResult result = run.measure();
            if (result.sendFailures() > 0) {
                // Keep Kamailio's view of the failures next to the results.
                java.nio.file.Files.writeString(workDir.resolve("kamailio-tail-" + System.nanoTime() + ".log"),
                        kamailio.logTail());
            }
            return result;
        }
    }
}
