package org.sigbridge.bench.scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import org.sigbridge.bench.CliArgs;
import org.sigbridge.bench.load.WireDialect;
import org.sigbridge.bench.sip.SipScenario;
import org.sigbridge.bench.xmpp.StanzaShape;
import org.sigbridge.bench.xmpp.XmppScenario;

/**
 * {@code scenarios}: starts sigbridge and the Node relay on loopback, runs the selected scenarios and
 * writes {@code results.jsonl}, {@code summary.md} and the SVG plots into the output directory. The runner
 * JVM is the load generator; {@code scripts/bench} pins it to other CPUs than the servers.
 */
public final class ScenarioMain {
    /** sigbridge started with the JVM options of {@code dist/systemd/sigbridge.service}. */
    public static final String SIGBRIDGE_UNIT = "sigbridge-unit";
    /** The jar given with {@code --compare-jar}, run beside this build as the local scenarios' baseline. */
    public static final String COMPARED = "sigbridge-B";
    /** Start to ready as {@code bin/sigbridge} runs the jar: with the class-data sharing archive built beside it. */
    public static final String READY_CDS = "sigbridge-cds";

    private ScenarioMain() {
    }

    public static void run(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help")) {
            System.out.print(usage());
            return;
        }
        CliArgs cli = new CliArgs(args, 1, Set.of("profile", "socketio-memory-only", "socketio-traffic-only", "cluster-gc-log",
                "cluster-timeline"));
        Path root = Path.of(cli.string("root", ".")).toAbsolutePath().normalize();
        Path jar = Path.of(cli.string("jar", root.resolve("dist/target/sigbridge.jar").toString()));
        String classpath = cli.string("sigbridge-cp", "");
        List<String> launch = SigbridgeServer.launchArgs(jar, classpath);
        Path relay = Path.of(cli.string("relay", root.resolve("bench/node-relay/relay.js").toString()));
        Path peerServer = Path.of(cli.string("peer-server", root.resolve("bench/peer-server/server.js").toString()));
        Path socketIoServer = Path.of(cli.string("socketio-server", root.resolve("bench/socketio-server/server.js").toString()));
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path out = Path.of(cli.string("out", root.resolve("bench/results/" + stamp).toString())).toAbsolutePath();
        Set<String> only = new LinkedHashSet<>(List.of(cli.string("only", "ready,a,b,c,d,scale,xmpp,sip,peerjs,signalr,socketio,cluster").split(",")));
        BenchSettings settings = new BenchSettings(cli.integer("repeats", 3), cli.duration("warmup", Duration.ofSeconds(2)),
                cli.duration("duration", Duration.ofSeconds(5)), cli.duration("drain", Duration.ofSeconds(2)),
                cli.integer("payload", 600), cli.integer("threads", 4),
                WireDialect.parse(cli.string("dialect", "channels")));
        int window = cli.integer("window", 4);
        List<Integer> rates = ints(cli.string("rates", "1000,2000,5000,10000,20000"));
        List<Integer> clients = ints(cli.string("clients", "100,1000,10000"));
        List<Integer> sizes = ints(cli.string("sizes", "2,10,50"));
        List<Integer> connections = ints(cli.string("connections", "100,1000,5000,10000"));
        Set<String> memoryServerNames = new LinkedHashSet<>(List.of(cli.string("memory-servers",
                "sigbridge,node-ws," + SIGBRIDGE_UNIT + "," + SocketIoScenario.COMPARED_UNIT).split(",")));
        List<Integer> xmppPairs = ints(cli.string("xmpp-pairs", "1,10"));
        List<Integer> sipPairs = ints(cli.string("sip-pairs", "1,10"));
        int peerjsPairs = cli.integer("peerjs-pairs", 50);
        List<Integer> peerjsPeers = ints(cli.string("peerjs-peers", "1000"));
        List<Integer> signalrRates = ints(cli.string("signalr-rates", "2000"));
        int signalrClients = cli.integer("signalr-clients", 100);
        int signalrRoom = cli.integer("signalr-room", 5);
        List<WireDialect> socketIoTransports = SocketIoScenario.transports(cli.string("socketio-transports", "websocket,polling"));
        int socketIoPairs = cli.integer("socketio-pairs", 100);
        int socketIoRooms = cli.integer("socketio-rooms", 1000);
        int socketIoRate = cli.integer("socketio-rate", 2000);
        List<Integer> socketIoConnections = ints(cli.string("socketio-connections", "1000,5000"));
        List<Integer> socketIoPollingConnections = ints(cli.string("socketio-polling-connections", "1000"));
        int kamailioShm = cli.integer("kamailio-shm-mb", 512);
        String serverCpus = cli.string("server-cpus", "0");
        String readyCpus = cli.string("ready-cpus", "");
        // XMPP and SIP paths: the upstream server alone on the servers' CPUs, the bridges on the generator's, where the
        // direct baseline's clients run as well, so both sides of each comparison have the same placement.
        String pathBridgeCpus = serverCpus.isEmpty() ? "" : MachineInfo.ownCpuList().orElse(serverCpus);
        String sipBridgeCpus = cli.string("sip-bridge-cpus", pathBridgeCpus);
        List<String> sipBridgeOptions = Arrays.stream(cli.string("sip-bridge-options", SipScenario.DEFAULT_BRIDGE_OPTIONS).split(";"))
                .map(String::trim).filter(o -> !o.isEmpty()).toList();
        String xmppBridgeCpus = cli.string("xmpp-bridge-cpus", pathBridgeCpus);
        String xmppCompareJar = cli.string("xmpp-compare-jar", "");
        String compareJar = cli.string("compare-jar", "");
        String floorJar = cli.string("floor-jar", root.resolve("bench/target/jetty-floor.jar").toString());
        String xmppBody = cli.string("xmpp-body", "json");
        String xmppNoStore = cli.string("xmpp-no-store", "");
        List<StanzaShape> xmppDirectShapes = StanzaShape.parseAll(cli.string("xmpp-direct-shape", ""));
        List<Integer> clusterRates = ints(cli.string("cluster-rate", "2000"));
        String clusterPlacement = cli.string("cluster-placement", "shared");
        Set<String> clusterParts = new LinkedHashSet<>(List.of(cli.string("cluster-parts", "latency,throughput,memory").split(",")));
        if (!Set.of("latency", "throughput", "memory").containsAll(clusterParts)) {
            throw new IllegalArgumentException("--cluster-parts: any of latency,throughput,memory, not '" + clusterParts + "'");
        }
        if (!clusterPlacement.equals("shared") && !clusterPlacement.equals("spread")) {
            throw new IllegalArgumentException("--cluster-placement: shared or spread, not '" + clusterPlacement + "'");
        }
        List<Integer> clusterConnections = ints(cli.string("cluster-connections", "1000"));
        List<String> clusterJvm = jvmOptions(cli.string("cluster-jvm", ""), root);
        List<String> clusterJvmB = jvmOptions(cli.string("cluster-jvm-B", cli.string("cluster-jvm", "")), root);
        boolean clusterGcLog = cli.flag("cluster-gc-log");
        boolean clusterTimeline = cli.flag("cluster-timeline");
        if (clusterGcLog) {
            clusterJvm.add("-Xlog:gc*:file=" + ClusterServer.INSTANCE + "-gc.log:uptime,level,tags");
            clusterJvmB.add("-Xlog:gc*:file=" + ClusterServer.INSTANCE + "-gc.log:uptime,level,tags");
        }
        boolean profile = cli.flag("profile");
        String sigbridgeJvm = cli.string("sigbridge-jvm", "");
        boolean socketIoMemoryOnly = cli.flag("socketio-memory-only");
        boolean socketIoTrafficOnly = cli.flag("socketio-traffic-only");
        if (socketIoMemoryOnly && socketIoTrafficOnly) {
            throw new IllegalArgumentException("--socketio-memory-only and --socketio-traffic-only exclude each other");
        }
        cli.rejectUnused();

