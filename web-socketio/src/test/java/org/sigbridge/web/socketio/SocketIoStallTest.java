package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sigbridge.hub.HubStats;
import org.sigbridge.testkit.Poll;
import org.sigbridge.web.TestBridge;
import org.sigbridge.testkit.web.WsClient;

/**
 * The browser stall of docs/reliability.md §3 on the socket.io {@code message} relay (Engine.IO 4 over WebSocket, the
 * raw protocol): a receiver on the channel stops reading; its session's queue fills and the session is closed as a slow
 * consumer; every {@code message} that waited in its queue, or met it full or closing, is reported to the sender as an
 * {@code error} event naming the envelope id, through the queue's reserve for reports, so the sender, which keeps up,
 * is not closed by the burst. Ledger: each message the sender emitted reached the receiver (what the kernel's buffers
 * held; the first ones, in order), or was reported to the sender by envelope id, or was published after the receiver
 * had left the channel (owed to nobody: the hub's counters say how many); nothing lost, nothing twice. The close is
 * counted once as a slow consumer, whichever write met the full queue.
 */
class SocketIoStallTest {

    private static final String CHANNEL = "stall";
    private static final String FILL = "s".repeat(30_000);
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    @Test
    void aReceiverThatStopsReadingIsClosedAndEveryMessageItMissedIsReportedToTheSenderWhoStaysConnected() throws Exception {
        long t0 = System.nanoTime();
        String limits = "    outbound-queue-frames: 16\n    max-frame-bytes: 65536\n"
                + "    rate-limit:\n      messages-per-second: 100000\n      burst: 100000\n";
        int sent = 0;
        Set<Integer> delivered = new TreeSet<>();
        List<Integer> deliveredInOrder = new ArrayList<>();
        Set<String> reported = new LinkedHashSet<>();
        long notOwed;
        int receiverClose;
        long slowConsumers;
        boolean senderOpen;
        try (TestBridge bridge = TestBridge.start(limits);
             WsClient receiver = WsClient.connectNotReading(bridge.ws("/socket.io/?EIO=4&transport=websocket&channel=" + CHANNEL));
             WsClient sender = WsClient.connect(bridge.ws("/socket.io/?EIO=4&transport=websocket&channel=" + CHANNEL))) {
            receiver.send("40"); // CONNECT to "/": the relay joins the channel; the receiver reads nothing from now on
            sender.send("40");
            Poll.until("both sockets on the channel", WsClient.WAIT, () -> members(bridge) == 2);
            long tJoined = System.nanoTime();
            int afterLeft = 0;
            for (int i = 0; i < 4000 && afterLeft < 6; i++) {
                if (members(bridge) < 2) {
                    afterLeft++; // the receiver was closed as a slow consumer and has left: these are owed to nobody
                }
                sender.send("42[\"message\",{\"seq\":" + i + ",\"fill\":\"" + FILL + "\"}]");
                sent++;
            }
            assertTrue(afterLeft > 0, "the receiver was never closed: " + sent + " messages sent");

            long tSent = System.nanoTime();
            receiver.startReading();
            receiverClose = receiver.closeCode(Duration.ofSeconds(30));
            slowConsumers = bridge.web().stats().slowConsumers(); // counted before the session's socket is closed
            long tClosed = System.nanoTime();
            int total = sent;
            Poll.until("every message delivered, reported or owed to nobody", Duration.ofSeconds(30), () -> {
                for (String frame : receiver.drainText()) {
                    Matcher m = SEQ.matcher(frame);
                    if (frame.startsWith("42[\"message\"") && m.find()) {
                        delivered.add(Integer.parseInt(m.group(1)));
                        deliveredInOrder.add(Integer.parseInt(m.group(1)));
                    }
                }
                for (String frame : sender.drainText()) {
                    Matcher m = ID.matcher(frame);
                    if (frame.startsWith("42[\"error\"") && m.find() && !reported.add(m.group(1))) {
                        throw new AssertionError("reported twice: " + frame);
                    }
                }
                return delivered.size() + reported.size() + notOwed(bridge) >= total;
            });
            notOwed = notOwed(bridge);
            senderOpen = sender.isOpen();
            System.out.printf("start %.1f s, send %.1f s, receiver's close %.1f s, settle %.1f s%n", (tJoined - t0) / 1e9,
                    (tSent - tJoined) / 1e9, (tClosed - tSent) / 1e9, (System.nanoTime() - tClosed) / 1e9);
        }
        System.out.printf("| socket.io relay stall | sent %d | delivered %d | reported %d | owed to nobody %d | lost %d | receiver close %d"
                + " | sender open %s |%n", sent, delivered.size(), reported.size(), notOwed, sent - delivered.size() - reported.size() - notOwed,
                receiverClose, senderOpen);
        assertTrue(senderOpen, "the sender, which keeps up, was closed");
        assertEquals(1000, receiverClose, "Engine.IO closes the stalled session's WebSocket normally");
        assertEquals(1, slowConsumers, "the stalled session, closed through SioSocket's write, counts once in"
                + " sigbridge_web_slow_consumers_total");
        assertEquals(deliveredInOrder.size(), delivered.size(), "delivered twice: " + deliveredInOrder);
        assertEquals(sent, delivered.size() + reported.size() + notOwed, "lost: neither delivered, reported nor published after the"
                + " receiver left");
        for (int i = 0; i < delivered.size(); i++) {
            assertTrue(delivered.contains(i), "what reached the receiver is the first messages, in order: " + deliveredInOrder);
        }
        assertTrue(reported.size() >= 16, "at least the queue's 16 messages were reported: " + reported.size());
    }

    private static int members(TestBridge bridge) {
        return bridge.bridge().hub().ops().channelSnapshots().stream().filter(c -> c.name().equals(CHANNEL))
                .mapToInt(c -> c.participants().size()).sum();
    }

    /** Publications the receiver no longer had to get: made after it left (the sender is the only other member). */
    private static long notOwed(TestBridge bridge) {
        HubStats stats = bridge.bridge().hub().ops().stats();
        return stats.published() - stats.delivered() - stats.queued() - stats.rejected();
    }
}
