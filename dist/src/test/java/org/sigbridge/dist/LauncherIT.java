package org.sigbridge.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, run the way bin/sigbridge runs it. */
class LauncherIT {

    @Test
    void startsOnTheDefaultConfigSaysWhereItListensAndStopsCleanlyOnSigterm() throws Exception {
        int port = SigbridgeProcess.freeTcpPort();
        try (SigbridgeProcess p = SigbridgeProcess.start(Map.of("SIGBRIDGE_WEB_PORT", Integer.toString(port)))) {
            p.awaitLine(l -> l.contains("ready in"), SigbridgeProcess.START);
            assertTrue(p.output().stream().anyMatch(l -> l.contains("127.0.0.1:" + port)), "says where it listens: " + p.output());
            assertTrue(p.output().stream().anyMatch(l -> l.contains("route") && l.contains("-> local")), "says which routes: " + p.output());

            HttpResponse<String> page = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());

            p.terminate();
            assertEquals(0, p.awaitExit(Duration.ofSeconds(20)));
            assertTrue(p.output().stream().anyMatch(l -> l.contains("stopped")), p.output().toString());
        }
    }

    @Test
    void ctrlCStopsWithExitCodeZero() throws Exception {
        int port = SigbridgeProcess.freeTcpPort();
        try (SigbridgeProcess p = SigbridgeProcess.start(Map.of("SIGBRIDGE_WEB_PORT", Integer.toString(port)))) {
            p.awaitLine(l -> l.contains("ready in"), SigbridgeProcess.START);
            p.interrupt();
            assertEquals(0, p.awaitExit(Duration.ofSeconds(20)));
        }
    }

    @Test
    void writesJsonLinesWhenTheConfigAsksForThem() throws Exception {
        int port = SigbridgeProcess.freeTcpPort();
        try (SigbridgeProcess p = SigbridgeProcess.start(Map.of("SIGBRIDGE_WEB_PORT", Integer.toString(port),
                "SIGBRIDGE_LOG_FORMAT", "json"))) {
            String ready = p.awaitLine(l -> l.contains("ready in"), SigbridgeProcess.START);
            JsonNode json = new ObjectMapper().readTree(ready);
            assertEquals("INFO", json.get("level").asText());
            assertTrue(json.get("formattedMessage").asText().startsWith("ready in"), ready);
        }
    }

    @Test
    void checkPrintsTheRoutingTableWithoutStartingAnything() throws Exception {
        try (SigbridgeProcess p = SigbridgeProcess.start(Map.of(), "--check", "conf/sigbridge.yml")) {
            assertEquals(0, p.awaitExit(Duration.ofSeconds(20)));
            assertTrue(p.output().contains("conf/sigbridge.yml: OK"), p.output().toString());
            assertTrue(p.output().stream().anyMatch(l -> l.matches("\\s+\\* +-> local")), p.output().toString());
        }
    }

    @Test
    void checkNamesFileLineAndKeyOfABrokenConfigAndExitsTwo(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.yml");
        Files.writeString(broken, """
                adapters:
                  web:
                    type: web
                    prot: 8888
                """);
        try (SigbridgeProcess p = SigbridgeProcess.start(Map.of(), "--check", broken.toString())) {
            assertEquals(2, p.awaitExit(Duration.ofSeconds(20)));
            String line = p.output().get(0);
            // file:line:column, the column of the unknown key (--check names the column since issue 17)
            assertTrue(line.startsWith("sigbridge: " + broken + ":4:5: adapters.web.prot: unknown key 'prot'; hint: known keys here:"), line);
        }
    }

    @Test
    void aStartFailureIsOneLineAndExitCodeOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             SigbridgeProcess p = SigbridgeProcess.start(Map.of("SIGBRIDGE_WEB_PORT", Integer.toString(taken.getLocalPort())))) {
            assertEquals(1, p.awaitExit(Duration.ofSeconds(30)));
            assertTrue(p.output().stream().anyMatch(l -> l.contains("failed to start") && l.contains(Integer.toString(taken.getLocalPort()))),
                    p.output().toString());
        }
    }

    @Test
    void printsVersionAndHelp() throws Exception {
        try (SigbridgeProcess p = SigbridgeProcess.start(Map.of(), "--version")) {
            assertEquals(0, p.awaitExit(Duration.ofSeconds(20)));
            assertTrue(p.output().get(0).matches("sigbridge \\d+\\.\\d+\\.\\d+.*"), p.output().toString());
        }
        try (SigbridgeProcess p = SigbridgeProcess.start(Map.of(), "--help")) {
            assertEquals(0, p.awaitExit(Duration.ofSeconds(20)));
            assertTrue(p.output().get(0).startsWith("Usage: sigbridge"), p.output().toString());
        }
    }

    @Test
    void tokenHelpPrintsTheTokenUsageAndExitsZero() throws Exception {
        try (SigbridgeProcess p = SigbridgeProcess.start(Map.of(), "token", "--help")) {
            assertEquals(0, p.awaitExit(Duration.ofSeconds(20)), p.output().toString());
            assertTrue(p.output().get(0).startsWith("Usage: sigbridge token --secret-env NAME"), p.output().toString());
        }
    }
}
