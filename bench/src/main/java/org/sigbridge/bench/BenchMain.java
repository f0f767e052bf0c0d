package org.sigbridge.bench;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.sigbridge.bench.load.LoadRun;
import org.sigbridge.bench.load.LoadSpec;
import org.sigbridge.bench.load.SourceAddresses;
import org.sigbridge.bench.load.RunResult;
import org.sigbridge.bench.load.WireDialect;
import org.sigbridge.bench.report.RunFormat;
import org.sigbridge.bench.report.TextTable;
import org.sigbridge.bench.scenario.ScenarioMain;

/**
 * Command line: {@code load} runs one load against a running server, {@code scenarios} runs the whole
 * comparison suite (what {@code scripts/bench} calls). Exit status 2 for bad usage.
 */
public final class BenchMain {
    private static final String USAGE = """
            usage: java -jar sigbridge-bench.jar load --url ws://127.0.0.1:PORT/ws/channels[,ws://…] [options]
                     (several URLs: the members of each channel are spread over them)
                     --dialect channels|envelope   (default channels)
                     --clients N                   (default 100)
                     --per-channel N               clients per channel, fan-out N-1 (default 2)
                     --rate R                      messages/s per client; 0 = closed loop (default 0)
                     --window W                    closed loop: messages in flight per client (default 1)
                     --payload BYTES               frame size, 600 (ICE-like) or 4096 (SDP-like) (default 600)
                     --warmup 2s --duration 5s --drain 3s
                     --threads N                   client worker threads (default 4)
                     --connect-concurrency N       (default 200)
         --clients-per-address N       clients per loopback source address, 127.0.0.1, .2, … (default: the
                                       kernel's ephemeral port range less 2,000)
                     --idle                        connect and subscribe only, hold for --duration
                     --server-pid PID              sample the server's CPU from /proc
                     --label TEXT  --json FILE     (append JSON lines to FILE as well as stdout)
                   java -jar sigbridge-bench.jar scenarios --help
            """;

    /** Held so the level sticks: Smack logs through java.util.logging, and its roster warnings are noise here. */
    private static final java.util.logging.Logger SMACK_LOG = java.util.logging.Logger.getLogger("org.jivesoftware");

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(USAGE);
            return;
        }
        SMACK_LOG.setLevel(java.util.logging.Level.SEVERE);
        try {
            switch (args[0]) {
                case "load" -> load(new CliArgs(args, 1, Set.of("idle")));
                case "scenarios" -> ScenarioMain.run(args);
                default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("sigbridge-bench: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
    }

    static LoadSpec spec(CliArgs cli) {
        List<URI> urls = Arrays.stream(cli.string("url", "ws://127.0.0.1:8888/ws/channels").split(","))
                .map(String::trim).map(URI::create).toList();
        return new LoadSpec(cli.string("label", "run"), urls.get(0), urls.subList(1, urls.size()),
                WireDialect.parse(cli.string("dialect", "channels")), cli.integer("clients", 100),
                cli.integer("per-channel", 2), cli.decimal("rate", 0), cli.integer("window", 1),
                cli.integer("payload", 600), cli.duration("warmup", Duration.ofSeconds(2)),
                cli.duration("duration", Duration.ofSeconds(5)), cli.duration("drain", Duration.ofSeconds(3)),
                cli.integer("threads", 4), cli.integer("connect-concurrency", 200), cli.flag("idle"));
    }

    private static void load(CliArgs cli) throws Exception {
        LoadSpec spec = spec(cli);
        long serverPid = cli.integer("server-pid", 0);
        String jsonFile = cli.string("json", null);
        int perAddress = cli.integer("clients-per-address", SourceAddresses.forThisMachine().perAddress());
        cli.rejectUnused();
        RunResult result;
        try (LoadRun run = new LoadRun(spec, serverPid).clientsPerAddress(perAddress)) {
            run.connect();
            result = run.measure();
        }
        String json = RunFormat.json(result);
        PrintStream out = System.out;
        out.println(json);
        if (jsonFile != null) {
            Files.writeString(Path.of(jsonFile), json + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        out.print(new TextTable(RunFormat.COLUMNS).row(RunFormat.row(result)).render());
        if (result.generatorBound()) {
            out.println("note: the generator used " + Math.round(result.generatorCpuPct())
                    + "% of a core: this run may measure the generator, not the server");
        }
    }
}
