package org.sigbridge.web.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Per-key token buckets with a hand-driven monotonic clock. */
class KeyedRateLimitsTest {

    private final AtomicLong nanos = new AtomicLong();

    @Test
    void refusesAKeyOverItsBurstAndSaysWhenTheNextTokenComes() {
        KeyedRateLimits limits = new KeyedRateLimits(4, 2, 10, nanos::get);
        assertTrue(limits.tryTake("a").isEmpty());
        assertTrue(limits.tryTake("a").isEmpty());
        assertEquals(Optional.of(Duration.ofMillis(250)), limits.tryTake("a"));
        nanos.addAndGet(Duration.ofMillis(250).toNanos());
        assertTrue(limits.tryTake("a").isEmpty(), "one token refilled after 1/4 s");
    }

    @Test
    void keysHaveTheirOwnBucketsAndTheLeastRecentlyUsedIsForgottenBeyondTheBound() {
        KeyedRateLimits limits = new KeyedRateLimits(1, 1, 2, nanos::get);
        assertTrue(limits.tryTake("a").isEmpty());
        assertTrue(limits.tryTake("b").isEmpty(), "b has its own bucket");
        assertTrue(limits.tryTake("c").isEmpty());
        assertEquals(2, limits.size());
        assertTrue(limits.tryTake("a").isEmpty(), "a was forgotten and starts with a full bucket");
        assertTrue(limits.tryTake("c").isPresent(), "c is still remembered and empty");
    }
}
