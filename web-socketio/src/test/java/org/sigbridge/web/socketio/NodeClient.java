package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.sigbridge.testkit.peers.NodeDriver;

/**
 * Runs {@code npm/scenario.js} with Node and the real {@code socket.io-client} (the version and integrity
 * hash pinned in {@code npm/package-lock.json}, which names no registry). When {@code node_modules} is
 * missing it runs {@code npm ci} first, which checks each package against the lock file's integrity hash;
 * {@code scripts/test} does that before the offline, loopback-only run.
 */
final class NodeClient {

    static final Path DIR = Path.of("npm").toAbsolutePath();

    private NodeClient() {
    }

    static synchronized void ensureInstalled() throws Exception {
        if (Files.isDirectory(DIR.resolve("node_modules/socket.io-client")) && Files.isDirectory(DIR.resolve("node_modules/socket.io-client-1"))
                && Files.isDirectory(DIR.resolve("node_modules/socket.io-client-2"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(DIR.toFile())
                .redirectErrorStream(true).start();
        String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(npm.waitFor(180, TimeUnit.SECONDS) && npm.exitValue() == 0,
                "npm ci in " + DIR + " failed (run it once with network access, or scripts/test): " + log);
    }

    /** Runs one scenario with socket.io-client 4.x and answers its JSON lines; fails the test if Node reports a failure or exits non-zero. */
    static List<JsonNode> run(int port, String scenario, String mode) throws Exception {
        return run(port, scenario, mode, "4");
    }

    /**
     * Runs one scenario with a client generation: {@code 4} (socket.io-client 4.8), {@code 2} (2.5) or {@code 1}
     * (1.7.4), the npm aliases of {@code npm/package.json}.
     */
    static List<JsonNode> run(int port, String scenario, String mode, String client) throws Exception {
        return runScript("scenario.js", "http://127.0.0.1:" + port + "/", scenario, mode, client);
    }

    /** Runs another script of {@code npm/} with these arguments; as {@link #run(int, String, String, String)}. */
    static List<JsonNode> runScript(String script, String... args) throws Exception {
        return runScript(Duration.ofSeconds(30), script, args);
    }

    /**
     * Runs a script of {@code npm/} to its end within {@code limit} (testkit's {@link NodeDriver}) and answers its JSON
     * lines, the last of which must be {@code {"done":true}}; fails the test, with everything it printed, if it reports
     * a failure, exits non-zero or does not end in time.
     */
    static List<JsonNode> runScript(Duration limit, String script, String... args) throws Exception {
        ensureInstalled();
        List<JsonNode> lines = new ArrayList<>();
        List<String> output = NodeDriver.run(DIR, limit, (line, node) -> lines.add(line), script, args);
        assertEquals("{\"done\":true}", lines.isEmpty() ? null : lines.get(lines.size() - 1).toString(), String.join("\n", output));
        return lines;
    }
}
