package org.sigbridge.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.sigbridge.cluster.wire.ChannelKeys;
import org.sigbridge.cluster.wire.EnvelopeCodec;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.PresenceEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The presence grace of an instance that goes away (docs/cluster.md §4): once the front ends are about to close their
 * clients' connections for good ({@link #start}: a drain's deadline, a stop), the leave of a participant whose client
 * resumes on another instance as the same participant ({@link PresenceEvent#resumesElsewhere()}) is not announced: its
 * field stays in the channel's member hash, so the other instances keep it present (they count a participant once
 * across fields, {@link Rosters}) while its client reconnects elsewhere and that instance announces it again. When the
 * grace ends the held leaves are announced ({@link #announceDue}, on the receiver's tick, so within the grace plus
 * {@code lease-renew}): those whose client came back stay present through their new field, the others leave. An instance
 * that stops before the grace ended leaves its lease to expire at the grace's end instead of removing it
 * ({@link #remainingMillis}), and the other instances' lease sweep removes its held participants then.
 *
 * <p>Bounded by the local participants there were. {@link #hold} runs on hub threads, the rest on the receiver's
 * thread and the stopping thread; never blocks.
 */
final class Handover {

    private static final Logger LOG = LoggerFactory.getLogger(Handover.class);

    private record Held(ChannelKeys keys, String endpointId, Participant participant, long untilNanos) {
    }

    private final Appender appender;
    private final String instance;
    private final long graceNanos;
    private final ConcurrentLinkedQueue<Held> held = new ConcurrentLinkedQueue<>();
    private volatile boolean on;

    Handover(Appender appender, String instance, Duration grace) {
        this.appender = appender;
        this.instance = instance;
        this.graceNanos = grace.toNanos();
    }

    /** The front ends are about to close their connections for good; idempotent. */
    void start() {
        if (!on && graceNanos > 0) {
            on = true;
            LOG.info("cluster: handing over: the leaves of clients that resume on another instance are held back for {} ms",
                    graceNanos / 1_000_000);
        }
    }

    /** Holds the leave back when the instance is handing over and the participant's client resumes elsewhere. */
    boolean hold(ChannelKeys keys, String endpointId, PresenceEvent leave) {
        if (!on || !leave.resumesElsewhere()) {
            return false;
        }
        held.add(new Held(keys, endpointId, leave.participant(), System.nanoTime() + graceNanos));
        return true;
    }

    /**
     * Whether participant {@code id}'s leave of the channel is held now: an addressed envelope for it is then neither
     * delivered here nor its sender told at once ({@code H} notice instead of {@code F}, docs/cluster.md §5).
     */
    boolean holds(ChannelKeys keys, String id) {
        for (Held h : held) {
            if (h.participant().id().equals(id) && h.keys().channel().equals(keys.channel())) {
                return true;
            }
        }
        return false;
    }

    /** Announces the held leaves whose grace ended. The receiver's thread. */
    void announceDue() {
        long now = System.nanoTime();
        int n = 0;
        for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (now - h.untilNanos() >= 0) {
                it.remove();
                appender.offer(new Outbound.Member(h.keys(), 'L', instance + " " + h.endpointId(),
                        EnvelopeCodec.writeMember(h.endpointId(), h.participant()), now));
                n++;
            }
        }
        if (n > 0) {
            LOG.info("cluster: presence grace ended for {} participants handed over; their leaves are announced (those whose "
                    + "client resumed on another instance stay present there)", n);
        }
    }

    /** How long the longest-held leave still has to wait, in milliseconds; 0 when none is held. */
    long remainingMillis() {
        long now = System.nanoTime();
        long most = 0;
        for (Held h : new ArrayList<>(held)) {
            most = Math.max(most, (h.untilNanos() - now) / 1_000_000);
        }
        return most;
    }

    /** The participants held now (for logs and tests of this package). */
    List<Participant> held() {
        return held.stream().map(Held::participant).toList();
    }
}
