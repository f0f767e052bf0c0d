package org.sigbridge.bench.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child process started on loopback, optionally pinned to CPUs with {@code taskset}, with stdout and
 * stderr in one log file. {@code taskset} execs the command, so {@link #pid()} is the server's own pid.
 * Not thread-safe; one owner.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(8);

    private final Process process;
    private final long startNanos;
    private final Path log;

    private ServerProcess(Process process, long startNanos, Path log) {
        this.process = process;
        this.startNanos = startNanos;
        this.log = log;
    }

    /** Starts {@code command} (prefixed with {@code taskset -c CPUS} when {@code cpus} is not empty). */
    public static ServerProcess start(List<String> command, String cpus, Map<String, String> env, Path directory,
                                      Path log) {
        List<String> full = new ArrayList<>();
        if (!cpus.isEmpty()) {
            full.addAll(List.of("taskset", "-c", cpus));
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        try {
            long t0 = System.nanoTime();
            return new ServerProcess(builder.start(), t0, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + full, e);
        }
    }

    /**
     * Blocks until 127.0.0.1:{@code port} accepts a TCP connection.
     *
     * @return nanoseconds from process start until the first accepted connection
     * @throws IllegalStateException if the process exits or the timeout passes first
     */
    public long awaitAccept(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("process exited with " + process.exitValue() + "; see " + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return System.nanoTime() - startNanos;
            } catch (IOException e) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for port " + port, ie);
                }
            }
        }
        throw new IllegalStateException("port " + port + " did not accept within " + timeout + "; see " + log);
    }

    /**
     * Blocks until the log contains a line that starts with {@code line} (read again every few milliseconds).
     *
     * @return nanoseconds from process start until the line was seen
     * @throws IllegalStateException if the process exits or the timeout passes first
     */
    public long awaitLine(String line, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (java.nio.file.Files.exists(log)) {
                    try (var lines = java.nio.file.Files.lines(log)) {
                        if (lines.anyMatch(l -> l.startsWith(line))) {
                            return System.nanoTime() - startNanos;
                        }
                    }
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // a partly written line in another charset state: read again
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("process exited with " + process.exitValue() + " before printing '" + line + "'; see " + log);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for '" + line + "'", ie);
            }
        }
        throw new IllegalStateException("no '" + line + "' within " + timeout + "; see " + log);
    }

    /** Waits up to {@code timeout} for the process to exit on its own; true if it did. */
    public boolean awaitExit(long timeout, TimeUnit unit) throws InterruptedException {
        return process.waitFor(timeout, unit);
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** SIGTERM, wait up to a bound, then SIGKILL. Idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** A TCP port free on 127.0.0.1 at the moment of the probe. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
