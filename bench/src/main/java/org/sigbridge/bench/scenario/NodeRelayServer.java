package org.sigbridge.bench.scenario;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.sigbridge.bench.load.WireDialect;

/** The baseline: {@code node bench/node-relay/relay.js} (ws, write batching) on a probed loopback port. */
public final class NodeRelayServer implements ServerUnderTest {
    private final Path script;
    private final String cpus;
    private final Path workDir;
    private final String logName;
    private int port;
    private ServerProcess process;
    private long readyNanos;

    public NodeRelayServer(Path script, String cpus, Path workDir, String logName) {
        this.script = script;
        this.cpus = cpus;
        this.workDir = workDir;
        this.logName = logName;
    }

    @Override
    public String name() {
        return "node-ws";
    }

    @Override
    public void start() {
        port = ServerProcess.freePort();
        process = ServerProcess.start(List.of("node", script.toString(), "--port", Integer.toString(port)), cpus,
                Map.of(), workDir, workDir.resolve(logName));
        readyNanos = process.awaitAccept(port, Duration.ofSeconds(30));
    }

    public long readyNanos() {
        return readyNanos;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public URI url(WireDialect dialect) {
        if (dialect != WireDialect.CHANNELS && dialect != WireDialect.ENVELOPE) {
            throw new IllegalArgumentException("the Node relay speaks channels and envelope, not " + dialect.wire());
        }
        return URI.create("ws://127.0.0.1:" + port + "/ws/" + dialect.wire());
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
