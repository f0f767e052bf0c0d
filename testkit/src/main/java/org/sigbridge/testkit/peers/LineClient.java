package org.sigbridge.testkit.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command-line client (go-sendxmpp, Node, baresip) run as a child process whose output the test reads line by
 * line and whose standard input it may write to: the interactive counterpart of a one-shot command.
 *
 * <p>stdout and stderr are merged. One daemon reader thread per process only enqueues lines (at most
 * {@value #MAX_LINES}; more are dropped and counted); the test thread takes them with bounded waits that fail with
 * an {@link AssertionError} carrying everything the client printed. {@link #close()} sends SIGTERM, waits a bounded
 * time for the process and its descendants, then kills them; it is idempotent.
 */
public final class LineClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LineClient.class);
    private static final int MAX_LINES = 10_000;
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** Queued (compared by identity) when the output ended: the process exited, or closed it. */
    private static final String END = new String("(end of output)");

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final Thread reader;
    private final LinkedBlockingQueue<String> unread = new LinkedBlockingQueue<>(MAX_LINES);
    private final List<String> seen = new ArrayList<>();
    private volatile int dropped;

    private LineClient(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = new Thread(this::readLines, name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code command} in {@code workDir} with {@code environment} added to the inherited one.
     *
     * @throws PeerException if it cannot be run (e.g. the Debian or npm package is missing)
     */
    public static LineClient start(String name, List<String> command, Map<String, String> environment, Path workDir) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            LOG.debug("{} started, pid {}: {}", name, process.pid(), command);
            return new LineClient(name, process);
        } catch (IOException e) {
            throw new PeerException(name + ": cannot run " + command.get(0) + " (" + e.getMessage()
                    + "); is its package installed?", e);
        }
    }

    /** Writes {@code line} and a newline to the client's standard input and flushes. */
    public void writeLine(String line) {
        try {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError(name + " does not take input any more (" + e.getMessage() + "); output:\n"
                    + output(), e);
        }
    }

    /**
     * Takes lines until one satisfies {@code match} and returns it; lines before it are consumed.
     *
     * @throws AssertionError naming {@code what}, with the client's whole output, when {@code timeout} passes
     */
    public String awaitLine(String what, Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = unread.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line == END) {
                if (line == END) {
                    unread.offer(END); // for the next caller too
                }
                throw new AssertionError(name + " printed no line " + what + (line == END ? " before its output ended" : " within " + timeout)
                        + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")") + "; output:\n"
                        + output());
            }
            if (match.test(line)) {
                return line;
            }
        }
    }

    /**
     * Takes the next line, or answers empty once the client's output ended (it exited, or closed its output) and every
     * line was taken.
     *
     * @throws AssertionError with the client's whole output when {@code timeout} passes first
     */
    public java.util.Optional<String> nextLine(Duration timeout) throws InterruptedException {
        String line = unread.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (line == null) {
            throw new AssertionError(name + " printed nothing more within " + timeout + " and is still running; output:\n" + output());
        }
        if (line == END) {
            unread.offer(END);
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(line);
    }

    /**
     * Waits for the client to exit by itself and answers its exit code; its output is then read to the end.
     *
     * @throws AssertionError with its output if it is still running after {@code timeout} (it is then killed)
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new AssertionError(name + " did not exit within " + timeout + "; output:\n" + output());
        }
        reader.join(STOP_GRACE.toMillis()); // the pipe closes at exit (unless a descendant still holds it)
        return process.exitValue();
    }

    /** Everything the client printed so far, one line per line. */
    public String output() {
        synchronized (seen) {
            return String.join("\n", seen) + (dropped > 0 ? "\n(" + dropped + " lines dropped)" : "");
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the client (SIGTERM, then SIGKILL after a bounded wait), descendants included. Idempotent. */
    @Override
    public void close() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} (pid {}) did not stop within {} after SIGTERM; killing it", name, process.pid(), STOP_GRACE);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private void readLines() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                LOG.debug("{}: {}", name, line);
                synchronized (seen) {
                    if (seen.size() < MAX_LINES) {
                        seen.add(line);
                    }
                }
                if (!unread.offer(line)) {
                    dropped++;
                }
            }
        } catch (IOException e) {
            LOG.debug("{}: output closed: {}", name, e.getMessage());
        }
        unread.offer(END); // dropped only when MAX_LINES wait unread: the taker then times out, as before
    }
}
