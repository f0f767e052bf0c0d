package org.sigbridge.cluster;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis's clock as this instance sees it (docs/cluster.md §3, step 2): how far it is ahead of
 * {@link System#currentTimeMillis()}, read with {@code TIME} and taken at the midpoint of the round trip, so that an
 * append can carry the time (on Redis's clock) after which it must not run. Read by the {@link Appender}'s thread at
 * start and after each reconnect (another Redis, after a Sentinel failover); a failed read keeps the last value.
 * The append thread's alone; not thread-safe.
 */
final class RedisClock {

    private static final Logger log = LoggerFactory.getLogger(RedisClock.class);

    private final RedisLink link;
    private long aheadMillis;

    RedisClock(RedisLink link) {
        this.link = link;
    }

    /** Reads Redis's {@code TIME}; blocks up to the command timeout. */
    void read() throws InterruptedException {
        try {
            long before = System.currentTimeMillis();
            List<String> time = link.async().time().get(link.settings().commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            long after = System.currentTimeMillis();
            long redis = Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
            aheadMillis = redis - (before + after) / 2;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.debug("cluster: Redis's clock not read ({}); keeping {} ms", e.toString(), aheadMillis);
        }
    }

    /** {@code millis} from now on Redis's clock, in ms since the epoch (as {@code TIME} counts them). */
    long in(long millis) {
        return System.currentTimeMillis() + aheadMillis + millis;
    }
}
