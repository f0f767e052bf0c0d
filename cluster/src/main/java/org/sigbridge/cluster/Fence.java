package org.sigbridge.cluster;

/**
 * The lagging-replica guard of one shared channel (docs/cluster.md §6): the highest log position this instance has seen
 * for it, appended or delivered, under its epoch. Every append carries it; when Redis holds the same epoch with a lower
 * top offset, its log was rolled back (Sentinel promoted a replica that had missed the last writes) and the append
 * script starts a new epoch instead of numbering over offsets the receivers already delivered, as a Redis that came
 * back empty does. Thread-safe: the append and receive threads write it, the append thread reads it.
 */
final class Fence {

    /** A position: the epoch and the offset in it. */
    record Mark(String epoch, long offset) {
    }

    private static final Mark NONE = new Mark("", 0);

    private volatile Mark mark = NONE;

    /** Records a position seen; a new epoch replaces the old one, a higher offset of the same epoch raises it. */
    synchronized void saw(String epoch, long offset) {
        Mark m = mark;
        if (epoch == null) {
            return;
        }
        if (!epoch.equals(m.epoch()) || offset > m.offset()) {
            mark = new Mark(epoch, offset);
        }
    }

    /** The highest position seen, or an empty epoch at 0 when none. */
    Mark mark() {
        return mark;
    }
}
