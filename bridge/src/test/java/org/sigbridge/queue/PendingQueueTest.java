package org.sigbridge.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PendingQueueTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();

    @Test
    void refusesTheNewestWhenFullAndSoConfigured() {
        PendingQueue<String> q = new PendingQueue<>(2, Duration.ofSeconds(10), OverflowAction.REJECT_NEWEST, clock);
        q.offer("a");
        q.offer("b");
        assertInstanceOf(PendingQueue.Offer.Rejected.class, q.offer("c"));
        assertEquals(List.of("a", "b"), q.drain());
    }

    @Test
    void givesUpTheOldestWhenFullAndSoConfigured() {
        PendingQueue<String> q = new PendingQueue<>(2, Duration.ofSeconds(10), OverflowAction.DROP_OLDEST, clock);
        q.offer("a");
        q.offer("b");
        PendingQueue.Offer<String> offer = q.offer("c");
        assertEquals(new PendingQueue.Offer.Accepted<>(Optional.of("a")), offer);
        assertEquals(List.of("b", "c"), q.drain());
    }

    @Test
    void expiresOnlyItemsOlderThanTheMaximumAge() {
        PendingQueue<String> q = new PendingQueue<>(10, Duration.ofSeconds(10), OverflowAction.REJECT_NEWEST, clock);
        q.offer("old");
        clock.now = clock.now.plusSeconds(6);
        q.offer("young");
        clock.now = clock.now.plusSeconds(5);

        assertEquals(List.of("old"), q.expire());
        assertEquals(List.of("young"), q.drain());
    }
}
