package org.sigbridge.bench.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.sigbridge.bench.report.SvgChart;

/**
 * {@code summary.md}: machine, settings, load averages, every comparison as a Markdown table, the target
 * verdicts of issue 7 and links to the plots. Also prints each table as it completes.
 */
public final class Summary {
    private final Path out;
    private final BenchSettings settings;
    private final String commandLine;
    private final String serverCpus;
    private final String loadAtStart = MachineInfo.loadAverages();
    private final StringBuilder body = new StringBuilder();
    private final List<String> verdicts = new ArrayList<>();

    public Summary(Path out, BenchSettings settings, String commandLine, String serverCpus) {
        this.out = out;
        this.settings = settings;
        this.commandLine = commandLine;
        this.serverCpus = serverCpus;
    }

    public void add(Comparison c) {
        String md = c.table().markdown();
        body.append("### ").append(c.title()).append("\n\nload average after: ").append(MachineInfo.loadAverages())
                .append("\n\n").append(md).append('\n');
        System.out.println("\n" + c.title() + "\n" + c.table().render());
        judge(c);
    }

    public void addLatencyCurve(Comparison c) throws IOException {
        add(c);
        SvgChart chart = new SvgChart("p50 / p99 latency against offered load", "offered messages/s (log)",
                "latency ms", true);
        for (String server : c.servers()) {
            for (Comparison.Metric m : List.of(LocalScenarios.P50, LocalScenarios.P99)) {
                chart.add(series(c, server + " " + m.name(), server, m.name()));
            }
        }
        write("latency-vs-load.svg", chart.render());
    }

    public void addClientScaling(Comparison c) throws IOException {
        add(c);
        SvgChart chart = new SvgChart("deliveries/s against clients (pairs, closed loop)", "clients (log)",
                "deliveries/s", true);
        for (String server : c.servers()) {
            chart.add(series(c, server, server, LocalScenarios.DELIVERIES.name()));
        }
        write("deliveries-vs-clients.svg", chart.render());
    }

