package org.sigbridge.dist.soak;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.sigbridge.testkit.Poll;

/**
 * The three kinds of soak cycle a worker runs in turn, each on its own channel, waiting on the ledger and the admin API,
 * never on time: {@link #local} (every browser dialect on one local channel, a reconnect, an XHR post, a PeerJS pair),
 * {@link #xmpp} (browsers on a channel routed to a MUC room with an echoing occupant) and {@link #sip} (browsers on a
 * channel routed through Kamailio to an echoing user agent). Every wait is bounded by {@link #WAIT}; a cycle that fails
 * throws, and what it sent stays in the ledger. Called from the worker threads; shares only the ledger.
 */
final class SoakCycles {

    /** Bound on every wait of a cycle: generous, so that a slow machine is not taken for a lost envelope. */
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(50);

    private final int port;
    private final SoakLedger ledger;
    private final BridgeCounts counts;
    private final ToIntFunction<String> sipRegistrations;

    /**
     * @param sipRegistrations how many times the bridge has logged the given channel's AOR registered so far
     *                         ({@code registered <channel>@… at …}), for the SIP cycle to wait for its channel's registration
     */
    SoakCycles(int port, SoakLedger ledger, ToIntFunction<String> sipRegistrations) {
        this.port = port;
        this.ledger = ledger;
        this.counts = new BridgeCounts(port);
        this.sipRegistrations = sipRegistrations;
    }

    /** Runs cycle {@code cycle} of {@code worker}: local, XMPP and SIP in turn. */
    void run(int worker, int cycle) throws Exception {
        switch (cycle % 3) {
            case 0 -> local(worker, cycle);
            case 1 -> xmpp(worker, cycle);
            default -> sip(worker, cycle);
        }
    }

    private static String token(int worker, int cycle, int n) {
        return "tok-" + worker + "-" + cycle + "-" + n;
    }

    private static String message(String sender, String token) {
        return "{\"sender\":\"" + sender + "\",\"k\":\"" + token + "\",\"sdp\":\"v=0 " + "x".repeat(200) + "\"}";
    }

    private RawSocket envelope(String channel, String name) {
        return RawSocket.open(URI.create("ws://127.0.0.1:" + port + "/?channel=" + URLEncoder.encode(channel, StandardCharsets.UTF_8)),
                f -> ledger.scan(name, f));
    }

    private void awaitWeb(String channel, int n) throws Exception {
        Poll.until(n + " browsers on " + channel, WAIT, POLL, () -> BridgeCounts.participantsOn(counts.channelsJson(), channel, "web"),
                got -> got == n);
    }

