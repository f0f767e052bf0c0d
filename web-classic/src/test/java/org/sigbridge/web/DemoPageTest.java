package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.sigbridge.testkit.junit.ChromiumExtension;
import org.sigbridge.testkit.peers.Chromium;
import org.sigbridge.testkit.peers.ChromiumPage;

/**
 * The demo page in headless Chromium against a real bridge in local mode: any number of tabs in one channel (a
 * full mesh), a reload, a denied channel, names, the signaling panel and the ICE note. Each test leaves a
 * screenshot in {@code target/demo-screenshots/} to look at. Needs a loopback-only network namespace, as
 * {@link BrowserWebRtcTest} does.
 */
class DemoPageTest {

    private static final Duration CALL = Duration.ofSeconds(20);
    private static final String ALL_OPEN = "Object.keys(window.demo.peers).length === %d"
            + " && Object.keys(window.demo.peers).every(function (id) { return window.demo.peers[id].dc === 'open'; })";

    @RegisterExtension
    final ChromiumExtension browsers = new ChromiumExtension();

    private TestBridge bridge;

    @BeforeEach
    void start() throws Exception {
        assertTrue(Chromium.loopbackOnlyNetwork(), "WebRTC between pages on 127.0.0.1 needs a network namespace where lo is the "
                + "only interface; run: unshare -n bash -c 'ip link set lo up; mvn -o -pl web-classic verify' (interfaces now: "
                + Chromium.interfaceNames() + ")");
        bridge = TestBridge.start();
    }

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
    }

    private String demo(String channel, String name) {
        return bridge.http("/?channel=" + channel + "&name=" + name + "&gum=1&autojoin=1").toString();
    }

    private static void allOpen(ChromiumPage page, int peers) {
        page.waitFor(ALL_OPEN.formatted(peers), CALL);
    }

    private static void screenshot(ChromiumPage page, String name) throws Exception {
        Path dir = Path.of("target", "demo-screenshots");
        Files.createDirectories(dir);
        page.driver().manage().window().setSize(new Dimension(1000, 1500));
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) page.driver()).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void threeTabsInOneChannelAllConnectDataChannelsAndChatWithEveryone() throws Exception {
        ChromiumPage ann = browsers.chromium().open(demo("mesh-1", "ann"));
        ChromiumPage bob = browsers.chromium().open(demo("mesh-1", "bob"));
        ChromiumPage cid = browsers.chromium().open(demo("mesh-1", "cid"));
        for (ChromiumPage page : List.of(ann, bob, cid)) {
            allOpen(page, 2);
        }

        ann.eval("document.getElementById('text').value = 'hello all'; document.getElementById('chat').requestSubmit();");
        bob.waitFor("window.demo.received.indexOf('hello all') >= 0", CALL);
        cid.waitFor("window.demo.received.indexOf('hello all') >= 0", CALL);
        String roster = (String) ann.eval("return document.getElementById('roster').textContent;");
        assertTrue(roster.contains("ann (you") && roster.contains("bob — browser") && roster.contains("cid — browser"),
                "the roster names people by the names they chose: " + roster);
        assertFalse(roster.contains("web-"), "no internal endpoint ids: " + roster);
        ann.waitFor("document.getElementById('presence').textContent.indexOf('3 browser connections on this bridge') >= 0", CALL);
        screenshot(ann, "three-tabs");
    }

    @Test
    void reloadingATabRejoinsAndReconnectsToTheOthers() throws Exception {
        ChromiumPage ann = browsers.chromium().open(demo("reload-1", "ann"));
        ChromiumPage bob = browsers.chromium().open(demo("reload-1", "bob"));
        allOpen(ann, 1);
        allOpen(bob, 1);
        String before = (String) bob.eval("return window.demo.id;");

        bob.navigate(demo("reload-1", "bob"));

        allOpen(bob, 1);
        assertFalse(before.equals(bob.eval("return window.demo.id;")), "a reloaded page is a new tab");
        ann.waitFor(ALL_OPEN.formatted(1) + " && !window.demo.peers['" + before + "']", CALL);
        ann.eval("document.getElementById('text').value = 'still here'; document.getElementById('chat').requestSubmit();");
        bob.waitFor("window.demo.received.indexOf('still here') >= 0", CALL);
        screenshot(bob, "reloaded-tab");
    }

    @Test
    void aDeniedChannelShowsTheBridgesErrorAndNeverSaysJoined() throws Exception {
        ChromiumPage page = browsers.chromium().open(demo("denied-1", "ann"));

        page.waitFor("window.demo.errors.some(function (e) { return e.code === 'not_permitted'; })", CALL);
        String errors = (String) page.eval("return document.getElementById('errors').textContent;");
        assertTrue(errors.startsWith("not_permitted: the bridge does not permit this channel"), errors);
        assertEquals(Boolean.FALSE, page.eval("return document.getElementById('errors').hidden;"));
        assertEquals("refused: not_permitted", page.eval("return document.getElementById('signaling').textContent;"));
        assertEquals("deny (the routing table refuses this channel)", page.eval("return document.getElementById('route').textContent;"));
        assertEquals(Boolean.FALSE, page.eval("return window.demo.joined;"));
        screenshot(page, "denied-channel");
    }

    @Test
    void theSignalingPanelListsOfferAnswerAndCandidatesWithTheirRoute() throws Exception {
        ChromiumPage ann = browsers.chromium().open(demo("panel-1", "ann"));
        ChromiumPage bob = browsers.chromium().open(demo("panel-1", "bob"));
        allOpen(ann, 1);
        allOpen(bob, 1);

        @SuppressWarnings("unchecked")
        List<String> types = (List<String>) ann.eval("return window.demo.signals.map(function (s) { return s.dir + s.type; });");
        assertTrue(types.contains("→hello"), types.toString());
        assertTrue(types.contains("→offer") && types.contains("←answer") || types.contains("←offer") && types.contains("→answer"),
                types.toString());
        assertTrue(types.stream().anyMatch(t -> t.startsWith("→candidate host")), types.toString());
        assertTrue(types.stream().anyMatch(t -> t.startsWith("←candidate host")), types.toString());
        assertEquals(Boolean.TRUE, ann.eval("return window.demo.signals.every(function (s) { return s.route === 'local' && s.bytes > 0; });"));
        assertEquals(Boolean.FALSE, ann.eval("return document.getElementById('signals').open;"), "collapsed by default");

        ann.waitFor("window.demo.hostOnly === true", CALL);
        String note = (String) ann.eval("return document.getElementById('icenote').textContent;");
        assertTrue(note.startsWith("no STUN/TURN configured (ice-servers)") && note.contains("host candidates only"), note);
        ann.eval("document.getElementById('signals').open = true;");
        screenshot(ann, "signaling-panel");
    }
}
