package org.sigbridge.bench.scenario;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.sigbridge.bench.load.WireDialect;

/**
 * The PeerJS baseline: {@code node bench/peer-server/server.js}, the reference npm {@code peer} 1.0.2 PeerServer
 * (path {@code /}, key {@code peerjs}), on a probed loopback port. Serves only {@link WireDialect#PEERJS}.
 */
public final class PeerServerNode implements ServerUnderTest {
    private final Path script;
    private final String cpus;
    private final Path workDir;
    private final String logName;
    private int port;
    private ServerProcess process;

    public PeerServerNode(Path script, String cpus, Path workDir, String logName) {
        this.script = script;
        this.cpus = cpus;
        this.workDir = workDir;
        this.logName = logName;
    }

    @Override
    public String name() {
        return "node-peer";
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
        if (dialect != WireDialect.PEERJS) {
            throw new IllegalArgumentException("the peer server speaks only the peerjs dialect, not " + dialect.wire());
        }
        return URI.create("ws://127.0.0.1:" + port + "/peerjs");
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
