package org.sigbridge.testkit.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A sipp process started by {@link Sipp#start()}. Owned by the caller's thread; {@link #close()} kills sipp
 * if it still runs and deletes its directory (idempotent).
 */
public final class SippRun implements AutoCloseable {
    private static final long POLL_MILLIS = 20;

    private final ScratchDir dir;
    private final PeerProcess process;
    private final Duration timeout;

    SippRun(ScratchDir dir, List<String> command, Duration timeout) {
        this.dir = dir;
        this.timeout = timeout;
        this.process = PeerProcess.start("sipp", command, dir.path(), dir.resolve("sipp-output.log"));
    }

    /**
     * Blocks until the scenario's action log ({@code <log message=...>}) contains {@code text}, e.g.
     * {@code registered} for register-and-wait.xml.
     *
     * @throws PeerException with the output if sipp exits first or the deadline passes
     */
    public void awaitLog(String text, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!read("sipp-logs.log").contains(text)) {
            if (!process.isAlive() || System.nanoTime() >= deadline) {
                throw new PeerException("sipp did not log '" + text + "' within " + within + " (alive="
                        + process.isAlive() + ")\n" + snapshot(process.isAlive() ? -1 : process.process().exitValue())
                        .describe());
            }
            try {
                process.process().waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PeerException("interrupted while waiting for sipp", e);
            }
        }
    }

    /** Blocks until sipp exits (killing it after {@code within}) and returns the result; exit -1 if killed. */
    public SippResult await(Duration within) {
        try {
            if (process.process().waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                return snapshot(process.process().exitValue());
            }
            process.stop(Duration.ofSeconds(2));
            return snapshot(-1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.stop(Duration.ofSeconds(2));
            throw new PeerException("interrupted while waiting for sipp", e);
        }
    }

    /** sipp's own -timeout, as configured. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.stop(Duration.ofSeconds(2));
        }
        dir.close();
    }

    private SippResult snapshot(int exitCode) {
        return new SippResult(exitCode, read("sipp-output.log"), read("sipp-logs.log"), read("sipp-errors.log"));
    }

    private String read(String name) {
        Path file = dir.resolve(name);
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
