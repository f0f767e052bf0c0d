package org.sigbridge.web.signalr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.hub.HubStats;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.fault.Ledger;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * The browser stall of docs/reliability.md §3 on an ASP.NET Core SignalR hub (the JSON hub protocol over WebSocket, raw,
 * as {@code SignalRProtocolTest}): a connection stops reading while another calls {@code Send}; its queue fills, the
 * bridge closes it with 1013 as a slow consumer, and every message that waited in its queue or met it full or closing
 * is reported to the sender by envelope id: {@code onDeliveryFailed({code, detail, id})}, written through the queue's
 * reserve for reports, so the sender, which keeps up, is not closed by the burst. The id is the one the completion of
 * the sender's {@code Send} named. Ledger of envelope ids: delivered to the stalled connection (what the kernel's buffers
 * held), or reported, or published after it had left the channel (owed to nobody: the hub's counters); nothing lost,
 * nothing twice, nothing both.
 */
class SignalRStallTest {

    private static final String RS = "\u001e";
    private static final String FILL = "r".repeat(30_000);
    private static final Pattern COMPLETION = Pattern.compile("^\\{\"type\":3,\"invocationId\":\"(\\d+)\",\"result\":\"([^\"]+)\"");
    private static final Pattern DELIVERED = Pattern.compile("\"target\":\"onMessageReceived\",\"arguments\":\\[\"(\\d+) ");
    private static final Pattern FAILED = Pattern.compile("\"target\":\"onDeliveryFailed\".*\"id\":\"([^\"]+)\"");

    @Test
    void aConnectionThatStopsReadingIsClosedAndEveryMessageItMissedIsReportedByIdToTheSenderWhoStaysConnected() throws Exception {
        String limits = "    outbound-queue-frames: 16\n    max-frame-bytes: 65536\n"
                + "    rate-limit:\n      messages-per-second: 100000\n      burst: 100000\n"
                + "    signalr: {clients: others}\n";
        Ledger ledger = new Ledger("web: SignalR stall");
        Map<String, String> envelopeOfCall = new ConcurrentHashMap<>();
        List<String> pending = new java.util.ArrayList<>();
        int calls = 0;
        long notOwed;
        int stalledClose;
        boolean senderOpen;
        try (TestBridge bridge = TestBridge.start(limits);
             WsClient sender = SignalRProtocolTest.connected(bridge, "h")) {
            Map<String, JsonValue> negotiated = JsonObjectReader.readObject(SignalRProtocolTest.negotiate(bridge, "h", null).body());
            try (WsClient stalled = WsClient.connectNotReading(bridge.ws("/hubs/h?id=" + negotiated.get("connectionToken").asText()))) {
                stalled.send("{\"protocol\":\"json\",\"version\":1}" + RS); // it reads nothing from now on
                Poll.until("both connections on the hub's channel", WsClient.WAIT, () -> members(bridge) == 2);
                int afterClose = 0;
                for (int i = 0; i < 4000 && afterClose < 6; i++) {
                    if (bridge.web().stats().slowConsumers() > 0) {
                        afterClose++; // these meet a closing connection (reported), or a channel it has left (owed to nobody)
                    }
                    sender.send("{\"type\":1,\"invocationId\":\"" + i + "\",\"target\":\"Send\",\"arguments\":[\"" + i + " " + FILL + "\"]}" + RS);
                    calls++;
                }
                assertTrue(afterClose > 0, "the stalled connection was never closed: " + calls + " calls");

                stalled.startReading();
                stalledClose = stalled.closeCode(Duration.ofSeconds(30));
                int total = calls;
                Poll.until("every call completed and each envelope delivered, reported or owed to nobody", Duration.ofSeconds(30),
                        Duration.ofMillis(20), () -> {
                            collect(sender, stalled, ledger, envelopeOfCall, pending);
                            return List.of((long) total, (long) envelopeOfCall.size(), (long) ledger.settled(), notOwed(bridge),
                                    (long) ledger.sentCount(), (long) pending.size()); // calls, completed, settled, not owed, sent, unmatched
                        }, t -> t.get(1) >= t.get(0) && t.get(2) + t.get(3) >= t.get(4));
                notOwed = notOwed(bridge);
            }
            senderOpen = sender.isOpen();
        }
        System.out.println(Ledger.header());
        System.out.println(ledger.row() + " (owed to nobody: " + notOwed + ")");
        List<String> lost = ledger.lost();
        assertTrue(senderOpen, "the sender, which keeps up, was closed");
        assertEquals(1013, stalledClose, "the stalled connection's close code");
        assertEquals(calls, ledger.sentCount(), "every Send completed with its envelope id");
        assertEquals(notOwed, lost.size(), "neither delivered nor reported must be exactly the publications made after the stalled"
                + " connection left: " + lost + "; " + ledger.row());
        assertEquals(List.of(), ledger.duplicated(), "delivered twice");
        assertEquals(0, ledger.deliveredAndReported(), "reported as failed but delivered");
        assertTrue(ledger.reasons().getOrDefault("upstream_unavailable", 0) >= 16, "at least the queue's 16 messages were reported: "
                + ledger.row());
    }

    /** Completions give each call's envelope id; the stalled side's texts name the call; reports name the envelope. */
    private static void collect(WsClient sender, WsClient stalled, Ledger ledger, Map<String, String> envelopeOfCall,
                                List<String> pending) {
        for (String frame : sender.drainText()) {
            for (String record : frame.split(RS)) {
                Matcher done = COMPLETION.matcher(record);
                Matcher failed = FAILED.matcher(record);
                if (done.find()) {
                    envelopeOfCall.put(done.group(1), done.group(2));
                    ledger.sent(done.group(2));
                } else if (failed.find()) {
                    ledger.reported(failed.group(1), "upstream_unavailable");
                }
            }
        }
        for (String frame : stalled.drainText()) {
            for (String record : frame.split(RS)) {
                Matcher m = DELIVERED.matcher(record);
                if (m.find()) {
                    pending.add(m.group(1));
                }
            }
        }
        // a text may be read before the sender has read its call's completion: matched once it has
        pending.removeIf(call -> {
            String envelope = envelopeOfCall.get(call);
            if (envelope != null) {
                ledger.delivered(envelope);
            }
            return envelope != null;
        });
    }

    private static int members(TestBridge bridge) {
        return bridge.bridge().hub().ops().channelSnapshots().stream().filter(c -> c.name().equals("signalr/h"))
                .mapToInt(c -> c.participants().size()).sum();
    }

    /** Publications the stalled connection no longer had to get: made after it left (the sender hears none of its own). */
    private static long notOwed(TestBridge bridge) {
        HubStats stats = bridge.bridge().hub().ops().stats();
        return stats.published() - stats.delivered() - stats.queued() - stats.rejected();
    }
}
