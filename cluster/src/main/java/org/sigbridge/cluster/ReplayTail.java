package org.sigbridge.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
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
 * <p>What is kept of an entry is only what its replay sends: the envelope id and the encoded frame, as the UTF-8 bytes
 * the append sent, packed into byte chunks (4 to 256 KiB, sized to what the tail holds), with its epoch, offset, time
 * and place in parallel arrays: no object per entry. At 2,000 msg/s a lease holds some 15,000 to 30,000 envelopes an
 * instance; kept as the envelope objects they were queued with (the {@code Envelope}, its JSON values, the frame
 * string: about 2.5 KB and 12 objects each), young collections copied and promoted them (docs/benchmarks.md#s12-tail).
 * A chunk holds no references: a collection copies it as one block, and it is garbage once the bounds dropped every
 * entry in it. The slot arrays grow by doubling and go back to a small size when the tail empties.
 *
 * <p>Bounds: at most {@code log-length} entries (the oldest is dropped first), and an entry is dropped once it has been
 * in the log for {@code lease} while the command connection stayed up (counted from the later of its append, its last
 * replay and the connection's return): by then every instance has read the log past it or its lease has lapsed. The
 * bytes are the entries' encoded frames (each at most a hub envelope's size), as before.
 *
 * <p>Used by the append thread only ({@link Appender}).
 */
final class ReplayTail {

    /** An epoch no channel has (epochs are 12 hex digits). */
    private static final String NO_EPOCH = "-";
    private static final int FIRST_SLOTS = 16;
    /** The smallest and largest chunk of frame bytes (a quiet channel keeps one small chunk, a busy one few big ones). */
    private static final int MIN_CHUNK = 4 * 1024;
    private static final int MAX_CHUNK = 256 * 1024;
    private final ChannelKeys keys;
    private final Fence fence;
    private final int maxEntries;
    private final long maxAgeNanos;
    /** Counts entries the count bound dropped while younger than the age bound (shared by the layer's tails). */
    private final LongAdder crowdedOut;
    /** The epoch this instance last appended into on the channel; {@code null} while unknown (before the first answer, during a replay's first append). */
    private String epoch;

    // Entries are numbered from 0 on, for ever: entry n is in slot n & (slots - 1); [first, next) are kept.
    private long first;
    private long next;
    private String[] epochs = new String[FIRST_SLOTS];
    private long[] offsets = new long[FIRST_SLOTS];
    private long[] since = new long[FIRST_SLOTS];
    /** The chunk holding entry n's id and frame bytes, and where in it they start. */
    private byte[][] chunks = new byte[FIRST_SLOTS][];
    private int[] starts = new int[FIRST_SLOTS];
    private int[] idLengths = new int[FIRST_SLOTS];
    private int[] bodyLengths = new int[FIRST_SLOTS];
    /** The chunk new entries go into, and its first free byte; a chunk is garbage once no kept entry is in it. */
    private byte[] chunk;
    private int chunkUsed;
    /** The kept entries' bytes. */
    private long bytes;

    ReplayTail(ChannelKeys keys, Fence fence, int maxEntries, long maxAgeNanos, LongAdder crowdedOut) {
        this.keys = keys;
        this.fence = fence;
        this.maxEntries = maxEntries;
        this.maxAgeNanos = maxAgeNanos;
        this.crowdedOut = crowdedOut;
    }

    ChannelKeys keys() {
        return keys;
    }

    /** The channel's lagging-replica guard, which a replayed append carries as a fresh one does. */
    Fence fence() {
        return fence;
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
        return first == next;
    }

    int size() {
        return (int) (next - first);
    }

    /** Kept bytes (ids and frames), for tests and the docs' sizing. */
    long bytes() {
        return bytes;
    }

    /**
     * Redis answered the envelope {@code id} with the encoded frame {@code body} at {@code offset} of {@code epoch}
     * (appended now, or found appended by its id).
     */
    void appended(String id, String body, String epoch, long offset, long nowNanos, long upSinceNanos) {
        this.epoch = same(epoch);
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        if (next - first == epochs.length) {
            growSlots();
        }
        int need = idBytes.length + bodyBytes.length;
        if (chunk == null || chunk.length - chunkUsed < need) {
            // Sized to what is kept now, so a busy channel's bytes are in few chunks and a quiet one's in one small one.
            chunk = new byte[(int) Math.max(need, Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, bytes / 8)))];
            chunkUsed = 0;
        }
        int slot = slot(next);
        epochs[slot] = this.epoch;
        offsets[slot] = offset;
        since[slot] = nowNanos;
        chunks[slot] = chunk;
        starts[slot] = chunkUsed;
        idLengths[slot] = idBytes.length;
        bodyLengths[slot] = bodyBytes.length;
        System.arraycopy(idBytes, 0, chunk, chunkUsed, idBytes.length);
        System.arraycopy(bodyBytes, 0, chunk, chunkUsed + idBytes.length, bodyBytes.length);
        chunkUsed += need;
        bytes += need;
        next++;
        prune(nowNanos, upSinceNanos);
    }

    /** Redis answered a replay of entry {@code n}: it is in {@code epoch} at {@code offset} now, kept another while. */
    void replayed(long n, String epoch, long offset, long nowNanos) {
        this.epoch = same(epoch);
        if (n < first || n >= next) {
            return; // dropped by a bound meanwhile
        }
        int slot = slot(n);
        epochs[slot] = this.epoch;
        offsets[slot] = offset;
        since[slot] = nowNanos;
    }

    /** The epoch of the newest entry; {@code null} when empty. */
    String newestEpoch() {
        return isEmpty() ? null : epochs[slot(next - 1)];
    }

    /** The offset of the newest entry; 0 when empty. */
    long newestOffset() {
        return isEmpty() ? 0 : offsets[slot(next - 1)];
    }

    /**
     * Whether the channel's log as Redis holds it now ({@code redisEpoch} {@code null} when it has none) lacks some of
     * the retained entries: it is another epoch, or the same one with a top offset below the newest entry (rolled
     * back). Only meaningful while nothing of this tail is in flight.
     */
    boolean behind(String redisEpoch, long redisTop) {
        if (isEmpty()) {
            return false;
        }
        int slot = slot(next - 1);
        return redisEpoch == null || !redisEpoch.equals(epochs[slot]) || redisTop < offsets[slot];
    }

    /**
     * Starts a replay: the channel's epoch becomes unknown (the first replayed append goes alone and finds the epoch
     * the rest must go into), and every retained entry is returned in order as an item to append again (its id and
     * frame decoded once more: a replay is rare).
     */
    List<Outbound.Replay> startReplay(long nowNanos) {
        epoch = null;
        List<Outbound.Replay> items = new ArrayList<>(size());
        for (long n = first; n < next; n++) {
            int slot = slot(n);
            String id = new String(chunks[slot], starts[slot], idLengths[slot], StandardCharsets.UTF_8);
            String body = new String(chunks[slot], starts[slot] + idLengths[slot], bodyLengths[slot], StandardCharsets.UTF_8);
            items.add(new Outbound.Replay(this, n, id, body, nowNanos));
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

    /** Drops what the bounds no longer keep (see the class comment); back to the first small arrays once empty. */
    void prune(long nowNanos, long upSinceNanos) {
        while (next - first > maxEntries) {
            if (nowNanos - Math.max(since[slot(first)], upSinceNanos) <= maxAgeNanos) {
                crowdedOut.increment();
            }
            dropFirst();
        }
        while (first < next && nowNanos - Math.max(since[slot(first)], upSinceNanos) > maxAgeNanos) {
            dropFirst();
        }
        if (first == next) {
            chunk = null; // an idle channel keeps no bytes
            if (epochs.length > FIRST_SLOTS) {
                reset();
            }
        }
    }

    private int slot(long n) {
        return (int) (n & (epochs.length - 1));
    }

    private void dropFirst() {
        int slot = slot(first);
        epochs[slot] = null;
        chunks[slot] = null;
        bytes -= idLengths[slot] + bodyLengths[slot];
        first++;
    }

    private void reset() {
        epochs = new String[FIRST_SLOTS];
        offsets = new long[FIRST_SLOTS];
        since = new long[FIRST_SLOTS];
        chunks = new byte[FIRST_SLOTS][];
        starts = new int[FIRST_SLOTS];
        idLengths = new int[FIRST_SLOTS];
        bodyLengths = new int[FIRST_SLOTS];
    }

    /** The one epoch string per epoch: each answer is a new string, and the slots of one epoch share this one. */
    private String same(String e) {
        return e != null && e.equals(this.epoch) ? this.epoch : e;
    }

    private void growSlots() {
        int old = epochs.length;
        int size = old * 2;
        String[] e = new String[size];
        long[] o = new long[size];
        long[] s = new long[size];
        byte[][] c = new byte[size][];
        int[] st = new int[size];
        int[] il = new int[size];
        int[] bl = new int[size];
        for (long n = first; n < next; n++) {
            int from = (int) (n & (old - 1));
            int to = (int) (n & (size - 1));
            e[to] = epochs[from];
            o[to] = offsets[from];
            s[to] = since[from];
            c[to] = chunks[from];
            st[to] = starts[from];
            il[to] = idLengths[from];
            bl[to] = bodyLengths[from];
        }
        epochs = e;
        offsets = o;
        since = s;
        chunks = c;
        starts = st;
        idLengths = il;
        bodyLengths = bl;
    }
}
