package org.sigbridge.web.socketio;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * The browser builds of the WebRTC libraries the two-page tests load, from npm at test time (never from the
 * repository): RTCMultiConnection 3.7.1's {@code dist/RTCMultiConnection.js} and SimpleWebRTC 3.0.2's
 * {@code out/simplewebrtc-with-adapter.bundle.js}, pinned with their integrity hashes in {@code npm/package-lock.json},
 * and DataChannel.js 1.0.0's {@code DataChannel.js}, pinned in {@code src/test/js-v09/package-lock.json}; installed by
 * {@code npm ci} there ({@code scripts/test} runs it while online; this class runs it when the packages
 * are missing). Each file is checked against the SHA-256 recorded here before a page gets it. The pages come from
 * {@code src/test/resources/socketio-pages}, with {@code hello-ack.js}, the data-channel hello/ack exchange that the
 * call pages share, copied beside those that load it.
 */
final class BrowserLibraries {

    static final String RMC = "node_modules/rtcmulticonnection/dist/RTCMultiConnection.js";
    static final String RMC_SHA256 = "a92920c5dd2db5e45a99cc1f419a3cda36779e51b86cc3201c6c885dc1266251";
    static final String SIMPLEWEBRTC = "node_modules/simplewebrtc/out/simplewebrtc-with-adapter.bundle.js";
    static final String SIMPLEWEBRTC_SHA256 = "250f6b03651bb759fd3f6612c73f00379ecb20455a5696feb62e3f37dfa72580";
    /** DataChannel.js 1.0.0, pinned in {@code src/test/js-v09} beside the socket.io 0.9 client it is used with. */
    static final Path JS_V09 = Path.of("src/test/js-v09").toAbsolutePath();
    static final String DATACHANNEL = "node_modules/datachannel/DataChannel.js";
    static final String DATACHANNEL_SHA256 = "53091da0494a1914ffeeec9eb709d3b93c73ba66db2fe4185e84915e9d44ee25";

    /** The data-channel hello/ack exchange shared by the call pages, served beside them. */
    private static final String HELLO_ACK = "hello-ack.js";
    /** What a DataChannel.js page on the 0.9 bundle did (docs/socketio-09.md, "Doubles"). */
    private static final String TRACE = "datachannel-trace.js";

    private BrowserLibraries() {
    }

    /** Copies {@code RTCMultiConnection.js} and {@code rmc.html} into {@code dir} (a bridge's {@code static-dir}). */
    static void installRmc(Path dir) throws Exception {
        Files.copy(checked(RMC, RMC_SHA256), dir.resolve("RTCMultiConnection.js"));
        page("rmc.html", dir);
    }

    /** Copies the SimpleWebRTC bundle (as {@code simplewebrtc.bundle.js}) and {@code simplewebrtc.html} into {@code dir}. */
    static void installSimpleWebRtc(Path dir) throws Exception {
        Files.copy(checked(SIMPLEWEBRTC, SIMPLEWEBRTC_SHA256), dir.resolve("simplewebrtc.bundle.js"));
        page("simplewebrtc.html", dir);
    }

    /**
     * Copies {@code RTCMultiConnection.js}, {@code rmc.html} and {@code rmc-broadcast.html} (the scalable broadcast,
     * with {@code hello-ack.js}) into {@code dir}.
     */
    static void installRmcBroadcast(Path dir) throws Exception {
        installRmc(dir);
        page("rmc-broadcast.html", dir);
        page(HELLO_ACK, dir);
    }

    /**
     * Copies DataChannel.js, {@code reliable-call.html} and its {@code datachannel-trace.js} into {@code dir}; the page
     * loads the socket.io 0.9 bundle and Reliable-Signaler's {@code signaler.js} from the bridge itself.
     */
    static void installReliableCall(Path dir) throws Exception {
        Files.copy(checked(JS_V09, DATACHANNEL, DATACHANNEL_SHA256), dir.resolve("DataChannel.js"));
        page("reliable-call.html", dir);
        page(TRACE, dir);
    }

    /**
     * Copies DataChannel.js, {@code relay-call.html} (the Signaling.md relay over the socket.io 4 bundle) and
     * {@code overnodejs-call.html} (socketio-over-nodejs over the 0.9.16 bundle), with {@code hello-ack.js} and
     * {@code datachannel-trace.js}, into {@code dir}; the pages load their socket.io client from the bridge itself.
     */
    static void installSeedCalls(Path dir) throws Exception {
        Files.copy(checked(JS_V09, DATACHANNEL, DATACHANNEL_SHA256), dir.resolve("DataChannel.js"));
        page("relay-call.html", dir);
        page("overnodejs-call.html", dir);
        page(HELLO_ACK, dir);
        page(TRACE, dir);
    }

    private static void page(String name, Path dir) throws Exception {
        try (InputStream page = BrowserLibraries.class.getResourceAsStream("/socketio-pages/" + name)) {
            Files.copy(page, dir.resolve(name));
        }
    }

    private static Path checked(String file, String sha256) throws Exception {
        return checked(NodeClient.DIR, file, sha256);
    }

    private static synchronized Path checked(Path npmDir, String file, String sha256) throws Exception {
        Path build = npmDir.resolve(file);
        if (!Files.isRegularFile(build)) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(npmDir.toFile())
                    .redirectErrorStream(true).start();
            String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(300, TimeUnit.SECONDS) || !Files.isRegularFile(build)) {
                npm.destroyForcibly();
                throw new AssertionError(build + " is not installed and `npm ci` in " + npmDir
                        + " failed (offline? run scripts/test, or npm ci there while online): " + log);
            }
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(build)));
        if (!sha.equals(sha256)) {
            throw new AssertionError(build + " has SHA-256 " + sha + ", not the recorded " + sha256
                    + "; delete " + npmDir.resolve("node_modules") + " and run npm ci there");
        }
        return build;
    }
}
