package org.sigbridge.bench.scenario;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.sigbridge.bench.load.WireDialect;

/**
 * A Node.js baseline server: {@code node SCRIPT --port P} on a probed loopback port, ready when its log shows the
 * script's ready line {@code "<ready> ready on 127.0.0.1:P"} (each script prints it once it listens; matching the port
 * as well means a port another process took meanwhile is not mistaken for this server's). One class for the three
 * baselines in {@code bench/} ({@link #relay}, {@link #peerServer}, {@link #socketIo}); they differ only in their
 * script, their ready line and the dialects they serve at which path. One owner; {@link #close} is idempotent.
 */
public final class NodeProcess implements ServerUnderTest {
    /** How tables call the npm socket.io server. */
    public static final String SOCKETIO = "node-socketio";
    /** Generous: on a loaded machine node took over 30 s to load the socket.io server before printing its line. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final String name;
    private final Path script;
    private final String readyLine;
    private final Map<WireDialect, String> paths;
    private final String cpus;
    private final Path workDir;
    private final String logName;
    private int port;
    private ServerProcess process;

    /**
     * @param readyLine what the script prints before {@code " ready on HOST:PORT"}
     * @param paths     the URL path of each dialect the server speaks
     */
    public NodeProcess(String name, Path script, String readyLine, Map<WireDialect, String> paths, String cpus, Path workDir,
                       String logName) {
        this.name = name;
        this.script = script;
        this.readyLine = readyLine;
        this.paths = Map.copyOf(paths);
        this.cpus = cpus;
        this.workDir = workDir;
        this.logName = logName;
    }

    /** {@code bench/node-relay/relay.js}: the channels and envelope dialects on {@code ws}, writes corked per loop turn. */
    public static NodeProcess relay(Path script, String cpus, Path workDir, String logName) {
        return new NodeProcess("node-ws", script, "node-relay", Map.of(WireDialect.CHANNELS, "/ws/channels",
                WireDialect.ENVELOPE, "/ws/envelope"), cpus, workDir, logName);
    }

    /** {@code bench/peer-server/server.js}: the npm {@code peer} 1.0.2 PeerServer (path {@code /}, key {@code peerjs}). */
    public static NodeProcess peerServer(Path script, String cpus, Path workDir, String logName) {
        return new NodeProcess("node-peer", script, "peer-server", Map.of(WireDialect.PEERJS, "/peerjs"), cpus, workDir, logName);
    }

    /**
     * {@code bench/socketio-server/server.js}: the npm {@code socket.io} 4.8.4 server with its defaults relaying
     * {@code message} events to the sender's channel as sigbridge's relay family does (docs/benchmarks.md).
     */
    public static NodeProcess socketIo(Path script, String cpus, Path workDir, String logName) {
        return new NodeProcess(SOCKETIO, script, "socketio-server", Map.of(WireDialect.SOCKETIO, "/socket.io/",
                WireDialect.SOCKETIO_POLLING, "/socket.io/"), cpus, workDir, logName);
    }

    @Override
    public String name() {
        return name;
    }

    /** Starts the script and blocks until it printed its ready line for the probed port. */
    @Override
    public void start() {
        port = ServerProcess.freePort();
        process = ServerProcess.start(List.of("node", script.toString(), "--port", Integer.toString(port)), cpus,
                Map.of(), workDir, workDir.resolve(logName));
        process.awaitLine(readyLine + " ready on 127.0.0.1:" + port, START_TIMEOUT);
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public URI url(WireDialect dialect) {
        String path = paths.get(dialect);
        if (path == null) {
            throw new IllegalArgumentException(name + " speaks only " + dialects() + ", not " + dialect.wire());
        }
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    private Set<String> dialects() {
        return paths.keySet().stream().map(WireDialect::wire).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
