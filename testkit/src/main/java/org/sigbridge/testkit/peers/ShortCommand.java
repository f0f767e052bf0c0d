package org.sigbridge.testkit.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short helper command (openssl, prosodyctl) to completion with a deadline and returns its output.
 * Blocks the caller; stateless.
 */
final class ShortCommand {
    private ShortCommand() {
    }

    /**
     * Runs {@code command} in {@code workDir}.
     *
     * @return stdout and stderr, merged
     * @throws PeerException on a non-zero exit, a timeout (the process is killed) or if it cannot be run
     */
    static String run(List<String> command, Path workDir, Duration timeout) {
        return run(command, java.util.Map.of(), workDir, timeout);
    }

    /** As {@link #run(List, Path, Duration)}, with {@code environment} added to the inherited one. */
    static String run(List<String> command, java.util.Map<String, String> environment, Path workDir, Duration timeout) {
        Path out = null;
        try {
            out = Files.createTempFile(workDir, "cmd-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new PeerException(command + " did not finish within " + timeout);
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new PeerException(command + " exited with " + process.exitValue() + ":\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new PeerException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("interrupted while running " + command, e);
        } finally {
            deleteQuietly(out);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover log in a scratch dir is harmless; the dir is deleted on close
        }
    }
}
