package org.sigbridge.dist.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.sigbridge.testkit.peers.Chromium;
import org.sigbridge.testkit.web.SeedPages;

/**
 * Two headless Chromium processes completing a WebRTC data channel with the testkit's {@link SeedPages}
 * ({@code envelope.html}, {@code channels.html} on {@code peer-logic.js}), each page loaded from its own
 * bridge's {@code static-dir}. The offerer announces until the answerer answers, then SDP and trickle ICE
 * cross whatever connects the two bridges.
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

    /** {@code static-dir: "<dir>"}, for the web section of a bridge's YAML. */
    static String staticDir(Path dir) {
        return "static-dir: \"" + dir.toAbsolutePath() + "\"";
    }

    /**
     * Opens {@code page} as answerer on {@code answerBridge} and as offerer on {@code offerBridge}, both in
     * {@code room}, and asserts that the data channel carried ping and pong.
     */
    static void complete(Chromium chromium, String page, String room, RunningBridge offerBridge, RunningBridge answerBridge) {
        SeedPages.assertDataChannel(chromium, answerBridge.http("/" + page + "?role=answer&room=" + room),
                offerBridge.http("/" + page + "?role=offer&room=" + room), CALL);
    }
}
