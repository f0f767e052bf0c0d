package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.hub.HubStats;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.fault.Ledger;
import org.sigbridge.testkit.web.Frames;
import org.sigbridge.testkit.web.WsClient;

/**
 * The browser-side stall of docs/reliability.md's fault table: a receiving browser stops reading while two others
 * send to its channel (channels-dialect publishers, which need not subscribe, so they receive only what concerns them). Its outbound queue fills, the bridge closes it with 1013 as a slow consumer, and every envelope
 * that was queued for it but never written (and every one refused while it closes) is reported to its sender by
 * envelope id; what had been written reaches it once it reads again. A ledger of envelope ids checks that nothing is
 * lost and nothing duplicated (docs/design.md §2.4).
 */
class BrowserStallTest {

    private static final String CHANNEL = "stall";
    private static final String BIG = "\"" + "s".repeat(30_000) + "\"";

    @Test
    void aBrowserThatStopsReadingHasEveryUnwrittenEnvelopeReportedToItsSender() throws Exception {
        String limits = "    outbound-queue-frames: 64\n    max-frame-bytes: 65536\n"
                + "    rate-limit:\n      messages-per-second: 100000\n      burst: 100000\n";
        Ledger ledger = new Ledger("web: browser stall (receiver stops reading, 1013)");
        long unaddressed;
        try (TestBridge bridge = TestBridge.start(limits);
             WsClient stalled = WsClient.connectNotReading(bridge.ws("/?channel=" + CHANNEL));
             WsClient a = WsClient.connect(bridge.ws("/ws/channels"));
             WsClient b = WsClient.connect(bridge.ws("/ws/channels"))) {
            Poll.until("the stalled receiver joined", WsClient.WAIT, () -> bridge.bridge().hub().isPresent(CHANNEL));
            List<WsClient> senders = List.of(a, b);
            int afterClose = 0;
            for (int i = 0; i < 4000 && afterClose < 6; i++) {
                if (bridge.web().stats().slowConsumers() > 0) {
                    afterClose++; // these meet a closing socket: refused, and reported too
                }
                String id = "stall-" + i;
                ledger.sent(id);
                senders.get(i % 2).send(envelope(id, i % 2));
            }
            // Both senders' threads may meet the full queue at once: each counts the overflow.
            assertTrue(bridge.web().stats().slowConsumers() >= 1, "the receiver was never closed as a slow consumer");

            stalled.startReading();
            assertEquals(1013, stalled.closeCode(Duration.ofSeconds(30)));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ledger.settled() + unaddressed(bridge) < ledger.sentCount() && System.nanoTime() < deadline) {
                collect(stalled, a, b, ledger);
                Thread.sleep(20); // polling the clients' received frames; the assertions below say what is missing
            }
            // An envelope published after the closed receiver left the channel finds nobody to deliver to: it is
            // owed to no one (a broadcast to an empty channel), neither delivered nor reported. The hub's counters
            // say how many publications had no recipient; only those may be missing from the ledger.
            unaddressed = unaddressed(bridge);
        }
        System.out.println(Ledger.header());
        System.out.println(ledger.row());
        List<String> lost = ledger.lost();
        assertEquals(unaddressed, lost.size(), "neither delivered nor reported must be exactly the publications that found"
                + " the channel empty: " + lost + "; " + ledger.row());
        assertTrue(lost.stream().allMatch(id -> index(id) > lastSettled(ledger, index(id) % 2)),
                "only each sender's last envelopes, sent after the receiver left, may have found nobody: " + lost);
        assertEquals(List.of(), ledger.duplicated(), "delivered twice");
        assertEquals(0, ledger.deliveredAndReported(), "reported as failed but delivered");
        assertTrue(ledger.reasons().containsKey("upstream_unavailable"), "nothing was reported: " + ledger.row());
    }

    /** Publications that had no recipient: the hub's counters, the receiver being this channel's only member. */
    private static long unaddressed(TestBridge bridge) {
        HubStats stats = bridge.bridge().hub().ops().stats();
        return stats.published() - stats.delivered() - stats.queued() - stats.rejected();
    }

    private static int index(String id) {
        return Integer.parseInt(id.substring("stall-".length()));
    }

    /** The highest index of {@code sender}'s envelopes (i % 2) that was delivered or reported; -1 if none. */
    private static int lastSettled(Ledger ledger, int sender) {
        List<String> lost = ledger.lost();
        int last = -1;
        for (int i = 0; i < ledger.sentCount(); i++) {
            String id = "stall-" + i;
            if (i % 2 == sender && !lost.contains(id)) {
                last = i;
            }
        }
        return last;
    }

    private static String envelope(String id, int sender) {
        return "{\"id\":\"" + id + "\",\"channel\":\"" + CHANNEL + "\",\"data\":" + BIG + "}";
    }

    private static void collect(WsClient stalled, WsClient a, WsClient b, Ledger ledger) {
        for (Map<String, JsonValue> f : stalled.drain()) {
            if (f.containsKey("message")) {
                ledger.delivered(f.get("id").asText());
            }
        }
        for (WsClient sender : List.of(a, b)) {
            for (Map<String, JsonValue> f : sender.drain()) {
                if (f.containsKey("error")) {
                    Map<String, JsonValue> error = Frames.parse(f.get("error").json());
                    JsonValue id = error.get("id");
                    if (id != null) {
                        ledger.reported(id.asText(), error.get("code").asText());
                    }
                }
            }
        }
    }
}