    /**
     * Envelope sockets A and B, a channels socket C, a Socket.IO 4 socket S and a SignalR connection R on a fresh local
     * channel; R's first Send joins it; A, S and R talk; B drops and reconnects; an XHR client posts; then a PeerJS pair
     * exchanges an offer and an answer on the key's channel. Everyone leaves (some abort). Receivers are named per
     * cycle ({@code A@W-C}), so that nothing a later cycle's client gets is taken for this cycle's delivery.
     */
    void local(int worker, int cycle) throws Exception {
        String c = "soak-local-" + worker + "-" + cycle;
        String at = "@" + worker + "-" + cycle;
        String pa = "A" + at, pb = "B" + at, pc = "C" + at, ps = "S" + at, pr = "R" + at, pb2 = "B2" + at, px = "X" + at;
        List<String> owed = new ArrayList<>();
        int n = 0;
        try (RawSocket a = envelope(c, pa); RawSocket b = envelope(c, pb);
             RawSocket ch = RawSocket.open(URI.create("ws://127.0.0.1:" + port + "/ws/channels"), f -> ledger.scan(pc, f));
             SocketIoClient s = SocketIoClient.connect(port, c, ps, ledger);
             SignalRClient r = SignalRClient.connect(port, "soak-" + worker + "-" + cycle, pr, ledger)) {
            ch.send("{\"open\":true,\"channel\":\"" + c + "\"}");
            awaitWeb(c, 4);
            String t = token(worker, cycle, n++);
            ledger.expect("local / signalr", pr, t, pa, pb, pc, ps);
            owed.addAll(SoakLedger.ids(t, pa, pb, pc, ps));
            r.send(c, t, message("R", t));
            awaitWeb(c, 5);
            for (int i = 0; i < 3; i++) {
                t = token(worker, cycle, n++);
                ledger.expect("local / envelope", pa, t, pb, pc, ps, pr);
                owed.addAll(SoakLedger.ids(t, pb, pc, ps, pr));
                sendEnvelope(a, c, "A", t);
            }
            t = token(worker, cycle, n++);
            ledger.expect("local / socket.io", ps, t, pa, pb, pc, pr);
            owed.addAll(SoakLedger.ids(t, pa, pb, pc, pr));
            emit(s, t, message("S", t));
            ledger.await(owed, List.of(), WAIT);
            owed.clear();
            b.drop(); // a lost network: the reconnect below is a new socket
            awaitWeb(c, 4);
            try (RawSocket b2 = envelope(c, pb2)) {
                awaitWeb(c, 5);
                t = token(worker, cycle, n++);
                ledger.expect("local / xhr", px, t, pa, pb2, pc, ps, pr);
                owed.addAll(SoakLedger.ids(t, pa, pb2, pc, ps, pr));
                postXhr(c, t);
                ledger.await(owed, List.of(), WAIT);
                owed.clear();
            }
            s.drop();
        }
        String p1 = "p-" + worker + "-" + cycle + "-1";
        String p2 = "p-" + worker + "-" + cycle + "-2";
        try (PeerJsPeer one = PeerJsPeer.connect(port, p1, ledger); PeerJsPeer two = PeerJsPeer.connect(port, p2, ledger)) {
            String offer = token(worker, cycle, n++);
            ledger.expect("local / peerjs", p1, offer, p2);
            sendOrReport(offer, () -> one.send("OFFER", p2, "{\"type\":\"data\",\"connectionId\":\"dc_" + offer + "\",\"sdp\":{\"k\":\""
                    + offer + "\"}}"));
            ledger.await(SoakLedger.ids(offer, p2), List.of(), WAIT);
            String answer = token(worker, cycle, n++);
            ledger.expect("local / peerjs", p2, answer, p1);
            sendOrReport(answer, () -> two.send("ANSWER", p1, "{\"type\":\"data\",\"connectionId\":\"dc_" + offer + "\",\"sdp\":{\"k\":\""
                    + answer + "\"}}"));
            ledger.await(SoakLedger.ids(answer, p1), List.of(), WAIT);
        }
    }

    /**
     * A client-side send that failed (its WebSocket write did not complete): the sender knows, as a page's
     * {@code send} throws; its entries are settled as reported ("client: …"), and the cycle fails.
     */
    private void sendOrReport(String token, Runnable send) {
        try {
            send.run();
        } catch (RuntimeException e) {
            ledger.reported(token, "client: send failed");
            throw e;
        }
    }

    private void sendEnvelope(RawSocket s, String channel, String sender, String token) {
        sendOrReport(token, () -> s.send("{\"id\":\"" + token + "\",\"sender\":\"" + sender + "\",\"channel\":\"" + channel
                + "\",\"message\":" + message(sender, token) + "}"));
    }

    private void emit(SocketIoClient s, String token, String valueJson) {
        sendOrReport(token, () -> s.emit(valueJson));
    }

    private void postXhr(String channel, String token) throws Exception {
        HttpClient xhr = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(WAIT).build();
        String form = "message=" + URLEncoder.encode("{\"channel\":\"" + channel + "\",\"message\":" + message("X", token) + ",\"sender\":\"X\"}",
                StandardCharsets.UTF_8);
        HttpResponse<String> posted;
        try {
            posted = xhr.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/Home/PostData"))
                    .timeout(WAIT).header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            ledger.reported(token, "client: XHR post failed");
            throw e;
        }
        if (posted.statusCode() != 200) {
            ledger.reported(token, "XHR " + posted.statusCode() + " " + posted.body());
        }
    }

