package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.sigbridge.cluster.wire.ChannelKeys;

/**
 * The retained tail's storage (docs/cluster.md §6, the tail replay): what a replay gets back is every kept envelope's
 * id and frame, byte for byte and in order, across chunks and slot growth and the count and age bounds. The
 * replay itself against a real Redis is {@code TailReplayTest}'s.
 */
class ReplayTailTest {

    private static final long SECOND = 1_000_000_000L;

    private static ReplayTail tail(int maxEntries, LongAdder crowded) {
        return new ReplayTail(ChannelKeys.of("sb", "c"), new Fence(), maxEntries, 15 * SECOND, crowded);
    }

    /** A frame of a varying size with characters outside Latin-1, so the chunks hold multi-byte UTF-8. */
    private static String body(int n) {
        return "{\"id\":\"e" + n + "\",\"m\":\"é€" + "x".repeat(n * 37 % 3000) + "\"}";
    }

    @Test
    void aReplayGetsEveryKeptFrameBackInOrderAcrossChunksAndGrowth() {
        LongAdder crowded = new LongAdder();
        ReplayTail t = tail(500, crowded);
        for (int n = 0; n < 2_000; n++) {
            t.appended("e" + n, body(n), "aaaaaaaaaaaa", n + 1, n * 1_000_000L, 0); // 1 ms apart: the count bound drops
        }
        assertEquals(500, t.size());
        assertEquals(1_500, crowded.sum(), "dropped by the count bound while younger than the lease");
        List<Outbound.Replay> items = t.startReplay(2 * SECOND);
        assertEquals(500, items.size());
        for (int i = 0; i < items.size(); i++) {
            int n = 1_500 + i;
            assertEquals("e" + n, items.get(i).id());
            assertEquals(body(n), items.get(i).body());
        }
        assertTrue(t.unknown(), "a replay's first append goes alone");
    }

    @Test
    void anEntryIsKeptForALeaseOfConnectedTimeAndTheTailShrinksWhenEmpty() {
        ReplayTail t = tail(10_000, new LongAdder());
        for (int n = 0; n < 300; n++) {
            t.appended("e" + n, body(n), "aaaaaaaaaaaa", n + 1, n * 10_000_000L, 0); // 3 s of appends
        }
        assertTrue(t.behind("bbbbbbbbbbbb", 300), "another epoch lacks them");
        assertTrue(t.behind("aaaaaaaaaaaa", 299), "a log rolled back below the newest lacks it");
        assertFalse(t.behind("aaaaaaaaaaaa", 300));
        t.prune(15 * SECOND + 500_000_000L, 0); // 15.5 s: the first 50 are a lease old
        assertEquals(250, t.size());
        assertEquals("e50", t.startReplay(16 * SECOND).get(0).id());
        t.prune(16 * SECOND, 14 * SECOND); // the connection came back at 14 s: the lease counts from there
        assertEquals(250, t.size());
        t.prune(30 * SECOND, 14 * SECOND);
        assertTrue(t.isEmpty());
        assertEquals(0, t.bytes());
        t.appended("e300", body(300), "cccccccccccc", 1, 31 * SECOND, 0);
        assertEquals(List.of("e300"), t.startReplay(31 * SECOND).stream().map(Outbound.Replay::id).toList());
    }

    @Test
    void aReplayedEntryMovesToTheNewEpochAndIsKeptAnotherLease() {
        ReplayTail t = tail(10_000, new LongAdder());
        t.appended("e1", body(1), "aaaaaaaaaaaa", 7, 0, 0);
        t.appended("e2", body(2), "aaaaaaaaaaaa", 8, 0, 0);
        List<Outbound.Replay> items = t.startReplay(SECOND);
        t.replayed(items.get(0).entry(), "bbbbbbbbbbbb", 1, 10 * SECOND);
        assertEquals("bbbbbbbbbbbb", t.expected());
        assertTrue(t.behind("bbbbbbbbbbbb", 1), "the second is not in the new log yet");
        t.replayed(items.get(1).entry(), "bbbbbbbbbbbb", 2, 10 * SECOND);
        assertFalse(t.behind("bbbbbbbbbbbb", 2));
        t.prune(20 * SECOND, 0);
        assertEquals(2, t.size(), "a lease from the replay, not from the first append");
    }
}
