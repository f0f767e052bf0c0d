package org.sigbridge.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

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

    private static Map<?, ?> awaitResult(ChromiumPage page) {
        try {
            return (Map<?, ?>) page.waitFor("window.__result", Duration.ofSeconds(10));
        } catch (AssertionError e) {
            throw new AssertionError("no data channel message; ICE state and candidates: "
                    + page.eval("return window.__diag && window.__diag();"), e);
        }
    }
}
