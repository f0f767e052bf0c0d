package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sigbridge.SigBridge;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.sip.SipAdapter;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.bridge.BridgeUnderTest;
import org.sigbridge.testkit.bridge.BridgedPair;
import org.sigbridge.testkit.junit.ChromiumExtension;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.peers.Chromium;
import org.sigbridge.testkit.peers.ChromiumPage;
import org.sigbridge.testkit.peers.ProsodyServer;
import org.sigbridge.web.TestBridge;
import org.sigbridge.web.WebAdapter;

/**
 * Real WebRTC calls between two headless Chromium pages, signaled by sigbridge's socket.io families, with the
 * libraries' own browser builds ({@link BrowserLibraries}):
 * <ul>
 * <li>RTCMultiConnection 3.7.1 opens a room on one page and joins it from the other over socket.io 4 (the bridge's
 *     client bundle); the two exchange text on the data channel. Then the same with the two pages on two bridges whose
 *     {@code rmc-*} rooms meet in one real Prosody MUC room: the joiner's bridge finds the room by the hub's presence
 *     probe, the participation request crosses as a room message, and the per-user offers, answers and candidates by
 *     addressed delivery (docs/design.md §4.7).</li>
 *     And through Kamailio: the per-user messages go to the channel's AOR, which Kamailio forks to both bridges
 *     (docs/design.md §5.6).</li>
 * <li>SimpleWebRTC 3.0.2 (its bundle carries socket.io-client 1.x, Engine.IO 3) joins one room from each page, and the
 *     peers exchange text on the {@code simplewebrtc} data channel; then on two bridges through one Prosody MUC room, and
 *     through Kamailio, where the bridges announce their pages to each other in RFC 4575 conference-info MESSAGEs
 *     (docs/design.md §5.7).</li>
 * <li>Reliable-Signaler 1.0.2's {@code signaler.js} (with the 0.9.16 bundle, both served by the bridge) carries the
 *     signaling of DataChannel.js 1.0.0, which opens a real data channel between the pages: on one bridge, and on two
 *     bridges through one Prosody MUC room and through Kamailio (docs/socketio-09.md); each signaling message reaches
 *     the other page's socket exactly once.</li>
 * </ul>
 * The two-bridge cases use testkit's {@link BridgedPair} and wait until both bridges are in the upstream room.
 * The two browsers are started once for the class and navigated from call to call. Needs a loopback-only network
 * namespace ({@code unshare -n}), as the project's test command provides.
 */
class WebRtcLibrariesBrowserTest {

    private static final Duration CALL = Duration.ofSeconds(30);

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    @RegisterExtension
    static final KamailioExtension KAMAILIO = new KamailioExtension();

    @RegisterExtension
    static final ChromiumExtension BROWSERS = new ChromiumExtension();

    @TempDir
    static Path pages;

    private static ChromiumPage first;
    private static ChromiumPage second;

    @BeforeAll
    static void libraries() throws Exception {
        assertTrue(Chromium.loopbackOnlyNetwork(), "WebRTC between pages on 127.0.0.1 needs a network namespace where lo is the "
                + "only interface; run: unshare -n bash -c 'ip link set lo up; mvn -o -pl web-socketio verify' (interfaces now: "
                + Chromium.interfaceNames() + ")");
        BrowserLibraries.installRmc(pages);
        BrowserLibraries.installSimpleWebRtc(pages);
        BrowserLibraries.installReliableCall(pages);
    }

    @Test
    void rtcMultiConnectionPagesOpenAndJoinARoomAndTalkOnTheDataChannel() throws Exception {
        try (TestBridge bridge = TestBridge.start("    static-dir: \"" + pages.toAbsolutePath() + "\"\n")) {
            rmcCall(newRoom("rmc-"), bridge.http("/rmc.html").toString(), bridge.http("/rmc.html").toString(), room -> true, () -> "");
        }
    }

    @Test
    void rtcMultiConnectionPagesOnTwoBridgesJoinedThroughOneMucRoomTalkOnTheDataChannel() throws Exception {
        try (SigBridge east = bridge(PROSODY.server(), "east", "alice");
             SigBridge west = bridge(PROSODY.server(), "west", "bob")) {
            // the joiner's bridge sees the room once the owner's bridge has joined its MUC room (its leg is asynchronous)
            rmcCall(newRoom("rmc-"), url(east), url(west), room -> west.hub().probePresence(room).toCompletableFuture().join(),
                    () -> "");
        }
    }

