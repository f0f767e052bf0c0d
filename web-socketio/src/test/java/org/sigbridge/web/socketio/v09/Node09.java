package org.sigbridge.web.socketio.v09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Node in {@code src/test/js-v09}: the real {@code socket.io-client} 0.9.16 driven by {@code scenario09.js}, and the
 * real {@code socket.io} 0.9.19 server running {@code reference-overnodejs.js} or reliable-signaler 1.0.2
 * ({@code reference-reliable.js}) (versions and integrity hashes pinned in
 * its {@code package-lock.json}, which names no registry). When {@code node_modules} is missing it runs {@code npm ci},
 * which checks each package against the lock file; {@code scripts/test} does that while online. A missing client
 * fails the test with the reason.
 */
final class Node09 implements AutoCloseable {

    static final Path DIR = Path.of("src/test/js-v09").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder all = new StringBuilder();

    private Node09(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (all) {
                        all.append(line).append('\n');
                    }
                    lines.add(line);
                }
            } catch (java.io.IOException ended) {
                // the process ended
            }
        }, "node09-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static synchronized void ensureInstalled() throws Exception {
        if (Files.isDirectory(DIR.resolve("node_modules/socket.io-client")) && Files.isDirectory(DIR.resolve("node_modules/socket.io"))
                && Files.isDirectory(DIR.resolve("node_modules/reliable-signaler"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund").directory(DIR.toFile())
                .redirectErrorStream(true).start();
        String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(npm.waitFor(180, TimeUnit.SECONDS) && npm.exitValue() == 0,
                "npm ci in " + DIR + " failed (run it once with network access, or scripts/test): " + log);
    }

    /** Starts {@code node <args>} in the npm directory. */
    static Node09 start(String... args) throws Exception {
        ensureInstalled();
        List<String> command = new ArrayList<>(List.of("node"));
        command.addAll(List.of(args));
        return new Node09(new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start());
    }

    /** Runs one client scenario against {@code port} to its end; answers its JSON lines (the last is {@code done}). */
    static List<JsonNode> run(int port, String scenario) throws Exception {
        try (Node09 node = start("scenario09.js", "http://127.0.0.1:" + port + "/", scenario)) {
            return node.untilDone();
        }
    }

    /** The next output line that is a JSON object, within {@code seconds}. */
    JsonNode next(int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertNotNull(line, "node said nothing more within " + seconds + " s: " + output());
            if (line.startsWith("{")) {
                JsonNode node = JSON.readTree(line);
                assertTrue(node.get("fail") == null, "node failed: " + output());
                return node;
            }
        }
    }

    /** Every JSON line up to {@code {"done":true}}; the process must then exit 0. */
    List<JsonNode> untilDone() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        JsonNode node;
        do {
            node = next(25);
            out.add(node);
        } while (!"{\"done\":true}".equals(node.toString()));
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "node did not exit: " + output());
        assertEquals(0, process.exitValue(), output());
        return out;
    }

    /** Waits for a line that starts with {@code prefix} (e.g. a server's {@code listening}). */
    void awaitLine(String prefix, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertNotNull(line, "no '" + prefix + "' from node within " + seconds + " s: " + output());
            if (line.startsWith(prefix)) {
                return;
            }
        }
    }

    String output() {
        synchronized (all) {
            return all.toString();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
