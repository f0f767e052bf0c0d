package org.sigbridge.bench.xmpp;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.sigbridge.bench.load.LoadSpec;
import org.sigbridge.bench.load.RunResult;
import org.sigbridge.bench.scenario.BenchSettings;
import org.sigbridge.bench.scenario.Comparison;
import org.sigbridge.bench.scenario.LocalScenarios;
import org.sigbridge.bench.scenario.ResultLog;
import org.sigbridge.testkit.peers.ProsodyServer;

/**
 * Issue 7 §2: pairs of browsers through two sigbridges and Prosody, against pairs of Smack clients
 * directly in the same Prosody, closed loop, interleaved repeats. Prosody and both bridges share the
 * server CPUs; the generator (browsers or Smack clients) runs in this JVM.
 */
public final class XmppScenario {
    public static final String DIRECT = "smack-direct";

    private final BenchSettings settings;
    private final List<String> launch;
    private final String cpus;
    private final Function<String, List<String>> jvmOptions;
    private final Path workDir;
    private final ResultLog log;

    /** @param jvmOptions extra JVM options for the sigbridge process of a role (e.g. JFR when profiling) */
    public XmppScenario(BenchSettings settings, List<String> launch, Function<String, List<String>> jvmOptions,
                        String cpus, Path workDir, ResultLog log) {
        this.settings = settings;
        this.launch = List.copyOf(launch);
        this.cpus = cpus;
        this.jvmOptions = jvmOptions;
        this.workDir = workDir;
        this.log = log;
    }

    public Comparison run(List<Integer> pairCounts, int window) throws Exception {
        int maxClients = 2 * pairCounts.stream().mapToInt(Integer::intValue).max().orElse(1);
        List<String> users = new ArrayList<>();
        for (int i = 0; i < maxClients; i++) {
            users.add("u" + i);
        }
        List<String> accounts = new ArrayList<>(users);
        accounts.addAll(XmppPathServer.accounts());
        Comparison c = new Comparison("XMPP path: pairs, closed loop, window " + window
                + " (srv cpu% = Prosody)", "pairs", List.of("sigbridge-xmpp", DIRECT), LocalScenarios.metrics());
        try (ProsodyServer prosody = ProsodyServer.builder().users(accounts.toArray(String[]::new)).start()) {
            long prosodyPid = PeerPinning.pin(prosody.directory(), cpus);
            try (XmppPathServer path = new XmppPathServer(prosody, prosodyPid, launch, jvmOptions, cpus, workDir)) {
                path.start();
                LocalScenarios.run(path, settings.spec("xmpp-warm-up", 2, 2, 0, window));
                direct(prosody, prosodyPid, users, settings.spec("xmpp-warm-up", 2, 2, 0, window));
                for (int pairs : pairCounts) {
                    String point = Integer.toString(pairs);
                    c.point(point, pairs);
                    LoadSpec spec = settings.spec("xmpp", 2 * pairs, 2, 0, window);
                    for (int rep = 1; rep <= settings.repeats(); rep++) {
                        RunResult viaBridge = LocalScenarios.run(path, spec.withLabel("sigbridge-xmpp " + point));
                        log.run("xmpp", path.name(), rep, viaBridge);
                        LocalScenarios.record(c, point, path.name(), viaBridge);
                        RunResult direct = direct(prosody, prosodyPid, users, spec.withLabel(DIRECT + " " + point));
                        log.run("xmpp", DIRECT, rep, direct);
                        LocalScenarios.record(c, point, DIRECT, direct);
                    }
                }
            }
        }
        return c;
    }

    private static RunResult direct(ProsodyServer prosody, long prosodyPid, List<String> users, LoadSpec spec)
            throws Exception {
        URI uri = SmackDirectRun.uri(prosody);
        try (SmackDirectRun run = new SmackDirectRun(spec.withUrl(uri), prosody, prosodyPid, users)) {
            run.connect();
            return run.measure();
        }
    }

}
