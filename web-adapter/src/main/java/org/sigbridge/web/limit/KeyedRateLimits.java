package org.sigbridge.web.limit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.sigbridge.support.TokenBucket;

/**
 * One {@link TokenBucket} per key (an XHR poller's cookie, or a client address), for requests that have no
 * connection to hang a bucket on. At most {@code maxKeys} buckets are kept; beyond it the least recently used is
 * forgotten (that key starts again with a full bucket). Thread-safe: every method takes this object's lock and
 * never blocks otherwise.
 */
public final class KeyedRateLimits {

    private final int perSecond;
    private final int burst;
    private final int maxKeys;
    private final LongSupplier nanoTime;
    private final LinkedHashMap<String, TokenBucket> buckets;

    /**
     * @param perSecond tokens added per second to each key's bucket
     * @param burst     each bucket's size, also its starting fill
     * @param maxKeys   buckets kept at once (bounded memory)
     * @param nanoTime  a monotonic clock, e.g. {@code System::nanoTime}
     */
    public KeyedRateLimits(int perSecond, int burst, int maxKeys, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.maxKeys = maxKeys;
        this.nanoTime = nanoTime;
        this.buckets = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
                return size() > KeyedRateLimits.this.maxKeys;
            }
        };
    }

    /**
     * Takes a token from {@code key}'s bucket.
     *
     * @return empty when taken; otherwise how long until the bucket has a token again
     */
    public synchronized Optional<Duration> tryTake(String key) {
        TokenBucket bucket = buckets.computeIfAbsent(key, k -> new TokenBucket(perSecond, burst, nanoTime));
        return bucket.tryTake() ? Optional.empty() : Optional.of(Duration.ofNanos(bucket.nanosUntilToken()));
    }

    /** Buckets kept now. */
    public synchronized int size() {
        return buckets.size();
    }
}
