package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * {@code /sigbridge.js} in headless Chromium resumes (docs/design.md §3.8, docs/dialects.md §5.4): a page whose
 * WebSocket breaks while its channel carries three messages reconnects, names its last position, and gets exactly
 * those three, once and in order, then the live ones, never its own; {@code onresume} says {@code recovered: true}.
 * The page's WebSocket constructor is wrapped so the test can break the socket and hold the reconnection (attempts go
 * to a closed port) until the messages were sent. Needs the loopback-only namespace ({@code unshare -n}).
 */
class SigbridgeJsResumeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final String PAGE = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>resume</title></head><body>
            <script>
              var Native = window.WebSocket;
              window.opens = 0; window.fails = 0; window.hold = false; window.sockets = [];
              window.WebSocket = function (url, protocols) {
                var target = window.hold ? url.replace(/:[0-9]+\\//, ':1/') : url;
                var ws = new Native(target);
                ws.addEventListener('open', function () { opens++; });
                ws.addEventListener('close', function () { if (target !== url) fails++; });
                sockets.push(ws);
                return ws;
              };
              window.WebSocket.prototype = Native.prototype;
            </script>
            <script src="/sigbridge.js"></script>
            <script>
              window.got = []; window.resumes = [];
              window.sock = openSignalingChannel({
                channel: 'rs',
                onmessage: function (m) { got.push(m); },
                onresume: function (r) { resumes.push(r); }
              });
            </script>
            </body></html>
            """;

    @RegisterExtension
    final ChromiumExtension browsers = new ChromiumExtension();

    @TempDir
    Path pages;

    private TestBridge bridge;

    @BeforeEach
    void start() throws Exception {
        assertTrue(Chromium.loopbackOnlyNetwork(), "run in a loopback-only namespace: unshare -n bash -c 'ip link set lo up; "
                + "mvn -o -pl web-classic verify' (interfaces now: " + Chromium.interfaceNames() + ")");
        Files.writeString(pages.resolve("resume.html"), PAGE);
        bridge = TestBridge.startYaml("""
                bridge:
                  shutdown-grace: 1s
                adapters:
                  web:
                    type: web
                    port: 0
                    static-dir: "%s"
                routes:
                  - match: "*"
                    to: local
                """.formatted(pages.toAbsolutePath()));
    }

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
    }

    private static void await(ChromiumPage page, String condition) {
        try {
            page.waitFor(condition, WAIT);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; page recorded " + page.eval("return JSON.stringify({opens: window.opens, "
                    + "fails: window.fails, got: window.got, resumes: window.resumes});"), e);
        }
    }

    @Test
    void aPageWhoseSocketBrokeGetsWhatItMissedOnceInOrderAndNotItsOwn() throws Exception {
        ChromiumPage page = browsers.chromium().open(bridge.http("/resume.html").toString());
        await(page, "window.opens === 1");
        try (WsClient bob = WsClient.connect(bridge.ws("/ws/channels"));
             WsClient carol = WsClient.connect(bridge.ws("/ws/channels"))) {
            Poll.until("the page has joined 'rs'", WAIT, Duration.ofMillis(100), () -> bob.present("rs", WsClient.WAIT), Boolean::booleanValue);
            bob.send("{\"open\":true,\"channel\":\"rs\"}");
            carol.send("{\"open\":true,\"channel\":\"rs\"}");
            carol.expectPresent("rs");
            bob.send("{\"channel\":\"rs\",\"data\":\"m0\"}");
            await(page, "window.got.indexOf('m0') >= 0");
            carol.expect("\"m0\"");
            page.eval("window.sock.send('own'); return true;");
            bob.expect("\"own\"");
            carol.expect("\"own\"");

            page.eval("window.hold = true; window.sockets[window.sockets.length - 1].close(); return true;");
            await(page, "window.fails >= 1"); // it is away, and its reconnection attempts fail
            for (String m : new String[] {"m1", "m2", "m3"}) {
                bob.send("{\"channel\":\"rs\",\"data\":\"" + m + "\"}");
                carol.expect("\"" + m + "\""); // the bridge has it: published while the page is away
            }
            page.eval("window.hold = false; return true;");
            await(page, "window.opens === 2 && window.resumes.length === 1");
            bob.send("{\"channel\":\"rs\",\"data\":\"live\"}");
            await(page, "window.got.indexOf('live') >= 0");
        }
        assertEquals("[\"m0\",\"m1\",\"m2\",\"m3\",\"live\"]", page.eval("return JSON.stringify(window.got);"));
        assertEquals("[{\"channel\":\"rs\",\"recovered\":true}]", page.eval("return JSON.stringify(window.resumes);"));
    }
}
