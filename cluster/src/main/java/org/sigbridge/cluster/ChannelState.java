package org.sigbridge.cluster;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.sigbridge.cluster.wire.EnvelopeCodec;

/**
 * What the {@link Receiver} knows of one shared channel open here: the log position delivered up to, and the
 * participants other instances have on it. Touched only under the {@link Receiver}'s lock: by its thread, or by the
 * pub/sub thread when it delivers a frame itself.
 */
final class ChannelState {

    final SharedChannel channel;
    /** The log's epoch as last seen, or {@code null} when the channel had no log then. */
    String epoch;
    /** The highest offset delivered (or skipped as this instance's own) in {@link #epoch}. */
    long last;
    /** Whether the subject subscription and first position read are done. */
    boolean subscribed;
    boolean synced;
    /** Whether the first position read (at open) is done. */
    boolean positioned;
    /**
     * How many envelope ids {@link #delivered} remembers: more than the appends all instances can have in flight when
     * Redis goes away (each instance's append thread sends at most 256 at a time), so that an envelope its sender
     * appended again into a new epoch (its answer was lost with the old Redis, which had run it and published it) is
     * recognised (docs/cluster.md §10).
     */
    static final int RECENT_IDS = 1024;
    /** The epochs this channel's position left (at most 4, oldest first): a late frame of one is not a new log. */
    final ArrayDeque<String> leftEpochs = new ArrayDeque<>(4);
    private final ArrayDeque<String> recentOrder = new ArrayDeque<>();
    /** Instance and envelope id → the epoch it was delivered under (the last {@link #RECENT_IDS}). */
    private final Map<String, String> recent = new HashMap<>();
    /** Other instances' participants: field {@code <instance> <endpoint id>} → member. */
    final Map<String, EnvelopeCodec.Member> roster = new HashMap<>();

    ChannelState(SharedChannel channel) {
        this.channel = channel;
    }

    /**
     * Records that the envelope {@code id} of {@code instance} was delivered here from a frame of {@code epoch}; false
     * when it was among the last {@link #RECENT_IDS} delivered under another epoch (the same envelope appended again
     * into a new log). Under one epoch offsets tell duplicates apart; an id a client reuses there is delivered.
     */
    boolean delivered(String instance, String id, String epoch) {
        String key = instance + ' ' + id;
        String before = recent.put(key, epoch);
        if (before != null) {
            return before.equals(epoch);
        }
        recentOrder.addLast(key);
        if (recentOrder.size() > RECENT_IDS) {
            recent.remove(recentOrder.removeFirst());
        }
        return true;
    }

    /** Whether the envelope {@code id} of {@code instance} is among the last {@link #RECENT_IDS} delivered here. */
    boolean knows(String instance, String id) {
        return recent.containsKey(instance + ' ' + id);
    }

    /** Records that the position left {@code epoch} for another. */
    void left(String epoch) {
        if (epoch == null || leftEpochs.contains(epoch)) {
            return;
        }
        if (leftEpochs.size() == 4) {
            leftEpochs.removeFirst();
        }
        leftEpochs.addLast(epoch);
    }

    /** The instance part of a roster field. */
    static String instanceOf(String field) {
        int space = field.indexOf(' ');
        return space < 0 ? field : field.substring(0, space);
    }
}
