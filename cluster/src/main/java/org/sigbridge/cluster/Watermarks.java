package org.sigbridge.cluster;

import io.lettuce.core.RedisException;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.sigbridge.cluster.wire.ChannelKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The holder's side of addressed delivery across instances (docs/cluster.md §5): for each channel it receives, this
 * instance publishes the highest log offset its receiver has handled (its delivered-through watermark,
 * {@code <epoch> <offset> <from>} in the hash {@link ChannelKeys#watermarks()}), so that the instances that addressed envelopes
 * to its participants can settle them as delivered ({@link AddressedLedger}). The receiver handles a channel's log in
 * order, so every addressed envelope for this instance at or below the watermark was delivered, or its sender told by
 * an {@code F} notice, or its recipient found held ({@code H}).
 *
 * <p>Written every {@code lease-renew} with the lease renewal (asynchronously, only the channels whose position moved:
 * nothing on the way of an envelope), once more when a channel closes here (frames after that are not handled here),
 * and a last time when the instance stops, after its receiver stopped. A killed instance's last watermark is at most
 * {@code lease-renew} old. The hash lives {@code log-age}, like the log it points into. The receiver's thread, but for
 * the answers (Lettuce's).
 */
final class Watermarks {

    private static final Logger LOG = LoggerFactory.getLogger(Watermarks.class);

    private final RedisLink link;
    private final String instance;
    /** What was last written per channel open here (removed on a failed write, so that the next tick writes again). */
    private final Map<ChannelState, String> written = new ConcurrentHashMap<>();

    Watermarks(RedisLink link, String instance) {
        this.link = link;
        this.instance = instance;
    }

    /** Every {@code lease-renew}: writes the watermark of each channel whose position moved since. Never waits. */
    void publish(Collection<ChannelState> open) {
        for (ChannelState st : open) {
            String mark = markOf(st);
            if (mark != null && !mark.equals(written.get(st))) {
                write(st, mark);
            }
        }
        written.keySet().retainAll(new java.util.HashSet<>(open)); // identity: a channel closed and opened again is another
    }

    /** The channel closed here: what it handled last is final. Never waits. */
    void closed(ChannelState st) {
        String mark = markOf(st);
        written.remove(st);
        if (mark != null) {
            write(st, mark);
        }
    }

    /** The instance stops, its receiver stopped: the last watermark of every channel, waiting up to a command timeout. */
    void stop(Collection<ChannelState> open) {
        try {
            var pending = new java.util.ArrayList<java.util.concurrent.CompletableFuture<?>>();
            for (ChannelState st : open) {
                String mark = markOf(st);
                if (mark != null) {
                    pending.add(write(st, mark));
                }
            }
            java.util.concurrent.CompletableFuture.allOf(pending.toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get(link.settings().commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("cluster: last watermarks not written ({}); the others rely on the last ones written", e.toString());
        }
    }

    /**
     * {@code <epoch> <offset> <from>}: handled here from after {@code from} through {@code offset} in {@code epoch}.
     * {@code from} is where the channel opened here in that epoch (0 for an epoch whose log this instance delivers from
     * its start), so that a channel closed and opened again here does not claim what was appended between.
     */
    private static String markOf(ChannelState st) {
        if (!st.positioned || st.epoch == null) {
            return null;
        }
        long from = st.epoch.equals(st.startEpoch) ? st.startOffset : 0;
        return st.epoch + " " + st.last + " " + from;
    }

    private java.util.concurrent.CompletableFuture<?> write(ChannelState st, String mark) {
        String key = st.channel.keys().watermarks();
        written.put(st, mark);
        try {
            link.async().hset(key, instance, mark);
            return link.async().pexpire(key, link.settings().logAge().toMillis()).toCompletableFuture()
                    .whenComplete((ok, e) -> {
                        if (e != null) {
                            written.remove(st, mark);
                        }
                    });
        } catch (RedisException e) {
            written.remove(st, mark);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
    }
}
