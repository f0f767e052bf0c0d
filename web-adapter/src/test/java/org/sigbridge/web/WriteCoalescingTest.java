package org.sigbridge.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.web.WsClient;

/**
 * The event loop's corked writes (package {@code org.sigbridge.web.loop}): what one read of a socket produces for
 * another socket leaves in one write per recipient, complete and in order. (That frames before a close are not held
 * back is {@code VerifiedIdentityTest}'s error-then-1008 case; deliveries from other threads, the XHR and
 * cross-adapter tests.)
 */
class WriteCoalescingTest {

    private TestBridge bridge;

    @BeforeEach
    void start() throws Exception {
        bridge = TestBridge.start();
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    @Test
    void framesFromOneReadLeaveInOneWritePerRecipientInOrder() throws Exception {
        try (RawWebSocket sender = RawWebSocket.open(bridge.port(), "/ws/channels");
             WsClient first = WsClient.connect(bridge.ws("/ws/channels"));
             WsClient second = WsClient.connect(bridge.ws("/ws/channels"))) {
            first.send("{\"open\":true,\"channel\":\"burst\"}");
            first.expectPresent("burst");
            second.send("{\"open\":true,\"channel\":\"burst\"}");
            second.expectPresent("burst");
            first.expectNothing(Duration.ofMillis(200)); // nothing else in flight before counting
            WebStats stats = bridge.web().stats();
            long framesBefore = stats.framesOut();
            long batchesBefore = stats.writeBatches();

            List<String> burst = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                burst.add("{\"channel\":\"burst\",\"data\":\"m" + i + "\"}"); // data 0 would be falsy: dropped
            }
            sender.sendTextsAtOnce(burst); // about 400 bytes: one TCP segment, one read on the bridge's loop
            for (int i = 0; i < 12; i++) {
                first.expect("\"m" + i + "\"");
                second.expect("\"m" + i + "\"");
            }

            assertEquals(24, stats.framesOut() - framesBefore);
            // Without the cork every frame would be its own write: 24 batches.
            assertEquals(2, stats.writeBatches() - batchesBefore, "one batch per recipient");
        }
    }
}
