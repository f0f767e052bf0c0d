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
 * A real HAProxy (Debian's 2.6, {@code haproxy -db}) on 127.0.0.1 in front of bridge instances, as an operator would run
 * it (docs/cluster.md §1): HTTP mode, WebSocket upgrades tunnelled, {@code balance roundrobin} so that clients spread
 * over the instances, and the long-polling stickiness cookie ({@code SBNODE}, which WebSocket clients without a
 * cookie jar never send back). The config is written to a private temp directory; the port is probed with
 * {@link FreePorts}.
 *
 * <p>Methods block (start: until the port accepts, bounded). {@link #close()} stops it and deletes the directory;
 * idempotent.
 */
public final class HaproxyServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HaproxyServer.class);

    private final ScratchDir dir;
    private final int port;
    private final PeerProcess process;
    private boolean closed;

    private HaproxyServer(List<Integer> backendPorts) {
        this(backendPorts, false);
    }

    private HaproxyServer(List<Integer> backendPorts, boolean failover) {
        this.dir = ScratchDir.create("sigbridge-haproxy-");
        this.port = FreePorts.tcpAndUdp();
        Path config = dir.resolve("haproxy.cfg");
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < backendPorts.size(); i++) {
            servers.append("  server s").append(i).append(" 127.0.0.1:").append(backendPorts.get(i))
                    .append(" cookie s").append(i).append(failover ? " check inter 200 fall 1 rise 1" : "").append('\n');
        }
        String cfg = """
                global
                  maxconn 512
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 30s
                  timeout server 30s
                  timeout tunnel 1h
                frontend web
                  bind 127.0.0.1:%d
                  default_backend bridges
                backend bridges
                  balance %s
                  cookie SBNODE insert indirect nocache httponly
                  option redispatch
                %s""".formatted(port, failover ? "first" : "roundrobin", servers);
        try {
            Files.writeString(config, cfg, StandardCharsets.UTF_8);
            process = PeerProcess.start("haproxy", List.of("haproxy", "-db", "-f", config.toString()), dir.path(),
                    dir.resolve("haproxy.log"));
            process.awaitTcpAccept(port, Duration.ofSeconds(15));
        } catch (IOException e) {
            dir.close();
            throw new UncheckedIOException("cannot write " + config, e);
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
        LOG.info("haproxy pid {} on 127.0.0.1:{} in front of {}", process.pid(), port, backendPorts);
    }

    /**
     * Starts HAProxy with the operator's config {@code shipped} (dist/haproxy/haproxy.cfg) as it is, its addresses given
     * the way an operator gives them, through the environment: {@code SIGBRIDGE_FRONT} a free loopback port,
     * {@code SIGBRIDGE_A} and {@code SIGBRIDGE_B} the two web ports {@code a} and {@code b} on 127.0.0.1.
     */
    public static HaproxyServer startShipped(Path shipped, int a, int b) {
        return new HaproxyServer(shipped, a, b);
    }

    private HaproxyServer(Path shipped, int a, int b) {
        this.dir = ScratchDir.create("sigbridge-haproxy-");
        this.port = FreePorts.tcpAndUdp();
        try {
            process = PeerProcess.start("haproxy", List.of("haproxy", "-db", "-f", shipped.toAbsolutePath().toString()),
                    java.util.Map.of("SIGBRIDGE_FRONT", "127.0.0.1:" + port, "SIGBRIDGE_A", "127.0.0.1:" + a,
                            "SIGBRIDGE_B", "127.0.0.1:" + b), dir.path(), dir.resolve("haproxy.log"));
            process.awaitTcpAccept(port, Duration.ofSeconds(15));
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
        LOG.info("haproxy pid {} on 127.0.0.1:{} in front of [{}, {}] with {}", process.pid(), port, a, b, shipped);
    }

    /** Starts HAProxy in front of the web ports {@code backendPorts} on 127.0.0.1. */
    public static HaproxyServer start(List<Integer> backendPorts) {
        return new HaproxyServer(List.copyOf(backendPorts));
    }

    /**
     * Starts HAProxy in front of {@code backendPorts} with {@code balance first} and health checks every 200 ms: every
     * client goes to the first backend while it is up, and to the next one once a check found it down, as after a
     * failover (for tests that must know which instance a client lands on before and after one dies).
     */
    public static HaproxyServer startFailover(List<Integer> backendPorts) {
        return new HaproxyServer(List.copyOf(backendPorts), true);
    }

    /** The port clients connect to. */
    public int port() {
        return port;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            process.stop(Duration.ofSeconds(5));
        } finally {
            dir.close();
        }
    }
}
