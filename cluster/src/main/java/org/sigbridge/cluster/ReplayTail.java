package org.sigbridge.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.sigbridge.cluster.wire.ChannelKeys;

/**
 * This instance's own recently appended envelopes on one shared channel, for the tail replay (docs/cluster.md §6).
 * Redis answering an append does not mean every other instance has the frame: a receiver whose subscription was down
 * reads it from the channel's log later, and if Redis loses the log first (a restart without persistence, a failover
 * to a replica that missed the write) the envelope would be gone without its sender being told. So each instance keeps
 * what Redis answered, and when the channel's log is no longer the one those envelopes are in, appends them again,
 * in their order, before any newer envelope of its own; receivers that had them drop the second copy by envelope id
 * ({@link ChannelState#delivered}).
 *
 * <p>Bounds: at most {@code log-length} entries (the oldest is dropped first), and an entry is dropped once it has been
 * in the log for {@code lease} while the command connection stayed up (counted from the later of its append, its last
 * replay and the connection's last return): by then every instance has read the log past it or its lease has lapsed.
 *
 * <p>Used by the append thread only ({@link Appender}).
 */
final class ReplayTail {

    /** One retained envelope: where it is now (epoch, offset) and since when. Mutable, append thread only. */
    static final class Entry {
        final Outbound.Append append;
        String epoch;
        long offset;
        long sinceNanos;

        Entry(Outbound.Append append, String epoch, long offset, long sinceNanos) {
            this.append = append;
            this.epoch = epoch;
            this.offset = offset;
            this.sinceNanos = sinceNanos;
        }
    }

    /** An epoch no channel has (epochs are 12 hex digits). */
    private static final String NO_EPOCH = "-";
    private final ChannelKeys keys;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final int maxEntries;
    private final long maxAgeNanos;
    /** The epoch this instance last appended into on the channel; {@code null} while unknown (before the first answer, during a replay's first append). */
    private String epoch;
    /** Counts entries the count bound dropped while younger than the age bound (shared by the layer's tails). */
    private final java.util.concurrent.atomic.LongAdder crowdedOut;

    ReplayTail(ChannelKeys keys, int maxEntries, long maxAgeNanos, java.util.concurrent.atomic.LongAdder crowdedOut) {
        this.keys = keys;
        this.maxEntries = maxEntries;
        this.maxAgeNanos = maxAgeNanos;
        this.crowdedOut = crowdedOut;
    }

    ChannelKeys keys() {
        return keys;
    }

    /** The epoch an append must find the channel in ({@code ""}: any, when unknown): the append script's expectation. */
    String expected() {
        return epoch == null ? "" : epoch;
    }

    /** Whether the channel's epoch is unknown here (a first append, or a replay's first append, must go alone). */
    boolean unknown() {
        return epoch == null;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    int size() {
        return entries.size();
    }

    /** Redis answered {@code append} at {@code offset} of {@code epoch} (appended now, or found appended by its id). */
    void appended(Outbound.Append append, String epoch, long offset, long nowNanos, long upSinceNanos) {
        this.epoch = epoch;
        entries.addLast(new Entry(append, epoch, offset, nowNanos));
        prune(nowNanos, upSinceNanos);
    }

    /** Redis answered a replay of {@code entry}: it is in {@code epoch} at {@code offset} now, retained another while. */
    void replayed(Entry entry, String epoch, long offset, long nowNanos) {
        this.epoch = epoch;
        entry.epoch = epoch;
        entry.offset = offset;
        entry.sinceNanos = nowNanos;
    }

    /**
     * Whether the channel's log as Redis holds it now ({@code redisEpoch} {@code null} when it has none) lacks some of
     * the retained entries: it is another epoch, or the same one with a top offset below the newest entry (rolled
     * back). Only meaningful while nothing of this tail is in flight.
     */
    boolean behind(String redisEpoch, long redisTop) {
        Entry newest = entries.peekLast();
        if (newest == null) {
            return false;
        }
        return redisEpoch == null || !redisEpoch.equals(newest.epoch) || redisTop < newest.offset;
    }

    /**
     * Starts a replay: the channel's epoch becomes unknown (the first replayed append goes alone and finds the epoch
     * the rest must go into), and every retained entry is returned in order as an item to append again.
     */
    List<Outbound.Replay> startReplay(long nowNanos) {
        epoch = null;
        List<Outbound.Replay> items = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            items.add(new Outbound.Replay(this, e, nowNanos));
        }
        return items;
    }

    /**
     * A replay was given up (Redis unreachable for {@code outbound-max-age}, or the bridge stops): the next append of
     * the channel expects an epoch no channel has (so it is answered {@code moved} and the replay starts over), and
     * the next check compares the entries with Redis again.
     */
    void abandonReplay() {
        epoch = NO_EPOCH;
    }

    /** Drops what the bounds no longer keep (see the class comment). */
    void prune(long nowNanos, long upSinceNanos) {
        while (entries.size() > maxEntries) {
            Entry e = entries.removeFirst();
            if (nowNanos - Math.max(e.sinceNanos, upSinceNanos) <= maxAgeNanos) {
                crowdedOut.increment();
            }
        }
        while (!entries.isEmpty() && nowNanos - Math.max(entries.peekFirst().sinceNanos, upSinceNanos) > maxAgeNanos) {
            entries.removeFirst();
        }
    }
}
