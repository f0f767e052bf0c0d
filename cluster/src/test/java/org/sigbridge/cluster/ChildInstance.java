package org.sigbridge.cluster;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.peers.ScratchDir;

/**
 * A bridge instance in a child JVM ({@link NodeMain}) on the test's class path, so a test can kill it as a crash
 * would: SIGKILL, no shutdown hook, no leave announced. {@link #close()} kills it if it still runs and deletes its
 * directory; idempotent.
 */
final class ChildInstance implements AutoCloseable {

    private final ScratchDir dir;
    private final Process process;
    private final int port;

    private ChildInstance(ScratchDir dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /** Starts an instance from {@code yaml} and waits (up to 60 s: a JVM on a busy machine) for its READY line. */
    static ChildInstance start(String yaml) throws Exception {
        ScratchDir dir = ScratchDir.create("sigbridge-child-");
        Path config = dir.resolve("sigbridge.yml");
        Path out = dir.resolve("stdout.log");
        Files.writeString(config, yaml, StandardCharsets.UTF_8);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                NodeMain.class.getName(), config.toString()))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            String ready = Poll.until("child instance READY (log " + out + ")", Duration.ofSeconds(60), Duration.ofMillis(50),
                    () -> {
                        if (!p.isAlive()) {
                            throw new AssertionError("child instance exited: " + read(out));
                        }
                        return read(out).lines().filter(l -> l.startsWith("READY ")).findFirst().orElse("");
                    }, l -> !l.isEmpty());
            return new ChildInstance(dir, p, Integer.parseInt(ready.substring("READY ".length()).trim()));
        } catch (Exception | Error e) {
            p.destroyForcibly();
            dir.close();
            throw e;
        }
    }

    /** Its web port. */
    int port() {
        return port;
    }

    URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    /** SIGKILL, and waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * SIGSTOP: the process stops reading its sockets (Redis keeps or drops what it sends it) until {@link #resume()}.
     * Blocks until {@code kill} returns.
     */
    void pause() throws Exception {
        signal("-STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    void resume() throws Exception {
        signal("-CONT");
    }

    private void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill " + signal + " " + process.pid() + " failed");
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            dir.close();
        }
    }
}
