package org.sigbridge.cluster;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * When the {@link Appender} gives up what waits for Redis (docs/cluster.md §6): an item that waited longer than
 * {@code outbound-max-age} while Redis was unreachable or failing, or one queued before a {@link Appender#drain}'s
 * deadline once that passed. Given-up items go to {@link Unshared}, which tells the senders by envelope id.
 *
 * <p><b>Appends in doubt.</b> An append whose script was sent and whose answer did not say whether it ran (the
 * connection broke, the answer did not come in time, Redis answered an error after an earlier such try) may have been
 * appended and published: its sender must not be told it was not. It stays <em>in doubt</em> until an answer settles
 * it ({@link #settled}): appended (now or by an earlier try: the script finds the id key), or late (the script ran after
 * the newest not-after any of its tries carried, found no id key, and appended nothing; no earlier try can append it
 * after that either, each being later than its own not-after too). Every try of one append carries the newest
 * not-after of its tries so far ({@link #notAfter}), so a late answer speaks for all of them. An overdue append in
 * doubt is not given up but sent again with that not-after unchanged: a probe, which Redis answers "it ran" (delivered,
 * not reported) or "late" (given up and reported at the next {@link #expire}). It is held so at most until twice
 * {@code outbound-max-age} after it was queued (within the id key's life, so a probe still finds it), or until
 * {@code command-timeout} after a drain's deadline (the senders' connections are still open then); when Redis has not
 * answered by then, it is given up all the same, its sender told that Redis did not say whether it took it, and
 * counted as {@link #undecided}: the one case left where a sender may be told and the envelope delivered too. In doubt
 * are at most the appends sent and not settled: the batch in flight, at most 256.
 *
 * <p>Contract: the append thread's alone, but for {@link #drainBy} and {@link #pastDrainDeadline} (any thread).
 */
final class Expiry {

    private final long maxAgeNanos;
    private final long commandTimeoutNanos;
    private final RedisClusterSettings settings;
    private final Unshared unshared;
    /** Each append in doubt, with the newest not-after its tries carried (ms, Redis's clock). */
    private final Map<Outbound.Append, Long> inDoubt = new IdentityHashMap<>();
    private volatile boolean draining;
    private volatile long drainDeadlineNanos;
    /** Appends given up in doubt: Redis never said whether they ran (also counted as given up by {@link Unshared}). */
    final LongAdder undecided = new LongAdder();

    Expiry(RedisClusterSettings settings, Unshared unshared) {
        this.settings = settings;
        this.maxAgeNanos = settings.outboundMaxAge().toNanos();
        this.commandTimeoutNanos = settings.commandTimeout().toNanos();
        this.unshared = unshared;
    }

    /** A drain began: items queued before {@code deadlineNanos} are given up once it passed. Any thread. */
    void drainBy(long deadlineNanos) {
        drainDeadlineNanos = deadlineNanos;
        draining = true;
    }

    /** Whether a drain's deadline passed. Any thread. */
    boolean pastDrainDeadline() {
        return draining && System.nanoTime() - drainDeadlineNanos > 0;
    }

    /**
     * The not-after for a try of {@code item} about to be sent, given a fresh one ({@code fresh}, ms on Redis's clock):
     * for an append in doubt and overdue, the newest its tries carried (a probe, which cannot append it now that it is
     * overdue, unless Redis's clock is behind that); else the later of the two, and the append is in doubt from now.
     */
    long notAfter(Outbound.Frame item, long fresh) {
        if (!(item instanceof Outbound.Append a)) {
            return fresh; // a replay is never reported to a sender: nothing to be in doubt about
        }
        Long before = inDoubt.get(a);
        if (before != null && overdue(a, System.nanoTime())) {
            return before;
        }
        long notAfter = before == null ? fresh : Math.max(before, fresh);
        inDoubt.put(a, notAfter);
        return notAfter;
    }

    /** An answer said whether {@code item} ran (appended, or late and not appended): no longer in doubt. */
    void settled(Outbound item) {
        if (item instanceof Outbound.Append a) {
            inDoubt.remove(a);
        }
    }

    /**
     * How long to wait for {@code item}'s answer: {@code command-timeout} and half a second, but an append queued before
     * a drain's deadline only until {@code command-timeout} after it (so that it is decided while its sender's
     * connection is open).
     */
    long answerWaitMillis(Outbound item) {
        long wait = settings.commandTimeout().toMillis() + 500;
        if (draining && item instanceof Outbound.Append && item.queuedAtNanos() - drainDeadlineNanos <= 0) {
            long left = (drainDeadlineNanos + commandTimeoutNanos - System.nanoTime()) / 1_000_000 + 200;
            wait = Math.max(0, Math.min(wait, left));
        }
        return wait;
    }

    /**
     * Gives up the overdue items of {@code batch}, telling senders, but holds the overdue appends in doubt within their
     * bound (and any barrier behind one: it is reached only once they are decided). Called only with nothing in flight.
     */
    void expire(List<Outbound> batch) {
        long now = System.nanoTime();
        List<Outbound> old = new ArrayList<>();
        List<Outbound> stopped = new ArrayList<>();
        List<Outbound> unknown = new ArrayList<>();
        boolean[] held = {false};
        batch.removeIf(item -> {
            if (!overdue(item, now)) {
                return false;
            }
            if (item instanceof Outbound.Append a && inDoubt.containsKey(a)) {
                if (mayHold(a, now)) {
                    held[0] = true;
                    return false;
                }
                unknown.add(item);
                return true;
            }
            if (item instanceof Outbound.Barrier && held[0]) {
                return false;
            }
            (now - item.queuedAtNanos() > maxAgeNanos ? old : stopped).add(item);
            return true;
        });
        String redis = "Redis (" + settings.address() + ")";
        giveUp(old, redis + " was unreachable for " + settings.outboundMaxAge().toMillis() + " ms");
        giveUp(stopped, "this instance is stopping and " + redis + " did not take it within bridge.shutdown-grace");
        undecided.add(unknown.size());
        giveUp(unknown, "its append was sent but " + redis + " did not say whether it ran (the answer was lost with the "
                + "connection); it may have reached them all the same");
    }

    /** Gives up {@code items} (no longer in doubt: their senders are told), each for {@code why}; empties the list. */
    void giveUp(List<Outbound> items, String why) {
        for (Outbound item : items) {
            settled(item);
        }
        unshared.giveUp(items, why);
    }

    /** Past its age, or queued before a drain's deadline that passed. */
    private boolean overdue(Outbound item, long now) {
        return now - item.queuedAtNanos() > maxAgeNanos
                || draining && now - drainDeadlineNanos > 0 && item.queuedAtNanos() - drainDeadlineNanos <= 0;
    }

    /** Whether an overdue append in doubt may still wait for Redis's answer to a probe. */
    private boolean mayHold(Outbound.Append a, long now) {
        if (now - a.queuedAtNanos() > 2 * maxAgeNanos) {
            return false; // its id key lives twice the max age after the append: a probe later could not find it
        }
        return !(draining && now - (drainDeadlineNanos + commandTimeoutNanos) > 0);
    }
}