    /**
     * Over SIP a bridge learns of a room's members only from what they send, so the room is held open on both bridges
     * (as a room with members is) and both have registered its AOR before the pages call; the offers, answers and
     * candidates RTCMultiConnection addresses to the other page's userid go to the channel's AOR, which Kamailio forks
     * to both bridges, and only the bridge with that page delivers them (docs/design.md §5.6).
     */
    @Test
    void rtcMultiConnectionPagesOnTwoBridgesJoinedThroughKamailioTalkOnTheDataChannel() throws Exception {
        String room = newRoom("rmc-");
        try (BridgedPair pair = BridgedPair.throughKamailio(KAMAILIO.server(), "rmc-*", staticDir())) {
            pair.holdOpen(room);
            pair.awaitBothInRoom(room, CALL);
            rmcCall(room, pair.eastHttp("/rmc.html").toString(), pair.westHttp("/rmc.html").toString(), r -> true,
                    () -> sipSide(pair, room));
        }
    }

    /** What each bridge's SIP leg and Kamailio say of {@code room}, for a failed call's report. */
    private static String sipSide(BridgedPair pair, String room) {
        StringBuilder sb = new StringBuilder();
        for (BridgeUnderTest side : new BridgeUnderTest[] {pair.east(), pair.west()}) {
            SipAdapter sip = (SipAdapter) side.bridge().adapter("sip").orElseThrow();
            sb.append('\n').append(side == pair.east() ? "east" : "west").append(": participants ").append(side.hub().participants(room))
                    .append("; SIP recipients ").append(sip.recipients(room)).append(", other bindings ").append(sip.channelBindings(room))
                    .append("; ").append(sip.stats());
        }
        return sb.append("\nkamailio log tail:\n").append(KAMAILIO.server().logTail()).toString();
    }

    @Test
    void simpleWebRtcPagesJoinARoomAndTalkOnTheDataChannel() throws Exception {
        try (TestBridge bridge = TestBridge.start("    static-dir: \"" + pages.toAbsolutePath() + "\"\n")) {
            String room = "swrtc-" + Long.toHexString(System.nanoTime());
            ChromiumPage[] both = open(bridge.http("/simplewebrtc.html?name=alice").toString(), bridge.http("/simplewebrtc.html?name=bob").toString());
            ChromiumPage alice = both[0];
            ChromiumPage bob = both[1];
            alice.eval("join(arguments[0])", room);
            alice.waitFor("t.joined !== null", CALL);
            assertEquals(true, alice.eval("return t.joined"));
            bob.eval("join(arguments[0])", room); // bob finds alice in the join answer and calls her
            simpleWebRtcTalked(alice, bob);
        }
    }

    @Test
    void simpleWebRtcPagesOnTwoBridgesJoinedThroughOneMucRoomTalkOnTheDataChannel() throws Exception {
        try (BridgedPair pair = BridgedPair.throughProsody(PROSODY.server(), "swrtc-*", staticDir())) {
            simpleWebRtcBridgedCall(pair); // alice's bridge announces her in its occupant's presence (docs/design.md §4.7)
        }
    }

    /**
     * Through Kamailio alice's bridge announces her to the other bridge in an RFC 4575 conference-info MESSAGE to the
     * room's AOR (docs/design.md §5.7), so bob's join answer lists her; his offer, addressed to her socket id, goes to
     * the AOR, which Kamailio forks to both bridges, and only hers delivers it (docs/design.md §5.6).
     */
    @Test
    void simpleWebRtcPagesOnTwoBridgesJoinedThroughKamailioTalkOnTheDataChannel() throws Exception {
        try (BridgedPair pair = BridgedPair.throughKamailio(KAMAILIO.server(), "swrtc-*", staticDir())) {
            simpleWebRtcBridgedCall(pair);
        }
    }

    /**
     * signal-master's join answer is the room as the joiner's bridge knows it then: the room is held open on both bridges
     * and joined upstream, and bob joins once his bridge lists alice's socket among the room's participants.
     */
    private static void simpleWebRtcBridgedCall(BridgedPair pair) throws Exception {
        String room = newRoom("swrtc-");
        pair.holdOpen(room);
        pair.awaitBothInRoom(room, CALL);
        ChromiumPage[] both = open(pair.eastHttp("/simplewebrtc.html?name=alice").toString(), pair.westHttp("/simplewebrtc.html?name=bob").toString());
        ChromiumPage alice = both[0];
        ChromiumPage bob = both[1];
        alice.eval("join(arguments[0])", room);
        alice.waitFor("t.joined !== null", CALL);
        assertEquals(true, alice.eval("return t.joined"));
        String aliceId = (String) alice.eval("return t.id");
        Poll.until("west lists alice's socket " + aliceId + " in " + room, CALL,
                () -> pair.west().hub().participants(room).stream().anyMatch(p -> p.id().equals(aliceId)));
        bob.eval("join(arguments[0])", room); // bob finds alice in the join answer and calls her through the upstream room
        simpleWebRtcTalked(alice, bob);
    }

