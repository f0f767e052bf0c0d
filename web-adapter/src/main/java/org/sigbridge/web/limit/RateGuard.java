package org.sigbridge.web.limit;

import java.util.function.LongSupplier;
import org.sigbridge.support.TokenBucket;

/**
 * A {@link TokenBucket} with a patience limit: a frame over the rate is refused (the client gets
 * {@code rate_limited}); after {@code closeAfter} refusals in a row the connection is to be closed with
 * 1008. One accepted frame resets the count. Same threading as {@link TokenBucket}.
 */
public final class RateGuard {

    /** What to do with a frame. */
    public enum Verdict { ACCEPT, REFUSE, CLOSE }

    private final TokenBucket bucket;
    private final int closeAfter;
    private int refusedInRow;

    public RateGuard(int perSecond, int burst, int closeAfter, LongSupplier nanoTime) {
        this.bucket = new TokenBucket(perSecond, burst, nanoTime);
        this.closeAfter = closeAfter;
    }

    public Verdict check() {
        if (bucket.tryTake()) {
            refusedInRow = 0;
            return Verdict.ACCEPT;
        }
        refusedInRow++;
        return refusedInRow >= closeAfter ? Verdict.CLOSE : Verdict.REFUSE;
    }
}
