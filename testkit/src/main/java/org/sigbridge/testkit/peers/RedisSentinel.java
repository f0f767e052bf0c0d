package org.sigbridge.testkit.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis Sentinel ({@code redis-server sentinel.conf --sentinel}, Debian's Redis 7) on 127.0.0.1, monitoring one
 * master of a {@link RedisServer} group, for the cluster module's failover tests. Quick to act, as a test wants it:
 * the master counts as down after {@code downAfter} without an answer, a quorum of 1 lets one Sentinel decide, and a
 * failover that did not complete (two Sentinels split the vote) is tried again after 4 s instead of minutes.
 * Its config (which Sentinel rewrites) and log live in a private temp directory; the port is probed once
 * ({@link FreePorts}).
 *
 * <p>Methods are synchronized and block briefly. {@link #close()} stops it and deletes the directory; idempotent.
 */
public final class RedisSentinel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSentinel.class);

    private final ScratchDir dir;
    private final int port;
    private final String master;
    private PeerProcess process;
    private boolean closed;

    private RedisSentinel(String master, int masterPort, Duration downAfter) {
        this.dir = ScratchDir.create("sigbridge-sentinel-");
        this.port = FreePorts.tcpAndUdp();
        this.master = master;
        Path config = dir.resolve("sentinel.conf");
        String conf = String.join("\n",
                "bind 127.0.0.1",
                "port " + port,
                "daemonize no",
                "dir " + dir.path(),
                "logfile \"\"",
                "sentinel monitor " + master + " 127.0.0.1 " + masterPort + " 1",
                "sentinel down-after-milliseconds " + master + " " + downAfter.toMillis(),
                "sentinel failover-timeout " + master + " 2000",
                "sentinel parallel-syncs " + master + " 1",
                "");
        try {
            Files.writeString(config, conf, StandardCharsets.UTF_8);
        } catch (IOException e) {
            dir.close();
            throw new UncheckedIOException("cannot prepare " + dir.path(), e);
        }
        process = PeerProcess.start("redis-sentinel", List.of("redis-server", config.toString(), "--sentinel"), dir.path(),
                dir.resolve("sentinel.stdout.log"));
    }

    /**
     * Starts a Sentinel that monitors {@code master} at 127.0.0.1:{@code masterPort} and blocks until it accepts.
     *
     * @throws PeerException with the log tail if it exits or does not accept within 15 s
     */
    public static RedisSentinel start(String master, int masterPort, Duration downAfter) {
        RedisSentinel s = new RedisSentinel(master, masterPort, downAfter);
        try {
            s.process.awaitTcpAccept(s.port, Duration.ofSeconds(15));
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        LOG.info("redis sentinel pid {} up on 127.0.0.1:{} monitoring {} at port {}", s.process.pid(), s.port, master, masterPort);
        return s;
    }

    /** Its port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>}, as a {@code cluster.sentinel.nodes} entry. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** The port of the master it names now ({@code SENTINEL get-master-addr-by-name}), or -1 when it names none. */
    public synchronized int masterPort() {
        List<String> lines = cli("SENTINEL", "get-master-addr-by-name", master).lines().map(String::trim)
                .filter(l -> !l.isEmpty()).toList();
        return lines.size() == 2 ? Integer.parseInt(lines.get(1)) : -1;
    }

    /** Runs {@code redis-cli} against this Sentinel and returns its output. Blocks briefly. */
    public synchronized String cli(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
        command.addAll(List.of(args));
        return ShortCommand.run(command, dir.path(), Duration.ofSeconds(10));
    }

    /** Stops it and deletes its directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (process != null) {
            process.stop(Duration.ofSeconds(5));
            process = null;
        }
        dir.close();
    }
}
