package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.LineClient;

/**
 * A reference Node server of {@code reference/} (signal-master, rtcmulticonnection-server, socket.io 4 with connection
 * state recovery) on a free loopback port, for the differential tests: started with {@code node <script> <port> <args…>},
 * ready once it printed {@code {"listening": port}}, stopped by {@link #close()} (a testkit {@link LineClient}: what it
 * prints is read all along, so a chatty server never blocks on its pipe). Installs {@code reference/} from its
 * lock file once when it is missing.
 */
final class ReferenceServer implements AutoCloseable {

    static final Path DIR = Path.of("reference").toAbsolutePath();

    private final LineClient process;
    private final int port;

    private ReferenceServer(LineClient process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code script} and waits up to 20 s for its {@code listening} line; its output is in the failure message. */
    static ReferenceServer start(String script, String... args) throws Exception {
        ensureInstalled();
        int port = FreePorts.tcpAndUdp();
        List<String> command = new ArrayList<>(List.of("node", script, Integer.toString(port)));
        command.addAll(List.of(args));
        LineClient process = LineClient.start(script, command, Map.of(), DIR);
        try {
            String listening = "{\"listening\":" + port + "}";
            process.awaitLine("saying it listens", listening::equals, Duration.ofSeconds(20));
            return new ReferenceServer(process, port);
        } catch (Exception | AssertionError e) {
            process.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        process.close();
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
