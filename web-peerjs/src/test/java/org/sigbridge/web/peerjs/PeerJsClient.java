package org.sigbridge.web.peerjs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code peerjs} 1.5.5 client build ({@code dist/peerjs.min.js}) for browser tests, and the test page that
 * loads it. The build comes from npm at test time, never from the repository: {@code src/test/js} holds a
 * {@code package.json} and a {@code package-lock.json} (integrity recorded, no registry URLs), which
 * {@code scripts/test} installs with {@code npm ci} while it is online; when {@code node_modules} is missing this class
 * runs the same {@code npm ci} itself. The file is then checked against the SHA-256 recorded here.
 */
final class PeerJsClient {

    /** SHA-256 of {@code peerjs@1.5.5/dist/peerjs.min.js}; npm has checked the tarball's lockfile integrity. */
    static final String SHA256 = "7604d8c31bec4f134b0d15c2d80b1d095ea18af005354f439f14291fcd7b4168";
    static final Path PROJECT = Path.of("src/test/js");
    static final Path BUILD = PROJECT.resolve("node_modules/peerjs/dist/peerjs.min.js");

    private PeerJsClient() {
    }

    /** Copies {@code peerjs.min.js} and {@code peer.html} into {@code dir} (a bridge's {@code static-dir}). */
    static void installInto(Path dir) throws Exception {
        Path build = build();
        Files.copy(build, dir.resolve("peerjs.min.js"));
        try (InputStream page = PeerJsClient.class.getResourceAsStream("/peerjs-pages/peer.html")) {
            Files.copy(page, dir.resolve("peer.html"));
        }
    }

    private static synchronized Path build() throws Exception {
        if (!Files.isRegularFile(BUILD)) {
            npmCi();
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(BUILD)));
        if (!sha.equals(SHA256)) {
            throw new AssertionError(BUILD + " has SHA-256 " + sha + ", not the recorded " + SHA256
                    + "; delete " + PROJECT.resolve("node_modules") + " and run npm ci there");
        }
        return BUILD;
    }

    private static void npmCi() throws IOException, InterruptedException {
        Path log = Files.createTempFile("npm-ci-", ".log");
        Process npm = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
                .directory(PROJECT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!npm.waitFor(180, TimeUnit.SECONDS)) {
            npm.destroyForcibly();
        }
        if (!Files.isRegularFile(BUILD)) {
            throw new AssertionError("the peerjs client is not installed and `npm ci` in " + PROJECT.toAbsolutePath()
                    + " failed (offline? run scripts/test, or npm ci there while online): " + Files.readString(log));
        }
    }
}
