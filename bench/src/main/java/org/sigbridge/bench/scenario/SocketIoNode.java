package org.sigbridge.bench.scenario;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.sigbridge.bench.load.WireDialect;

/**
 * The socket.io baseline: {@code node bench/socketio-server/server.js}, the npm {@code socket.io} 4.8.4 server with
 * its defaults relaying {@code message} events to the sender's channel as sigbridge's relay family does
 * (docs/benchmarks.md), on a probed loopback port. Serves only the socket.io dialects, at {@code /socket.io/}.
 */
public final class SocketIoNode implements ServerUnderTest {
    /** How tables call this server. */
    public static final String NAME = "node-socketio";

    private final Path script;
    private final String cpus;
    private final Path workDir;
    private final String logName;
    private int port;
    private ServerProcess process;

    public SocketIoNode(Path script, String cpus, Path workDir, String logName) {
        this.script = script;
        this.cpus = cpus;
        this.workDir = workDir;
        this.logName = logName;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start() {
        port = ServerProcess.freePort();
        process = ServerProcess.start(List.of("node", script.toString(), "--port", Integer.toString(port)), cpus,
                Map.of(), workDir, workDir.resolve(logName));
        process.awaitAccept(port, Duration.ofSeconds(30));
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public URI url(WireDialect dialect) {
        if (!dialect.socketIo()) {
            throw new IllegalArgumentException("the socket.io server speaks only socket.io, not " + dialect.wire());
        }
        return URI.create("ws://127.0.0.1:" + port + "/socket.io/");
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
