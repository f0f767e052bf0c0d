package org.sigbridge.hub;

import org.sigbridge.envelope.Envelope;
import org.sigbridge.support.RecentIds;

/**
 * Which envelopes from an upstream (a SIP MESSAGE, say) this instance has delivered on a shared channel of a cluster,
 * by channel and envelope id (docs/cluster.md §2, "SIP announcements on a cluster"): a registrar forks a MESSAGE to a
 * channel's shared AOR to every instance bound there, so each instance gets it from the upstream and again from the
 * instance that appended it to the cluster's log first (the log keeps an id once; the instance whose own append was
 * the retry still gets the first one's frame). The second copy, whichever path it takes, is not delivered. Envelopes of
 * the instances' own clients never come here: their ids are drawn once, where they enter.
 *
 * <p>Thread-safe (one lock, held for a map operation); bounded: the {@link #CAPACITY} most recent ids, which covers the
 * seconds between the two copies.
 */
final class UpstreamCopies {

    static final int CAPACITY = 8192;

    private final RecentIds<String, Boolean> seen = new RecentIds<>(CAPACITY);

    /** True for the first copy of the upstream envelope on its shared channel, false for a later one. Any thread. */
    boolean first(Envelope envelope) {
        return seen.putIfAbsent(envelope.channel() + '\n' + envelope.id(), Boolean.TRUE).isEmpty();
    }
}
