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
 * it (docs/cluster.md §1): HTTP mode, WebSocket upgrades tunnelled, and the backend of the shipped
 * {@code dist/haproxy/haproxy.cfg} ({@link #backend}): {@code balance roundrobin} so that clients spread over the
 * instances, the long-polling stickiness cookie ({@code SBNODE}, which WebSocket clients without a cookie jar never send
 * back), and the health check {@code GET /readyz}, so a draining instance gets no new clients; only the check's interval
 * is the tests' ({@link #TEST_CHECK}). The config is written to a private temp directory; the port is probed with
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
        String bridges = backend(shippedConfig(), backendPorts, failover);
        this.dir = ScratchDir.create("sigbridge-haproxy-");
        this.port = FreePorts.tcpAndUdp();
        Path config = dir.resolve("haproxy.cfg");
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
                %s""".formatted(port, bridges);
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

    /** The check interval of the tests' servers: the shipped {@code inter 2s fall 2 rise 2} would take seconds to see a drain. */
    static final String TEST_CHECK = "inter 200 fall 1 rise 1";

    /**
     * The operator's config, {@code dist/haproxy/haproxy.cfg}, found from the working directory (a module's, or the
     * repository's) upwards.
     *
     * @throws IllegalStateException when no directory above holds it
     */
    public static Path shippedConfig() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path cfg = d.resolve("dist/haproxy/haproxy.cfg");
            if (Files.isRegularFile(cfg)) {
                return cfg;
            }
        }
        throw new IllegalStateException("dist/haproxy/haproxy.cfg not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * The tests' backend, made from the shipped config's {@code backend} section: every line of it as shipped (the
     * cookie, {@code option redispatch}, the {@code /readyz} HTTP check and what it expects) but its {@code balance}
     * ({@code first} for {@code failover}) and its servers, which become one per port on 127.0.0.1 with the shipped
     * server options, the check's interval and counts replaced by {@link #TEST_CHECK}; plus {@code timeout check 2s}, so
     * a check answered late on a loaded machine is not taken for a failure at the interval.
     */
    static String backend(Path shipped, List<Integer> backendPorts, boolean failover) {
        List<String> lines;
        try {
            lines = Files.readAllLines(shipped, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + shipped, e);
        }
        StringBuilder out = new StringBuilder("backend bridges\n");
        String serverOptions = null;
        boolean in = false;
        for (String line : lines) {
            String t = line.strip();
            if (!line.startsWith(" ") && !line.startsWith("\t") && !t.isEmpty()) {
                in = t.startsWith("backend ");
                continue;
            }
            if (!in || t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            if (t.startsWith("balance ")) {
                out.append("  balance ").append(failover ? "first" : t.substring("balance ".length())).append('\n');
            } else if (t.startsWith("server ")) {
                // server <name> <address> cookie <name> <options...>: the options of the first one
                String[] w = t.split("\\s+");
                if (serverOptions == null) {
                    serverOptions = String.join(" ", java.util.Arrays.copyOfRange(w, 5, w.length))
                            .replaceAll("\\s*\\b(inter|fall|rise)\\s+\\S+", "").strip();
                }
            } else {
                out.append("  ").append(t).append('\n');
            }
        }
        if (serverOptions == null || !serverOptions.contains("check") || !out.toString().contains("option httpchk")) {
            throw new IllegalStateException(shipped + " has no backend with checked servers (option httpchk, server … check)");
        }
        out.append("  timeout check 2s\n");
        for (int i = 0; i < backendPorts.size(); i++) {
            out.append("  server s").append(i).append(" 127.0.0.1:").append(backendPorts.get(i)).append(" cookie s").append(i)
                    .append(' ').append(serverOptions).append(' ').append(TEST_CHECK).append('\n');
        }
        return out.toString();
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

    /** Starts HAProxy in front of the web ports {@code backendPorts} on 127.0.0.1 ({@code balance roundrobin}, as shipped). */
    public static HaproxyServer start(List<Integer> backendPorts) {
        return new HaproxyServer(List.copyOf(backendPorts));
    }

    /**
     * Starts HAProxy in front of {@code backendPorts} with {@code balance first}: every client goes to the first backend
     * while its {@code /readyz} check passes, and to the next one once a check found it down (killed, stopped, or
     * draining: {@code /readyz} answers 503 then), as after a failover (for tests that must know which instance a client
     * lands on before and after one goes away).
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