    /**
     * An envelope socket A and a Socket.IO socket S on channel {@code soak-xmpp-W}, routed to the MUC room where occupant
     * {@code bobW} echoes; once the bridge sees bob in the room, A and S each send a token, which must reach the other,
     * bob, and come back as bob's echo to both (unless its sender was told it did not reach the room). Then the channel
     * must close (the bridge leaves the room).
     */
    void xmpp(int worker, int cycle) throws Exception {
        String c = "soak-xmpp-" + worker;
        String bob = "bob" + worker;
        String at = "@" + worker + "-" + cycle;
        String pa = "A" + at, ps = "S" + at;
        awaitClosed(c);
        List<String> owed = new ArrayList<>();
        try (RawSocket a = envelope(c, pa); SocketIoClient s = SocketIoClient.connect(port, c, ps, ledger)) {
            Poll.until("the bridge in room " + c + " with " + bob, WAIT, POLL, () -> counts.channelsJson(),
                    j -> BridgeCounts.participantsOn(j, c, "web") == 2 && String.valueOf(BridgeCounts.participantsOf(j, c)).contains(bob));
            String ta = token(worker, cycle, 0);
            String ts = token(worker, cycle, 1);
            ledger.expect("xmpp / envelope", pa, ta, ps, bob);
            ledger.expectEcho("xmpp / echo (occupant)", ta, bob, pa, ps);
            ledger.expect("xmpp / socket.io", ps, ts, pa, bob);
            ledger.expectEcho("xmpp / echo (occupant)", ts, bob, pa, ps);
            owed.addAll(SoakLedger.ids(ta, ps, bob));
            owed.addAll(SoakLedger.ids(ts, pa, bob));
            sendEnvelope(a, c, "A", ta);
            emit(s, ts, message("S", ts));
            ledger.await(owed, List.of(ta, ts), WAIT);
            if (cycle % 2 == 0) {
                s.drop();
            }
        }
        awaitClosed(c);
    }

    /**
     * An envelope socket A and a SignalR connection R on channel {@code soak-sip-W}, routed to user agent alice through
     * Kamailio; once the bridge has registered the channel's AOR, R (its Send joins the channel) and A each send a token,
     * which must reach the other and alice, and come back as alice's echo MESSAGE to both (unless its sender was told it
     * did not reach alice). Then the channel must close (the bridge un-registers the AOR).
     */
    void sip(int worker, int cycle) throws Exception {
        String c = "soak-sip-" + worker;
        String at = "@" + worker + "-" + cycle;
        String pa = "A" + at, pr = "R" + at;
        awaitClosed(c);
        int registered = sipRegistrations.applyAsInt(c);
        List<String> owed = new ArrayList<>();
        try (RawSocket a = envelope(c, pa); SignalRClient r = SignalRClient.connect(port, "soak-sip-" + worker + "-" + cycle, pr, ledger)) {
            // A's join (the bridge's onOpen, which may run after the client saw 101) opens the channel; R joins by its Send.
            // Both waits are for this channel: the other worker's AOR registers meanwhile, and a token R sent before A
            // joined was never owed to A.
            Poll.until("the AOR of " + c + " registered at Kamailio", WAIT, POLL, () -> sipRegistrations.applyAsInt(c),
                    got -> got > registered);
            awaitWeb(c, 1);
            String tr = token(worker, cycle, 0);
            String ta = token(worker, cycle, 1);
            ledger.expect("sip / signalr", pr, tr, pa, "alice");
            ledger.expectEcho("sip / echo (user agent)", tr, "alice", pa, pr);
            owed.addAll(SoakLedger.ids(tr, pa, "alice"));
            r.send(c, tr, message("R", tr));
            ledger.expect("sip / envelope", pa, ta, pr, "alice");
            ledger.expectEcho("sip / echo (user agent)", ta, "alice", pa, pr);
            owed.addAll(SoakLedger.ids(ta, pr, "alice"));
            sendEnvelope(a, c, "A", ta);
            ledger.await(owed, List.of(tr, ta), WAIT);
            if (cycle % 2 == 0) {
                r.drop();
            }
        }
        awaitClosed(c);
    }

    private void awaitClosed(String channel) throws Exception {
        Poll.until("channel " + channel + " closed", WAIT, POLL, () -> BridgeCounts.participantsOf(counts.channelsJson(), channel),
                block -> block == null);
    }
}
