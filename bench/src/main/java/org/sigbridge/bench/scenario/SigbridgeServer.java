package org.sigbridge.bench.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.sigbridge.bench.load.WireDialect;

/**
 * sigbridge from its shaded jar with a benchmark config: local hub, web adapter on a probed port, demo
 * off, per-connection rate limit and per-address connection limit raised (the generator is one address
 * sending far above a browser's rate), SignalR hubs with {@code clients: others} (so a room's fan-out is the
 * other members, as in the channels dialect), logging at warn. Everything else is the default.
 */
public final class SigbridgeServer implements ServerUnderTest {
    public static final String BENCH_CONFIG = """
            # Written by the bench runner. Local hub; limits raised for one loopback load generator.
            bridge:
              name: sigbridge-bench
              default-route: local
              shutdown-grace: 1s
            adapters:
              web:
                type: web
                host: 127.0.0.1
                port: ${SIGBRIDGE_WEB_PORT}
                demo: false
                max-connections-per-address: 1000000
                rate-limit:
                  messages-per-second: 1000000
                  burst: 1000000
                signalr:
                  clients: others     # like the channels dialect: the sender does not hear its own broadcast
            routes:
              - match: "*"
                to: local
            logging:
              level: warn
            """;

    private final String name;
    private final List<String> launch;
    private final Path config;
    private final List<String> jvmOptions;
    private final String cpus;
    private final Path workDir;
    private final String logName;
    private int port;
    private ServerProcess process;
    private long readyNanos;

    /**
     * @param launch     how java finds sigbridge: {@code -jar sigbridge.jar}, or {@code -cp CLASSPATH
     *                   org.sigbridge.launch.Main}; see {@link #launchArgs}
     * @param config     a sigbridge YAML file that reads {@code ${SIGBRIDGE_WEB_PORT}}; see {@link #writeBenchConfig}
     * @param jvmOptions extra JVM options (none by default: the figures are for {@code java -jar} as shipped)
     */
    public SigbridgeServer(List<String> launch, Path config, List<String> jvmOptions, String cpus, Path workDir, String logName) {
        this("sigbridge", launch, config, jvmOptions, cpus, workDir, logName);
    }

    /** @param name how tables call this server (e.g. one started with the systemd unit's JVM options) */
    public SigbridgeServer(String name, List<String> launch, Path config, List<String> jvmOptions, String cpus, Path workDir,
                           String logName) {
        this.name = name;
        this.launch = List.copyOf(launch);
        this.config = config;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.cpus = cpus;
        this.workDir = workDir;
        this.logName = logName;
    }

    /** {@code -jar JAR} when {@code classpath} is empty, else {@code -cp CLASSPATH org.sigbridge.launch.Main}. */
    public static List<String> launchArgs(Path jar, String classpath) {
        return classpath.isEmpty() ? List.of("-jar", jar.toString())
                : List.of("-cp", classpath, "org.sigbridge.launch.Main");
    }

    /**
     * How the {@code bin/sigbridge} of the tree a jar was built in ({@code TREE/dist/target/sigbridge.jar}) starts it:
     * {@code -cp JAR org.sigbridge.launch.Main} when its exec line says so (since session 13: the JVM reads the jar's
     * central directory once instead of twice; docs/operations.md, "Start-up"), else {@code -jar JAR}, as before and
     * for a jar outside a tree.
     */
    public static List<String> shippedLaunchArgs(Path jar) {
        Path target = jar.toAbsolutePath().getParent();
        Path tree = target == null || target.getParent() == null ? null : target.getParent().getParent();
        Path launcher = tree == null ? null : tree.resolve("bin/sigbridge");
        try {
            if (launcher != null && Files.isRegularFile(launcher) && Files.readAllLines(launcher).stream()
                    .filter(l -> !l.strip().startsWith("#"))
                    .anyMatch(l -> l.contains("-cp \"$JAR\" org.sigbridge.launch.Main"))) {
                return List.of("-cp", jar.toString(), "org.sigbridge.launch.Main");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.of("-jar", jar.toString());
    }

    /** Writes {@link #BENCH_CONFIG} into {@code dir} and returns its path. */
    public static Path writeBenchConfig(Path dir) {
        try {
            return Files.writeString(dir.resolve("sigbridge-bench.yml"), BENCH_CONFIG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * The class-data sharing options {@code bin/sigbridge} adds when the build's archive is there
     * (docs/operations.md, "Start-up").
     */
    public static List<String> cdsOptions(Path archive) {
        return List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /**
     * The JVM options the packaged systemd unit starts sigbridge with: its {@code Environment="JAVA_OPTS=…"} line,
     * split on spaces (the unit is the source, so the bench follows any change to it). Empty if there is none.
     */

    public static List<String> unitJavaOptions(Path unit) throws java.io.IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^Environment=\"JAVA_OPTS=([^\"]*)\"").matcher(Files.readString(unit));
        return m.find() ? List.of(m.group(1).trim().split("\\s+")) : List.of();
    }

    @Override
    public void start() {
        port = ServerProcess.freePort();
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(jvmOptions);
        command.addAll(launch);
        command.addAll(List.of("--config", config.toString()));
        process = ServerProcess.start(command, cpus, Map.of("SIGBRIDGE_WEB_PORT", Integer.toString(port)), workDir,
                workDir.resolve(logName));
        // Generous: on a shared, loaded machine a bridge whose upstream login is slow took over a minute to open its port.
        readyNanos = process.awaitAccept(port, Duration.ofSeconds(180));
    }

    /** Nanoseconds from process start until the port accepted. */
    public long readyNanos() {
        return readyNanos;
    }

    public Path log() {
        return process.log();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public URI url(WireDialect dialect) {
        String path = switch (dialect) {
            case PEERJS -> "/peerjs";
            case SIGNALR -> "/hubs/";
            case SOCKETIO, SOCKETIO_POLLING -> "/socket.io/";
            default -> "/ws/" + dialect.wire();
        };
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
