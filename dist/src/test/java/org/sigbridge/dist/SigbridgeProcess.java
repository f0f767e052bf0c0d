package org.sigbridge.dist;

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
 * The packaged {@code sigbridge.jar} run as an operator runs it ({@code java -jar sigbridge.jar ...} from the
 * project root, settings in environment variables), for failsafe {@code *IT} tests. Output is collected line
 * by line on a daemon thread; the test thread waits on it with bounded waits that fail with everything
 * printed so far. {@link #close()} kills the process if it is still running.
 */
public final class SigbridgeProcess implements AutoCloseable {

    /** How long a test waits for {@code ready in}. */
    public static final Duration START = Duration.ofSeconds(30);

    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = Collections.synchronizedList(new ArrayList<>());
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

    /** {@code java -jar sigbridge.jar args} in the project root with {@code env} added to this process's. */
    public static SigbridgeProcess start(Map<String, String> env, String... args) throws IOException {
        return start(env, List.of(), args);
    }

    /**
     * Starts {@code java [jvmOptions] -jar sigbridge.jar args} in the project root with {@code env} added to
     * this process's environment, logging with the shipped {@code conf/logback.xml} unless
     * {@code jvmOptions} name another.
     */
    public static SigbridgeProcess start(Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException {
        return start(jar(), env, jvmOptions, args);
    }

    /** As {@link #start(Map, List, String...)}, running {@code jar} (a copy of the packaged jar, say). */
    public static SigbridgeProcess start(Path jar, Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException {
        return start(List.of("-jar", jar.toString()), env, jvmOptions, args);
    }

    /**
     * As {@link #start(Path, Map, List, String...)}, but launched as {@code bin/sigbridge}, the systemd unit and the
     * Docker image launch it: {@code java [jvmOptions] -cp JAR org.sigbridge.launch.Main args}.
     */
    public static SigbridgeProcess startAsShipped(Path jar, Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException {
        return start(List.of("-cp", jar.toString(), "org.sigbridge.launch.Main"), env, jvmOptions, args);
    }

    private static SigbridgeProcess start(List<String> launch, Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=" + root().resolve("conf/logback.xml")));
        cmd.addAll(jvmOptions);
        cmd.addAll(launch);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root().toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new SigbridgeProcess(pb.start());
    }

    /** Any command line (a service manager's, say) that runs sigbridge, in {@code dir} with exactly {@code env}. */
    public static SigbridgeProcess run(List<String> command, Map<String, String> env, Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        return new SigbridgeProcess(pb.start());
    }

    /** The process id, for signals sent by other programs. */
    public long pid() {
        return process.pid();
    }

    /** A TCP port free on 127.0.0.1 at the moment of the probe. */
    public static int freeTcpPort() throws IOException {
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
    public String awaitLine(Predicate<String> test, Duration timeout) throws InterruptedException {
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

    /** Waits for the process to exit and returns its exit code; fails if it does not exit in time. */
    public int awaitExit(Duration timeout) throws InterruptedException {
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
    public void terminate() throws IOException, InterruptedException {
        signal("TERM");
    }

    /** Sends SIGTERM and returns the exit code; fails if it does not exit within {@code timeout}. */
    public int terminate(Duration timeout) throws IOException, InterruptedException {
        terminate();
        return awaitExit(timeout);
    }

    /** Sends SIGINT, as Ctrl-C does. */
    public void interrupt() throws IOException, InterruptedException {
        signal("INT");
    }

    /** Sends SIGHUP, as {@code systemctl reload} does: reload the routes. */
    public void hangUp() throws IOException, InterruptedException {
        signal("HUP");
    }

    private void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    /** Every line printed so far. */
    public List<String> output() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
