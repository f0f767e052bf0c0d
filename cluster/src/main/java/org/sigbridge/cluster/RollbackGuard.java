package org.sigbridge.cluster;

import io.lettuce.core.ScriptOutputType;
import java.util.List;
import org.sigbridge.cluster.wire.Scripts;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the answer of each append for the lagging-replica guard (docs/cluster.md §6): raises the channel's
 * {@link Fence} to the position the append got, and when the script found the channel's log rolled back under the
 * same epoch (Redis's top offset below what this instance had seen: Sentinel promoted a replica that had missed
 * writes) and started a new epoch, counts it ({@code sigbridge_cluster_envelopes_total{event="log_rolled_back"}}) and
 * logs one line; and starts a new epoch when a receiver finds the log below what it delivered
 * ({@link #rolledBackUnder}). Used by the append thread, and by the receive thread for the latter.
 */
final class RollbackGuard {

    private static final Logger log = LoggerFactory.getLogger(RollbackGuard.class);

    final LongAdder rolledBack = new LongAdder();

    /**
     * A receiver found {@code st}'s log at {@code top}, below the offset it delivered up to under the same epoch: the
     * log was rolled back. Starts a new epoch if no instance did yet ({@link Scripts#ROLL}), so that every instance's
     * tail is replayed into it and no envelope appended into the rolled-back log is taken for one delivered already.
     * Receiver's thread; blocks on one Redis call.
     */
    void rolledBackUnder(RedisLink link, ChannelState st, long top) {
        String fresh = ScriptCalls.newEpoch();
        List<Object> r;
        try {
            // Scripts get no timeout from Lettuce (RedisLink): the wait is bounded here.
            r = link.async().<List<Object>>eval(Scripts.ROLL, ScriptOutputType.MULTI,
                    new String[] {st.channel.keys().meta(), st.channel.keys().log()}, st.epoch, String.valueOf(st.last), fresh,
                    String.valueOf(link.settings().logAge().toMillis()))
                    .get(link.settings().commandTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.debug("cluster: channel '{}': the rolled-back log was not moved to a new epoch ({}); the next check retries",
                    st.channel.keys().channel(), e.toString());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (r != null && !r.isEmpty()) {
            rolledBack.increment();
            log.warn("cluster: channel '{}': Redis holds offset {} of epoch {}, but this instance had delivered offset {} (a failover "
                            + "to a replica that missed writes, or a persistence file that lost its last writes, rolled its log back); "
                            + "started epoch {}: each instance appends again what it retained of the old log, positions of the old "
                            + "epoch no longer resume (recovered: false)", st.channel.keys().channel(), top, st.epoch, st.last, fresh);
        }
    }

    /**
     * The script's answer {@code {epoch, offset, fresh, fenced, old top, moved}} for {@code append}, when it was
     * appended (or found appended): not for a {@code moved} answer, which appended nothing and started no epoch.
     */
    void appended(Outbound.Frame append, Object result) {
        if (!(result instanceof List<?> r) || r.size() < 5) {
            return;
        }
        String epoch = String.valueOf(r.get(0));
        Fence.Mark before = append.fence().mark();
        if (r.get(1) instanceof Long offset) {
            append.fence().saw(epoch, offset);
        }
        if (Long.valueOf(1).equals(r.get(3))) {
            rolledBack.increment();
            log.warn("cluster: channel '{}': Redis holds offset {} of epoch {}, but this instance had seen offset {} (a failover "
                            + "to a replica that missed writes rolled its log back); started epoch {}: receivers deliver the new log "
                            + "from its start (each instance appends again what it retained of the old one), positions of the old epoch no "
                            + "longer resume (recovered: false)",
                    append.keys().channel(), r.get(4), before.epoch(), before.offset(), epoch);
        }
    }
}
