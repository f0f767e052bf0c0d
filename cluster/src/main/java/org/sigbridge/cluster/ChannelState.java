package org.sigbridge.cluster;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sigbridge.cluster.wire.BusFrame;
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
     * The epoch and offset this instance started at when the channel opened here: what the log held up to it was not
     * handled here (its delivered-through watermark says so, {@link Watermarks}).
     */
    String startEpoch;
    long startOffset;
    /** The log read in flight for a gap fill or catch-up ({@link LogFill}), or {@code null}. */
    LogFill.Read filling;
    /**
     * Frames of this channel's subject that arrived while {@link #filling} was in flight (or were being handed on when
     * the next read started), oldest first: handled in that order once the fill is done. Bounded by the
     * {@link Receiver}.
     */
    final ArrayDeque<BusFrame> held = new ArrayDeque<>();
    /** The epochs this channel's position left (at most 4, oldest first): a late frame of one is not a new log. */
    final ArrayDeque<String> leftEpochs = new ArrayDeque<>(4);
    /** Per sending instance, the ids of the envelopes delivered here lately, oldest first, with their epoch and time. */
    private final Map<String, LinkedHashMap<String, Seen>> recent = new HashMap<>();
    private final int maxIdsPerInstance;
    private final long keepNanos;
    /** Other instances' participants: field {@code <instance> <endpoint id>} → member. */
    final Map<String, EnvelopeCodec.Member> roster = new HashMap<>();

    private record Seen(String epoch, long atNanos) {
    }

    /**
     * @param maxIdsPerInstance how many envelope ids of each sending instance {@link #delivered} remembers: more than
     *                          one instance's tail ({@code log-length}) plus what its append thread can have in flight,
     *                          so that an envelope appended again into a new epoch (the tail replay, or a retry whose
     *                          answer was lost with the old Redis) is recognised (docs/cluster.md §6)
     * @param keepNanos         how long an id is remembered after its delivery, counted from the later of the delivery
     *                          and the command connection's last return: longer than a tail entry lives
     */
    ChannelState(SharedChannel channel, int maxIdsPerInstance, long keepNanos) {
        this.channel = channel;
        this.maxIdsPerInstance = maxIdsPerInstance;
        this.keepNanos = keepNanos;
    }

    /**
     * Records that the envelope {@code id} of {@code instance} was delivered here from a frame of {@code epoch}; false
     * when it is remembered as delivered under another epoch (the same envelope appended again into a new log). Under
     * one epoch offsets tell duplicates apart; an id a client reuses there is delivered.
     */
    boolean delivered(String instance, String id, String epoch) {
        LinkedHashMap<String, Seen> ids = recent.computeIfAbsent(instance, i -> new LinkedHashMap<>());
        Seen before = ids.put(id, new Seen(epoch, System.nanoTime()));
        if (before != null) {
            return before.epoch().equals(epoch);
        }
        if (ids.size() > maxIdsPerInstance) {
            var oldest = ids.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    /** Whether the envelope {@code id} of {@code instance} is remembered as delivered here. */
    boolean knows(String instance, String id) {
        LinkedHashMap<String, Seen> ids = recent.get(instance);
        return ids != null && ids.containsKey(id);
    }

    /** Forgets the ids delivered longer ago than the keep time, counted from no earlier than {@code upSinceNanos}. */
    void forgetOld(long nowNanos, long upSinceNanos) {
        for (var it = recent.values().iterator(); it.hasNext(); ) {
            LinkedHashMap<String, Seen> ids = it.next();
            for (var e = ids.values().iterator(); e.hasNext(); ) {
                if (nowNanos - Math.max(e.next().atNanos(), upSinceNanos) <= keepNanos) {
                    break;
                }
                e.remove();
            }
            if (ids.isEmpty()) {
                it.remove();
            }
        }
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
