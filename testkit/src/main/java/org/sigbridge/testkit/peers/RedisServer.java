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
 * A real {@code redis-server} (Debian's Redis 7) on 127.0.0.1, for the cluster module's tests: its config, data and
 * log live in a private temp directory, the port is probed once ({@link FreePorts}), so {@link #stop()} or
 * {@link #kill()} then {@link #start()} restart it on the same port, with its data when it persists (AOF) and empty
 * when it does not. It binds nothing but that port (protected mode on, no unix socket).
 *
 * <p>Methods are synchronized and block (start: tens of milliseconds, bounded by the start timeout; stop: up to a few
 * seconds). {@link #close()} stops the server and deletes the directory; it is idempotent, and after it only the
 * accessors may be used.
 */
public final class RedisServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final ScratchDir dir;
    private final int port;
    private final Path config;
    private boolean paused;
    private final Path consoleLog;
    private final Duration startTimeout;
    private PeerProcess process;
    private boolean closed;

    private RedisServer(Builder builder) {
        this.dir = ScratchDir.create("sigbridge-redis-");
        this.port = FreePorts.tcpAndUdp();
        this.startTimeout = builder.startTimeout;
        this.consoleLog = dir.resolve("redis.stdout.log");
        this.config = dir.resolve("redis.conf");
        String conf = String.join("\n",
                "bind 127.0.0.1",
                "port " + port,
                "protected-mode yes",
                "daemonize no",
                "dir " + dir.path(),
                "save \"\"",
                "appendonly " + (builder.appendOnly ? "yes" : "no"),
                "appendfsync everysec",
                "loglevel notice",
                "logfile \"\"",
                "") + builder.extraConfig;
        try {
            Files.writeString(config, conf, StandardCharsets.UTF_8);
        } catch (IOException e) {
            dir.close();
            throw new UncheckedIOException("cannot prepare " + dir.path(), e);
        }
    }

    /** Options for a new server; {@link Builder#start()} creates and starts it. */
    public static Builder builder() {
        return new Builder();
    }

    /** A started server without persistence: a restart comes back empty. */
    public static RedisServer start() {
        return builder().start();
    }

    /**
     * Starts redis-server (again) and blocks until the port accepts. No-op if it is running.
     *
     * @throws PeerException with the log tail if it exits or does not accept within the start timeout
     */
    public synchronized void startAgain() {
        requireOpen();
        if (process != null && process.isAlive()) {
            return;
        }
        process = PeerProcess.start("redis-server", List.of("redis-server", config.toString()), dir.path(), consoleLog);
        process.awaitTcpAccept(port, startTimeout);
        LOG.info("redis-server pid {} up on 127.0.0.1:{} ({})", process.pid(), port, dir.path());
    }

    /** Stops it with SIGTERM (Redis writes its AOF and exits; SIGKILL after a bounded wait). Idempotent. */
    public synchronized void stop() {
        if (process != null) {
            if (paused && process.isAlive()) {
                signal("-CONT"); // a stopped process handles SIGTERM only once it runs again
            }
            process.stop(STOP_GRACE);
            LOG.info("redis-server on 127.0.0.1:{} stopped", port);
            process = null;
            paused = false;
        }
    }

    /** Kills it with SIGKILL, as a crash would. Idempotent. */
    public synchronized void kill() {
        if (process != null) {
            process.process().destroyForcibly();
            try {
                process.process().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.info("redis-server on 127.0.0.1:{} killed", port);
            process = null;
            paused = false;
        }
    }

    /**
     * SIGSTOP: Redis stops answering and publishing, its connections stay open (a stalled server: what clients send
     * waits in its socket buffers and runs after {@link #resume()}). Blocks until {@code kill} returns.
     */
    public synchronized void pause() {
        signal("-STOP");
        paused = true;
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() {
        signal("-CONT");
        paused = false;
    }

    private void signal(String signal) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("redis-server on 127.0.0.1:" + port + " is not running");
        }
        ShortCommand.run(List.of("kill", signal, Long.toString(process.pid())), dir.path(), Duration.ofSeconds(10));
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The port on 127.0.0.1; stable across restarts. */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}, as the cluster section's {@code redis} key takes it. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Runs {@code redis-cli} against this server and returns its output (e.g. {@code "DBSIZE"}). Blocks briefly. */
    public synchronized String cli(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
        command.addAll(List.of(args));
        return ShortCommand.run(command, dir.path(), Duration.ofSeconds(10));
    }

    /** Stops the server and deletes its directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stop();
        closed = true;
        dir.close();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this redis-server was closed");
        }
    }

    /** Options for {@link RedisServer}. */
    public static final class Builder {
        private boolean appendOnly;
        private Duration startTimeout = Duration.ofSeconds(15);
        private String extraConfig = "";

        private Builder() {
        }

        /** Persist with an append-only file (fsync every second), so a restart keeps the data. Default: off. */
        public Builder appendOnly(boolean on) {
            this.appendOnly = on;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** More {@code redis.conf} lines, each ending in a newline (e.g. ACL users). */
        public Builder extraConfig(String lines) {
            this.extraConfig = lines;
            return this;
        }

        /** Creates the server and starts it. */
        public RedisServer start() {
            RedisServer server = new RedisServer(this);
            try {
                server.startAgain();
                return server;
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }
    }
}
