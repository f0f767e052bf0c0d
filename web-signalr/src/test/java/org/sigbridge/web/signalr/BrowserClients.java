package org.sigbridge.web.signalr;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The real client builds the browser tests load, from {@code src/test/js/node_modules} (installed by
 * {@link NodeSignalR#ensureInstalled()}, never from the repository), each checked against the SHA-256 recorded here,
 * and the test pages that load them.
 */
final class BrowserClients {

    /** {@code @microsoft/signalr@10.0.11/dist/browser/signalr.min.js}. */
    static final String SIGNALR_MIN_SHA256 = "97e9b97e642a72e5a470917147a2bf79f86cad829a5c6786adb10614d248bb95";

    /** {@code signalr@2.4.3/jquery.signalR.js}. */
    static final String JQUERY_SIGNALR_SHA256 = "60d433db25ba88af6bd3b390b818cd392047620e1b8af82c3bd2ade8954f0b3f";
    /** {@code jquery@3.7.1/dist/jquery.min.js}. */
    static final String JQUERY_SHA256 = "fc9a93dd241f6b045cbff0481cf4e1901becd0e12fb45166a8f17f95823f0b1a";

    private BrowserClients() {
    }

    /** Copies the Core client build, {@code core.html} and its {@code webrtc-call.js} into {@code dir} (a bridge's {@code static-dir}). */
    static void installCoreInto(Path dir) throws Exception {
        copy("@microsoft/signalr/dist/browser/signalr.min.js", SIGNALR_MIN_SHA256, dir.resolve("signalr.min.js"));
        page("core.html", dir);
        callScript(dir);
    }

    /** Copies jQuery, jquery.signalR 2.4.3, {@code classic.html} and its {@code webrtc-call.js} into {@code dir}. */
    static void installClassicInto(Path dir) throws Exception {
        copy("jquery/dist/jquery.min.js", JQUERY_SHA256, dir.resolve("jquery.min.js"));
        copy("signalr/jquery.signalR.js", JQUERY_SIGNALR_SHA256, dir.resolve("jquery.signalR.js"));
        page("classic.html", dir);
        callScript(dir);
    }

    /** The WebRTC call both pages load ({@code webrtc-call.js}); once per {@code dir}, which may hold both pages. */
    private static void callScript(Path dir) throws Exception {
        if (!Files.exists(dir.resolve("webrtc-call.js"))) {
            page("webrtc-call.js", dir);
        }
    }

    static void page(String name, Path dir) throws Exception {
        try (InputStream page = BrowserClients.class.getResourceAsStream("/signalr-pages/" + name)) {
            Files.copy(page, dir.resolve(name));
        }
    }

    static void copy(String module, String sha256, Path to) throws Exception {
        NodeSignalR.ensureInstalled();
        Path build = NodeSignalR.DIR.resolve("node_modules").resolve(module);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(build)));
        if (!sha.equals(sha256)) {
            throw new AssertionError(build + " has SHA-256 " + sha + ", not the recorded " + sha256 + "; delete "
                    + NodeSignalR.DIR.resolve("node_modules") + " and run npm ci there");
        }
        Files.copy(build, to);
    }
}
