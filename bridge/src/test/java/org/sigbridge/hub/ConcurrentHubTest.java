package org.sigbridge.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sigbridge.testing.Envelopes.envelope;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.testing.RecordingEndpoint;

class ConcurrentHubTest {

    @Test
    void keepsPerSenderOrderWhileManySendersPublishAtOnce() throws Exception {
        Hub hub = new Hub("test", RoutingTable.allLocal(), Map.of(), Clock.systemUTC());
        RecordingEndpoint receiver = new RecordingEndpoint("receiver");
        hub.subscribe(receiver, "room");
        int senders = 4;
        int perSender = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        List<Future<?>> done = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            String id = "s" + s;
            done.add(pool.submit(() -> {
                RecordingEndpoint self = new RecordingEndpoint(id);
                hub.subscribe(self, "room");
                for (int i = 0; i < perSender; i++) {
                    hub.publish(envelope("room", id, Integer.toString(i)), self);
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        int[] next = new int[senders];
        for (int n = 0; n < senders * perSender; n++) {
            Envelope e = receiver.envelopes().next(Duration.ofSeconds(5));
            int s = Integer.parseInt(e.senderText().substring(1));
            assertEquals(Integer.toString(next[s]++), e.message().json(), "order of sender s" + s);
        }
    }

    @Test
    void channelsOpenAndCloseCleanlyUnderConcurrentJoinsAndLeaves() throws Exception {
        Hub hub = new Hub("test", RoutingTable.allLocal(), Map.of(), Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < 2_000; i++) {
                    RecordingEndpoint e = new RecordingEndpoint("t" + thread + "-" + i);
                    hub.subscribe(e, "room-" + (i % 7));
                    hub.detach(e);
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertEquals(0, hub.ops().channelCount());
    }
}
