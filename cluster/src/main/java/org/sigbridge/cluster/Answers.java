package org.sigbridge.cluster;

import io.lettuce.core.RedisFuture;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what Redis answered to the {@link Appender}'s scripts, in batch order ({@link org.sigbridge.cluster.wire.Scripts#APPEND}'s
 * answer): an append is done (appended, or found appended by an earlier try: no longer in doubt, {@link Expiry}; the
 * lagging-replica guard and the tail take its epoch and offset), late (not appended, and no earlier try can append it:
 * no longer in doubt, sent again or given up from there), or its channel is in another epoch ({@link #moved}: the tail
 * replay goes first). A failed or missing answer stops the reading there: the appender retries from that item. Each wait
 * is bounded ({@link Expiry#answerWaitMillis}). The appender's turn's alone (its thread, under its lock).
 */
final class Answers {

    private static final Logger log = LoggerFactory.getLogger(Answers.class);

    private final Expiry expiry;
    private final RedisClock redisClock;
    private final RollbackGuard guard;
    private final Replayer replayer;
    private final LongAdder appended;
    private final LongAdder retriedDuplicates;
    private final AddressedLedger ledger;
    /** The append {@link #collect} stopped at because its channel is in another epoch (and which), or null. */
    Outbound.Frame moved;
    String movedTo;

    /** @param appended counts fresh appends; {@code retriedDuplicates} those an earlier try had appended */
    Answers(Expiry expiry, RedisClock redisClock, RollbackGuard guard, Replayer replayer, LongAdder appended,
            LongAdder retriedDuplicates, AddressedLedger ledger) {
        this.ledger = ledger;
        this.expiry = expiry;
        this.redisClock = redisClock;
        this.guard = guard;
        this.replayer = replayer;
        this.appended = appended;
        this.retriedDuplicates = retriedDuplicates;
    }

    /** Waits for the answers of the batch's first {@code futures.size()} items; returns how many from the start are done. */
    int collect(List<Outbound> batch, List<RedisFuture<Object>> futures) throws InterruptedException {
        moved = null;
        for (int i = 0; i < futures.size(); i++) {
            if (batch.get(i) instanceof Outbound.Barrier b) {
                b.reached().complete(true);
                continue;
            }
            try {
                Object result = futures.get(i).get(expiry.answerWaitMillis(batch.get(i)), TimeUnit.MILLISECONDS);
                if (!(batch.get(i) instanceof Outbound.Frame a)) {
                    continue; // a membership change
                }
                if (!(result instanceof List<?> r) || r.size() < 6 || !(r.get(1) instanceof Long offset)) {
                    log.error("cluster: the append script answered {} for envelope {}; taken as appended", result, a.id());
                    expiry.settled(a);
                    appended.increment();
                    continue;
                }
                if (Long.valueOf(2).equals(r.get(5))) {
                    expiry.settled(a); // not appended, by this try or any before it: no longer in doubt
                    log.debug("cluster: command {} of {} ran after its time in Redis; sending it again from there", i + 1, futures.size());
                    redisClock.read(); // a clock that stepped (this host's or Redis's) must not make every try late
                    return i; // appended nothing: a failure like a timeout, retried from here
                }
                if (Long.valueOf(1).equals(r.get(5))) {
                    moved = a;
                    String held = String.valueOf(r.get(0));
                    movedTo = held.isEmpty() ? "Redis has none now"
                            : Long.valueOf(1).equals(r.get(3)) ? "Redis rolled epoch " + held + " back to offset " + r.get(4)
                            : "Redis holds epoch " + held;
                    return i;
                }
                expiry.settled(a);
                guard.appended(a, result);
                boolean fresh = Long.valueOf(1).equals(r.get(2));
                replayer.answered(batch.get(i), String.valueOf(r.get(0)), offset, fresh);
                if (batch.get(i) instanceof Outbound.Replay) {
                    continue;
                }
                if (a instanceof Outbound.Append sent && sent.target() != null) {
                    ledger.appended(sent, String.valueOf(r.get(0)), offset); // its outcome is tracked (docs/cluster.md §5)
                }
                if (fresh) {
                    appended.increment();
                } else {
                    retriedDuplicates.increment();
                }
            } catch (ExecutionException | TimeoutException | java.util.concurrent.CancellationException e) {
                log.debug("cluster: command {} of {} failed ({}); retrying from there", i + 1, futures.size(), e.toString());
                return i;
            }
        }
        return futures.size();
    }
}
