package org.sigbridge.hub;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.Position;

/**
 * One channel's history on this bridge (docs/design.md §3.8): the envelopes it carried, numbered from 1 under a random
 * epoch, at most {@code length} of them and none older than {@code maxAgeMillis}. Not thread-safe by itself: every
 * method but {@link #idleSince} is called holding this object's monitor, which {@link FanOut} holds while it numbers
 * an envelope and hands it to the subscribers, and {@link Resumer} while it subscribes and replays; so each
 * subscriber gets a channel's envelopes in offset order, and a replay and the live stream neither overlap nor leave a
 * gap. On a shared channel of a cluster it also keeps the log cut this instance delivered up to (the log cursor), which
* every position it hands out carries, and, after the log began again, the {@link Position#stamps} that the cut of the
 * new log cannot stand for yet ({@link Frontier}).
 *
 * <p>Entries are kept only while a client may resume from them: for {@code maxAgeMillis} after the last envelope that
 * found a subscriber that may resume on the channel ({@link org.sigbridge.spi.Endpoint#resumes()}) or after a position
 * was asked for ({@link #retain}). Outside that, every envelope is still numbered and its position handed out, but
 * none is kept, and the entries kept before are dropped with the first one not kept, so what is kept is always every
 * envelope after the oldest kept one: a resume across the unkept ones is not recovered, never partly replayed. A
 * channel whose members cannot resume (e.g. seed dialects without checkpoints) then holds no envelope for
 * {@code max-age}, which young collections would copy again and again (docs/benchmarks.md#s13-cluster).
 */
final class History {

    /**
     * One envelope and where it stands.
     *
     * @param position what its subscribers were handed with it (with the log cut, on a cluster)
     */
    record Entry(long offset, Envelope envelope, long atMillis, Position position) {
    }

    final String epoch = NodeIds.random();
    private final int length;
    private final long maxAgeMillis;
    /** Starts with room for one: most channels are idle, and the deque grows to {@code length} as envelopes come. */
    private final ArrayDeque<Entry> entries = new ArrayDeque<>(1);
    private long top;
    /**
     * On a shared channel of a cluster: the cluster log's mark up to which this instance delivered the other instances'
     * envelopes (docs/design.md §3.8), or {@code null} while it is not known.
     */
    private Position.Mark logCursor;
    /** What this history handed out of other instances' envelopes, by their stamps (docs/design.md §3.8). */
    private final Frontier frontier = new Frontier();
    private volatile long lastUsedMillis;
    /** Entries appended until then are kept (see the class comment); before the first reason to keep any, none is. */
    private long retainUntilMillis = Long.MIN_VALUE;

    History(int length, long maxAgeMillis, long nowMillis) {
        this.length = length;
        this.maxAgeMillis = maxAgeMillis;
        this.lastUsedMillis = nowMillis;
    }

    /**
     * Numbers an envelope, and keeps it while a client may resume (see the class comment); returns its position.
     *
     * @param log       its cluster log mark when it came from another instance (advances the log cursor), else
     *                  {@code null}
     * @param resumable whether a subscriber of the channel may resume ({@link org.sigbridge.spi.Endpoint#resumes()})
     */
    Position append(Envelope envelope, long nowMillis, Position.Mark log, boolean resumable) {
        return append(envelope, nowMillis, log, null, resumable);
    }

    /**
     * As {@link #append(Envelope, long, Position.Mark, boolean)}.
     *
     * @param stamp with {@code log}: its mark on the instance that accepted it, or {@code null} when that one keeps none
     */
    Position append(Envelope envelope, long nowMillis, Position.Mark log, Position.Mark stamp, boolean resumable) {
        trim(nowMillis);
        top++;
        if (log != null) {
            logCursor = log;
            if (stamp != null) {
                frontier.delivered(log, stamp);
            }
        }
        Position position = new Position(epoch, top, logCursor, null, logCursor == null ? java.util.List.of() : frontier.carried());
        if (resumable) {
            retain(nowMillis);
        }
        if (retaining(nowMillis)) {
            entries.addLast(new Entry(top, envelope, nowMillis, position));
            if (entries.size() > length) {
                entries.removeFirst();
            }
        } else if (!entries.isEmpty()) {
            entries.clear(); // kept entries stay one unbroken run up to the newest: a resume across this one fails
        }
        lastUsedMillis = nowMillis;
        return position;
    }

    /** A client may resume from a position handed out now: keep what comes for {@code max-age} from now. */
    void retain(long nowMillis) {
        long until = nowMillis + maxAgeMillis;
        if (retainUntilMillis == Long.MIN_VALUE || until - retainUntilMillis > 0) {
            retainUntilMillis = until;
        }
    }

    /** Whether entries are being kept now (tests, the docs). */
    boolean retaining(long nowMillis) {
        return retainUntilMillis != Long.MIN_VALUE && nowMillis - retainUntilMillis <= 0;
    }

    /** The cluster layer's word on where the channel's log stands for this instance (a channel opened, a log began again). */
    void logCursor(Position.Mark log) {
        if (logCursor != null && !logCursor.epoch().equals(log.epoch())) {
            frontier.logBegan(log.epoch());
        }
        logCursor = log;
    }

    /** The highest stamp of each other instance's envelopes handed out here lately ({@link Frontier}). */
    java.util.Map<String, Long> stampsHandedOut() {
        return frontier.highest();
    }

    /** The position of the newest envelope (offset 0 before the first). */
    Position top() {
        return new Position(epoch, top, logCursor, null, logCursor == null ? java.util.List.of() : frontier.carried());
    }

    /**
     * Whether {@code since} is exactly a position this history handed out (or its top now), so that its cluster part
     * means what this history's entries say. A position remade by a resume across instances is not.
     */
    boolean handedOut(Position since) {
        if (since.log() == null) {
            return true;
        }
        if (since.equals(top())) {
            return true;
        }
        for (Entry e : entries) {
            if (e.offset() == since.offset()) {
                return since.equals(e.position());
            }
        }
        return false;
    }

    /**
     * What came after {@code since}, oldest first; or {@code null} when the history cannot say (another epoch, a
     * position beyond the newest, or envelopes after it already dropped), with the reason in {@code why}.
     */
    List<Entry> after(Position since, long nowMillis, StringBuilder why) {
        trim(nowMillis);
        lastUsedMillis = nowMillis;
        if (!since.epoch().equals(epoch)) {
            why.append("the channel's history began again (epoch ").append(epoch).append(", not ").append(since.epoch()).append(')');
            return null;
        }
        if (since.offset() > top) {
            why.append("offset ").append(since.offset()).append(" is beyond the newest (").append(top).append(')');
            return null;
        }
        long first = entries.isEmpty() ? top + 1 : entries.peekFirst().offset();
        if (since.offset() + 1 < first) {
            why.append("the history no longer holds offset ").append(since.offset() + 1).append(" (it starts at ").append(first)
                    .append("; bridge.history.length and max-age bound it, and nothing is kept while no member of the channel can resume)");
            return null;
        }
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.offset() > since.offset()) {
                out.add(e);
            }
        }
        return out;
    }

    /** Marks the history used now (a channel opened on it). */
    void touch(long nowMillis) {
        lastUsedMillis = nowMillis;
    }

    /** When it was last appended to or read; any thread. */
    long idleSince() {
        return lastUsedMillis;
    }

    private void trim(long nowMillis) {
        while (!entries.isEmpty() && nowMillis - entries.peekFirst().atMillis() > maxAgeMillis) {
            entries.removeFirst();
        }
    }
}
