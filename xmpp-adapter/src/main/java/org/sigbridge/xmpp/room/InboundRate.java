package org.sigbridge.xmpp.room;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.sigbridge.support.TokenBucket;
import org.sigbridge.xmpp.config.InboundLimitSettings;

/**
 * The inbound rate state of one room ({@code inbound-limit:}, conf/reference/xmpp.md "Inbound limit"): a token
 * bucket per occupant nick and one for the room, the refusals of the current burst (for one log line per burst,
 * not per stanza) and when each occupant was last answered with an error (at most one answer per occupant a
 * second, so that a flood is not mirrored back at the server).
 *
 * <p>Called by {@link InboundGate} on the Smack reader threads of the bridge session and of the room's per-user
 * sessions (the lock is uncontended but for those). Bounded: at most {@link #MAX_OCCUPANTS} occupants are tracked, the least recently seen is
 * forgotten first (it then starts again with a full bucket; the room's bucket still holds).
 */
final class InboundRate {

    /** Occupants tracked per room. */
    static final int MAX_OCCUPANTS = 1024;
    /** Nicks named in the end-of-burst line. */
    private static final int NICKS_NAMED = 5;
    private static final long REPLY_INTERVAL_NANOS = 1_000_000_000L;
    /** A burst of refusals ends when the room went this long without one. */
    static final long QUIET_NANOS = 5_000_000_000L;

    /** Why a message was refused; the {@code reason} label of {@code sigbridge_xmpp_inbound_refused_total}. */
    enum Reason {
        OCCUPANT_RATE("occupant_rate"), ROOM_RATE("room_rate"), QUEUE_FULL("queue_full");

        final String label;

        Reason(String label) {
            this.label = label;
        }
    }

    /** The end of a burst of refusals: how many, over how long, from whom (at most {@link #NICKS_NAMED} nicks). */
    record BurstEnd(long refused, long nanos, Set<String> nicks) {
    }

    private final InboundLimitSettings limits;
    private final LongSupplier nanoTime;
    private final TokenBucket room;
    private final Map<String, Occupant> occupants = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Occupant> eldest) {
            return size() > MAX_OCCUPANTS;
        }
    };
    // burst of refusals
    private long refusedInBurst;
    private long burstStart;
    private long lastRefusal;
    private final Set<String> burstNicks = new TreeSet<>();

    private static final class Occupant {
        final TokenBucket bucket;
        long lastReply;
        boolean answered;

        Occupant(TokenBucket bucket) {
            this.bucket = bucket;
        }
    }

    InboundRate(InboundLimitSettings limits, LongSupplier nanoTime) {
        this.limits = limits;
        this.nanoTime = nanoTime;
        this.room = new TokenBucket(limits.roomPerSecond(), limits.roomBurst(), nanoTime);
    }

    /** A message from occupant {@code nick}: {@code null} when admitted, else why it is refused. */
    synchronized Reason admit(String nick) {
        Occupant o = occupants.computeIfAbsent(nick,
                n -> new Occupant(new TokenBucket(limits.occupantPerSecond(), limits.occupantBurst(), nanoTime)));
        if (!o.bucket.tryTake()) {
            return Reason.OCCUPANT_RATE;
        }
        return room.tryTake() ? null : Reason.ROOM_RATE;
    }

    /**
     * A refusal of {@code nick}'s message. Returns the end of the previous burst when this refusal starts a new one
     * after a quiet period that no admitted message reported; {@link #STARTED} when it starts a burst (the caller
     * logs the start once); {@code null} within a burst.
     */
    synchronized BurstEnd refused(String nick) {
        long now = nanoTime.getAsLong();
        BurstEnd previous = refusedInBurst > 0 && now - lastRefusal >= QUIET_NANOS ? endBurst() : null;
        boolean first = refusedInBurst == 0;
        if (first) {
            burstStart = now;
            burstNicks.clear();
        }
        refusedInBurst++;
        lastRefusal = now;
        if (burstNicks.size() < NICKS_NAMED) {
            burstNicks.add(nick);
        }
        return previous != null ? previous : first ? STARTED : null;
    }

    /** What {@link #refused} answers when a burst starts. */
    static final BurstEnd STARTED = new BurstEnd(0, 0, Set.of());

    /**
     * An admitted message: the burst it ends (the room went {@link #QUIET_NANOS} without a refusal), if one was
     * under way; the caller logs its end once.
     */
    synchronized BurstEnd admitted() {
        if (refusedInBurst == 0 || nanoTime.getAsLong() - lastRefusal < QUIET_NANOS) {
            return null;
        }
        return endBurst();
    }

    private BurstEnd endBurst() {
        BurstEnd end = new BurstEnd(refusedInBurst, lastRefusal - burstStart, Set.copyOf(burstNicks));
        refusedInBurst = 0;
        return end;
    }

    /** Whether {@code nick} may be answered with an error now (at most once a second each); marks it answered. */
    synchronized boolean replyDue(String nick) {
        Occupant o = occupants.get(nick);
        if (o == null) {
            return false;
        }
        long now = nanoTime.getAsLong();
        if (o.answered && now - o.lastReply < REPLY_INTERVAL_NANOS) {
            return false;
        }
        o.answered = true;
        o.lastReply = now;
        return true;
    }
}
