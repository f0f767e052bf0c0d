package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.web.WsClient;

/**
 * The event loop's corked writes (package {@code org.sigbridge.web.loop}): what one read of a socket produces for
 * another socket leaves in one write per recipient, complete and in order, and a turn that produces more than a
 * batch for one socket writes early instead of filling its queue. (That frames before a close are not held back is
 * {@code VerifiedIdentityTest}'s error-then-1008 case; deliveries from other threads, the XHR and cross-adapter
 * tests.)
 */
class WriteCoalescingTest {

    @Test
    void framesFromOneReadLeaveInOneWritePerRecipientInOrder() throws Exception {
        try (TestBridge bridge = TestBridge.start();
             RawWebSocket sender = RawWebSocket.open(bridge.port(), "/ws/channels");
             WsClient first = WsClient.connect(bridge.ws("/ws/channels"));
             WsClient second = WsClient.connect(bridge.ws("/ws/channels"))) {
            join(first, "burst");
            join(second, "burst");
            first.expectNothing(Duration.ofMillis(200)); // nothing else in flight before counting
            WebStats stats = bridge.web().stats();
            long framesBefore = settledFramesOut(stats);
            long batchesBefore = stats.writeBatches();

            sender.sendTextsAtOnce(publishes("burst", 12)); // about 400 bytes: one TCP segment, one read on the loop
            for (int i = 0; i < 12; i++) {
                first.expect(data(i));
                second.expect(data(i));
            }

            awaitFramesOut(stats, framesBefore + 24);
            // Without the cork every frame would be its own write: 24 batches.
            assertEquals(2, stats.writeBatches() - batchesBefore, "one batch per recipient");
        }
    }

    @Test
    void aTurnThatProducesMoreThanTheQueueHoldsWritesEarlyInsteadOfClosingTheReader() throws Exception {
        try (TestBridge bridge = TestBridge.start("    outbound-queue-frames: 8\n    outbound-batch-frames: 4\n");
             RawWebSocket sender = RawWebSocket.open(bridge.port(), "/ws/channels");
             WsClient reader = WsClient.connect(bridge.ws("/ws/channels"))) {
            join(reader, "big");
            WebStats stats = bridge.web().stats();
            long framesBefore = settledFramesOut(stats); // the join's presence frame may still be reported
            long batchesBefore = stats.writeBatches();

            sender.sendTextsAtOnce(publishes("big", 20)); // 20 frames for one reader in one turn; its queue holds 8
            for (int i = 0; i < 20; i++) {
                reader.expect(data(i));
            }

            awaitFramesOut(stats, framesBefore + 20);
            assertEquals(0, stats.slowConsumers(), "a reader keeping up is never closed as slow");
            assertEquals(5, stats.writeBatches() - batchesBefore, "20 frames in batches of 4");
        }
    }

    /** The frames-out counter once no write has completed for 100 ms. */
    private static long settledFramesOut(WebStats stats) throws InterruptedException {
        long seen = stats.framesOut();
        while (true) {
            Thread.sleep(100);
            long now = stats.framesOut();
            if (now == seen) {
                return now;
            }
            seen = now;
        }
    }

    /** Counters move when Jetty reports a write done, which may be just after the client has read the bytes. */
    private static void awaitFramesOut(WebStats stats, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (stats.framesOut() < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(expected, stats.framesOut(), "frames written");
    }

    private static void join(WsClient client, String channel) throws InterruptedException {
        client.send("{\"open\":true,\"channel\":\"" + channel + "\"}");
        client.expectPresent(channel);
    }

    private static List<String> publishes(String channel, int count) {
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            frames.add("{\"channel\":\"" + channel + "\",\"data\":\"m" + i + "\"}"); // data 0 would be falsy: dropped
        }
        return frames;
    }

    private static String data(int i) {
        return "\"m" + i + "\"";
    }
}
