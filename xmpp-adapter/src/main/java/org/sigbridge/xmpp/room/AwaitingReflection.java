package org.sigbridge.xmpp.room;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Envelopes of one room that were handed to Smack but whose reflection has not come back yet, in send
 * order, by envelope id.
 *
 * <p>Why: without XEP-0198 stream management (Prosody 0.12 core lacks it, and a resumed stream would hide
 * an outage from the rooms anyway) a stanza written just before the connection dies is lost without a
 * trace. A MUC reflects every groupchat message to its sender too (XEP-0045 §7.2.2), and ours carry the
 * envelope id in the {@code signal} element, so the reflection is the room's receipt. An envelope stays
 * here until that receipt comes ({@link #confirm}), the room bounces it ({@link #remove}), or it expires;
 * when the session or the membership is lost the rest go back to the front of the queue, in order
 * ({@link #takeAll}), and are sent again after the rejoin.
 *
 * <p>Bounded: it is a send window of {@code capacity}; while it is full nothing more is sent, so the
 * room's queue fills and new envelopes are refused at the edge ({@code upstream_unavailable}) instead of
 * anything accepted being dropped. Worker-confined.
 */
final class AwaitingReflection {

    /** One envelope on its way through the room. */
    record Sent(Waiting waiting, Instant sentAt) {
    }

    private final int capacity;
    private final LinkedHashMap<String, Sent> byId = new LinkedHashMap<>();

    AwaitingReflection(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Whether the send window is full. */
    boolean isFull() {
        return byId.size() >= capacity;
    }

    /** {@code waiting} was handed to Smack at {@code at}. A resend replaces the earlier entry. */
    void sent(Waiting waiting, Instant at) {
        byId.remove(waiting.envelope().id());
        byId.put(waiting.envelope().id(), new Sent(waiting, at));
    }

    /** The reflection of {@code id} arrived: true if it was awaited. */
    boolean confirm(String id) {
        return byId.remove(id) != null;
    }

    /** Forgets an envelope (the room bounced it) and returns it, if it was awaited. */
    Optional<Waiting> remove(String id) {
        return Optional.ofNullable(byId.remove(id)).map(Sent::waiting);
    }

    /** Removes everything, in send order: the session or membership is gone, these go out again. */
    List<Waiting> takeAll() {
        List<Waiting> all = new ArrayList<>(byId.size());
        byId.values().forEach(s -> all.add(s.waiting()));
        byId.clear();
        return all;
    }

    /**
     * Removes and returns, in send order, the envelopes accepted more than {@code maxAge} ago whose send
     * was also at least {@code replyWindow} ago (so one sent just before its deadline still gets the time
     * a reflection needs).
     */
    List<Waiting> expire(Instant now, Duration maxAge, Duration replyWindow) {
        List<Waiting> expired = new ArrayList<>();
        for (Iterator<Sent> it = byId.values().iterator(); it.hasNext(); ) {
            Sent s = it.next();
            if (s.waiting().queuedAt().plus(maxAge).isBefore(now) && s.sentAt().plus(replyWindow).isBefore(now)) {
                expired.add(s.waiting());
                it.remove();
            }
        }
        return expired;
    }

    boolean isEmpty() {
        return byId.isEmpty();
    }

    int size() {
        return byId.size();
    }
}
