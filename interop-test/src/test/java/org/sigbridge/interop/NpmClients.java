package org.sigbridge.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The npm clients of the interop tests in {@code interop-test/npm}: {@code @xmpp/client} and {@code jssip}, pinned
 * with integrity hashes in {@code package-lock.json} (which names no registry). When {@code node_modules} lacks one,
 * {@link #ensureInstalled()} runs {@code npm ci}, which checks every package against the lock file;
 * {@code scripts/test} does that before the offline, loopback-only run, so a missing client fails the test with
 * npm's message instead of skipping it.
 */
public final class NpmClients {

    /** {@code interop-test/npm}, absolute (surefire runs in the module directory). */
    public static final Path DIR = Path.of("npm").toAbsolutePath();

    private NpmClients() {
    }

    /** Runs {@code npm ci} unless both clients are installed; blocks up to 3 minutes. */
    public static synchronized void ensureInstalled() throws Exception {
        if (Files.isDirectory(DIR.resolve("node_modules/@xmpp/client")) && Files.isDirectory(DIR.resolve("node_modules/jssip"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
                .directory(DIR.toFile()).redirectErrorStream(true).start();
        String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(npm.waitFor(180, TimeUnit.SECONDS) && npm.exitValue() == 0,
                "npm ci in " + DIR + " failed (run it once with network access, or scripts/test): " + log);
    }
}
