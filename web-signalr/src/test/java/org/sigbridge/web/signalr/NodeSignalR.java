package org.sigbridge.web.signalr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/js/scenario.js} with Node and the real {@code @microsoft/signalr} client (version and integrity
 * pinned in {@code src/test/js/package-lock.json}, which names no registry). When {@code node_modules} is missing it
 * runs {@code npm ci} first; {@code scripts/test} does that while online. A missing client fails the test.
 */
final class NodeSignalR {

    static final Path DIR = Path.of("src/test/js").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeSignalR() {
    }

    static synchronized void ensureInstalled() throws Exception {
        if (Files.isDirectory(DIR.resolve("node_modules/@microsoft/signalr"))
                && Files.isDirectory(DIR.resolve("node_modules/signalr"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund").directory(DIR.toFile())
                .redirectErrorStream(true).start();
        String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(npm.waitFor(180, TimeUnit.SECONDS) && npm.exitValue() == 0,
                "the SignalR test clients are not installed and npm ci in " + DIR
                        + " failed (run it once with network access, or scripts/test): " + log);
    }

    /** Runs one scenario over WebSockets and answers its JSON lines; fails if Node reports a failure or exits non-zero. */
    static List<JsonNode> run(int port, String scenario) throws Exception {
        return run(port, scenario, "WebSockets");
    }

    /** Runs one scenario with the client held to {@code transport} ({@code HttpTransportType}'s name). */
    static List<JsonNode> run(int port, String scenario, String transport) throws Exception {
        ensureInstalled();
        Process node = new ProcessBuilder("node", "scenario.js", "http://127.0.0.1:" + port + "/", scenario, transport)
                .directory(DIR.toFile()).redirectErrorStream(true).start();
        boolean ended = node.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            node.destroyForcibly();
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ended, "node did not end: " + output);
        assertEquals(0, node.exitValue(), scenario + ": " + output);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        assertEquals("{\"done\":true}", lines.get(lines.size() - 1).toString(), output);
        return lines;
    }
}
