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
import org.sigbridge.bench.scenario.JitActivity;
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
    /** The second bridge pair of an A/B ({@link #compareWith}). */
    public static final String COMPARED = "sigbridge-xmpp-B";
    /**
     * The direct baseline again, its clients adding a bridge stanza's elements ({@link #directShapes}): column
     * {@code smack-direct-} and the shape's {@link StanzaShape#label() label}, e.g. {@code smack-direct-bridge}.
     */
    public static final String SHAPED = "smack-direct-";

    private final BenchSettings settings;
    private final List<String> launch;
    private final String cpus;
    private final String bridgeCpus;
    private final Function<String, List<String>> jvmOptions;
    private final Path workDir;
    private final ResultLog log;
    private Path compareJar;
    private String body = "json";
    private String noStore = "";
    private List<StanzaShape> shapes = List.of();

    /**
     * @param jvmOptions extra JVM options for the sigbridge process of a role (e.g. JFR when profiling)
     * @param cpus       taskset CPUs for Prosody
     * @param bridgeCpus taskset CPUs for the two sigbridges (the same as {@code cpus} unless asked otherwise)
     */
    public XmppScenario(BenchSettings settings, List<String> launch, Function<String, List<String>> jvmOptions,
                        String cpus, String bridgeCpus, Path workDir, ResultLog log) {
        this.settings = settings;
        this.launch = List.copyOf(launch);
        this.cpus = cpus;
        this.bridgeCpus = bridgeCpus;
        this.jvmOptions = jvmOptions;
        this.workDir = workDir;
        this.log = log;
    }

    /**
     * Measures a second bridge pair from another sigbridge jar in the same runs, interleaved with the first
     * (A, direct, B per repeat), in the same Prosody: an A/B of two builds under the same load and noise.
     */
    public XmppScenario compareWith(Path jar) {
        this.compareJar = jar;
        return this;
    }

    /** This build's bridges' {@code no-store} setting ({@code always}, {@code auto}, {@code never}); empty: the default. */
    public XmppScenario noStore(String mode) {
        this.noStore = mode;
        return this;
    }

    /** The bridges' {@code body} setting: {@code json} (the default), {@code omit} or {@code both} (docs/design.md §4.2). */
    public XmppScenario body(String mode) {
        this.body = mode;
        return this;
    }

    /**
     * Also measures the direct Smack clients with each shape's elements on every body (one column per shape,
     * {@value #SHAPED} and its label), right after the plain direct run of each repeat, in the order given: what a
     * bridge stanza's weight costs Prosody without the bridges' hops. None (the default) measures no such column.
     */
    public XmppScenario directShapes(List<StanzaShape> shapes) {
        this.shapes = List.copyOf(shapes);
        return this;
    }

    public Comparison run(List<Integer> pairCounts, int window) throws Exception {
        int maxPairs = pairCounts.stream().mapToInt(Integer::intValue).max().orElse(1);
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 2 * maxPairs; i++) {
            users.add("u" + i);
        }
        List<String> accounts = new ArrayList<>(users);
        accounts.addAll(XmppPathServer.accounts());
        String layout = (bridgeCpus.equals(cpus) ? "" : ", Prosody on CPU " + cpus + ", bridges on CPU " + bridgeCpus)
                + ("json".equals(body) ? "" : ", bridges' body: " + body)
                + (noStore.isEmpty() ? "" : ", this build's bridges' no-store: " + noStore);
        List<String> servers = new ArrayList<>(List.of("sigbridge-xmpp", DIRECT));
        if (compareJar != null) {
            servers.add(COMPARED);
        }
        for (StanzaShape shape : shapes) {
            servers.add(SHAPED + shape.label());
        }
        Comparison c = new Comparison("XMPP path: pairs, closed loop, window " + window
                + " (srv cpu% = Prosody" + layout + ")", "pairs", servers, LocalScenarios.pathMetrics());
        try (ProsodyServer prosody = ProsodyServer.builder().users(accounts.toArray(String[]::new)).start()) {
            long prosodyPid = PeerPinning.pin(prosody.directory(), cpus);
            List<XmppPathServer> paths = new ArrayList<>();
            try {
                paths.add(new XmppPathServer(prosody, prosodyPid, launch, jvmOptions, bridgeCpus, workDir).body(body).noStore(noStore));
                if (compareJar != null) {
                    paths.add(new XmppPathServer(prosody, prosodyPid, List.of("-jar", compareJar.toString()), jvmOptions, bridgeCpus,
                            workDir, COMPARED).body(body));
                }
                LoadSpec warm = settings.spec("xmpp-warm-up", 2 * maxPairs, 2, 0, window);
                int rounds = 0;
                for (XmppPathServer path : paths) {
                    path.start();
                    rounds = Math.max(rounds, JitActivity.warmUntilSettled("xmpp", path, warm));
                }
                for (int i = 0; i < rounds; i++) {
                    direct(prosody, prosodyPid, users, warm);
                }
                for (int pairs : pairCounts) {
                    String point = Integer.toString(pairs);
                    c.point(point, pairs);
                    LoadSpec spec = settings.spec("xmpp", 2 * pairs, 2, 0, window);
                    for (int rep = 1; rep <= settings.repeats(); rep++) {
                        for (int p = 0; p < paths.size(); p++) {
                            XmppPathServer path = paths.get(p);
                            RunResult viaBridge = LocalScenarios.run(path, spec.withLabel(path.name() + " " + point));
                            log.run("xmpp", path.name(), rep, viaBridge);
                            LocalScenarios.record(c, point, path.name(), viaBridge);
                            if (p == 0) {
                                RunResult direct = direct(prosody, prosodyPid, users, spec.withLabel(DIRECT + " " + point));
                                log.run("xmpp", DIRECT, rep, direct);
                                LocalScenarios.record(c, point, DIRECT, direct);
                                for (StanzaShape shape : shapes) {
                                    String name = SHAPED + shape.label();
                                    RunResult shaped = direct(prosody, prosodyPid, users, spec.withLabel(name + " " + point), shape);
                                    log.run("xmpp", name, rep, shaped);
                                    LocalScenarios.record(c, point, name, shaped);
                                }
                            }
                        }
                    }
                }
            } finally {
                paths.forEach(XmppPathServer::close);
            }
        }
        return c;
    }

    private static RunResult direct(ProsodyServer prosody, long prosodyPid, List<String> users, LoadSpec spec)
            throws Exception {
        return direct(prosody, prosodyPid, users, spec, StanzaShape.PLAIN);
    }

    private static RunResult direct(ProsodyServer prosody, long prosodyPid, List<String> users, LoadSpec spec,
                                    StanzaShape shape) throws Exception {
        URI uri = SmackDirectRun.uri(prosody);
        try (SmackDirectRun run = new SmackDirectRun(spec.withUrl(uri), prosody, prosodyPid, users, shape)) {
            run.connect();
            return run.measure();
        }
    }

}
