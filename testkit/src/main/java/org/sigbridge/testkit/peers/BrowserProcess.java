package org.sigbridge.testkit.peers;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One headless Chromium process per distinct flag list, shared by every {@link Chromium} of the test JVM: started on
 * first use, restarted on the next use after it died, and stopped by a JVM shutdown hook. Tests never share state
 * through it, because every {@link ChromiumPage} lives in its own browser context (like a fresh incognito profile:
 * own cookies, storage, cache, service workers and permissions), disposed when the page closes.
 *
 * <p>Starting Chromium costs 1–3 s on a loaded machine; a browser context costs tens of milliseconds. The process
 * listens for DevTools on a port it picks ({@code --remote-debugging-port=0}) on 127.0.0.1 and writes that port to
 * {@code DevToolsActivePort} in its profile directory, which is how this class finds it.
 *
 * <p>{@link #shared(List)} may be called from any thread (it is synchronized); the returned process's
 * {@link #connection()} is thread-safe.
 */
final class BrowserProcess {
    private static final Logger LOG = LoggerFactory.getLogger(BrowserProcess.class);
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration STOP = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 20;
    private static final Map<List<String>, BrowserProcess> RUNNING = new HashMap<>();
    private static boolean hookAdded;

    private final ScratchDir dir;
    private final PeerProcess process;
    private final CdpConnection connection;

    private BrowserProcess(ScratchDir dir, PeerProcess process, CdpConnection connection) {
        this.dir = dir;
        this.process = process;
        this.connection = connection;
    }

    /**
     * The running browser for {@code flags}, started now if there is none or the last one died. Blocks for a start.
     *
     * @throws PeerException if Chromium does not come up within a minute (with the tail of its log)
     */
    static synchronized BrowserProcess shared(List<String> flags) {
        List<String> key = List.copyOf(flags);
        BrowserProcess current = RUNNING.get(key);
        if (current != null && current.isUsable()) {
            return current;
        }
        if (current != null) {
            LOG.warn("chromium (pid {}) died or dropped its DevTools connection; starting a new one (log tail:\n{})",
                    current.process.pid(), PeerProcess.tail(current.dir.resolve("chromium.log"), 20));
            current.stop();
        }
        if (!hookAdded) {
            Runtime.getRuntime().addShutdownHook(new Thread(BrowserProcess::stopAll, "chromium-shutdown"));
            hookAdded = true;
        }
        BrowserProcess started = start(key);
        RUNNING.put(key, started);
        return started;
    }

    private static BrowserProcess start(List<String> flags) {
        ScratchDir dir = ScratchDir.create("sigbridge-chromium-");
        List<String> command = new ArrayList<>();
        command.add(Chromium.CHROMIUM);
        command.addAll(flags);
        command.add("--user-data-dir=" + dir.resolve("profile"));
        command.add("--remote-debugging-address=127.0.0.1");
        command.add("--remote-debugging-port=0");
        command.add("about:blank");
        Path log = dir.resolve("chromium.log");
        PeerProcess process = PeerProcess.start("chromium", command, dir.path(), log);
        try {
            URI endpoint = awaitEndpoint(process, dir.resolve("profile").resolve("DevToolsActivePort"), log);
            CdpConnection connection = CdpConnection.open("chromium-" + process.pid(), endpoint, START);
            LOG.debug("chromium started, pid {}, DevTools at {}", process.pid(), endpoint);
            return new BrowserProcess(dir, process, connection);
        } catch (RuntimeException e) {
            process.stop(STOP);
            dir.close();
            throw e;
        }
    }

    /** Waits for Chromium to write its DevTools port and browser path (two lines) to {@code portFile}. */
    private static URI awaitEndpoint(PeerProcess process, Path portFile, Path log) {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new PeerException("chromium exited with code " + process.process().exitValue()
                        + " before it listened for DevTools; log tail:\n" + PeerProcess.tail(log, 40));
            }
            List<String> lines = readLines(portFile);
            if (lines.size() >= 2 && !lines.get(1).isBlank()) {
                return URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
            }
            try {
                process.process().waitFor(POLL_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PeerException("chromium: interrupted while waiting for it to start", e);
            }
        }
        throw new PeerException("chromium did not listen for DevTools within " + START + "; log tail:\n"
                + PeerProcess.tail(log, 40));
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).lines().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new PeerException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The browser-level DevTools connection; commands to pages carry their session id. */
    CdpConnection connection() {
        return connection;
    }

    long pid() {
        return process.pid();
    }

    private boolean isUsable() {
        return process.isAlive() && connection.isOpen();
    }

    private void stop() {
        connection.close();
        process.stop(STOP);
        dir.close();
    }

    private static synchronized void stopAll() {
        RUNNING.values().forEach(BrowserProcess::stop);
        RUNNING.clear();
    }
}
