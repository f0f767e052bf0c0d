package org.sigbridge.web.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.sigbridge.support.TokenBucket;

/** Token bucket, rate guard, origin policy and address limiter, with a hand-driven clock. */
class LimitsUnitTest {

    @Test
    void bucketAllowsABurstThenRefillsAtTheRate() {
        AtomicLong now = new AtomicLong();
        TokenBucket bucket = new TokenBucket(10, 3, now::get);
        assertTrue(bucket.tryTake());
        assertTrue(bucket.tryTake());
        assertTrue(bucket.tryTake());
        assertFalse(bucket.tryTake());
        now.addAndGet(100_000_000L); // 100 ms = one token at 10/s
        assertTrue(bucket.tryTake());
        assertFalse(bucket.tryTake());
    }

    @Test
    void guardClosesAfterTooManyRefusalsInARowAndForgivesAnAcceptedFrame() {
        AtomicLong now = new AtomicLong();
        RateGuard guard = new RateGuard(1, 1, 3, now::get);
        assertEquals(RateGuard.Verdict.ACCEPT, guard.check());
        assertEquals(RateGuard.Verdict.REFUSE, guard.check());
        assertEquals(RateGuard.Verdict.REFUSE, guard.check());
        now.addAndGet(1_000_000_000L);
        assertEquals(RateGuard.Verdict.ACCEPT, guard.check());
        assertEquals(RateGuard.Verdict.REFUSE, guard.check());
        assertEquals(RateGuard.Verdict.REFUSE, guard.check());
        assertEquals(RateGuard.Verdict.CLOSE, guard.check());
    }

    @Test
    void originPolicyAllowsSameOriginListedPatternsAndNonBrowsers() {
        OriginPolicy policy = new OriginPolicy(List.of("http://localhost:*", "https://app.example.org"));
        assertTrue(policy.allows(null, "127.0.0.1:8888"));
        assertTrue(policy.allows("http://bridge.example:8888", "bridge.example:8888"));
        assertTrue(policy.allows("http://localhost:3000", "127.0.0.1:8888"));
        assertTrue(policy.allows("http://localhost", "127.0.0.1:8888"));
        assertTrue(policy.allows("https://APP.example.org", "x"));
        assertFalse(policy.allows("http://localhost.evil.com:80", "127.0.0.1:8888"));
        assertFalse(policy.allows("https://app.example.org.evil", "x"));
        assertFalse(policy.allows("http://localhost:3000/x", "x"));
        assertTrue(new OriginPolicy(List.of("*")).allows("https://anything", "x"));
    }

    @Test
    void addressLimiterGivesSlotsBack() {
        AddressLimiter limiter = new AddressLimiter(2);
        assertTrue(limiter.tryAcquire("a"));
        assertTrue(limiter.tryAcquire("a"));
        assertFalse(limiter.tryAcquire("a"));
        assertFalse(limiter.hasRoom("a"));
        assertTrue(limiter.tryAcquire("b"));
        limiter.release("a");
        assertTrue(limiter.tryAcquire("a"));
    }
}
