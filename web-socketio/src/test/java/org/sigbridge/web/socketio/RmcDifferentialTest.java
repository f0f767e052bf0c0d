package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.web.TestBridge;

/**
 * The differential check of the RTCMultiConnection family (docs/dialects.md §6.4): {@code npm/rmc.js} scripts
 * RTCMultiConnection 3.7's server events with socket.io-client 4.8 — rooms, presence, passwords, public rooms, extra
 * data, renames, custom events, the legacy presence request, {@code disconnect-with}, disconnect notices and the owner's
 * hand-over — against the real rtcmulticonnection-server 1.3.3 ({@code reference/rmc-server.js}, installed from its lock
 * file) and against sigbridge. The transcripts are equal step by step, except the steps docs/socketio.md lists as
 * differences, whose two answers are asserted here.
 */
class RmcDifferentialTest {

    private static final Path REFERENCE = Path.of("reference").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static List<JsonNode> reference;

    /** What each "(differs)" step gives: the reference's answer, then sigbridge's. */
    private static final Map<String, String[]> DIFFERENCES = Map.of(
            "B checks r1 (differs)", new String[] {
                "{\"ack\":[true,\"r1\",{\"name\":\"A\",\"_room\":{\"isFull\":false}}]}",
                "{\"ack\":[true,\"r1\",{\"name\":\"A\",\"_room\":{\"isFull\":false,\"isPasswordProtected\":false}}]}"},
            "B asks to take part (differs)", new String[] {
                "{\"A\":[[\"RTCMultiConnection-Message\",{\"remoteUserId\":\"alice\",\"message\":{\"newParticipationRequest\":true,\"isOneWay\":false,\"isDataOnly\":true},\"sender\":\"bob\"}]]}",
                "{\"A\":[[\"RTCMultiConnection-Message\",{\"remoteUserId\":\"alice\",\"message\":{\"newParticipationRequest\":true,\"isOneWay\":false,\"isDataOnly\":true},\"sender\":\"bob\",\"extra\":{\"name\":\"B\"}}]]}"},
            "B asks for the owner's extra data (differs)", new String[] {
                "{\"alice\":[{\"name\":\"A\",\"_room\":{\"isFull\":false}}]}",
                "{\"alice\":[{\"name\":\"A\"}]}"},
            "A sends to nobody (differs)", new String[] {
                "{\"A\":[]}",
                "{\"A\":[[\"user-not-found\",\"zed\"]]}"},
            "B disconnects (differs)", new String[] {
                "{\"A\":[[\"user-disconnected\",\"bob\"],[\"user-disconnected\",\"bob\"]]}",
                "{\"A\":[[\"user-disconnected\",\"bob\"]]}"},
            "C, the owner now, closes the room (differs)", new String[] {
                "{\"ack\":[false,\"Room not available\"],\"presence\":[true,\"r1\",{\"name\":\"A\",\"_room\":{\"isFull\":false,\"isPasswordProtected\":2}}]}",
                "{\"ack\":[true],\"presence\":[false,\"r1\",{\"_room\":{\"isFull\":false,\"isPasswordProtected\":false}}]}"});

    @BeforeAll
    static void runTheReference() throws Exception {
        reference = reference();
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void rtcMultiConnectionsEventsGiveTheReferenceServersTranscript(String mode) throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            List<JsonNode> ours = script(bridge.port(), mode);
            assertEquals(reference.size(), ours.size(), "same steps:\n" + reference + "\n" + ours);
            int differing = 0;
            for (int i = 0; i < ours.size(); i++) {
                String step = ours.get(i).path("step").asText();
                assertEquals(reference.get(i).path("step").asText(), step);
                String[] expected = DIFFERENCES.get(step);
                if (expected != null) {
                    differing++;
                    assertEquals(JSON.readTree(expected[0]), without(reference.get(i)), "the reference, " + step);
                    assertEquals(JSON.readTree(expected[1]), without(ours.get(i)), "sigbridge, " + step);
                } else {
                    assertEquals(reference.get(i), ours.get(i), step);
                }
            }
            assertEquals(DIFFERENCES.size(), differing, "every documented difference was exercised");
        }
    }

    private static JsonNode without(JsonNode line) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = line.deepCopy();
        copy.remove("step");
        return copy;
    }

    private static List<JsonNode> script(int port, String mode) throws Exception {
        NodeClient.ensureInstalled();
        Process node = new ProcessBuilder("node", "rmc.js", "http://127.0.0.1:" + port + "/", mode)
                .directory(NodeClient.DIR.toFile()).redirectErrorStream(true).start();
        boolean ended = node.waitFor(40, TimeUnit.SECONDS);
        if (!ended) {
            node.destroyForcibly();
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ended, "rmc.js against port " + port + " over " + mode + " did not end: " + output);
        assertEquals(0, node.exitValue(), "rmc.js against port " + port + " over " + mode + ": " + output);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        assertEquals("{\"done\":true}", lines.remove(lines.size() - 1).toString(), output);
        return lines;
    }

    /** Runs the script against the real rtcmulticonnection-server on a free loopback port. */
    private static List<JsonNode> reference() throws Exception {
        ensureReferenceInstalled();
        int port = FreePorts.tcpAndUdp();
        Process server = new ProcessBuilder("node", "rmc-server.js", Integer.toString(port)).directory(REFERENCE.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String first = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    return e.toString();
                }
            }).get(20, TimeUnit.SECONDS);
            assertEquals("{\"listening\":" + port + "}", first, "rtcmulticonnection-server did not start");
            return script(port, "websocket");
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static synchronized void ensureReferenceInstalled() throws Exception {
        if (Files.isDirectory(REFERENCE.resolve("node_modules/rtcmulticonnection-server"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(REFERENCE.toFile()).redirectErrorStream(true).start();
        String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(npm.waitFor(180, TimeUnit.SECONDS) && npm.exitValue() == 0,
                "npm ci in " + REFERENCE + " failed (run it once with network access, or scripts/test): " + log);
    }
}