    @Test
    void reliableSignalerPagesCallWithDataChannelJsOnOneBridge() throws Exception {
        try (TestBridge bridge = TestBridge.start(staticDir())) {
            String room = newRoom("rs-");
            ChromiumPage[] both = open(bridge.http("/reliable-call.html?name=alice-" + room).toString(),
                    bridge.http("/reliable-call.html?name=bob-" + room + "&owner=alice-" + room).toString());
            ChromiumPage alice = both[0];
            ChromiumPage bob = both[1];
            bob.eval("joinRoom(arguments[0])", room); // asked before the room exists: answered when it appears
            alice.eval("openRoom(arguments[0])", room);
            alice.waitFor("t.created", CALL);
            assertEquals(room, bob.waitFor("t.found", CALL), "get-session-info answered once the owner kept the room");
            dataChannelTalked(alice, bob, room);
        }
    }

    @Test
    void reliableSignalerPagesOnTwoBridgesJoinedThroughOneMucRoomCallWithDataChannelJs() throws Exception {
        try (BridgedPair pair = BridgedPair.throughProsody(PROSODY.server(), "rs-*", staticDir())) {
            reliableSignalerBridgedCall(pair);
        }
    }

    @Test
    void reliableSignalerPagesOnTwoBridgesJoinedThroughKamailioCallWithDataChannelJs() throws Exception {
        try (BridgedPair pair = BridgedPair.throughKamailio(KAMAILIO.server(), "rs-*", staticDir())) {
            reliableSignalerBridgedCall(pair);
        }
    }

    /**
     * Reliable-Signaler rooms are each bridge's own (docs/socketio-09.md), so across bridges the joiner finds the room
     * the way DataChannel.js does without a room server: the owner announces it on the room's signaling channel and the
     * joiner, connected to that channel, joins it. The pages' sockets sit on hub channel {@code rs-…} (the handshake's
     * {@code channel} query), which the pair routes upstream.
     */
    private static void reliableSignalerBridgedCall(BridgedPair pair) throws Exception {
        String room = newRoom("rs-");
        ChromiumPage[] both = open(pair.eastHttp("/reliable-call.html?name=alice-" + room + "&channel=" + room).toString(),
                pair.westHttp("/reliable-call.html?name=bob-" + room + "&channel=" + room).toString());
        pair.awaitBothInRoom(room, CALL);
        both[1].eval("connectRoom(arguments[0])", room);
        both[0].eval("openRoom(arguments[0])", room);
        both[0].waitFor("t.created", CALL);
        dataChannelTalked(both[0], both[1], room);
    }

    /**
     * Each DataChannel.js page saw the other open a real RTCPeerConnection's data channel and heard its hello on it, and
     * the bridge delivered every signaling message exactly once ({@link #deliveredOnce}). At the data-channel level a
     * text or an open may come twice: DataChannel.js absorbs a doubled signaling message (docs/socketio-09.md,
     * "Reliable-Signaler"), so a double there is the library's or the browser's and cannot tell of a bridge double;
     * such a call prints both pages' story (datachannel-trace.js: the sockets' packets, the data channels' sends and
     * receipts with their TextSender uuids).
     */
    private static void dataChannelTalked(ChromiumPage alice, ChromiumPage bob, String room) throws Exception {
        bob.waitFor("t.received.length || t.errors.length", CALL);
        alice.waitFor("t.received.length || t.errors.length", CALL);
        String story = "return JSON.stringify({open: t.open, received: t.received, socket: t.socket, signals: t.signals, wire: tr.wire, "
                + "dc: tr.dc}, null, 1)";
        String counts = "return 'heard ' + t.received.length + ', opened ' + t.open.length + ', socket events ' + t.socket.length";
        String aliceCounts = (String) alice.eval(counts);
        String bobCounts = (String) bob.eval(counts);
        System.out.println("DataChannel.js call " + room + ": alice " + aliceCounts + "; bob " + bobCounts);
        if (!aliceCounts.equals("heard 1, opened 1, socket events 0") || !bobCounts.equals("heard 1, opened 1, socket events 0")) {
            System.out.println("DataChannel.js call " + room + " more than once or a socket event: alice " + alice.eval(story)
                    + "; bob " + bob.eval(story));
        }
        deliveredOnce(alice, bob, room);
        deliveredOnce(bob, alice, room);
        assertEquals("[\"hello from alice-" + room + "\"]", bob.eval("return JSON.stringify([...new Set(t.received)])"),
                "alice's text reached bob peer to peer");
        assertEquals("[\"hello from bob-" + room + "\"]", alice.eval("return JSON.stringify([...new Set(t.received)])"),
                "bob's text reached alice peer to peer");
        assertEquals("[\"alice-" + room + "\"]", bob.eval("return JSON.stringify([...new Set(t.open)])"));
        assertEquals("[\"RTCPeerConnection\"]", bob.eval("return JSON.stringify([...new Set(t.peers)])"),
                "a WebRTC data channel, not a socket fallback");
        assertEquals("[]", alice.eval("return JSON.stringify(t.errors)"));
        assertEquals("[]", bob.eval("return JSON.stringify(t.errors)"));
        assertEquals("websocket", bob.eval("return t.transport"));
    }

