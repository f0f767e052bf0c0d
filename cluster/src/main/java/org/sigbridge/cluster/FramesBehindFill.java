package org.sigbridge.cluster;

import java.util.concurrent.atomic.LongAdder;
import org.sigbridge.cluster.wire.BusFrame;

/**
 * A channel's frames while its gap fill or catch-up is in flight (docs/cluster.md §3): they wait behind the log read
 * ({@link LogFill}) in its {@link ChannelState#held}, at most {@link #MAX_HELD_PER_CHANNEL}, and are handled in arrival
 * order once the read answered; other channels go on. Envelope frames go to {@link ChannelLogs}, membership frames to
 * {@link Rosters}.
 *
 * <p>Called on the {@link Receiver}'s thread only, under its lock; not thread-safe by itself.
 */
final class FramesBehindFill {

    /** Frames of one channel that may wait behind its fill; beyond, they are dropped. */
    static final int MAX_HELD_PER_CHANNEL = 4_096;

    private final ChannelLogs log;
    private final Rosters rosters;
    private final LongAdder overflowed;

    /** @param overflowed counts frames dropped because their channel's wait was full (the receiver's queue-full count) */
    FramesBehindFill(ChannelLogs log, Rosters rosters, LongAdder overflowed) {
        this.log = log;
        this.rosters = rosters;
        this.overflowed = overflowed;
    }

    /** A frame of a synced channel: handled now, or held when a fill of the channel is in flight. */
    void accept(ChannelState st, BusFrame frame) {
        if (st.filling != null) {
            hold(st, frame);
            return;
        }
        dispatch(st, frame, true);
    }

    /**
     * The answer to a channel's log read, for the channel's current read: delivered by {@link ChannelLogs#filled}, then
     * the frames that waited behind it are handled in order, until one starts the next fill. After a failed read a frame
     * beyond the gap is dropped (the next position check reads it from the log), so a Redis that is down is not asked
     * again for every held frame.
     */
    void filled(ChannelState st, LogFill.Page page) {
        boolean ok = log.filled(st, page);
        BusFrame held;
        while (st.filling == null && (held = st.held.pollFirst()) != null) {
            if (!st.synced) {
                st.held.clear(); // the sync at the next check reads the position after these
                return;
            }
            dispatch(st, held, ok);
        }
    }

    private void dispatch(ChannelState st, BusFrame frame, boolean mayFill) {
        switch (frame.kind()) {
            case 'E' -> log.receive(st, frame, mayFill);
            case 'J', 'L' -> rosters.apply(st, frame, log.malformed);
            default -> log.malformed.increment();
        }
    }

    /**
     * Past {@link #MAX_HELD_PER_CHANNEL} a frame is dropped: an envelope frame is in the log (the next gap or position
     * check reads it), a membership frame has the channel synced again at the next check (its roster is read again).
     */
    private void hold(ChannelState st, BusFrame frame) {
        if (st.held.size() < MAX_HELD_PER_CHANNEL) {
            st.held.addLast(frame);
            return;
        }
        overflowed.increment();
        if (frame.kind() != 'E') {
            st.synced = false;
        }
    }
}
