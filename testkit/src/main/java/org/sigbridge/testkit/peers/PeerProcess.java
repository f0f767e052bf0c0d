package org.sigbridge.testkit.peers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One foreground child process of a peer (prosody, kamailio, sipp): stdout and stderr are appended to a
 * log file, starts wait for a TCP port with a deadline, stops send SIGTERM and wait a bounded time for the
 * process and its descendants before killing them.
 *
 * <p>Used by one owner thread; {@link #stop(Duration)} is idempotent.
 */
final class PeerProcess {
    private static final Logger LOG = LoggerFactory.getLogger(PeerProcess.class);
    private static final int TAIL_LINES = 40;
    private static final long POLL_MILLIS = 20;

    private final String name;
    private final Process process;
    private final Path logFile;

    private PeerProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** Starts {@code command} in {@code workDir}; output goes to {@code logFile} (appended). */
    static PeerProcess start(String name, List<String> command, Path workDir, Path logFile) {
        return start(name, command, java.util.Map.of(), workDir, logFile);
    }

    /** As {@link #start(String, List, Path, Path)}, with {@code environment} added to the inherited one. */
    static PeerProcess start(String name, List<String> command, java.util.Map<String, String> environment, Path workDir,
                             Path logFile) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            LOG.debug("{} started, pid {}: {}", name, process.pid(), command);
            return new PeerProcess(name, process, logFile);
        } catch (IOException e) {
            throw new PeerException(name + ": cannot run " + command.get(0) + " (" + e.getMessage()
                    + "); is the Debian package installed?", e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Process process() {
        return process;
    }

    /**
     * Blocks until 127.0.0.1:{@code port} accepts a TCP connection.
     *
     * @throws PeerException if the process exits first or the deadline passes; the process is then stopped
     */
    void awaitTcpAccept(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new PeerException(name + " exited with code " + process.exitValue()
                        + " before 127.0.0.1:" + port + " accepted; log tail:\n" + tail(logFile, TAIL_LINES));
            }
            if (accepts(port)) {
                return;
            }
            pause();
        }
        stop(Duration.ofSeconds(5));
        throw new PeerException(name + " did not accept TCP on 127.0.0.1:" + port + " within " + timeout
                + "; log tail:\n" + tail(logFile, TAIL_LINES));
    }

    /**
     * Sends SIGTERM, waits up to {@code grace} for the process and the descendants it had, then kills what is
     * left. Restores the interrupt flag if interrupted (and still kills).
     */
    void stop(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        String commandLine = process.info().commandLine().orElse(null);
        process.destroy();
        long deadline = System.nanoTime() + grace.toNanos();
        boolean clean = awaitExit(process.toHandle(), deadline);
        for (ProcessHandle child : descendants) {
            clean &= awaitExit(child, deadline);
        }
        if (!clean) {
            LOG.warn("{} (pid {}) did not stop within {} after SIGTERM; killing it", name, process.pid(), grace);
            descendants.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            // Wait for the children too: a worker that outlives its killed parent keeps the listening sockets, and a
            // restart on the same port would then "accept" on the dead server's socket (Kamailio's TCP workers).
            long killDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            awaitExit(process.toHandle(), killDeadline);
            for (ProcessHandle child : descendants) {
                if (!awaitExit(child, killDeadline)) {
                    LOG.warn("{}: child pid {} still alive 5 s after SIGKILL", name, child.pid());
                }
            }
        }
        killStragglers(commandLine);
    }

    /**
     * Kills what is left with the peer's own command line when it names the peer's private directory (so that no
     * other peer can have it): a worker forked after
     * the descendants were listed, orphaned when its parent died, would keep the listening sockets, and a restart on
     * the same port would share them with it (Kamailio forks workers that carry the parent's command line).
     */
    private void killStragglers(String commandLine) {
        Path directory = logFile.getParent();
        if (commandLine == null || directory == null || !commandLine.contains(directory.toString())) {
            return; // not a command line that only this peer can have
        }
        List<ProcessHandle> stragglers = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid() && commandLine.equals(p.info().commandLine().orElse(null)))
                .toList();
        if (stragglers.isEmpty()) {
            return;
        }
        LOG.warn("{}: killing {} process(es) it left behind: {}", name, stragglers.size(),
                stragglers.stream().map(p -> Long.toString(p.pid())).toList());
        stragglers.forEach(ProcessHandle::destroyForcibly);
        long killDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ProcessHandle straggler : stragglers) {
            if (!awaitExit(straggler, killDeadline)) {
                LOG.warn("{}: pid {} still alive 5 s after SIGKILL", name, straggler.pid());
            }
        }
    }

    private static boolean awaitExit(ProcessHandle handle, long deadlineNanos) {
        while (handle.isAlive()) {
            if (System.nanoTime() >= deadlineNanos) {
                return false;
            }
            try {
                handle.onExit().get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // poll again until the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Waits one poll interval, returning early if the process exits. */
    private void pause() {
        try {
            process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException(name + ": interrupted while waiting for it to start", e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The last {@code lines} lines of a log file, or a note if it cannot be read. */
    static String tail(Path file, int lines) {
        try {
            List<String> all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + file + ": " + e.getMessage() + ")";
        }
    }
}
