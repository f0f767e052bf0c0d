package org.sigbridge.dist.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.sigbridge.testkit.peers.Chromium;
import org.sigbridge.testkit.peers.ChromiumPage;

/**
 * Two headless Chromium processes completing a WebRTC data channel with the seed-style pages of
 * {@code e2e-pages/} (the web adapter's own test pages: {@code envelope.html}, {@code channels.html} on
 * {@code peer-logic.js}), each page loaded from its own bridge's {@code static-dir}. The offerer announces
 * until the answerer answers, then SDP and trickle ICE cross whatever connects the two bridges.
 */
final class BrowserCall {

    static final Duration CALL = Duration.ofSeconds(20);

    private BrowserCall() {
    }

    /** Fails with a hint when the JVM is not in a loopback-only network namespace (no ICE candidates otherwise). */
    static void requireLoopbackOnlyNetwork() {
        assertTrue(Chromium.loopbackOnlyNetwork(), "WebRTC between pages on 127.0.0.1 needs a network namespace where lo is the "
                + "only interface; run: unshare -n bash -c 'ip link set lo up; mvn -o -pl dist verify' (interfaces now: "
                + Chromium.interfaceNames() + ")");
    }

    /** Copies the seed-style pages into {@code dir}, to be served by a bridge's {@code static-dir}. */
    static Path copyPages(Path dir) throws IOException {
        for (String page : new String[] {"peer-logic.js", "envelope.html", "channels.html"}) {
            try (InputStream in = BrowserCall.class.getResourceAsStream("/e2e-pages/" + page)) {
                Files.copy(in, dir.resolve(page));
            }
        }
        return dir;
    }

    /** {@code static-dir: "<dir>"}, for the web section of a bridge's YAML. */
    static String staticDir(Path dir) {
        return "static-dir: \"" + dir.toAbsolutePath() + "\"";
    }

    /**
     * Opens {@code page} as answerer on {@code answerBridge} and as offerer on {@code offerBridge}, both in
     * {@code room}, and asserts that the data channel carried ping and pong.
     */
    static void complete(Chromium chromium, String page, String room, RunningBridge offerBridge, RunningBridge answerBridge) {
        ChromiumPage answer = chromium.open(answerBridge.http("/" + page + "?role=answer&room=" + room));
        ChromiumPage offer = chromium.open(offerBridge.http("/" + page + "?role=offer&room=" + room));
        offer.waitFor("window.result || window.failure", CALL);
        answer.waitFor("window.result || window.failure", CALL);
        assertEquals("pong from answerer", offer.eval("return window.result || window.failure;"), "what the offerer's data channel got");
        assertEquals("ping from offerer", answer.eval("return window.result || window.failure;"), "what the answerer's data channel got");
    }
}
