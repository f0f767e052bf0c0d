package org.sigbridge.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final AtomicLong now = new AtomicLong(1_000);

    @Test
    void givesTheBurstAtOnceThenRefusesUntilRefilled() {
        TokenBucket bucket = new TokenBucket(10, 3, now::get);
        assertTrue(bucket.tryTake());
        assertTrue(bucket.tryTake());
        assertTrue(bucket.tryTake());
        assertFalse(bucket.tryTake());
        assertEquals(100_000_000L, bucket.nanosUntilToken());
        now.addAndGet(100_000_000L);
        assertTrue(bucket.tryTake());
        assertFalse(bucket.tryTake());
    }

    @Test
    void neverSavesUpMoreThanTheBurst() {
        TokenBucket bucket = new TokenBucket(10, 2, now::get);
        now.addAndGet(60_000_000_000L);
        assertTrue(bucket.tryTake());
        assertTrue(bucket.tryTake());
        assertFalse(bucket.tryTake());
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        TokenBucket fast = new TokenBucket(200, 200, now::get);
        for (int i = 0; i < 200; i++) {
            assertTrue(fast.tryTake());
        }
        assertEquals(1, fast.retryAfterSeconds()); // 5 ms away, still 1 s
        TokenBucket slow = new TokenBucket(1, 1, now::get);
        assertTrue(slow.tryTake());
        now.addAndGet(100_000_000L);
        assertEquals(1, slow.retryAfterSeconds()); // 0.9 s away
        assertEquals(900_000_000L, slow.nanosUntilToken());
    }
}