        Files.createDirectories(out);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " not found: build it with mvn -o -q -DskipTests -pl dist -am package");
        }
        if (only.contains("d")) {
            OpenFiles.requireFor(Collections.max(connections), "--connections");
        }
        if (only.contains("socketio") && !socketIoTrafficOnly) {
            OpenFiles.requireFor(Collections.max(socketIoConnections), "--socketio-connections");
            OpenFiles.requireFor(2 * Collections.max(socketIoPollingConnections), "--socketio-polling-connections");
        }
        Path benchConfig = SigbridgeServer.writeBenchConfig(out);
        ResultLog log = new ResultLog(out.resolve("results.jsonl"));
        Summary summary = new Summary(out, settings, String.join(" ", args), serverCpus);
        System.out.println("sigbridge bench → " + out + "\n  " + MachineInfo.describe() + "\n  load average "
                + MachineInfo.loadAverages());
        int[] counter = {0};
        Function<String, List<String>> jvm = role -> profile ? List.of(
                "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + out.resolve(role + ".jfr"))
                : List.of();
        List<String> trafficOptions = jvmOptions(sigbridgeJvm, root);
        Supplier<ServerUnderTest> sigbridge = () -> {
            String role = "sigbridge-" + (++counter[0]);
            List<String> options = new ArrayList<>(trafficOptions);
            options.addAll(jvm.apply(role));
            return new SigbridgeServer(launch, benchConfig, options, serverCpus, out, role + ".log");
        };
        Supplier<ServerUnderTest> node = () -> NodeProcess.relay(relay, serverCpus, out,
                "node-relay-" + (++counter[0]) + ".log");

        if (only.contains("ready")) {
            // As bin/sigbridge starts it, the --compare-jar build (with its archive, then bare), this jar bare, the floor.
            Map<String, Supplier<SigbridgeServer>> launches = ReadyLaunches.of(jar, classpath, compareJar,
                    Path.of(floorJar), root.resolve("conf/sigbridge.yml"), readyCpus, out, counter);
            summary.add(new ReadyScenario(launches, log).run(Math.max(5, settings.repeats())));
        }
        if (only.contains("a") || only.contains("b") || only.contains("c") || only.contains("scale")) {
            List<ServerUnderTest> servers = new ArrayList<>(List.of(sigbridge.get()));
            if (!compareJar.isEmpty()) {
                // Baseline second: Comparison's ratios are first over second, so the table reads "this build / that jar".
                List<String> compareLaunch = SigbridgeServer.launchArgs(Path.of(compareJar).toAbsolutePath(), "");
                servers.add(new SigbridgeServer(COMPARED, compareLaunch, benchConfig, jvm.apply(COMPARED), serverCpus, out,
                        COMPARED + "-" + (++counter[0]) + ".log"));
            }
            servers.add(node.get());
            try {
                for (ServerUnderTest s : servers) {
                    s.start();
                }
                LocalScenarios local = new LocalScenarios(settings, servers, log);
                local.warmUp();
                if (only.contains("a")) {
                    summary.add(local.closedLoopPairs(window));
                }
                if (only.contains("b")) {
                    summary.add(local.channelsOfTen(1));
                }
                if (only.contains("c")) {
                    summary.addLatencyCurve(local.latencyAgainstLoad(rates));
                }
                if (only.contains("scale")) {
                    summary.addClientScaling(local.scaleClients(clients));
                    summary.add(local.scaleChannelSize(sizes));
                }
            } finally {
                servers.forEach(ServerUnderTest::close);
            }
        }
        // Also as packaged for production: the systemd unit's JVM options bound the heap, and with it how much
        // young-generation memory the handshakes' garbage can make resident.
        List<String> unitOptions = SigbridgeServer.unitJavaOptions(root.resolve("dist/systemd/sigbridge.service"));
        Supplier<ServerUnderTest> sigbridgeUnit = () -> {
            String role = "sigbridge-unit-" + (++counter[0]);
            List<String> options = new ArrayList<>(unitOptions);
            options.addAll(jvm.apply(role));
            return new SigbridgeServer(SIGBRIDGE_UNIT, launch, benchConfig, options, serverCpus, out, role + ".log");
        };
        // The --compare-jar build as it was shipped: with the JVM options of its own tree's unit when the jar sits in a
        // checkout (ROOT/dist/target/sigbridge.jar beside ROOT/dist/systemd/sigbridge.service), else with this tree's.
        List<String> compareUnitOptions = compareJar.isEmpty() ? unitOptions : compareUnitOptions(Path.of(compareJar), unitOptions);
        if (only.contains("d")) {
            List<Supplier<ServerUnderTest>> memoryServers = new ArrayList<>(List.of(sigbridge, node, sigbridgeUnit));
            List<String> memoryNames = new ArrayList<>(List.of("sigbridge", "node-ws", SIGBRIDGE_UNIT));
            if (!compareJar.isEmpty()) {
                List<String> compareLaunch = SigbridgeServer.launchArgs(Path.of(compareJar).toAbsolutePath(), "");
                memoryServers.add(() -> {
                    String role = SocketIoScenario.COMPARED_UNIT + "-" + (++counter[0]);
                    List<String> options = new ArrayList<>(compareUnitOptions);
                    options.addAll(jvm.apply(role));
                    return new SigbridgeServer(SocketIoScenario.COMPARED_UNIT, compareLaunch, benchConfig, options, serverCpus, out, role + ".log");
                });
                memoryNames.add(SocketIoScenario.COMPARED_UNIT);
            }
            for (int i = memoryNames.size() - 1; i >= 0; i--) {
                if (!memoryServerNames.contains(memoryNames.get(i))) {
                    memoryNames.remove(i);
                    memoryServers.remove(i);
                }
            }
            if (memoryNames.isEmpty()) {
                throw new IllegalArgumentException("--memory-servers names none of " + memoryServerNames);
            }
            summary.add(new MemoryScenario(settings, memoryServers, memoryNames, log).run(connections));
        }
        if (only.contains("xmpp")) {
            summary.add(new XmppScenario(settings, launch, jvm, serverCpus, xmppBridgeCpus, out, log)
                    .compareWith(xmppCompareJar.isEmpty() ? null : Path.of(xmppCompareJar).toAbsolutePath()).body(xmppBody).noStore(xmppNoStore)
                    .directShapes(xmppDirectShapes).run(xmppPairs, window));
        }
        if (only.contains("sip")) {
            summary.add(new SipScenario(settings, launch, jvm, serverCpus, sipBridgeCpus, sipBridgeOptions, out, log, kamailioShm)
                    .compareWith(compareJar.isEmpty() ? null : Path.of(compareJar).toAbsolutePath()).run(sipPairs, 1));
        }
        if (only.contains("peerjs")) {
            PeerJsScenario peerjs = new PeerJsScenario(settings, sigbridge,
                    () -> NodeProcess.peerServer(peerServer, serverCpus, out, "peer-server-" + (++counter[0]) + ".log"), log);
            summary.add(peerjs.relay(peerjsPairs, window));
            summary.add(peerjs.idleMemory(peerjsPeers));
        }
        if (only.contains("signalr")) {
            summary.add(new SignalRScenario(settings, sigbridge.get(), node.get(), log)
                    .run(signalrRates, signalrClients, signalrRoom));
        }
        if (only.contains("socketio")) {
            SocketIoScenario socketIo = new SocketIoScenario(settings, sigbridge, sigbridgeUnit,
                    () -> NodeProcess.socketIo(socketIoServer, serverCpus, out, "node-socketio-" + (++counter[0]) + ".log"), log);
            if (!compareJar.isEmpty()) {
                List<String> compareLaunch = SigbridgeServer.launchArgs(Path.of(compareJar).toAbsolutePath(), "");
                socketIo.compareWith(() -> new SigbridgeServer(COMPARED, compareLaunch, benchConfig, jvm.apply(COMPARED), serverCpus, out,
                        COMPARED + "-" + (++counter[0]) + ".log"), () -> {
                    String role = SocketIoScenario.COMPARED_UNIT + "-" + (++counter[0]);
                    List<String> options = new ArrayList<>(compareUnitOptions);
                    options.addAll(jvm.apply(role));
                    return new SigbridgeServer(SocketIoScenario.COMPARED_UNIT, compareLaunch, benchConfig, options, serverCpus, out, role + ".log");
                });
            }
            for (WireDialect transport : socketIoTransports) {
                if (!socketIoMemoryOnly) {
                    socketIo.traffic(transport, socketIoPairs, window, socketIoRooms, socketIoRate).forEach(summary::add);
                }
                if (!socketIoTrafficOnly) {
                    summary.add(socketIo.idleMemory(transport, transport.polling() ? socketIoPollingConnections : socketIoConnections));
                }
            }
        }
        if (only.contains("cluster")) {
            ClusterServer.Placement placement = ClusterServer.Placement.SHARED;
            if (clusterPlacement.equals("spread")) {
                String others = MachineInfo.ownCpuList().orElse(serverCpus);
                placement = new ClusterServer.Placement(others, List.of(serverCpus, others));
            }
            List<String> clusterCompare = compareJar.isEmpty() ? List.of()
                    : SigbridgeServer.launchArgs(Path.of(compareJar).toAbsolutePath(), "");
            ClusterScenario cluster = new ClusterScenario(settings, launch, benchConfig, serverCpus, out, log, clusterCompare, placement,
                    clusterJvm, clusterJvmB);
            if (clusterTimeline) {
                cluster.keepTimelines();
            }
            if (clusterParts.contains("latency")) {
                summary.add(cluster.latency(clusterRates));
            }
            if (clusterParts.contains("throughput")) {
                summary.add(cluster.throughput(window));
            }
            if (clusterParts.contains("memory")) {
                summary.add(cluster.idleMemory(clusterConnections));
            }
            if (clusterGcLog) {
                summary.addGcLogs(out, "cluster: GC pauses of each instance over its whole life (--cluster-gc-log; "
                        + "every server of a table carries the same traffic)");
            }
        }
        if (profile) {
            summary.addProfiles(out);
        }
        summary.write();
        System.out.println("\nsummary: " + out.resolve("summary.md"));
    }

    private static List<Integer> ints(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
    }

    /**
     * The JVM options of the unit beside a jar built in a checkout ({@code ROOT/dist/target/sigbridge.jar} →
     * {@code ROOT/dist/systemd/sigbridge.service}), so that the {@code --compare-jar} build's memory is measured as that
     * build shipped; {@code fallback} (this tree's) when the jar is elsewhere.
     */
    private static List<String> compareUnitOptions(Path compareJar, List<String> fallback) throws java.io.IOException {
        Path dist = compareJar.toAbsolutePath().getParent() == null ? null : compareJar.toAbsolutePath().getParent().getParent();
        Path unit = dist == null ? null : dist.resolve("systemd/sigbridge.service");
        return unit != null && Files.isRegularFile(unit) ? SigbridgeServer.unitJavaOptions(unit) : fallback;
    }

    /** JVM options as given on the command line: "unit" for the shipped unit's (dist/systemd/sigbridge.service). */
    private static List<String> jvmOptions(String given, Path root) throws java.io.IOException {
        return new ArrayList<>(given.equals("unit")
                ? SigbridgeServer.unitJavaOptions(root.resolve("dist/systemd/sigbridge.service"))
                : Arrays.stream(given.split(" ")).filter(o -> !o.isBlank()).toList());
    }

    /** The options, as {@code scenarios --help} prints them ({@code scenarios-usage.txt} beside this class). */
    private static String usage() throws java.io.IOException {
        try (java.io.InputStream in = ScenarioMain.class.getResourceAsStream("scenarios-usage.txt")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
