package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code npm/scenario.js} with Node and the real {@code socket.io-client} (the version and integrity
 * hash pinned in {@code npm/package-lock.json}, which names no registry). When {@code node_modules} is
 * missing it runs {@code npm ci} first, which checks each package against the lock file's integrity hash;
 * {@code scripts/test} does that before the offline, loopback-only run.
 */
final class NodeClient {

    static final Path DIR = Path.of("npm").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

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
        ensureInstalled();
        Process node = new ProcessBuilder("node", "scenario.js", "http://127.0.0.1:" + port + "/", scenario, mode, client)
                .directory(DIR.toFile()).redirectErrorStream(true).start();
        boolean ended = node.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            node.destroyForcibly();
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ended, "node did not end: " + output);
        assertEquals(0, node.exitValue(), scenario + "/" + mode + "/client " + client + ": " + output);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("{")) {
                lines.add(parse(line));
            }
        }
        assertEquals("{\"done\":true}", lines.get(lines.size() - 1).toString(), output);
        return lines;
    }

    /** Runs another script of {@code npm/} with these arguments; as {@link #run(int, String, String, String)}. */
    static List<JsonNode> runScript(String script, String... args) throws Exception {
        ensureInstalled();
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        Process node = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
        boolean ended = node.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            node.destroyForcibly();
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ended, "node did not end: " + output);
        assertEquals(0, node.exitValue(), script + " " + String.join(" ", args) + ": " + output);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("{")) {
                lines.add(parse(line));
            }
        }
        assertEquals("{\"done\":true}", lines.get(lines.size() - 1).toString(), output);
        return lines;
    }

    private static JsonNode parse(String line) throws IOException {
        return JSON.readTree(line);
    }
}
