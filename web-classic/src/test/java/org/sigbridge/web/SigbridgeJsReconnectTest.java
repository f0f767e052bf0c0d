package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.ChromiumExtension;
import org.sigbridge.testkit.peers.Chromium;
import org.sigbridge.testkit.peers.ChromiumPage;
import org.sigbridge.testkit.web.WsClient;

/**
 * {@code /sigbridge.js} in headless Chromium survives a bridge restart: a page on a channel sees its socket closed
 * when the bridge stops, retries with growing (capped, jittered) delays, reconnects to a new bridge on the same
 * port, re-joins its channel, and again receives a second client's messages and presence events. Needs the
 * loopback-only namespace of the project's test command ({@code unshare -n}).
 */
class SigbridgeJsReconnectTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /**
     * The page counts WebSocket constructions (with their times) and opens by wrapping the browser's WebSocket,
     * and records what sigbridge.js hands it: messages, presence events by callback and by window event.
     */
    private static final String PAGE = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>reconnect</title></head><body>
            <script>
              var Native = window.WebSocket;
              window.attempts = []; window.opens = 0;
              window.WebSocket = function (url, protocols) {
                attempts.push(Date.now());
                var ws = protocols ? new Native(url, protocols) : new Native(url);
                ws.addEventListener('open', function () { opens++; });
                return ws;
              };
              window.WebSocket.prototype = Native.prototype;
            </script>
            <script src="/sigbridge.js"></script>
            <script>
              window.got = []; window.presence = []; window.presenceEvents = 0;
              window.addEventListener('sigbridge-presence', function () { presenceEvents++; });
              openSignalingChannel({
                channel: 'rc',
                onmessage: function (m) { got.push(m); },
                onpresence: function (e) { presence.push(e.event + ':' + e.present); }
              });
            </script>
            </body></html>
            """;

    @RegisterExtension
    final ChromiumExtension browsers = new ChromiumExtension();

    @TempDir
    Path pages;

    private TestBridge first;
    private TestBridge second;

    @BeforeEach
    void start() throws Exception {
        assertTrue(Chromium.loopbackOnlyNetwork(), "run in a loopback-only namespace: unshare -n bash -c 'ip link set lo up; "
                + "mvn -o -pl web-adapter verify' (interfaces now: " + Chromium.interfaceNames() + ")");
        Files.writeString(pages.resolve("reconnect.html"), PAGE);
        first = bridgeOn(0);
    }

    @AfterEach
    void stop() {
        for (TestBridge b : new TestBridge[] {first, second}) {
            if (b != null) {
                b.close();
            }
        }
    }

    private TestBridge bridgeOn(int port) throws Exception {
        return TestBridge.startYaml("""
                bridge:
                  shutdown-grace: 1s
                adapters:
                  web:
                    type: web
                    port: %d
                    static-dir: "%s"
                routes:
                  - match: "*"
                    to: local
                """.formatted(port, pages.toAbsolutePath()));
    }

    /** Waits for a page condition; on timeout the failure shows what the page recorded. */
    private static void await(ChromiumPage page, String condition) {
        try {
            page.waitFor(condition, WAIT);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; page recorded " + page.eval("return JSON.stringify({attempts: window.attempts, "
                    + "opens: window.opens, got: window.got, presence: window.presence, presenceEvents: window.presenceEvents});"), e);
        }
    }

    /**
     * The page's join frame follows its socket's open, so one presence question can overtake it: ask until the
     * bridge says yes (the join is only observable by asking).
     */
    private static void awaitJoined(WsClient client, String what) throws Exception {
        Poll.until(what, WAIT, Duration.ofMillis(100), () -> client.present("rc", WsClient.WAIT), Boolean::booleanValue);
    }

    @Test
    void thePageReconnectsWithBackoffRejoinsItsChannelAndHearsMessagesAndPresenceAgain() throws Exception {
        int port = first.port();
        ChromiumPage page = browsers.chromium().open(first.http("/reconnect.html").toString());
        await(page, "window.opens === 1");

        try (WsClient bob = WsClient.connect(first.ws("/ws/channels"))) {
            awaitJoined(bob, "the page has joined 'rc'");
            bob.send("{\"open\":true,\"channel\":\"rc\"}");
            await(page, "window.presence.filter(function (p) { return p.indexOf('joined') === 0; }).length >= 1");
            bob.send("{\"channel\":\"rc\",\"data\":\"before\"}");
            await(page, "window.got.indexOf('before') >= 0");
        }
        await(page, "window.presence.filter(function (p) { return p.indexOf('left') === 0; }).length >= 1");

        first.close();
        first = null;
        // Three failed retries while no bridge listens: 0.5 s, 1 s, 2 s apart, each times 0.5 … 1 for jitter.
        await(page, "window.attempts.length >= 4");
        @SuppressWarnings("unchecked")
        List<Number> at = (List<Number>) page.eval("return window.attempts;");
        long firstGap = at.get(2).longValue() - at.get(1).longValue();
        long secondGap = at.get(3).longValue() - at.get(2).longValue();
        assertTrue(firstGap >= 500 - 50 && secondGap >= 1000 - 50, "retries back off: gaps " + firstGap + " ms, " + secondGap + " ms");

        second = bridgeOn(port);
        await(page, "window.opens === 2");
        int eventsBefore = ((Number) page.eval("return window.presenceEvents;")).intValue();
        int presenceBefore = ((Number) page.eval("return window.presence.length;")).intValue();
        try (WsClient carol = WsClient.connect(second.ws("/ws/channels"))) {
            awaitJoined(carol, "the page has re-joined 'rc' on the new bridge");
            carol.send("{\"open\":true,\"channel\":\"rc\"}");
            await(page, "window.presenceEvents > " + eventsBefore
                    + " && window.presence.slice(" + presenceBefore + ").some(function (p) { return p.indexOf('joined') === 0; })");
            carol.send("{\"channel\":\"rc\",\"data\":\"after\"}");
            await(page, "window.got.indexOf('after') >= 0");
        }
    }
}
