package org.sigbridge.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.testkit.junit.ChromiumExtension;

@Timeout(30)
class ChromiumTest {
    @RegisterExtension
    final ChromiumExtension browsers = new ChromiumExtension();

    @Test
    void loadsAPageFromLoopbackAndRunsItsJavaScript() throws Exception {
        try (StaticPages pages = StaticPages.start()) {
            ChromiumPage page = browsers.chromium().open(pages.url("hello.html"));

            assertEquals(42L, page.waitFor("window.answer", Duration.ofSeconds(5)));
            assertEquals("hello 42", page.eval("return document.title;"));
        }
    }

    @Test
    void twoPeerConnectionsInOnePageOpenADataChannelOverLoopback() throws Exception {
        // Not a skip: outside a loopback-only netns Chromium gathers no 127.0.0.1 candidates, so fail loudly.
        assertTrue(Chromium.loopbackOnlyNetwork(), "WebRTC on loopback needs a network namespace with only lo up "
                + "(run: unshare -n bash -c 'ip link set lo up; mvn -o verify'); interfaces up: "
                + Chromium.interfaceNames());
        try (StaticPages pages = StaticPages.start()) {
            ChromiumPage page = browsers.chromium().open(pages.url("datachannel.html"));

            Map<?, ?> outcome = awaitResult(page);

            assertEquals("ping", outcome.get("received"), "page reported " + outcome);
            List<?> candidates = (List<?>) outcome.get("cands");
            assertTrue(candidates.stream().anyMatch(c -> c.toString().contains(" 127.0.0.1 ")),
                    "no 127.0.0.1 host candidate in " + candidates);
        }
    }

    @Test
    void pagesShareOneBrowserProcessButNoCookiesOrStorage() throws Exception {
        try (StaticPages pages = StaticPages.start()) {
            ChromiumPage first = browsers.chromium().open(pages.url("hello.html"));
            first.eval("localStorage.setItem('who', 'first'); document.cookie = 'who=first';");
            ChromiumPage second = browsers.chromium().open(pages.url("hello.html"));

            assertEquals(Arrays.asList(null, ""), second.eval("return [localStorage.getItem('who'), document.cookie];"));
            assertEquals(List.of("first", "who=first"), first.eval("return [localStorage.getItem('who'), document.cookie];"));
            try (Chromium other = Chromium.start()) {
                assertEquals(browsers.chromium().browserPid(), other.browserPid(), "one browser for one flag list");
            }
        }
    }

    @Test
    void extraFlagsGetABrowserOfTheirOwnWhichIsStartedAgainAfterItDied() throws Exception {
        // a flag list of its own, so that killing this browser disturbs no other test's pages
        try (StaticPages pages = StaticPages.start(); Chromium flagged = Chromium.start(List.of("--user-agent=sigbridge-flagged"))) {
            ChromiumPage before = flagged.open(pages.url("hello.html"));
            assertEquals("sigbridge-flagged", before.eval("return navigator.userAgent;"));
            assertNotEquals(browsers.chromium().browserPid(), flagged.browserPid());

            ProcessHandle browser = ProcessHandle.of(flagged.browserPid()).orElseThrow();
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly();
            browser.onExit().get(10, TimeUnit.SECONDS);
            ChromiumPage after = flagged.open(pages.url("hello.html"));

            assertEquals(42L, after.waitFor("window.answer", Duration.ofSeconds(5)));
            assertEquals("sigbridge-flagged", after.eval("return navigator.userAgent;"));
            assertNotEquals(browser.pid(), flagged.browserPid());
            assertThrows(PeerException.class, () -> before.eval("return 1;"));
        }
    }

    private static Map<?, ?> awaitResult(ChromiumPage page) {
        try {
            return (Map<?, ?>) page.waitFor("window.__result", Duration.ofSeconds(10));
        } catch (AssertionError e) {
            throw new AssertionError("no data channel message; ICE state and candidates: "
                    + page.eval("return window.__diag && window.__diag();"), e);
        }
    }
}
