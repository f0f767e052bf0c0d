package org.sigbridge.cluster;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempts of the first connection to Redis ({@link RedisLink#connect}): up to {@link #MAX} within
 * {@code cluster.connect-timeout} in all (docs/operations.md), a pause of 200 ms, doubling up to 1 s, between an attempt
 * that failed early and the next, each attempt logged. A Redis that answers with an error (wrong password, an ACL user
 * without the rights) is not tried again. Used by the starting thread only; the pause blocks it.
 */
final class ConnectAttempts {

    private static final Logger log = LoggerFactory.getLogger(ConnectAttempts.class);

    /** Attempts at most, within the connect timeout. */
    static final int MAX = 5;
    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long MAX_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String address;
    private final Duration limit;
    private final long deadlineNanos;
    private int attempt;
    private long pauseNanos = FIRST_PAUSE_NANOS;

    ConnectAttempts(String address, Duration limit) {
        this.address = address;
        this.limit = limit;
        this.deadlineNanos = System.nanoTime() + limit.toNanos();
    }

    /** Starts the next attempt (logged). */
    void next() {
        attempt++;
        log.info("cluster: connecting to {} (attempt {} of {}, {} ms of connect-timeout {} ms left)", address, attempt, MAX,
                left().toMillis(), limit.toMillis());
    }

    /** What is left of the connect timeout, at least a millisecond. */
    Duration left() {
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadlineNanos - System.nanoTime()));
    }

    /** The connect timeout. */
    Duration limit() {
        return limit;
    }

    /**
     * The attempt failed: pauses before the next one, or throws when Redis refused us, the attempts are spent or the
     * pause would end past the connect timeout.
     *
     * @throws RedisConnectionException naming the address, the timeout, the attempts made and the last failure
     */
    void failed(RedisException e) {
        String why = reason(e);
        if (answeredWithAnError(e)) {
            throw new RedisConnectionException(address + " answered the connection with an error: " + why, e);
        }
        if (attempt >= MAX || deadlineNanos - System.nanoTime() <= pauseNanos) {
            throw new RedisConnectionException("no connection to " + address + " within connect-timeout " + limit.toMillis()
                    + " ms (" + attempt + (attempt == 1 ? " attempt" : " attempts") + "; the last: " + why + ")", e);
        }
        log.warn("cluster: attempt {} of {} to connect to {} failed ({}); trying again in {} ms", attempt, MAX, address, why,
                TimeUnit.NANOSECONDS.toMillis(pauseNanos));
        try {
            TimeUnit.NANOSECONDS.sleep(pauseNanos);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new RedisConnectionException("interrupted while connecting to " + address, interrupted);
        }
        pauseNanos = Math.min(2 * pauseNanos, MAX_PAUSE_NANOS);
    }

    /** A Redis error reply (WRONGPASS, NOAUTH, NOPERM) in the chain: trying again would get the same. */
    private static boolean answeredWithAnError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RedisCommandExecutionException) {
                return true;
            }
        }
        return false;
    }

    /** The messages of the chain, outermost first, each once: Lettuce's "Unable to connect" says nothing alone. */
    static String reason(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (t.getCause() != null && m.equals(t.getCause().toString())) {
                continue; // a wrapper (CompletionException) that only names its cause
            }
            if (parts.stream().noneMatch(p -> p.contains(m))) {
                parts.add(m);
            }
        }
        return String.join(": ", parts);
    }
}
