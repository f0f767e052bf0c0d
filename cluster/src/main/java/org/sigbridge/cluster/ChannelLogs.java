package org.sigbridge.cluster;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.util.List;
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
 * are skipped: no echo). An addressed envelope whose recipient was gone is reported to its sender's instance. Used by
 * the receiver's thread only; blocks on Redis reads.
 */
final class ChannelLogs {

    private static final Logger log = LoggerFactory.getLogger(ChannelLogs.class);
    private static final int FILL_PAGE = 500;

    private final RedisLink link;
    private final ClusterContext context;
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

    ChannelLogs(RedisLink link, ClusterContext context) {
        this.link = link;
        this.context = context;
        this.instance = context.nodeId();
        this.prefix = link.settings().keyPrefix();
    }

    /**
     * An envelope frame of an open, synced channel, from the live subject: delivered by offset. One at
     * {@code last + 1} is delivered; one further on first has the gap read from the log; one at or below {@code last}
     * is a duplicate; one under another epoch (the log was lost and begun again) is delivered after the new log's
     * earlier entries; a late one of an epoch the position already left goes to {@link #deliverStale}.
     */
    void receive(ChannelState st, BusFrame f) {
        if (st.epoch == null) {
            st.epoch = f.epoch(); // the log began after we synced: every entry before this one is new to us
            st.last = 0;
            context.logCursor(st.channel.keys().channel(), new Position.Mark(f.epoch(), 0));
        } else if (st.leftEpochs.contains(f.epoch())) {
            deliverStale(st, f); // a late frame of the log before: not a new one to start over with
            return;
        } else if (!st.epoch.equals(f.epoch())) {
            reset(st, f.epoch(), f.offset() - 1);
        }
        if (f.offset() <= st.last) {
            duplicates.increment();
            return;
        }
        if (f.offset() > st.last + 1) {
            fill(st, st.last + 1, f.offset() - 1);
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

    /** The log began again (Redis lost it): deliver what the new log holds up to {@code through}, from its start. */
    void reset(ChannelState st, String epoch, long through) {
        resets.increment();
        log.info("cluster: channel '{}' has a new log (epoch {} after {}: the old one expired or Redis lost it); delivering it from its start",
                st.channel.keys().channel(), epoch, st.epoch);
        st.left(st.epoch);
        st.leftEpochs.remove(epoch);
        st.epoch = epoch;
        st.last = 0;
        context.logCursor(st.channel.keys().channel(), new Position.Mark(epoch, 0));
        if (through > 0) {
            fill(st, 1, through);
        }
    }

    /** Reads offsets {@code from..to} from the log and delivers them in order; what the log no longer has is counted lost. */
    void fill(ChannelState st, long from, long to) {
        long next = from;
        while (next <= to) {
            List<StreamMessage<String, String>> page = link.sync().xrange(st.channel.keys().log(),
                    Range.create(next + "-0", to + "-0"), Limit.from(FILL_PAGE));
            if (page.isEmpty()) {
                break;
            }
            for (StreamMessage<String, String> m : page) {
                Optional<BusFrame> f = BusFrame.parse(m.getBody().getOrDefault("f", ""));
                if (f.isEmpty() || f.get().offset() <= st.last || !f.get().epoch().equals(st.epoch)) {
                    continue;
                }
                if (f.get().offset() > st.last + 1) {
                    lostBetween(st, st.last + 1, f.get().offset() - 1);
                }
                gapFilled.increment();
                deliver(st, f.get());
                next = f.get().offset() + 1;
            }
            if (page.size() < FILL_PAGE) {
                break;
            }
        }
        if (st.last < to) {
            lostBetween(st, st.last + 1, to);
            st.last = to;
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
            String notice = BusFrame.plain('F', instance, EnvelopeCodec.writeFailure(envelope, ErrorCode.NO_SUCH_RECIPIENT,
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

    /** Delivers what the log has beyond the position: the rest of this epoch, or a new log from its start. */
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
