package org.sigbridge.cluster;

/**
 * Whether a read of a channel's log position may move the {@link Receiver}'s position to another epoch
 * (docs/cluster.md §6, "Redis back"). After the command connection is lost, the pub/sub connection may still hold
 * frames of the Redis that went away (its thread can lag, e.g. on a starved machine); a new log's position read before
 * them would skip them (a Redis that came back empty holds none of them) or deliver them after the new log's entries.
 * So the answer is yes once the pub/sub connection came back after the command connection's last loss (every old frame
 * was handed over before), or when that has not happened within a lease (the command connection alone was lost;
 * nothing is in the way). A frame of the new log moves the position by itself, after the old ones. Receiver's thread only.
 */
final class EpochGate {

    private final RedisLink link;
    /** The command connection's loss count when the pub/sub connection last came back. */
    private int lossesSeenBySubscriptions;
    /** Since when {@link #mayLeaveEpoch} has said no, or 0. */
    private long heldSinceNanos;

    EpochGate(RedisLink link) {
        this.link = link;
    }

    /** The pub/sub connection is back: every frame the old one read was handled. */
    void subscriptionsBack() {
        lossesSeenBySubscriptions = link.losses();
    }

    boolean mayLeaveEpoch() {
        if (link.losses() == lossesSeenBySubscriptions) {
            heldSinceNanos = 0;
            return true;
        }
        long now = System.nanoTime();
        if (heldSinceNanos == 0) {
            heldSinceNanos = now;
        }
        if (now - heldSinceNanos > link.settings().lease().toNanos()) {
            lossesSeenBySubscriptions = link.losses();
            heldSinceNanos = 0;
            return true;
        }
        return false;
    }
}
