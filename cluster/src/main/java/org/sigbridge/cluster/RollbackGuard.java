package org.sigbridge.cluster;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the answer of each append for the lagging-replica guard (docs/cluster.md §6): raises the channel's
 * {@link Fence} to the position the append got, and when the script found the channel's log rolled back under the
 * same epoch (Redis's top offset below what this instance had seen: Sentinel promoted a replica that had missed
 * writes) and started a new epoch, counts it ({@code sigbridge_cluster_envelopes_total{event="log_rolled_back"}}) and
 * logs one line. Used by the append thread only.
 */
final class RollbackGuard {

    private static final Logger log = LoggerFactory.getLogger(RollbackGuard.class);

    final LongAdder rolledBack = new LongAdder();

    /** The script's answer {@code {epoch, offset, fresh, fenced, old top}} for {@code append}; anything else is ignored. */
    void appended(Outbound.Append append, Object result) {
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
                            + "from its start, positions of the old epoch no longer resume (recovered: false)",
                    append.keys().channel(), r.get(4), before.epoch(), before.offset(), epoch);
        }
    }
}
