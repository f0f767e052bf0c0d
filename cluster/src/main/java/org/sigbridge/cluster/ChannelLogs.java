package org.sigbridge.cluster;

import io.lettuce.core.StreamMessage;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.sigbridge.cluster.wire.BusFrame;
import org.sigbridge.cluster.wire.ChannelKeys;
import org.sigbridge.cluster.wire.EnvelopeCodec;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.cluster.ClusterContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery by log position for the {@link Receiver} (docs/cluster.md §3): fills a gap from a channel's log, starts over
 * on a new epoch, counts what the log no longer holds, and hands each envelope of another instance to the hub (its own
 * are skipped: no echo). An addressed envelope whose recipient was gone is reported to its sender's instance. Used
 * under the receiver's lock only; never waits for Redis: a fill's reads go out through {@link LogFill}, and until
 * their answers are in ({@link #filled}) the channel's frames wait in {@link ChannelState#held} (the receiver's
 * job), so that the channel's order holds while every other channel goes on.
 */
final class ChannelLogs {

    private static final Logger log = LoggerFactory.getLogger(ChannelLogs.class);

    private final RedisLink link;
    private final ClusterContext context;
    private final LogFill reads;
    private final String instance;
    private final String prefix;
    final LongAdder delivered = new LongAdder();
    /** Frames at or below the position (a second copy), dropped. */
    final LongAdder duplicates = new LongAdder();
    final LongAdder gapFilled = new LongAdder();
    final LongAdder lost = new LongAdder();
    final LongAdder resets = new LongAdder();
    final LongAdder malformed = new LongAdder();
    /** Envelopes dropped because they were delivered here already under an earlier epoch (appended again). */
    final LongAdder reappended = new LongAdder();
    /** Log reads of a fill that failed or timed out: what they were for is left to the next position check. */
    final LongAdder fillsFailed = new LongAdder();

    /** Whether a participant's leave of a channel is held for the presence grace here ({@link Handover#holds}). */
    private final java.util.function.BiPredicate<ChannelKeys, String> heldHere;

    ChannelLogs(RedisLink link, ClusterContext context, LogFill reads, java.util.function.BiPredicate<ChannelKeys, String> heldHere) {
        this.heldHere = heldHere;
        this.link = link;
        this.context = context;
        this.reads = reads;
        this.instance = context.nodeId();
        this.prefix = link.settings().keyPrefix();
    }

    /**
     * An envelope frame of an open, synced channel with no fill in flight, from the live subject or from
     * {@link ChannelState#held}: delivered by offset. One at {@code last + 1} is delivered; one further on first has the
     * gap read from the log (the read goes out and the frame goes back to the head of {@code held}, to be handled again
     * when the fill is done); one at or below {@code last} is a duplicate; one under another epoch (the log was lost and
     * begun again) is delivered after the new log's earlier entries; a late one of an epoch the position already left
     * goes to {@link #deliverStale}.
     *
     * @param mayFill false right after a fill failed: a frame beyond a gap is then dropped (the log has it; the next
     *                position check reads it) instead of sending the same read again at once
     */
    void receive(ChannelState st, BusFrame f, boolean mayFill) {
        if (st.epoch == null) {
            st.epoch = f.epoch(); // the log began after we synced: every entry before this one is new to us
            st.last = 0;
            context.logCursor(st.channel.keys().channel(), new Position.Mark(f.epoch(), 0));
        } else if (st.leftEpochs.contains(f.epoch())) {
            deliverStale(st, f); // a late frame of the log before: not a new one to start over with
            return;
        } else if (!st.epoch.equals(f.epoch())) {
            reset(st, f.epoch(), f.offset() - 1);
            if (st.filling != null) {
                st.held.addFirst(f);
                return;
            }
        }
        if (f.offset() <= st.last) {
            duplicates.increment();
            return;
        }
        if (f.offset() > st.last + 1) {
            if (mayFill) {
                fill(st, st.last + 1, f.offset() - 1);
                st.held.addFirst(f);
            }
            return;
        }
        deliver(st, f);
    }

    /** An {@code F} notice on this instance's control subject: its sender is told by envelope id. */
    void failureNotice(BusFrame frame) {
        EnvelopeCodec.readFailure(frame.body()).ifPresentOrElse(n -> {
            Envelope stub = new Envelope(n.envelopeId(), n.channel(), JsonValue.nullValue(), JsonValue.nullValue(),
                    new Origin(n.adapter(), n.endpoint()), context.clock().instant());
            context.reportFailure(stub, n.code(), n.detail());
        }, malformed::increment);
    }

    /**
     * The log began again (Redis lost it): deliver what the new log holds up to {@code through}, from its start (the
     * read goes out; see {@link #filled}).
     */
    void reset(ChannelState st, String epoch, long through) {
        resets.increment();
        log.info("cluster: channel '{}' has a new log (epoch {} after {}: the old one expired or Redis lost it); delivering it from its start",
                st.channel.keys().channel(), epoch, st.epoch);
        st.left(st.epoch);
        st.leftEpochs.remove(epoch);
        st.epoch = epoch;
        st.last = 0;
        context.logCursor(st.channel.keys().channel(), new Position.Mark(epoch, 0));
        fill(st, 1, through);
    }

    /** Sends the read of offsets {@code from..to} of the log (its answer comes to {@link #filled}); nothing when empty. */
    private void fill(ChannelState st, long from, long to) {
        if (from <= to) {
            reads.read(st, from, to);
        }
    }

    /**
     * The answer to the channel's read in flight: its entries are delivered in order, what the log no longer has is
     * counted lost, and a full page sends the read of the next one. Clears {@link ChannelState#filling} unless a next
     * page went out. False when the read failed or timed out: the position stays where it was, for the next check.
     */
    boolean filled(ChannelState st, LogFill.Page page) {
        st.filling = null;
        LogFill.Read read = page.read();
        if (page.failure() != null) {
            fillsFailed.increment();
            log.debug("cluster: channel '{}': reading offsets {}..{} of its log failed ({}); the next check retries",
                    st.channel.keys().channel(), read.next, read.to, page.failure().toString());
            return false;
        }
        long next = read.next;
        for (StreamMessage<String, String> m : page.entries()) {
            next = Math.max(next, idOffset(m.getId()) + 1);
            Optional<BusFrame> f = BusFrame.parse(m.getBody().getOrDefault("f", ""));
            if (f.isEmpty() || f.get().offset() <= st.last || f.get().offset() > read.to || !f.get().epoch().equals(st.epoch)) {
                continue;
            }
            if (f.get().offset() > st.last + 1) {
                lostBetween(st, st.last + 1, f.get().offset() - 1);
            }
            gapFilled.increment();
            deliver(st, f.get());
        }
        if (page.entries().size() >= LogFill.PAGE && next <= read.to) {
            reads.read(st, next, read.to);
            return true;
        }
        if (st.last < read.to) {
            lostBetween(st, st.last + 1, read.to);
            st.last = read.to;
        }
        return true;
    }

    /** The offset of a log entry's id {@code <offset>-0}. */
    private static long idOffset(String id) {
        int dash = id.indexOf('-');
        try {
            return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void lostBetween(ChannelState st, long from, long to) {
        long n = to - from + 1;
        lost.add(n);
        log.warn("cluster: channel '{}': offsets {}..{} are no longer in its log ({} envelopes from other instances not delivered "
                + "here); raise cluster.log-length or log-age", st.channel.keys().channel(), from, to, n);
        st.last = to;
    }

    void deliver(ChannelState st, BusFrame f) {
        st.last = f.offset();
        st.channel.fence.saw(st.epoch, f.offset());
        hand(st, f);
    }

    /**
     * A late frame of an epoch the channel's position already left (read from the old Redis's connection after the new
     * log was seen): delivered unless it was already (by envelope id), without moving the position, so that the new
     * log is neither given up nor delivered a second time from its start.
     */
    void deliverStale(ChannelState st, BusFrame f) {
        Optional<EnvelopeCodec.Decoded> decoded = EnvelopeCodec.readEnvelope(f.body());
        if (decoded.isPresent() && st.knows(f.instance(), decoded.get().envelope().id())) {
            reappended.increment(); // had from the log already, under this epoch or the next
            offerCopy(st, f, decoded.get());
            return;
        }
        hand(st, f);
    }

    /** Hands one frame's envelope to the hub, unless it is this instance's own or was delivered here already (by id). */
    private void hand(ChannelState st, BusFrame f) {
        if (f.instance().equals(instance)) {
            return; // our own: local subscribers had it when it was published
        }
        Optional<EnvelopeCodec.Decoded> decoded = EnvelopeCodec.readEnvelope(f.body());
        if (decoded.isEmpty() || !decoded.get().envelope().channel().equals(st.channel.keys().channel())) {
            malformed.increment();
            return;
        }
        Envelope envelope = decoded.get().envelope();
        if (!st.delivered(f.instance(), envelope.id(), f.epoch())) {
            // Its sender appended it again into a new epoch: the old Redis ran it and published it but went away before
            // the answer reached the sender, which cannot tell it from one that never ran (docs/cluster.md §10).
            reappended.increment();
            offerCopy(st, f, decoded.get());
            return;
        }
        PublishResult r = context.publishFromCluster(envelope, new Position.Mark(f.epoch(), f.offset()), decoded.get().stamp(),
                UpstreamMembers.sentElsewhere(st, f.instance(), instance, decoded.get().target()));
        delivered.increment();
        if (envelope.isAddressed() && instance.equals(decoded.get().target()) && r instanceof PublishResult.Refused refused
                && refused.code() == ErrorCode.NO_SUCH_RECIPIENT) {
            // Held for the presence grace: its client may resume elsewhere, whose replay delivers it; the sender's instance
            // waits for the recipient's fate (H) instead of telling the sender now (F) (docs/cluster.md §5).
            char kind = heldHere.test(st.channel.keys(), envelope.recipient()) ? 'H' : 'F';
            String notice = BusFrame.plain(kind, instance, EnvelopeCodec.writeFailure(envelope, ErrorCode.NO_SUCH_RECIPIENT,
                    "'" + envelope.recipient() + "' left channel '" + envelope.channel() + "' before the envelope reached it"));
            link.async().publish(ChannelKeys.control(prefix, f.instance()), notice);
        }
    }

    /**
     * A second copy dropped by id: the hub hands it to the clients that resumed here since and lack it, and to no one
     * else (docs/cluster.md §6, "the tail replay"). Not for this instance's own envelopes (never handed to the hub).
     */
    private void offerCopy(ChannelState st, BusFrame f, EnvelopeCodec.Decoded decoded) {
        if (!f.instance().equals(instance) && decoded.envelope().channel().equals(st.channel.keys().channel())) {
            context.offerCopy(decoded.envelope(), new Position.Mark(f.epoch(), f.offset()), decoded.stamp());
        }
    }

    /**
     * Delivers what the log has beyond the position: the rest of this epoch, or a new log from its start (the read goes
     * out; see {@link #filled}). Only with no fill in flight.
     */
    void catchUp(ChannelState st, String epoch, long top) {
        if (epoch == null) {
            return; // no log now (expired, or Redis came back empty): the next append starts one, and its frame resets us
        }
        if (st.epoch == null) {
            st.epoch = epoch; // the log began after the channel opened here: all of it is new to us
            st.last = 0;
            context.logCursor(st.channel.keys().channel(), new Position.Mark(epoch, 0));
            fill(st, 1, top);
        } else if (!epoch.equals(st.epoch)) {
            reset(st, epoch, top);
        } else if (top > st.last) {
            fill(st, st.last + 1, top);
        }
    }
}
