package org.sigbridge.cluster;

import io.lettuce.core.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Receiver}'s check of every open channel each {@code lease-renew} (docs/cluster.md §3, step 4): renews the
 * lifetime of the channel's member hash where this instance has members, forgets old delivered ids, and compares the
 * position delivered here with the channel's log, so a lost last frame (a pub/sub hiccup, a reconnect) is delivered
 * from the log within that time. Nothing here waits for Redis: the position reads go out pipelined with Lettuce's
 * asynchronous commands ({@link #send}), their answers come back to the receive thread as one event
 * ({@link #answered}), bounded by the command timeout, and a catch-up's log reads go out the same way
 * ({@link LogFill}). Before, the receive thread waited for every answer holding the receiver's lock, and every
 * channel's frames with it. Receiver's thread only, but for the answers' completion, which only enqueues.
 */
final class PositionCheck {

    private static final Logger LOG = LoggerFactory.getLogger(PositionCheck.class);

    /** One channel's position read: what the channel stood at when it was sent, and Redis's answer. */
    record Read(ChannelState st, String epochAtSend, long lastAtSend, CompletableFuture<List<KeyValue<String, String>>> meta) {
    }

    private final RedisLink link;
    private final EpochGate gate;
    private final ChannelLogs log;
    private final RollbackGuard guard;

    PositionCheck(RedisLink link, EpochGate gate, ChannelLogs log, RollbackGuard guard) {
        this.link = link;
        this.gate = gate;
        this.log = log;
        this.guard = guard;
    }

    /**
     * Sends the reads for {@code open}; a channel not subscribed or synced yet goes to {@code sync} instead (that one
     * waits for Redis: a channel opened or after Redis came back). {@code answers} gets the reads once all are answered
     * or the command timeout passed, on a foreign thread: it must only enqueue. Never waits for Redis itself.
     */
    void send(List<ChannelState> open, Consumer<ChannelState> sync, Consumer<List<Read>> answers) {
        var async = link.async();
        long whoAge = link.settings().lease().multipliedBy(4).toMillis();
        long now = System.nanoTime();
        List<Read> reads = new ArrayList<>(open.size());
        for (ChannelState st : open) {
            st.forgetOld(now, link.upSinceNanos());
            if (!st.channel.local.isEmpty()) {
                async.pexpire(st.channel.keys().who(), whoAge);
            }
            if (!st.subscribed || !st.synced) {
                sync.accept(st);
            } else if (st.filling == null) { // a fill in flight delivers up to where it reads; the next check compares again
                reads.add(new Read(st, st.epoch, st.last, async.hmget(st.channel.keys().meta(), "e", "t").toCompletableFuture()));
            }
        }
        if (reads.isEmpty()) {
            return;
        }
        CompletableFuture.allOf(reads.stream().map(Read::meta).toArray(CompletableFuture[]::new))
                .orTimeout(link.settings().commandTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ok, e) -> answers.accept(reads));
    }

    /**
     * The reads' answers, on the receive thread: each channel still open here as {@code isOpen} says, synced and with no
     * fill in flight catches up with its log. A read not answered is left to the next check.
     */
    void answered(List<Read> reads, java.util.function.Predicate<ChannelState> isOpen) {
        for (Read r : reads) {
            ChannelState st = r.st();
            if (!isOpen.test(st) || !st.synced || st.filling != null) {
                continue;
            }
            if (!r.meta().isDone() || r.meta().isCompletedExceptionally()) {
                LOG.debug("cluster: position of '{}' not read in time; the next check retries", st.channel.keys().channel());
                continue;
            }
            List<KeyValue<String, String>> meta = r.meta().join();
            String epoch = meta.get(0).getValueOrElse(null);
            long top = Long.parseLong(meta.get(1).getValueOrElse("0"));
            boolean sameAsSent = java.util.Objects.equals(st.epoch, r.epochAtSend());
            if (epoch != null && epoch.equals(st.epoch) && sameAsSent && top < r.lastAtSend()) {
                // Redis numbers and publishes in one step: when the read went out, its top was at or above every offset
                // delivered here by then. Below it, the log was rolled back (docs/cluster.md §6).
                guard.rolledBackUnder(link, st, top);
                continue;
            }
            if (epoch != null && epoch.equals(st.epoch) && top <= st.last) {
                continue; // delivered meanwhile
            }
            catchUp(st, epoch, top);
        }
    }

    /**
     * Catches up with the log's position, unless that would leave the current epoch too soon ({@link EpochGate}). A log
     * below what was delivered here under the same epoch was rolled back: a new epoch is started instead
     * ({@link RollbackGuard#rolledBackUnder}); the next frame or check moves the position to it. For a position read
     * while nothing was delivered here (the channel's sync): Redis's top offset of an epoch never goes below what it
     * published unless rolled back.
     */
    void catchUp(ChannelState st, String epoch, long top) {
        if (st.filling != null) {
            return; // a fill is in flight: it delivers up to where it reads, the next check compares again
        }
        if (epoch != null && epoch.equals(st.epoch) && top < st.last) {
            guard.rolledBackUnder(link, st, top);
            return;
        }
        if (epoch != null && st.epoch != null && !epoch.equals(st.epoch) && !gate.mayLeaveEpoch()) {
            return; // the next check, or the new log's next frame, moves it
        }
        log.catchUp(st, epoch, top);
    }
}