    /** Digests every {@code *.jfr} file in {@code dir} (written when the servers exited). */
    public void addProfiles(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path jfr : files.filter(f -> f.toString().endsWith(".jfr")).sorted().toList()) {
                body.append("### profile ").append(jfr.getFileName()).append("\n\n")
                        .append(org.sigbridge.bench.report.JfrDigest.read(jfr).markdown(8)).append('\n');
            }
        }
    }

    /**
     * Digests every {@code *-gc.log} under {@code dir} (the cluster instances' GC logs of {@code --cluster-gc-log},
     * complete once their servers exited) into one table, a row per log named by its path under {@code dir}.
     */
    public void addGcLogs(Path dir, String title) throws IOException {
        List<Path> logs;
        try (var files = Files.walk(dir)) {
            logs = files.filter(f -> f.getFileName().toString().endsWith("-gc.log")).sorted().toList();
        }
        body.append("### ").append(title).append("\n\n").append(org.sigbridge.bench.report.GcLogDigest.header());
        for (Path log : logs) {
            body.append(org.sigbridge.bench.report.GcLogDigest.read(log).row(dir.relativize(log).toString()));
        }
        body.append('\n');
    }

    public void write() throws IOException {
        StringBuilder sb = new StringBuilder("# sigbridge benchmark run\n\n");
        sb.append("- command: `scripts/bench ").append(commandLine.replaceFirst("^scenarios ?", "")
                .replaceAll("--sigbridge-cp \\S+", "--sigbridge-cp CLASSPATH")).append("`\n");
        sb.append("- machine: ").append(MachineInfo.describe()).append('\n');
        sb.append("- load average (1/5/15 min) at start: ").append(loadAtStart).append(", at end: ")
                .append(MachineInfo.loadAverages()).append('\n');
        sb.append("- servers pinned to CPUs: ").append(serverCpus.isEmpty() ? "none" : serverCpus)
                .append("; generator: this JVM (see scripts/bench for its pinning)\n");
        sb.append(String.format(Locale.ROOT, "- per run: warm-up %s, measured %s, drain ≤ %s, payload %d B, dialect %s, "
                        + "repeats %d; cells are median (min–max)%n%n", settings.warmup(), settings.duration(),
                settings.drain(), settings.payloadBytes(), settings.dialect().wire(), settings.repeats()));
        if (!verdicts.isEmpty()) {
            sb.append("## Targets\n\n");
            verdicts.forEach(v -> sb.append("- ").append(v).append('\n'));
            sb.append('\n');
        }
        sb.append("## Results\n\n").append(body);
        write("summary.md", sb.toString());
    }

    private void judge(Comparison c) {
        String t = c.title();
        if ((t.startsWith("(a)") || t.startsWith("(b)")) && c.servers().contains(ScenarioMain.COMPARED)) {
            // --compare-jar: an A/B of two builds; the comparison's own ratio column is this build over that jar.
            for (String point : c.points()) {
                double cpu = ratio(c, point, LocalScenarios.SERVER_US_PER_DELIVERY.name(), ScenarioMain.COMPARED);
                verdicts.add(verdict(t.substring(0, 3) + " " + point + ": server CPU per delivery within 5 % of the --compare-jar build",
                        cpu <= 1.05, "sigbridge/" + ScenarioMain.COMPARED + " %.2f", cpu));
            }
        }
        if (t.startsWith("(a)")) {
            String point = c.points().get(0);
            double r = ratio(c, point, LocalScenarios.DELIVERIES.name(), NODE);
            verdicts.add(verdict("(a) deliveries/s ≥ 2× node-ws", r >= 2.0, "ratio %.2f", r));
            // Not a target of its own: says whether the line above compared servers or generators.
            double cpu = ratio(c, point, LocalScenarios.SERVER_US_PER_DELIVERY.name(), NODE);
            verdicts.add("(a) for reading the above: server CPU per delivery, sigbridge/node-ws = " + String.format(java.util.Locale.ROOT, "%.2f", cpu)
                    + " (below 0.5 would be 2× node-ws's capacity when the server, not the generator, is the limit)");
        } else if (t.startsWith("(c)") && c.points().contains("5000")) {
            double r = ratio(c, "5000", LocalScenarios.P99.name(), NODE);
            verdicts.add(verdict("(c) p99 at 5,000 msg/s ≤ 0.8× node-ws", r <= 0.8, "ratio %.2f", r));
        } else if (t.startsWith("(d)")) {
            for (String p : c.points()) {
                double kb = c.spread(p, "sigbridge", MemoryScenario.KB_PER_CONN.name()).median();
                double held = c.spread(p, "sigbridge", MemoryScenario.HELD.name()).min();
                verdicts.add(verdict("(d) ≤ 10 KB per idle connection at " + p, kb <= 10, "%.1f KB", kb));
                if (c.servers().contains(ScenarioMain.SIGBRIDGE_UNIT)) {
                    double unitKb = c.spread(p, ScenarioMain.SIGBRIDGE_UNIT, MemoryScenario.KB_PER_CONN.name()).median();
                    verdicts.add(verdict("(d) ≤ 10 KB per idle connection at " + p + " with the JVM options of the systemd unit and bin/sigbridge", unitKb <= 10,
                            "%.1f KB", unitKb));
                }
                if (p.equals("10000")) {
                    verdicts.add(verdict("(d) 10,000 connections held", held >= 10_000, "%.0f held (min)", held));
                }
            }
        } else if (t.startsWith("XMPP path")) {
            for (String p : c.points()) {
                double r = c.ratio(p, LocalScenarios.DELIVERIES.name());
                verdicts.add(verdict("XMPP path (" + p + " pairs) deliveries/s ≥ 90% of direct Smack", r >= 0.9,
                        "ratio %.2f", r));
                double added = c.spread(p, "sigbridge-xmpp", LocalScenarios.P50.name()).median()
                        - c.spread(p, "smack-direct", LocalScenarios.P50.name()).median();
                verdicts.add(verdict("XMPP path (" + p + " pairs) added p50 ≤ 1 ms", added <= 1.0, "%+.2f ms", added));
            }
        } else if (t.startsWith("SIP path")) {
            for (String p : c.points()) {
                double r = c.ratio(p, LocalScenarios.DELIVERIES.name());
                verdicts.add(verdict("SIP path (" + p + " pairs) deliveries/s ≥ 90% of direct JAIN-SIP", r >= 0.9,
                        "ratio %.2f", r));
            }
        } else if (t.startsWith("Core SignalR broadcast")) {
            // No target: the figure of issue 14, read as ratios against both baselines of the same run.
            for (String p : c.points()) {
                verdicts.add(String.format(Locale.ROOT, "Core SignalR broadcast at %s msg/s (for reading, no target): "
                        + "p50, p99, CPU per delivery of %s over sigbridge's channels dialect %.2f, %.2f, %.2f; over node-ws %.2f, %.2f, %.2f",
                        p, SignalRScenario.SIGNALR,
                        columnRatio(c, p, LocalScenarios.P50.name(), "sigbridge"),
                        columnRatio(c, p, LocalScenarios.P99.name(), "sigbridge"),
                        columnRatio(c, p, LocalScenarios.SERVER_US_PER_DELIVERY.name(), "sigbridge"),
                        columnRatio(c, p, LocalScenarios.P50.name(), NODE),
                        columnRatio(c, p, LocalScenarios.P99.name(), NODE),
                        columnRatio(c, p, LocalScenarios.SERVER_US_PER_DELIVERY.name(), NODE)));
            }
        } else if (t.startsWith("socket.io 4 over")) {
            judgeSocketIo(c);
        } else if (t.startsWith("start to ready")) {
            // Issue 18's target is the start as shipped: bin/sigbridge with the class-data sharing archive (sigbridge-cds).
            // Without an archive beside the jar that column is missing and the target is not measured.
            double ms = c.servers().contains(ScenarioMain.READY_CDS)
                    ? c.spread("default", ScenarioMain.READY_CDS, ReadyScenario.PORT_MS.name()).median() : Double.NaN;
            verdicts.add(verdict("start to ready as shipped (" + ScenarioMain.READY_CDS + ", bin/sigbridge with its CDS archive) ≤ 0.5 s",
                    ms <= 500, "%.0f ms to accept", ms));
            double bare = c.spread("default", "sigbridge", ReadyScenario.PORT_MS.name()).median();
            verdicts.add(String.format(Locale.ROOT, "start to ready as a bare java -jar (for reading, no target): %.0f ms to accept", bare));
            // The floor (docs/benchmarks.md, "Start to ready: the floor"): what sigbridge costs over the least a Java web host does.
            for (String floor : List.of(ReadyLaunches.FLOOR_JETTY, ReadyLaunches.FLOOR_JVM)) {
                if (c.servers().contains(floor) && c.servers().contains(ScenarioMain.READY_CDS)) {
                    verdicts.add(String.format(Locale.ROOT, "start to ready over the floor (for reading): %s / %s = %.2f spawn→accept, %.2f cpu",
                            ScenarioMain.READY_CDS, floor, medianRatio(c, ScenarioMain.READY_CDS, floor, ReadyScenario.PORT_MS.name()),
                            medianRatio(c, ScenarioMain.READY_CDS, floor, ReadyScenario.CPU_MS.name())));
                }
            }
        }
    }

    private static double medianRatio(Comparison c, String subject, String baseline, String metric) {
        return c.spread("default", subject, metric).median() / c.spread("default", baseline, metric).median();
    }

    /**
     * socket.io 4 (issue 13's figures): CPU per delivery over Node socket.io ≤ 0.33 (≥ 3× the deliveries per CPU-second)
     * and ≤ 10 KB per idle connection with the shipped JVM options; with {@code --compare-jar}, this build over that jar.
     */
    private void judgeSocketIo(Comparison c) {
        String transport = c.title().substring("socket.io 4 over ".length(), c.title().indexOf(':'));
        boolean ab = c.servers().contains(ScenarioMain.COMPARED) || c.servers().contains(SocketIoScenario.COMPARED_UNIT);
        if (c.title().contains("closed loop")) {
            for (String point : c.points()) {
                double cpu = ratio(c, point, LocalScenarios.SERVER_US_PER_DELIVERY.name(), NodeProcess.SOCKETIO);
                verdicts.add(verdict("socket.io " + transport + " " + point + ": server CPU per delivery ≤ 0.33× Node socket.io's",
                        cpu <= 0.33, "sigbridge/" + NodeProcess.SOCKETIO + " %.2f", cpu));
                if (ab) {
                    double vsB = ratio(c, point, LocalScenarios.SERVER_US_PER_DELIVERY.name(), ScenarioMain.COMPARED);
                    verdicts.add(String.format(Locale.ROOT, "socket.io %s %s (A/B, for reading): server CPU per delivery sigbridge/%s %.2f",
                            transport, point, ScenarioMain.COMPARED, vsB));
                }
            }
        } else if (c.title().contains("memory per idle")) {
            for (String point : c.points()) {
                double kb = c.spread(point, ScenarioMain.SIGBRIDGE_UNIT, MemoryScenario.KB_PER_CONN.name()).median();
                verdicts.add(verdict("socket.io " + transport + " ≤ 10 KB per idle connection at " + point + " (shipped JVM options)",
                        kb <= 10, "%.1f KB", kb));
                if (ab) {
                    double b = c.spread(point, SocketIoScenario.COMPARED_UNIT, MemoryScenario.KB_PER_CONN.name()).median();
                    double live = c.spread(point, ScenarioMain.SIGBRIDGE_UNIT, MemoryScenario.LIVE_KB_PER_CONN.name()).median();
                    double liveB = c.spread(point, SocketIoScenario.COMPARED_UNIT, MemoryScenario.LIVE_KB_PER_CONN.name()).median();
                    verdicts.add(String.format(Locale.ROOT, "socket.io %s memory at %s (A/B, for reading): %.1f KB against %.1f KB "
                            + "(live heap %.1f against %.1f KB)", transport, point, kb, b, live, liveB));
                }
            }
        }
    }

    private static final String NODE = "node-ws";

    /** Median of {@code sigbridge} over the median of {@code baseline} (by name: an A/B run puts another build second). */
    private static double ratio(Comparison c, String point, String metric, String baseline) {
        return c.spread(point, "sigbridge", metric).median() / c.spread(point, baseline, metric).median();
    }

    /** Median of the comparison's first column over the median of {@code baseline}. */
    private static double columnRatio(Comparison c, String point, String metric, String baseline) {
        return c.spread(point, c.servers().get(0), metric).median() / c.spread(point, baseline, metric).median();
    }

    private static String verdict(String target, boolean met, String format, double value) {
        return target + ": " + (Double.isNaN(value) ? "NOT MEASURED" : (met ? "met" : "NOT met")) + " ("
                + String.format(Locale.ROOT, format, value) + ")";
    }

    private static SvgChart.Series series(Comparison c, String name, String server, String metric) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (String p : c.points()) {
            xs.add(c.x(p));
            ys.add(c.spread(p, server, metric).median());
        }
        return new SvgChart.Series(name, xs, ys);
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(out.resolve(name), text);
    }
}