    /**
     * Every {@code message} event {@code from}'s socket sent reached {@code to}'s socket exactly once, and nothing else
     * did (datachannel-trace.js counts them by the hash of their arguments, as written and as delivered). Waits until what
     * {@code from} had sent so far arrived; then {@code to}'s deliveries are read before {@code from}'s sends, so each
     * one read was sent before it was read and a count above the sent one is a double. DataChannel.js repeats identical
     * messages itself (the owner's room announcement every 3 s): those are counted as sent as often as they were.
     */
    @SuppressWarnings("unchecked")
    private static void deliveredOnce(ChromiumPage from, ChromiumPage to, String room) throws Exception {
        List<String> sentThen = (List<String>) from.eval("return tr.sent");
        Poll.until("every message the other page sent reached this one (" + room + ")", CALL,
                () -> missing(sentThen, (List<String>) to.eval("return tr.got")).isEmpty());
        List<String> got = (List<String>) to.eval("return tr.got");
        List<String> sent = (List<String>) from.eval("return tr.sent");
        Map<String, Long> extra = missing(got, sent);
        if (!extra.isEmpty()) {
            String story = "return JSON.stringify({wire: tr.wire, socket: t.socket, signals: t.signals}, null, 1)";
            throw new AssertionError("the bridge delivered " + extra + " more often than it was sent (" + room + ")\nsender: "
                    + from.eval(story) + "\nreceiver: " + to.eval(story));
        }
    }

    /** Each entry of {@code wanted} that {@code have} holds fewer times, with how many fewer. */
    private static Map<String, Long> missing(List<String> wanted, List<String> have) {
        Map<String, Long> count = new TreeMap<>();
        wanted.forEach(w -> count.merge(w, 1L, Long::sum));
        have.forEach(h -> count.merge(h, -1L, Long::sum));
        count.values().removeIf(n -> n <= 0);
        return count;
    }

    private static void simpleWebRtcTalked(ChromiumPage alice, ChromiumPage bob) {
        try {
            bob.waitFor("t.received.length || t.errors.length", CALL);
            alice.waitFor("t.received.length || t.errors.length", CALL);
        } catch (AssertionError e) {
            String log = "return 'errors ' + JSON.stringify(t.errors) + ', channels open ' + t.open + '\\n  ' + t.log.join('\\n  ')";
            throw new AssertionError(e.getMessage() + "\nalice: " + alice.eval(log) + "\nbob: " + bob.eval(log), e);
        }
        assertEquals("[\"hello from alice\"]", bob.eval("return JSON.stringify(t.received)"), "alice's text reached bob peer to peer");
        assertEquals("[\"hello from bob\"]", alice.eval("return JSON.stringify(t.received)"), "bob's text reached alice peer to peer");
        assertEquals("[]", alice.eval("return JSON.stringify(t.errors)"));
        assertEquals("[]", bob.eval("return JSON.stringify(t.errors)"));
    }

    private static String newRoom(String prefix) {
        return prefix + Long.toHexString(System.nanoTime());
    }

    private static String staticDir() {
        return "    static-dir: \"" + pages.toAbsolutePath() + "\"\n";
    }

