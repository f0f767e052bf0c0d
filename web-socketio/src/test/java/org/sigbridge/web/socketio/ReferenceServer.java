package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.sigbridge.testkit.peers.FreePorts;

/**
 * A reference Node server of {@code reference/} (signal-master, rtcmulticonnection-server, socket.io 4 with connection
 * state recovery) on a free loopback port, for the differential tests: started with {@code node <script> <port> <args…>},
 * ready once it printed {@code {"listening": port}}, stopped by {@link #close()}. Installs {@code reference/} from its
 * lock file once when it is missing.
 */
final class ReferenceServer implements AutoCloseable {

    static final Path DIR = Path.of("reference").toAbsolutePath();

    private final Process process;
    private final int port;

    private ReferenceServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code script} and waits up to 20 s for its {@code listening} line; its stderr is in the failure message. */
    static ReferenceServer start(String script, String... args) throws Exception {
        ensureInstalled();
        int port = FreePorts.tcpAndUdp();
        List<String> command = new ArrayList<>(List.of("node", script, Integer.toString(port)));
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile("reference-", ".stderr");
        Process process = new ProcessBuilder(command).directory(DIR.toFile()).redirectError(stderr.toFile()).start();
        ReferenceServer server = new ReferenceServer(process, port);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String first = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    return e.toString();
                }
            }).get(20, TimeUnit.SECONDS);
            assertEquals("{\"listening\":" + port + "}", first, script + " did not start: " + Files.readString(stderr));
            return server;
        } catch (Exception | AssertionError e) {
            server.close();
            throw e;
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    private static synchronized void ensureInstalled() throws Exception {
        if (Files.isDirectory(DIR.resolve("node_modules/rtcmulticonnection-server")) && Files.isDirectory(DIR.resolve("node_modules/signal-master"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(DIR.toFile()).redirectErrorStream(true).start();
        String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(npm.waitFor(180, TimeUnit.SECONDS) && npm.exitValue() == 0,
                "npm ci in " + DIR + " failed (run it once with network access, or scripts/test): " + log);
    }
}
