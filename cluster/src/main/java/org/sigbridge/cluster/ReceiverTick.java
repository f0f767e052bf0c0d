package org.sigbridge.cluster;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisException;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.sigbridge.cluster.wire.BusFrame;
import org.sigbridge.cluster.wire.ChannelKeys;
import org.sigbridge.cluster.wire.EnvelopeCodec;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.cluster.ClusterContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the {@link Receiver}'s thread does with Redis besides delivering: syncs a channel ({@link #sync}: at its opening,
 * after Redis came back); every {@code lease-renew}, renews the lease and
 * sweeps expired instances ({@link Leases}), announces the held leaves whose grace ended ({@link Handover}), compares
 * each channel's position with its log ({@link PositionCheck}), publishes the delivered-through watermarks
 * ({@link Watermarks}) and settles the addressed envelopes sent to other instances' participants
 * ({@link AddressedLedger}), with the {@code F} and {@code H} notices that feed it. Every read goes out asynchronously
 * and its answer comes back as an event of the receiver; only {@link #stop} waits for Redis. The receiver's thread (under
 * its lock), but for {@link #stop}, which runs once that thread stopped.
 */
final class ReceiverTick {

    private static final Logger LOG = LoggerFactory.getLogger(ReceiverTick.class);

    private final RedisLink link;
    private final ClusterContext context;
    private final Rosters rosters;
    final Leases leases;
    final PositionCheck positions;
    final Watermarks watermarks;
    private final Handover handover;
    private final AddressedLedger ledger;

    ReceiverTick(RedisLink link, ClusterContext context, Rosters rosters, Leases leases, PositionCheck positions,
                 Watermarks watermarks, Handover handover, AddressedLedger ledger) {
        this.link = link;
        this.context = context;
        this.rosters = rosters;
        this.leases = leases;
        this.positions = positions;
        this.watermarks = watermarks;
        this.handover = handover;
        this.ledger = ledger;
    }

    /**
     * One tick over the channels {@code open} here ({@code bySubject} finds one by its subject when an answer comes back).
     * Answers go to {@code task} (work for the receiver's thread) and {@code answered} (the position reads).
     */
    void run(List<ChannelState> open, Function<String, ChannelState> bySubject, Consumer<Runnable> task,
             Consumer<ChannelState> sync, Consumer<List<PositionCheck.Read>> answered,
             java.util.function.Supplier<Collection<ChannelState>> nowOpen) {
        leases.renewAsync(task);
        watermarks.publish(open); // with the renewal, on the same connection: no round trip of its own
        handover.announceDue();
        leases.removeExpiredAsync(open, nowOpen, rosters, task);
        positions.send(open, sync, answered);
        ledger.check(bySubject, task);
    }

    /**
     * Subscribes the channel's subject (if needed), then reads its position (the first time: where this instance starts;
     * later: what it missed, {@link PositionCheck#catchUp}) and its roster. Waits for Redis; a failure leaves it for the
     * next tick.
     */
    void sync(ChannelState st) {
        ChannelKeys keys = st.channel.keys();
        try {
            if (!st.subscribed) {
                link.pubsub().sync().subscribe(keys.subject());
                st.subscribed = true;
            }
            if (!st.synced) {
                List<KeyValue<String, String>> meta = link.sync().hmget(keys.meta(), "e", "t");
                String epoch = meta.get(0).getValueOrElse(null);
                long top = Long.parseLong(meta.get(1).getValueOrElse("0"));
                if (!st.positioned) {
                    st.epoch = epoch;
                    st.last = top; // what was sent before the channel opened here is not ours to deliver
                    st.positioned = true;
                    st.startEpoch = epoch;
                    st.startOffset = top;
                    context.logCursor(keys.channel(), epoch == null ? Position.Mark.NO_LOG : new Position.Mark(epoch, top));
                    st.channel.positioned();
                } else {
                    positions.catchUp(st, epoch, top);
                }
                st.synced = true;
            }
            rosters.reload(st, leases.inGrace());
        } catch (RedisException e) {
            LOG.debug("cluster: channel '{}' not synced yet ({}); the next check retries", keys.channel(), e.toString());
        }
    }

    /** An {@code F} or {@code H} notice on this instance's control subject. */
    void notice(BusFrame frame, ChannelLogs log) {
        if (frame.kind() == 'F') {
            log.failureNotice(frame);
            EnvelopeCodec.readFailure(frame.body()).ifPresent(n -> ledger.failed(n.envelopeId()));
        } else {
            EnvelopeCodec.readFailure(frame.body()).ifPresentOrElse(n -> ledger.held(n, frame.instance()), log.malformed::increment);
        }
    }

    /**
     * The instance stops, the receiver's thread stopped: the last watermarks are written, then the lease is removed, or,
     * while leaves are held back for the presence grace ({@link Handover}), left to expire at the grace's end, so that
     * the other instances keep those participants until then. Blocks up to two command timeouts.
     */
    void stop(Collection<ChannelState> open) {
        watermarks.stop(open);
        try {
            long held = handover.remainingMillis();
            if (held > 0) {
                leases.expireIn(held);
                LOG.info("cluster: stopping with {} participants held for their clients to resume on another instance; this "
                        + "instance's lease expires in {} ms, and the others remove those that did not", handover.held().size(), held);
                return;
            }
            leases.release();
        } catch (RedisException e) {
            LOG.debug("cluster: lease not removed ({}); it expires by itself", e.toString());
        }
    }
}
