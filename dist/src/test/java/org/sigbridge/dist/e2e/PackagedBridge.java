package org.sigbridge.dist.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The packaged {@code sigbridge.jar} run as an operator runs it ({@code java -jar sigbridge.jar --config
 * conf/examples/….yml} from the project root, settings in environment variables), for failsafe {@code *IT}
 * tests. Output is collected line by line; {@link #close()} kills it if it is still running.
 */
final class PackagedBridge implements AutoCloseable {

    static final Duration START = Duration.ofSeconds(30);

    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    private PackagedBridge(Process process) {
        this.process = process;
        this.reader = new Thread(this::pump, "packaged-sigbridge-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code java [jvmOptions] -jar sigbridge.jar args} in the project root with {@code env} added to
     * this process's environment, logging with the shipped {@code conf/logback.xml}.
     */
    static PackagedBridge start(Map<String, String> env, List<String> jvmOptions, String... args) throws IOException {
        Path root = Path.of(System.getProperty("sigbridge.root", ".."));
        Path jar = Path.of(System.getProperty("sigbridge.jar", "target/sigbridge.jar"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=" + root.resolve("conf/logback.xml")));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new PackagedBridge(pb.start());
    }

    /** A TCP port free on 127.0.0.1 at the moment of the probe. */
    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                all.add(line);
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("<output closed: " + e.getMessage() + ">");
        }
    }

    /** Waits for the next output line matching {@code test}; fails with everything printed so far if none comes. */
    String awaitLine(Predicate<String> test, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (line != null && test.test(line)) {
                return line;
            }
            if (line == null && !process.isAlive()) {
                break;
            }
        }
        throw new AssertionError("no matching line within " + timeout + " (alive: " + process.isAlive() + "); output:\n"
                + String.join("\n", output()));
    }

    /** Sends SIGTERM (as systemd would) and returns the exit code; fails if it does not exit in time. */
    int terminate(Duration timeout) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("sigbridge did not exit within " + timeout + "; output:\n" + String.join("\n", output()));
        }
        reader.join(5_000);
        return process.exitValue();
    }

    List<String> output() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