    /**
     * Opens a room on the first page, joins it from the second once {@code visible} says the joiner's bridge sees the
     * room, and waits for the text each says on the data channel. A wait that fails reports what each page's socket
     * sent and received and its peer connection's states ({@code t.log}, rmc.html), and what {@code upstream} says of
     * the bridges.
     */
    private static void rmcCall(String room, String ownerPage, String joinerPage, Predicate<String> visible,
                                Supplier<String> upstream) throws Exception {
        ChromiumPage[] both = open(ownerPage + "?user=alice-" + room, joinerPage + "?user=bob-" + room);
        ChromiumPage alice = both[0];
        ChromiumPage bob = both[1];
        alice.eval("openRoom(arguments[0])", room);
        alice.waitFor("t.opened !== null", CALL);
        assertEquals(true, alice.eval("return t.opened"), "open-room");
        Poll.until("room " + room + " is present on the joiner's bridge", CALL, () -> visible.test(room));
        bob.eval("joinRoom(arguments[0])", room);
        bob.waitFor("t.joined !== null", CALL);
        assertEquals(true, bob.eval("return t.joined"), "join-room");
        try {
            bob.waitFor("t.received.length || t.errors.length", CALL);
            alice.waitFor("t.received.length || t.errors.length", CALL);
            assertEquals("[]", alice.eval("return JSON.stringify(t.errors)"));
            assertEquals("[]", bob.eval("return JSON.stringify(t.errors)"));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nalice (owner): " + pageLog(alice) + "\nbob (joiner): " + pageLog(bob)
                    + upstream.get(), e);
        }
        assertEquals("[\"hello from alice-" + room + "\"]", bob.eval("return JSON.stringify(t.received)"), "alice's text reached bob peer to peer");
        assertEquals("[\"hello from bob-" + room + "\"]", alice.eval("return JSON.stringify(t.received)"), "bob's text reached alice peer to peer");
        assertEquals("[\"alice-" + room + "\"]", bob.eval("return JSON.stringify(t.open)"));
    }

    /** An rmc.html page's errors, the delivery failures the bridge reported to it, and its log, one entry a line. */
    private static String pageLog(ChromiumPage page) {
        return page.eval("return 'errors ' + JSON.stringify(t.errors) + ', reported failures ' + JSON.stringify(t.failures)"
                + " + '\\n  ' + t.log.join('\\n  ')").toString();
    }

    /** The class's two browsers on these pages (started on first use), each ready: its fake microphone granted. */
    private static ChromiumPage[] open(String a, String b) {
        if (first == null) {
            first = BROWSERS.chromium().open(a);
            second = BROWSERS.chromium().open(b);
        } else {
            first.navigate(a);
            second.navigate(b);
        }
        for (ChromiumPage p : new ChromiumPage[] {first, second}) {
            p.waitFor("window.t && (t.ready || t.errors.length)", CALL);
            assertEquals("[]", p.eval("return JSON.stringify(t.errors)"));
        }
        return new ChromiumPage[] {first, second};
    }

    private static String url(SigBridge bridge) {
        return "http://127.0.0.1:" + ((WebAdapter) bridge.adapter("web").orElseThrow()).port() + "/rmc.html";
    }

    /** A bridge whose {@code rmc-*} channels go to {@code {channel}@conference.localhost}; the rest stay local. */
    private static SigBridge bridge(ProsodyServer prosody, String name, String user) throws Exception {
        String yaml = """
                bridge:
                  name: %s
                  shutdown-grace: 1s
                adapters:
                  web:
                    type: web
                    port: 0
                    demo: false
                    static-dir: "%s"
                  xmpp:
                    type: xmpp
                    host: 127.0.0.1
                    port: ${XMPP_PORT}
                    domain: %s
                    username: %s
                    password: ${XMPP_PASSWORD}
                    tls: disabled
                    muc-service: %s
                    room-grace: 1s
                routes:
                  - match: "rmc-*"
                    to: xmpp
                    target: "{channel}@%s"
                  - match: "*"
                    to: local
                """.formatted(name, pages.toAbsolutePath(), prosody.domain(), user, prosody.mucService(), prosody.mucService());
        Map<String, String> env = Map.of("XMPP_PORT", Integer.toString(prosody.port()), "XMPP_PASSWORD", ProsodyServer.PASSWORD);
        SigBridge bridge = SigBridge.create(new ConfigLoader(ConfigLoader.installedFactories(), env::get).parse(yaml, name + ".yml"));
        bridge.start();
        return bridge;
    }
}
