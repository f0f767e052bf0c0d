package org.sigbridge.web.peerjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sigbridge.hub.HubStats;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * The browser stall of docs/reliability.md §3 on PeerJS (the raw protocol, as {@code PeerJsServerTest}): a peer stops
 * reading while another sends it OFFERs; its queue fills, the bridge closes it with 1013 as a slow consumer, and every
 * OFFER that waited in its queue or met it full or closing is reported to the sender as the reference server reports a
 * peer it cannot write to: {@code LEAVE} from the gone peer, one per message, written through the queue's reserve for
 * reports, so the sender, which keeps up, is not closed by the burst. PeerJS frames carry no envelope id, so the ledger
 * counts: the OFFERs that reached the stalled peer (the first ones, in order: what the kernel's buffers held), one LEAVE
 * per OFFER dropped or refused while the peer closed, and the rest, which found the peer gone and waited for it as with
 * the reference server, covered by the {@code EXPIRE} the sender hears after {@code expire-timeout}.
 */
class PeerJsStallTest {

    private static final String FILL = "p".repeat(30_000);
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    @Test
    void aPeerThatStopsReadingIsClosedAndEveryOfferItMissedIsReportedToTheSenderWhoStaysConnected() throws Exception {
        String limits = "    outbound-queue-frames: 16\n    max-frame-bytes: 65536\n"
                + "    rate-limit:\n      messages-per-second: 100000\n      burst: 100000\n"
                + "    peerjs:\n      expire-timeout: 1s\n";
        int sent = 0;
        Set<Integer> delivered = new TreeSet<>();
        List<Integer> deliveredInOrder = new ArrayList<>();
        AtomicInteger leaves = new AtomicInteger();
        AtomicBoolean expired = new AtomicBoolean();
        long waited;
        int stalledClose;
        boolean senderOpen;
        try (TestBridge bridge = TestBridge.start(limits);
             WsClient stalled = WsClient.connectNotReading(bridge.ws("/peerjs?key=peerjs&id=stalled&token=t1&version=1.5.5"));
             WsClient sender = PeerJsServerTest.opened(bridge, "sender")) {
            Poll.until("both peers on the channel", WsClient.WAIT, () -> members(bridge) == 2);
            int sentAfterLeft = 0;
            for (int i = 0; i < 4000 && sentAfterLeft < 6; i++) {
                if (bridge.web().stats().slowConsumers() > 0) {
                    sentAfterLeft++; // the stalled peer is being closed: these meet its closed queue (LEAVE), or wait for it
                }
                sender.send("{\"type\":\"OFFER\",\"dst\":\"stalled\",\"payload\":{\"seq\":" + i + ",\"sdp\":\"" + FILL + "\"}}");
                sent++;
            }
            HubStats s0 = bridge.bridge().hub().ops().stats();
            assertTrue(sentAfterLeft > 0, "the stalled peer was never closed: " + sent + " OFFERs sent; published " + s0.published()
                    + ", delivered " + s0.delivered() + ", rejected " + s0.rejected() + ", refused " + s0.refused() + "; the sender got "
                    + sender.drainText().stream().limit(3).toList());

            stalled.startReading();
            stalledClose = stalled.closeCode(Duration.ofSeconds(30));
            int total = sent;
            // Settled once the bridge has taken every OFFER (published, or refused for a peer no longer on the channel) and
            // the sender has its EXPIRE: the sweep writes it after every LEAVE the bridge queued for the sender before it.
            Poll.until("every OFFER taken and the sender told", Duration.ofSeconds(30), Duration.ofMillis(20), () -> {
                for (String frame : stalled.drainText()) {
                    Matcher m = SEQ.matcher(frame);
                    if (frame.startsWith("{\"type\":\"OFFER\"") && m.find()) {
                        delivered.add(Integer.parseInt(m.group(1)));
                        deliveredInOrder.add(Integer.parseInt(m.group(1)));
                    }
                }
                for (String frame : sender.drainText()) {
                    if (frame.equals("{\"type\":\"LEAVE\",\"src\":\"stalled\",\"dst\":\"sender\"}")) {
                        leaves.incrementAndGet();
                    } else if (frame.equals("{\"type\":\"EXPIRE\",\"src\":\"stalled\",\"dst\":\"sender\"}")) {
                        expired.set(true);
                    }
                }
                HubStats stats = bridge.bridge().hub().ops().stats();
                return new Tally(total, delivered.size(), leaves.get(), stats.published() + stats.refused(), expired.get());
            }, t -> t.taken() >= t.sent() && (t.expired() || t.delivered() + t.leaves() >= t.sent()));
            waited = sent - delivered.size() - leaves.get();
            senderOpen = sender.isOpen();
        }
        System.out.printf("| PeerJS stall | sent %d | delivered %d | LEAVE %d | waited for the gone peer, then EXPIRE %d | close %d"
                + " | sender open %s |%n", sent, delivered.size(), leaves.get(), waited, stalledClose, senderOpen);
        assertTrue(senderOpen, "the sender, which keeps up, was closed");
        assertEquals(1013, stalledClose, "the stalled peer's close code");
        assertEquals(deliveredInOrder.size(), delivered.size(), "delivered twice: " + deliveredInOrder);
        assertTrue(waited >= 0, "more reports than OFFERs not delivered: " + leaves.get());
        assertTrue(waited == 0 || expired.get(), waited + " OFFERs neither delivered nor answered LEAVE, and no EXPIRE for them");
        for (int i = 0; i < delivered.size(); i++) {
            assertTrue(delivered.contains(i), "what reached the stalled peer is the first OFFERs, in order: " + deliveredInOrder);
        }
        assertTrue(leaves.get() >= 16, "at least the queue's 16 OFFERs were answered LEAVE: " + leaves.get());
    }

    private record Tally(int sent, int delivered, int leaves, long taken, boolean expired) {
    }

    private static int members(TestBridge bridge) {
        return bridge.bridge().hub().ops().channelSnapshots().stream().filter(c -> c.name().equals(PeerJsServer.channel("peerjs")))
                .mapToInt(c -> c.participants().size()).sum();
    }
}
