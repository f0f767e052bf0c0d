package org.sigbridge.cluster;

import java.util.List;
import org.sigbridge.metrics.Metrics;

/** The layer's counters as {@code sigbridge_cluster_*} series, read at scrape time. */
final class Counters {

    private Counters() {
    }

    /** Registers the series; the layer closes what this returns when it closes. */
    static List<Metrics.Registration> register(Metrics metrics, Appender out, Receiver in) {
        Metrics.Registration counters = metrics.counters("sigbridge_cluster_envelopes_total", "Envelopes through the cluster, by what happened to them",
                List.of("event"), samples -> {
                    samples.add(out.appended.sum(), "appended");
                    samples.add(out.retriedDuplicates.sum(), "retry_deduplicated");
                    samples.add(out.expired.sum(), "not_shared");
                    samples.add(out.expiry.undecided.sum(), "not_shared_in_doubt");
                    samples.add(out.overflowed.sum(), "queue_full");
                    samples.add(in.log.delivered.sum(), "delivered");
                    samples.add(in.log.gapFilled.sum(), "gap_filled");
                    samples.add(in.log.duplicates.sum() + in.log.reappended.sum(), "duplicate_dropped");
                    samples.add(in.log.lost.sum(), "lost");
                    samples.add(in.log.resets.sum(), "log_reset");
                    samples.add(out.guard.rolledBack.sum(), "log_rolled_back");
                    samples.add(out.replayer.replayed.sum(), "replayed");
                    samples.add(out.replayer.crowdedOut.sum(), "replay_window_full");
                    samples.add(in.log.malformed.sum(), "malformed");
                    samples.add(in.overflowed.sum(), "receive_queue_full");
                    samples.add(in.log.fillsFailed.sum(), "fill_failed");
                    samples.add(out.ledger.settledDelivered.sum(), "addressed_delivered");
                    samples.add(out.ledger.settledElsewhere.sum(), "addressed_elsewhere");
                    samples.add(out.ledger.reported.sum(), "addressed_reported");
                    samples.add(out.ledger.untracked.sum(), "addressed_untracked");
                });
        Metrics.Registration gauges = metrics.gauges("sigbridge_cluster_outbound_waiting",
                "Envelopes and presence changes waiting for Redis", List.of(), samples -> samples.add(out.waiting()));
        Metrics.Registration tracked = metrics.gauges("sigbridge_cluster_addressed_tracked",
                "Addressed envelopes for other instances' participants whose outcome is not known yet (docs/cluster.md §5)",
                List.of(), samples -> samples.add(out.ledger.size()));
        return List.of(counters, gauges, tracked);
    }
}
