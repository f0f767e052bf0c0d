package org.sigbridge.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import org.sigbridge.cluster.wire.ChannelKeys;
import org.sigbridge.cluster.wire.EnvelopeCodec;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.cluster.ClusterContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender's side of addressed delivery across instances (docs/cluster.md §5, "When the holder goes away"): every
 * envelope this instance appended for a participant another instance holds is kept here, with the holder, the
 * recipient and the log offset the append got, until its outcome is known, so that none reaches no one unreported.
 *
 * <ul>
 *   <li><b>Delivered</b>: the holder's delivered-through watermark ({@link Watermarks}, read every {@code lease-renew}
 *   for the channels with entries) is at or past the entry's offset in its epoch. The holder handles its channel's log in
 *   order, so it delivered the envelope or told the sender by an {@code F} notice (which also removes the entry). A
 *   watermark in another epoch (the log was lost and begun again; the envelope was appended again by the tail replay
 *   under another offset) settles it too: its offset no longer names it.</li>
 *   <li><b>Held</b>: the holder found the recipient gone but held in its presence grace ({@link Handover}) and said so
 *   with an {@code H} notice instead of an {@code F}: the entry waits for the recipient's fate, whatever the watermark.</li>
 *   <li><b>Present elsewhere</b>: the recipient is present through another instance's field (or here): its client
 *   resumed there, and its resume replays from the log what was addressed to it after its position (or that instance
 *   delivers it live); settled.</li>
 *   <li><b>Gone</b>: the recipient has no field left (its holder's lease expired and was swept, or its held leave was
 *   announced). Once a watermark read sent at least {@code lease-renew} after that is answered (a live holder has then
 *   handled, and published, what it was going to), the entries still unsettled are reported to their senders as
 *   {@code no_such_recipient} by envelope id, through the hub, as an {@code F} notice is.</li>
 * </ul>
 *
 * <p>Bounded: at most {@link #MAX} entries, each at most {@code presence-grace} + 2 × {@code lease} + 3 ×
 * {@code lease-renew} + {@code command-timeout} old (longer than any of the rules above can take). One crowded out or
 * older is no longer tracked: counted ({@code addressed_untracked}) and logged with its id, assumed delivered.
 *
 * <p>{@link #appended} runs on the append thread (it only enqueues); everything else on the {@link Receiver}'s thread.
 */
final class AddressedLedger {

    private static final Logger LOG = LoggerFactory.getLogger(AddressedLedger.class);
    /** The most entries tracked at once. */
    static final int MAX = 10_000;
    private static final int FAILED_REMEMBERED = 4_096;

    private record Entry(ChannelKeys keys, String id, Origin origin, String holder, String recipient, String epoch,
                         long offset, boolean held, long atNanos) {
    }

    private final RedisLink link;
    private final ClusterContext context;
    private final String instance;
    private final long renewNanos;
    private final long maxAgeNanos;
    private final ConcurrentLinkedQueue<Entry> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inboxSize = new AtomicInteger();
    /** By envelope id, oldest first. Receiver thread. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    /** The same entries by channel subject, so that a channel's watermarks settle its own only. */
    private final Map<String, LinkedHashMap<String, Entry>> byChannel = new HashMap<>();
    /** Per channel subject and recipient, when this instance first saw the recipient without any field. */
    private final Map<String, Long> endedAt = new HashMap<>();
    /** Ids an {@code F} notice reported lately: their entries may come in from the append thread after it. */
    private final LinkedHashSet<String> failed = new LinkedHashSet<>();
    final LongAdder settledDelivered = new LongAdder();
    final LongAdder settledElsewhere = new LongAdder();
    final LongAdder reported = new LongAdder();
    final LongAdder untracked = new LongAdder();

    AddressedLedger(RedisLink link, ClusterContext context) {
        this.link = link;
        this.context = context;
        this.instance = context.nodeId();
        RedisClusterSettings s = link.settings();
        this.renewNanos = s.leaseRenew().toNanos();
        this.maxAgeNanos = s.presenceGrace().plus(s.lease().multipliedBy(2)).plus(s.leaseRenew().multipliedBy(3))
                .plus(s.commandTimeout()).toNanos();
    }

    /** The append thread: Redis answered an append addressed to another instance's participant. Never blocks. */
    void appended(Outbound.Append a, String epoch, long offset) {
        Envelope e = a.envelope();
        if (inboxSize.incrementAndGet() > MAX) {
            inboxSize.decrementAndGet();
            untracked.increment();
            if (untracked.sum() % 1_000 == 1) { // the first of a burst, then every thousandth: counted all the same
                LOG.warn("cluster: envelope {} to '{}' on channel '{}' is not tracked: {} addressed envelopes already wait for "
                        + "their outcome; if its recipient's instance goes away now it is not reported ({} so far)", e.id(),
                        e.recipient(), e.channel(), MAX, untracked.sum());
            }
            return;
        }
        inbox.add(new Entry(a.keys(), e.id(), e.origin(), a.target(), e.recipient(), epoch, offset, false, System.nanoTime()));
    }

    /** An {@code F} notice for {@code id} reached this instance: its sender is told (by the caller); not tracked any more. */
    void failed(String id) {
        drainInbox();
        remove(id);
        failed.add(id);
        if (failed.size() > FAILED_REMEMBERED) {
            Iterator<String> oldest = failed.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /**
     * An {@code H} notice of {@code holder}: the recipient is gone there but held in its presence grace; the entry waits
     * for the recipient's fate (one settled by a watermark already comes back). Without a recipient or room, reported
     * at once, as an {@code F} notice is.
     */
    void held(EnvelopeCodec.Failure n, String holder) {
        drainInbox();
        remove(n.envelopeId());
        if (n.recipient() == null || entries.size() >= MAX) {
            report(n.envelopeId(), n.channel(), new Origin(n.adapter(), n.endpoint()), n.detail());
            return;
        }
        put(new Entry(ChannelKeys.of(link.settings().keyPrefix(), n.channel()), n.envelopeId(),
                new Origin(n.adapter(), n.endpoint()), holder, n.recipient(), null, 0, true, System.nanoTime()));
    }

    /**
     * Every {@code lease-renew}: takes in what was appended, applies the bounds, and sends one watermark read per channel
     * with entries; each answer is handed to {@code onThread} (which enqueues it for the receiver's thread). Never waits.
     *
     * @param open the channel state open here under a subject, or {@code null}
     */
    void check(Function<String, ChannelState> open, Consumer<Runnable> onThread) {
        drainInbox();
        long now = System.nanoTime();
        int dropped = 0;
        String first = null;
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (entries.size() <= MAX && now - e.atNanos() <= maxAgeNanos) {
                break;
            }
            it.remove();
            removeFromChannel(e);
            dropped++;
            first = first == null ? e.id() : first;
        }
        if (dropped > 0) {
            untracked.add(dropped);
            LOG.warn("cluster: {} addressed envelopes (the first {}) are no longer tracked (more than {}, or older than {} ms); "
                    + "taken as delivered", dropped, first, MAX, maxAgeNanos / 1_000_000);
        }
        Map<String, ChannelKeys> channels = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, LinkedHashMap<String, Entry>>> it = byChannel.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, LinkedHashMap<String, Entry>> ch = it.next();
            if (open.apply(ch.getKey()) == null) {
                ch.getValue().keySet().forEach(entries::remove); // closed here: its senders (members here) left, nobody to tell
                it.remove();
                continue;
            }
            channels.put(ch.getKey(), ch.getValue().values().iterator().next().keys());
        }
        endedAt.keySet().removeIf(k -> !channels.containsKey(k.substring(0, k.indexOf('\n'))));
        for (ChannelKeys keys : channels.values()) {
            long sent = System.nanoTime();
            try {
                link.async().hgetall(keys.watermarks()).toCompletableFuture()
                        .orTimeout(link.settings().commandTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .whenComplete((marks, failure) -> {
                            if (failure == null) {
                                onThread.accept(() -> settle(keys, marks, sent, open));
                            }
                        });
            } catch (RuntimeException ex) {
                LOG.debug("cluster: watermarks of '{}' not read ({}); the next check retries", keys.channel(), ex.toString());
            }
        }
    }

    /** The receiver's thread: the channel's watermarks as read at {@code sentNanos}; applies the rules of the class comment. */
    private void settle(ChannelKeys keys, Map<String, String> marks, long sentNanos, Function<String, ChannelState> open) {
        ChannelState st = open.apply(keys.subject());
        if (st == null) {
            return;
        }
        long now = System.nanoTime();
        Map<String, Set<String>> presence = new HashMap<>();
        List<Entry> gone = new ArrayList<>();
        LinkedHashMap<String, Entry> mine = byChannel.getOrDefault(keys.subject(), new LinkedHashMap<>());
        for (Iterator<Entry> it = mine.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (!e.held() && covers(marks.get(e.holder()), e)) {
                it.remove();
                entries.remove(e.id());
                settledDelivered.increment();
                continue;
            }
            Set<String> at = presence.computeIfAbsent(e.recipient(), r -> instancesPresenting(st, r));
            String key = keys.subject() + "\n" + e.recipient();
            if (at.stream().anyMatch(i -> !i.equals(e.holder()))) {
                it.remove(); // resumed (or present) elsewhere: delivered there live or by its resume's replay
                entries.remove(e.id());
                settledElsewhere.increment();
                endedAt.remove(key);
            } else if (!at.isEmpty()) {
                endedAt.remove(key); // still held by its holder: wait
            } else {
                Long ended = endedAt.putIfAbsent(key, now);
                if (ended != null && sentNanos - ended >= renewNanos) {
                    it.remove();
                    entries.remove(e.id());
                    gone.add(e);
                }
            }
        }
        if (mine.isEmpty()) {
            byChannel.remove(keys.subject());
        }
        for (Entry e : gone) {
            report(e.id(), keys.channel(), e.origin(), "'" + e.recipient() + "' left channel '" + keys.channel() + "' (its instance "
                    + e.holder() + " went away) before the envelope reached it");
        }
        if (!gone.isEmpty()) {
            LOG.info("cluster: {} envelopes addressed to participants of instance {} on '{}' reached no one (the participant left "
                    + "with its instance); their senders are told by envelope id", gone.size(), gone.get(0).holder(), keys.channel());
        }
    }

    /**
     * Whether the holder's watermark {@code <epoch> <offset> <from>} covers the entry: in its epoch, after {@code from}
     * (where the channel opened there; what came before was never handled there) and at or below {@code offset}; or in
     * another epoch.
     */
    private static boolean covers(String mark, Entry e) {
        if (mark == null) {
            return false;
        }
        String[] parts = mark.split(" ");
        if (parts.length != 3) {
            return false;
        }
        try {
            return !parts[0].equals(e.epoch())
                    || e.offset() > Long.parseLong(parts[2]) && e.offset() <= Long.parseLong(parts[1]);
        } catch (NumberFormatException ex) {
            return false;
        }
    }

    /** The instances presenting participant {@code id} on the channel: other instances' fields, and this one. */
    private Set<String> instancesPresenting(ChannelState st, String id) {
        Set<String> at = new HashSet<>();
        st.roster.forEach((field, m) -> {
            if (m.participant().id().equals(id)) {
                at.add(ChannelState.instanceOf(field));
            }
        });
        if (st.channel.local.values().stream().anyMatch(p -> p.id().equals(id))) {
            at.add(instance);
        }
        return at;
    }

    private void report(String id, String channel, Origin origin, String detail) {
        reported.increment();
        Envelope stub = new Envelope(id, channel, JsonValue.nullValue(), JsonValue.nullValue(), origin, context.clock().instant());
        context.reportFailure(stub, ErrorCode.NO_SUCH_RECIPIENT, detail);
    }

    private void drainInbox() {
        for (Entry e; (e = inbox.poll()) != null; ) {
            inboxSize.decrementAndGet();
            if (!failed.contains(e.id()) && !entries.containsKey(e.id())) {
                put(e);
            }
        }
    }

    private void put(Entry e) {
        entries.put(e.id(), e);
        byChannel.computeIfAbsent(e.keys().subject(), k -> new LinkedHashMap<>()).put(e.id(), e);
    }

    private void remove(String id) {
        Entry e = entries.remove(id);
        if (e != null) {
            removeFromChannel(e);
        }
    }

    private void removeFromChannel(Entry e) {
        LinkedHashMap<String, Entry> ch = byChannel.get(e.keys().subject());
        if (ch != null) {
            ch.remove(e.id());
            if (ch.isEmpty()) {
                byChannel.remove(e.keys().subject());
            }
        }
    }

    /** Entries waiting for their outcome now (for tests of this package and the gauge). */
    int size() {
        return entries.size() + inboxSize.get();
    }
}
