package org.sigbridge.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code java -jar sigbridge.jar ...} as a child process, its output collected line by line, as an
 * operator would run it. Stopped (forcibly if need be) by {@link #close}.
 */
final class SigbridgeProcess implements AutoCloseable {

    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    private SigbridgeProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::pump, "sigbridge-output");
        reader.setDaemon(true);
        reader.start();
    }

    static Path jar() {
        return Path.of(System.getProperty("sigbridge.jar", "target/sigbridge.jar"));
    }

    static Path root() {
        return Path.of(System.getProperty("sigbridge.root", ".."));
    }

    static SigbridgeProcess start(Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=" + root().resolve("conf/logback.xml"), "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root().toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new SigbridgeProcess(pb.start());
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

    /** Waits for an output line matching {@code test}; fails with everything printed so far if none comes. */
    String awaitLine(Predicate<String> test, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (line != null && test.test(line)) {
                return line;
            }
        }
        throw new AssertionError("no matching line within " + timeout + "; output so far:\n" + String.join("\n", output()));
    }

    /** Waits for the process to exit and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("sigbridge did not exit within " + timeout + "; output:\n" + String.join("\n", output()));
        }
        reader.join(5_000); // the last lines may still be in the pipe
        return process.exitValue();
    }

    /**
     * Sends SIGTERM, as systemd or {@code kill} would. Not {@link Process#destroy()}: the JDK closes the
     * child's pipes there, and its last lines would be lost.
     */
    void terminate() throws IOException, InterruptedException {
        signal("TERM");
    }

    /** Sends SIGINT, as Ctrl-C does. */
    void interrupt() throws IOException, InterruptedException {
        signal("INT");
    }

    /** Sends SIGHUP, as {@code systemctl reload} does: reload the routes. */
    void hangUp() throws IOException, InterruptedException {
        signal("HUP");
    }

    private void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
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
