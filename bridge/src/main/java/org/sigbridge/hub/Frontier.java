package org.sigbridge.hub;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sigbridge.spi.Position;

/**
 * What a channel's {@link History} handed out of other instances' envelopes, by their stamps, for the positions it
 * hands out after the channel's cluster log began again (docs/design.md §3.8, "Across instances"; docs/cluster.md §6,
 * "the tail replay").
 *
 * <p>Why: when a log begins again under a new epoch (Redis came back empty, a failover to a replica that missed
 * writes), every instance appends into it again the envelopes it had appended lately, and an append whose answer was
 * lost with the old Redis is sent again; this instance drops those copies by envelope id, but they come into the new
 * log after envelopes it delivered from it. A position's cut in the new log therefore cannot say whether the client has
 * them, and a resume on another instance from it would replay them a second time. Each instance appends its own
 * envelopes in the order of their stamps (their marks in its history), so the highest stamp of each instance handed
 * out here says which of them the subscribers have (or were not owed, having joined later). When the log begins
 * again those marks go into every position ({@link Position#stamps}), each until the log cursor passes, in the new
 * log, an envelope of that instance at or above its mark: its copies all come before that one.
 *
 * <p>Bounded: the {@value #TRACKED} stamp epochs most recently delivered are tracked, at most
 * {@link Position#MAX_STAMPS} carried. Not thread-safe: used under the {@link History}'s monitor only.
 */
final class Frontier {

    /** Stamp epochs tracked (one per other instance's history of the channel; more than a cluster has instances). */
    static final int TRACKED = 16;

    /**
     * Stamp epoch → the highest stamp offset handed out; the least recently delivered first. Made with the first
     * stamp: only a channel shared by a cluster's instances sees stamps, and every channel has a history, so the two
     * empty maps were 0.12 KB per idle channel (docs/benchmarks.md, "Idle memory per WebSocket connection, session 14").
     */
    private LinkedHashMap<String, long[]> highest;
    /** Stamp epoch → the mark positions carry while the cut in {@link #carriedFor} does not stand for it; made with the first. */
    private LinkedHashMap<String, Long> carried;
    /** The log epoch the carried marks were taken for (the one that began), or {@code null} before any began again. */
    private String carriedFor;
    private List<Position.Mark> view = List.of();

    /** An envelope of another instance was handed out: its log mark here and its stamp. On the publishing thread. */
    void delivered(Position.Mark log, Position.Mark stamp) {
        if (highest == null) {
            highest = newHighest();
        }
        long[] high = highest.get(stamp.epoch());
        if (high == null) {
            highest.put(stamp.epoch(), new long[] {stamp.offset()});
        } else if (stamp.offset() > high[0]) {
            high[0] = stamp.offset();
        }
        if (carriedFor == null || carried.isEmpty() && log.epoch().equals(carriedFor)) {
            return; // the usual case: nothing carried
        }
        // carriedFor is set only by logBegan, which makes carried
        if (log.epoch().equals(carriedFor)) {
            Long mark = carried.get(stamp.epoch());
            if (mark != null && stamp.offset() >= mark) {
                carried.remove(stamp.epoch()); // the cursor passed it in the new log: so did every copy of that instance
                rebuild();
            }
        } else if (carried.size() < Position.MAX_STAMPS || carried.containsKey(stamp.epoch())) {
            // A late envelope of an earlier log, handed out after the new one began: the subscribers have it too.
            carried.merge(stamp.epoch(), stamp.offset(), Math::max);
            rebuild();
        }
    }

    /** The log began again under {@code logEpoch}: the highest stamps handed out are carried from now on. */
    void logBegan(String logEpoch) {
        carriedFor = logEpoch;
        if (carried == null) {
            carried = new LinkedHashMap<>();
        }
        carried.clear();
        List<Map.Entry<String, long[]>> recent = highest == null ? List.of() : new ArrayList<>(highest.entrySet());
        for (int i = Math.max(0, recent.size() - Position.MAX_STAMPS); i < recent.size(); i++) {
            carried.put(recent.get(i).getKey(), recent.get(i).getValue()[0]);
        }
        rebuild();
    }

    /** The highest stamp handed out of each tracked instance history, as it is now (a copy). */
    Map<String, Long> highest() {
        Map<String, Long> out = new java.util.HashMap<>();
        if (highest != null) {
            highest.forEach((epoch, high) -> out.put(epoch, high[0]));
        }
        return out;
    }

    /** Tracks at most {@link #TRACKED} epochs: the least recently delivered goes first. */
    private static LinkedHashMap<String, long[]> newHighest() {
        return new LinkedHashMap<>(4, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
                return size() > TRACKED;
            }
        };
    }

    /** The marks positions carry now (an immutable list; empty almost always). */
    List<Position.Mark> carried() {
        return view;
    }

    private void rebuild() {
        List<Position.Mark> next = new ArrayList<>(carried.size());
        carried.forEach((epoch, offset) -> next.add(new Position.Mark(epoch, offset)));
        view = List.copyOf(next);
    }
}
