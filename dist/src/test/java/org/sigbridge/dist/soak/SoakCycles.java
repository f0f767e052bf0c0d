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
import java.util.function.IntSupplier;
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
    private final IntSupplier sipRegistrations;

    /**
     * @param sipRegistrations how many times the bridge has logged a channel AOR registered so far ({@code registered
     *                         sip:<channel>@… at …}), for the SIP cycle to wait for its channel's registration
     */
    SoakCycles(int port, SoakLedger ledger, IntSupplier sipRegistrations) {
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

    private static void sendEnvelope(RawSocket s, String channel, String sender, String token) {
        s.send("{\"id\":\"" + token + "\",\"sender\":\"" + sender + "\",\"channel\":\"" + channel + "\",\"message\":" + message(sender, token) + "}");
    }

    private void awaitWeb(String channel, int n) throws Exception {
        Poll.until(n + " browsers on " + channel, WAIT, POLL, () -> BridgeCounts.participantsOn(counts.channelsJson(), channel, "web"),
                got -> got == n);
    }

    /**
     * Envelope sockets A and B, a channels socket C, a Socket.IO 4 socket S and a SignalR connection R on a fresh local
     * channel; R's first Send joins it; A, S and R talk; B drops and reconnects; an XHR client posts; then a PeerJS pair
     * exchanges an offer and an answer on the key's channel. Everyone leaves (some abort).
     */
    void local(int worker, int cycle) throws Exception {
        String c = "soak-local-" + worker + "-" + cycle;
        List<String> owed = new ArrayList<>();
        int n = 0;
        try (RawSocket a = envelope(c, "A"); RawSocket b = envelope(c, "B");
             RawSocket ch = RawSocket.open(URI.create("ws://127.0.0.1:" + port + "/ws/channels"), f -> ledger.scan("C", f));
             SocketIoClient s = SocketIoClient.connect(port, c, "S", ledger);
             SignalRClient r = SignalRClient.connect(port, "soak-" + worker + "-" + cycle, "R", ledger)) {
            ch.send("{\"open\":true,\"channel\":\"" + c + "\"}");
            awaitWeb(c, 4);
            String t = token(worker, cycle, n++);
            ledger.expect(t, "A", "B", "C", "S");
            owed.addAll(SoakLedger.ids(t, "A", "B", "C", "S"));
            r.send(c, t, message("R", t));
            awaitWeb(c, 5);
            for (int i = 0; i < 3; i++) {
                t = token(worker, cycle, n++);
                ledger.expect(t, "B", "C", "S", "R");
                owed.addAll(SoakLedger.ids(t, "B", "C", "S", "R"));
                sendEnvelope(a, c, "A", t);
            }
            t = token(worker, cycle, n++);
            ledger.expect(t, "A", "B", "C", "R");
            owed.addAll(SoakLedger.ids(t, "A", "B", "C", "R"));
            s.emit(message("S", t));
            ledger.await(owed, WAIT);
            owed.clear();
            b.drop(); // a lost network: the reconnect below is a new socket
            awaitWeb(c, 4);
            try (RawSocket b2 = envelope(c, "B2")) {
                awaitWeb(c, 5);
                t = token(worker, cycle, n++);
                ledger.expect(t, "A", "B2", "C", "S", "R");
                owed.addAll(SoakLedger.ids(t, "A", "B2", "C", "S", "R"));
                postXhr(c, t);
                ledger.await(owed, WAIT);
                owed.clear();
            }
            s.drop();
        }
        String p1 = "p-" + worker + "-" + cycle + "-1";
        String p2 = "p-" + worker + "-" + cycle + "-2";
        try (PeerJsPeer one = PeerJsPeer.connect(port, p1, ledger); PeerJsPeer two = PeerJsPeer.connect(port, p2, ledger)) {
            String offer = token(worker, cycle, n++);
            ledger.expect(offer, p2);
            one.send("OFFER", p2, "{\"type\":\"data\",\"connectionId\":\"dc_" + offer + "\",\"sdp\":{\"k\":\"" + offer + "\"}}");
            ledger.await(SoakLedger.ids(offer, p2), WAIT);
            String answer = token(worker, cycle, n++);
            ledger.expect(answer, p1);
            two.send("ANSWER", p1, "{\"type\":\"data\",\"connectionId\":\"dc_" + offer + "\",\"sdp\":{\"k\":\"" + answer + "\"}}");
            ledger.await(SoakLedger.ids(answer, p1), WAIT);
        }
    }

    private void postXhr(String channel, String token) throws Exception {
        HttpClient xhr = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(WAIT).build();
        String form = "message=" + URLEncoder.encode("{\"channel\":\"" + channel + "\",\"message\":" + message("X", token) + ",\"sender\":\"X\"}",
                StandardCharsets.UTF_8);
        HttpResponse<String> posted = xhr.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/Home/PostData"))
                .timeout(WAIT).header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (posted.statusCode() != 200) {
            ledger.reported(token, "XHR " + posted.statusCode() + " " + posted.body());
        }
    }

    /**
     * An envelope socket A and a Socket.IO socket S on channel {@code soak-xmpp-W}, routed to the MUC room where occupant
     * {@code bobW} echoes; once the bridge sees bob in the room, A and S each send a token, which must reach the other,
     * bob, and come back as bob's echo to both. Then the channel must close (the bridge leaves the room).
     */
    void xmpp(int worker, int cycle) throws Exception {
        String c = "soak-xmpp-" + worker;
        String bob = "bob" + worker;
        awaitClosed(c);
        List<String> owed = new ArrayList<>();
        try (RawSocket a = envelope(c, "A"); SocketIoClient s = SocketIoClient.connect(port, c, "S", ledger)) {
            Poll.until("the bridge in room " + c + " with " + bob, WAIT, POLL, () -> counts.channelsJson(),
                    j -> BridgeCounts.participantsOn(j, c, "web") == 2 && String.valueOf(BridgeCounts.participantsOf(j, c)).contains(bob));
            String ta = token(worker, cycle, 0);
            String ts = token(worker, cycle, 1);
            ledger.expect(ta, "S", bob);
            ledger.expect(ta + "e", "A", "S");
            ledger.expect(ts, "A", bob);
            ledger.expect(ts + "e", "A", "S");
            owed.addAll(SoakLedger.ids(ta, "S", bob));
            owed.addAll(SoakLedger.ids(ta + "e", "A", "S"));
            owed.addAll(SoakLedger.ids(ts, "A", bob));
            owed.addAll(SoakLedger.ids(ts + "e", "A", "S"));
            sendEnvelope(a, c, "A", ta);
            s.emit(message("S", ts));
            ledger.await(owed, WAIT);
            if (cycle % 2 == 0) {
                s.drop();
            }
        }
        awaitClosed(c);
    }

    /**
     * An envelope socket A and a SignalR connection R on channel {@code soak-sip-W}, routed to user agent alice through
     * Kamailio; once the bridge has registered the channel's AOR, R (its Send joins the channel) and A each send a token,
     * which must reach the other and alice, and come back as alice's echo MESSAGE to both. Then the channel must close
     * (the bridge un-registers the AOR).
     */
    void sip(int worker, int cycle) throws Exception {
        String c = "soak-sip-" + worker;
        awaitClosed(c);
        int registered = sipRegistrations.getAsInt();
        List<String> owed = new ArrayList<>();
        try (RawSocket a = envelope(c, "A"); SignalRClient r = SignalRClient.connect(port, "soak-sip-" + worker + "-" + cycle, "R", ledger)) {
            Poll.until("the AOR of " + c + " registered at Kamailio", WAIT, POLL, sipRegistrations::getAsInt, got -> got > registered);
            String tr = token(worker, cycle, 0);
            String ta = token(worker, cycle, 1);
            ledger.expect(tr, "A", "alice");
            ledger.expect(tr + "e", "A", "R");
            owed.addAll(SoakLedger.ids(tr, "A", "alice"));
            owed.addAll(SoakLedger.ids(tr + "e", "A", "R"));
            r.send(c, tr, message("R", tr));
            ledger.expect(ta, "R", "alice");
            ledger.expect(ta + "e", "A", "R");
            owed.addAll(SoakLedger.ids(ta, "R", "alice"));
            owed.addAll(SoakLedger.ids(ta + "e", "A", "R"));
            sendEnvelope(a, c, "A", ta);
            ledger.await(owed, WAIT);
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
