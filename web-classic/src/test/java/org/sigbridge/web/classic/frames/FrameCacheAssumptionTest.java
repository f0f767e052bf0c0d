package org.sigbridge.web.classic.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.EnvelopeJson;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.hub.Hub;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.testing.Envelopes;

/**
 * Pins the assumption behind {@link ServerFrames}' per-thread cache of the last envelope frame
 * (docs/library-assumptions.md#frame-cache): the hub hands one envelope to all of a channel's local recipients
 * on the publishing thread, one after the other, before {@code publish} returns, so every recipient but the first
 * reuses one encoding. A hub that dispatched on another thread, or interleaved two fan-outs on one thread, would
 * still deliver correct frames but encode once per recipient; this test fails first. Self-contained: a real
 * {@link Hub} and endpoints that write frames the way envelope sockets do.
 */
@Timeout(60)
class FrameCacheAssumptionTest {

    private static final int PUBLISHERS = 2;
    private static final int LISTENERS = 3;
    private static final int PER_PUBLISHER = 500;

    @Test
    void eachEnvelopeIsFannedOutOnItsPublishingThreadAndEncodedOnceForAllRecipients() throws Exception {
        Hub hub = new Hub("test", RoutingTable.allLocal(), Map.of(), Clock.systemUTC());
        Map<String, List<Written>> byEnvelope = new ConcurrentHashMap<>();
        List<FrameWriter> endpoints = new ArrayList<>();
        for (int i = 0; i < PUBLISHERS + LISTENERS; i++) {
            FrameWriter endpoint = new FrameWriter("e" + i, byEnvelope);
            endpoints.add(endpoint);
            hub.subscribe(endpoint, "room");
        }

        ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                FrameWriter self = endpoints.get(p);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < PER_PUBLISHER; i++) {
                        Envelope envelope = Envelopes.envelope("room", self.id(), Integer.toString(i));
                        hub.publish(envelope, self);
                        List<Written> written = byEnvelope.getOrDefault(envelope.id(), List.of());
                        // Before publish returned, on this thread, every other subscriber got it.
                        assertEquals(PUBLISHERS + LISTENERS - 1, written.size(), "deliveries of " + envelope.id() + " when publish returned");
                        for (Written w : written) {
                            assertSame(Thread.currentThread(), w.thread(), "fan-out of " + envelope.id() + " ran on " + w.thread().getName());
                            assertSame(written.get(0).frame(), w.frame(), "envelope " + envelope.id() + " was encoded more than once");
                        }
                        assertEquals(EnvelopeJson.write(envelope), written.get(0).frame().json());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(PUBLISHERS * PER_PUBLISHER, byEnvelope.size());
    }

    /** One delivery: the thread it ran on and the frame object an envelope socket would have written. */
    private record Written(Thread thread, JsonValue frame) {
    }

    /** An endpoint that turns each envelope into the envelope dialect's frame, as a web session does. */
    private static final class FrameWriter implements Endpoint {
        private final String id;
        private final Map<String, List<Written>> byEnvelope;

        FrameWriter(String id, Map<String, List<Written>> byEnvelope) {
            this.id = id;
            this.byEnvelope = byEnvelope;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String adapter() {
            return "web";
        }

        @Override
        public DeliveryResult deliver(Envelope envelope) {
            JsonValue frame = ServerFrames.delivery(envelope, Mode.ENVELOPE);
            byEnvelope.computeIfAbsent(envelope.id(), k -> new CopyOnWriteArrayList<>()).add(new Written(Thread.currentThread(), frame));
            return DeliveryResult.DELIVERED;
        }
    }
}
