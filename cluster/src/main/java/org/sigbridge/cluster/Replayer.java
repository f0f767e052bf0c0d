package org.sigbridge.cluster;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tail replay for the {@link Appender} (docs/cluster.md §6): keeps each channel's {@link ReplayTail} up to date
 * with Redis's answers, and puts a replay of a tail at the head of the append batch when the channel's log is no
 * longer the one its entries are in. That is found two ways: an append answered {@code moved} (the channel is not in
 * the epoch this instance last appended into), or the check this class makes every {@code lease-renew}, and at once
 * after the command connection comes back, of every channel where it retains envelopes (the channel's epoch and top
 * offset against the newest entry; a channel closed here still counts until its tail is empty). So a tail is replayed
 * even when its instance sends nothing more.
 *
 * <p>Order: the replay goes before every item of the batch (none of them is answered yet, so all are newer than the
 * tail), its first append alone (the epoch is unknown until it is answered: it may start the new one), the rest
 * pipelined with that epoch expected; if the epoch changes again meanwhile, the replay starts over.
 *
 * <p>Used by the append thread only; never waits for Redis ({@link #check} sends, {@link #collect} reads what came).
 */
final class Replayer {

    private static final Logger log = LoggerFactory.getLogger(Replayer.class);

    private final RedisLink link;
    private final Set<ReplayTail> holding = Collections.newSetFromMap(new IdentityHashMap<>());
    private final long checkEveryNanos;
    /** Envelopes appended again into a new epoch. */
    final LongAdder replayed = new LongAdder();
    /** Tail entries dropped by the count bound while younger than the age bound. */
    final LongAdder crowdedOut = new LongAdder();
    private long nextCheckNanos = System.nanoTime();
    private int lossesChecked;

    Replayer(RedisLink link) {
        this.link = link;
        this.checkEveryNanos = link.settings().leaseRenew().toNanos();
        this.lossesChecked = link.losses();
    }

    /** A new channel's tail: {@code log-length} entries, {@code lease} of age at most. Any thread. */
    ReplayTail newTail(org.sigbridge.cluster.wire.ChannelKeys keys, Fence fence) {
        return new ReplayTail(keys, fence, link.settings().logLength(), link.settings().lease().toNanos(), crowdedOut);
    }

    /** Redis answered {@code item} (an append or a replay) with the offset of {@code epoch} it is at. */
    void answered(Outbound item, String epoch, long offset, boolean fresh) {
        long now = System.nanoTime();
        if (item instanceof Outbound.Replay r) {
            r.tail().replayed(r.entry(), epoch, offset, now);
            if (fresh) {
                replayed.increment();
            }
        } else if (item instanceof Outbound.Append a) {
            a.tail().appended(a.id(), a.body(), epoch, offset, now, link.upSinceNanos());
            holding.add(a.tail());
        }
    }

    /**
     * An append of {@code tail}'s channel found the channel in another epoch than expected (or the check found its log
     * lacking the tail's newest entry; {@code what} says which, for the log): the replay of the whole tail goes to the
     * head of {@code batch} (a replay under way is started over).
     */
    void moved(ReplayTail tail, List<Outbound> batch, String channel, String what) {
        batch.removeIf(o -> o instanceof Outbound.Replay r && r.tail() == tail);
        if (!tail.isEmpty()) {
            log.info("cluster: channel '{}': its log is not the one this instance appended its last {} envelopes to ({}); "
                            + "appending them again before its newer ones (receivers that had them drop them by id)",
                    channel, tail.size(), what);
        }
        batch.addAll(0, tail.startReplay(System.nanoTime()));
    }

    /** Whether a check of the tails is due: the command connection is up, none is under way, and lease-renew passed or it came back since. */
    boolean due() {
        return link.isUp() && checking.isEmpty() && (System.nanoTime() - nextCheckNanos >= 0 || link.losses() != lossesChecked);
    }

    /** A tail under check: its newest entry when the read was sent. */
    private record Pending(ReplayTail tail, String epoch, long offset, RedisFuture<List<KeyValue<String, String>>> read) {
    }

    /** The check sent and not read yet; empty when none. */
    private List<Pending> checking = List.of();
    private int checkLosses;
    private long checkSentNanos;

    /**
     * Sends a read of the epoch and top offset of every channel where this instance retains envelopes (pipelined) and
     * returns without waiting: {@link #collect} compares them with each tail's newest entry as it was now. Call with
     * nothing in flight, so that Redis runs the reads after every append answered so far and before anything sent
     * later. The append thread used to wait for these reads here, once per {@code lease-renew}, with every queued
     * envelope behind it (docs/benchmarks.md#s12-tail).
     */
    void check(List<Outbound> batch) {
        long now = System.nanoTime();
        int losses = link.losses();
        List<Pending> pending = new ArrayList<>();
        try {
            var async = link.async();
            for (var it = holding.iterator(); it.hasNext(); ) {
                ReplayTail t = it.next();
                t.prune(now, link.upSinceNanos());
                if (t.isEmpty()) {
                    it.remove();
                } else if (!t.unknown() && batch.stream().noneMatch(o -> o instanceof Outbound.Replay r && r.tail() == t)) {
                    pending.add(new Pending(t, t.newestEpoch(), t.newestOffset(), async.hmget(t.keys().meta(), "e", "t")));
                }
            }
        } catch (RuntimeException e) {
            log.debug("cluster: the tails were not checked ({}); checking again", e.toString());
            return; // still due
        }
        checkLosses = losses;
        checkSentNanos = now;
        checking = pending;
        if (pending.isEmpty()) {
            lossesChecked = losses;
            nextCheckNanos = now + checkEveryNanos;
        }
    }

    /**
     * Reads the answers of the check under way once they are all in (never waits for them): puts a replay at the head
     * of {@code batch} for each channel whose log lacks what was the tail's newest entry when the check was sent
     * (another epoch, none, or a top offset below it). A failed or late read (over a command timeout) drops the check,
     * which stays due. Call with nothing in flight.
     */
    void collect(List<Outbound> batch) {
        if (checking.isEmpty()) {
            return;
        }
        boolean late = System.nanoTime() - checkSentNanos > link.settings().commandTimeout().toNanos() + 500_000_000L;
        if (!late && checking.stream().anyMatch(p -> !p.read().isDone())) {
            return;
        }
        List<Pending> done = checking;
        checking = List.of();
        List<List<KeyValue<String, String>>> metas = new ArrayList<>(done.size());
        try {
            for (Pending p : done) {
                if (!p.read().isDone()) {
                    throw new TimeoutException("no answer within the command timeout");
                }
                metas.add(p.read().get());
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.debug("cluster: the tails were not checked ({}); checking again", e.toString());
            return; // still due
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (int i = 0; i < done.size(); i++) {
            List<KeyValue<String, String>> meta = metas.get(i);
            String epoch = meta.get(0).getValueOrElse(null);
            long top = Long.parseLong(meta.get(1).getValueOrElse("0"));
            Pending p = done.get(i);
            ReplayTail t = p.tail();
            boolean behind = epoch == null || !epoch.equals(p.epoch()) || top < p.offset();
            if (behind && !t.isEmpty() && !t.unknown() && batch.stream().noneMatch(o -> o instanceof Outbound.Replay r && r.tail() == t)) {
                moved(t, batch, t.keys().channel(), epoch == null ? "Redis has none now" : "Redis holds offset " + top + " of epoch " + epoch);
            }
        }
        lossesChecked = checkLosses;
        nextCheckNanos = checkSentNanos + checkEveryNanos;
    }

    /**
     * How many items from the head of {@code batch} may go in one pipeline: up to the second item of a channel whose
     * epoch is unknown here (its first append must be answered first: it tells the epoch the next ones expect).
     */
    int pipelineLength(List<Outbound> batch) {
        Set<ReplayTail> unknown = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < batch.size(); i++) {
            ReplayTail t = batch.get(i) instanceof Outbound.Replay r ? r.tail()
                    : batch.get(i) instanceof Outbound.Append a ? a.tail() : null;
            if (t != null && t.unknown() && !unknown.add(t)) {
                return i;
            }
        }
        return batch.size();
    }
}
