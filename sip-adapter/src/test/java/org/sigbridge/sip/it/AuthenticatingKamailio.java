package org.sigbridge.sip.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.KamailioServer;

/**
 * The testkit's Kamailio config with one change: REGISTER must pass digest authentication
 * ({@code pv_www_authenticate} against a fixed password, realm {@code localhost}, RFC 2617). The testkit's
 * {@link KamailioServer} has no option for that, so this starts the same real Kamailio binary itself, on
 * loopback, from a temp dir. Closes by SIGTERM, bounded.
 */
final class AuthenticatingKamailio implements AutoCloseable {

    private final Process process;
    private final int port;

    AuthenticatingKamailio(Path dir, String password) throws IOException, InterruptedException {
        String cfg;
        try (InputStream in = KamailioServer.class.getResourceAsStream("kamailio.cfg")) {
            cfg = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        cfg = cfg.replace("loadmodule \"nathelper.so\"", "loadmodule \"nathelper.so\"\nloadmodule \"auth.so\"")
                .replace("\tif (is_method(\"REGISTER\")) {\n", "\tif (is_method(\"REGISTER\")) {\n"
                        + "\t\tif (!pv_www_authenticate(\"localhost\", \"" + password + "\", \"0\")) {\n"
                        + "\t\t\twww_challenge(\"localhost\", \"0\");\n\t\t\texit;\n\t\t}\n");
        if (!cfg.contains("pv_www_authenticate")) {
            throw new IllegalStateException("the testkit's kamailio.cfg changed; cannot add authentication");
        }
        Path file = dir.resolve("kamailio.cfg");
        Files.writeString(file, cfg);
        port = FreePorts.tcpAndUdp();
        process = new ProcessBuilder(List.of("kamailio", "-f", file.toString(), "-DD", "-E", "-Y", dir.toString(),
                "-P", dir.resolve("kamailio.pid").toString(), "-w", dir.toString(), "-l", "udp:127.0.0.1:" + port,
                "-l", "tcp:127.0.0.1:" + port, "-m", "64", "-M", "8"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("kamailio.log").toFile()).start();
        awaitAccepting(Duration.ofSeconds(10), dir);
    }

    int port() {
        return port;
    }

    private void awaitAccepting(Duration timeout, Path dir) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (process.waitFor(25, TimeUnit.MILLISECONDS)) { // paces the retry; ends early if Kamailio died
                    break;
                }
            }
        }
        close();
        throw new IllegalStateException("kamailio did not accept on " + port + ": " + Files.readString(dir.resolve("kamailio.log")));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(8, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
