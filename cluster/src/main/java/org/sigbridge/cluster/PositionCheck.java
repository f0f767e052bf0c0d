package org.sigbridge.cluster;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Receiver}'s check of every open channel each {@code lease-renew} (docs/cluster.md §3, step 4): renews the
 * lifetime of the channel's member hash where this instance has members, forgets old delivered ids, and compares the
 * position delivered here with the channel's log, so a lost last frame (a pub/sub hiccup, a reconnect) is delivered
 * from the log within that time. The position reads are waited for here; the log reads a catch-up needs are not
 * ({@link LogFill}: the answers come back as events, and only that channel's frames wait for them). Reads are pipelined: one round trip for every channel, not two each in a row (with 50
 * busy channels that stalled every frame behind 100 round trips once per lease-renew: the p99 at a fixed rate).
 * Receiver's thread only; blocks on Redis up to a command timeout.
 */
final class PositionCheck {

    private static final Logger LOG = LoggerFactory.getLogger(PositionCheck.class);

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

    /** Checks {@code open}; a channel not subscribed or synced yet goes to {@code sync} instead. */
    void run(List<ChannelState> open, Consumer<ChannelState> sync) throws InterruptedException {
        var async = link.async();
        long whoAge = link.settings().lease().multipliedBy(4).toMillis();
        long now = System.nanoTime();
        List<RedisFuture<List<KeyValue<String, String>>>> metas = new ArrayList<>(open.size());
        for (ChannelState st : open) {
            st.forgetOld(now, link.upSinceNanos());
            if (!st.channel.local.isEmpty()) {
                async.pexpire(st.channel.keys().who(), whoAge);
            }
            metas.add(st.subscribed && st.synced ? async.hmget(st.channel.keys().meta(), "e", "t") : null);
        }
        long waitMs = link.settings().commandTimeout().toMillis();
        for (int i = 0; i < open.size(); i++) {
            ChannelState st = open.get(i);
            if (metas.get(i) == null) {
                sync.accept(st);
                continue;
            }
            List<KeyValue<String, String>> meta;
            try {
                meta = metas.get(i).get(waitMs, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("cluster: position of '{}' not read ({}); the next check retries", st.channel.keys().channel(), e.toString());
                continue;
            }
            catchUp(st, meta.get(0).getValueOrElse(null), Long.parseLong(meta.get(1).getValueOrElse("0")));
        }
    }

    /**
     * Catches up with the log's position, unless that would leave the current epoch too soon ({@link EpochGate}). A log
     * below what was delivered here under the same epoch was rolled back: a new epoch is started instead
     * ({@link RollbackGuard#rolledBackUnder}); the next frame or check moves the position to it. Redis's top offset of
     * an epoch never goes below what it published unless rolled back, and nothing is delivered here while this runs.
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
