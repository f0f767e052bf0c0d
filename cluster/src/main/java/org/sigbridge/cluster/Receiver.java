package org.sigbridge.cluster;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.sigbridge.cluster.wire.BusFrame;
import org.sigbridge.cluster.wire.ChannelKeys;
import org.sigbridge.cluster.wire.EnvelopeCodec;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.cluster.ClusterContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way in, on one thread ({@code cluster-receive}). The hub's threads only enqueue events here; this thread keeps
 * the per-channel positions and rosters, under {@link #state}, which it holds while it handles an event or a tick.
 *
 * <p>Lettuce's pub/sub thread enqueues frames too, but for one case it delivers a frame itself: when nothing is queued
 * or being handled here and {@link #state} is free at once ({@code tryLock}, never waiting), an envelope frame that is
 * the next offset of its channel's epoch (or a duplicate) is delivered on the spot, exactly as this thread would have
 * (the hub's fan-out only enqueues to endpoints, and the path makes no Redis call). That saves a thread hand-off (a
 * wake-up and a context switch) per frame at a light rate (docs/benchmarks.md#cluster-hop). Anything
 * else (a gap to fill, a new epoch, a membership change, a channel not synced yet) is enqueued as before, and once
 * anything is queued every later frame queues behind it, so frames are handled in the order they arrived.
 *
 * <p>Delivery by offset (docs/cluster.md §3): a frame at {@code last + 1} is delivered; one
 * further on first has the gap read from the channel's log and delivered; one at or below {@code last} is a duplicate
 * and dropped; one under another epoch (the log was lost and begun again) is delivered after the new log's earlier
 * entries ({@link ChannelLogs}); a late one of an epoch the position already left (read from the old Redis after the
 * new log was seen) is delivered unless it was already, by envelope id, and moves nothing back; an envelope delivered
 * under one epoch and appended again into the next (its answer was lost with the old Redis) is dropped by id. This
 * instance's own frames are skipped, never delivered (no echo). Members come and go
 * through {@link Rosters}. Every {@code lease-renew} the thread
 * renews this instance's lease, compares each channel's position with its log (a lost last frame is found there), and
 * removes the participants of instances whose lease expired.
 */
final class Receiver extends RedisPubSubAdapter<String, String> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Receiver.class);
    private static final int MAX_FRAMES_WAITING = 10_000;

    private sealed interface Event {
    }

    private record Frame(String subject, String text) implements Event {
    }

    private record Opened(SharedChannel channel) implements Event {
    }

    private record Closed(SharedChannel channel) implements Event {
    }

    /** Redis (or the pub/sub connection) is back: {@code positions} when the subscriptions are, so every old frame is in. */
    private record Resync(boolean positions) implements Event {
    }

    private record AfterSync(SharedChannel channel, java.util.concurrent.CompletableFuture<Boolean> synced) implements Event {
    }

    private final RedisLink link;
    private final ClusterContext context;
    private final String instance;
    private final String prefix;
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    /** Events queued and not yet handled (incremented before the add, decremented under {@link #state} after handling). */
    private final AtomicInteger pending = new AtomicInteger();
    /** Held by the receive thread while it handles an event or a tick, and by the pub/sub thread while it delivers a frame itself. */
    private final java.util.concurrent.locks.ReentrantLock state = new java.util.concurrent.locks.ReentrantLock();
    private final AtomicInteger framesWaiting = new AtomicInteger();
    private final Map<String, ChannelState> bySubject = new HashMap<>();
    private final Rosters rosters;
    private final Thread thread;
    private final long renewNanos;
    private long nextTickNanos;
    private long graceUntilNanos = System.nanoTime();
    private volatile boolean stopping;
    /**
     * The command connection's loss count when the pub/sub connection last came back (receive thread): while the count
     * is higher, the pub/sub connection may still hold frames of the Redis that went away, and no position moves to a
     * new epoch from a read of the log (see {@link #mayLeaveEpoch}); its own frames move it, after the old ones.
     */
    private int lossesSeenBySubscriptions;
    /** Since when {@link #mayLeaveEpoch} has said no (receive thread), or 0. */
    private long epochHeldSinceNanos;
    /** Whether this instance has held its lease once (touched by the receive thread, and by start before it runs). */
    private boolean leaseHeld;
    final LongAdder duplicates = new LongAdder();
    final LongAdder overflowed = new LongAdder();
    /** The channel logs: gap filling, resets and delivery (its counters are exported with these). */
    final ChannelLogs log;

    Receiver(RedisLink link, ClusterContext context) {
        this.link = link;
        this.context = context;
        this.instance = context.nodeId();
        this.prefix = link.settings().keyPrefix();
        this.renewNanos = link.settings().leaseRenew().toNanos();
        this.rosters = new Rosters(link, context);
        this.log = new ChannelLogs(link, context);
        this.thread = new Thread(this::run, "cluster-receive");
        thread.setDaemon(true);
    }

    String address() {
        return link.settings().address();
    }

    /** Renews the lease once and subscribes the control subject; blocks on Redis. Called by the layer's start. */
    void start() {
        renewLease(link.sync());
        link.pubsub().addListener(this);
        link.pubsub().sync().subscribe(ChannelKeys.control(prefix, instance));
        nextTickNanos = System.nanoTime() + renewNanos;
        thread.start();
    }

    // --- enqueue side: any thread, never blocks ---------------------------------------------------

    void opened(SharedChannel channel) {
        enqueue(new Opened(channel));
    }

    void closed(SharedChannel channel) {
        enqueue(new Closed(channel));
    }

    private void enqueue(Event e) {
        pending.incrementAndGet();
        events.add(e);
    }

    /**
     * Completes {@code synced} on this receiver's thread once every event queued before it is handled: with
     * {@code true} when the channel is open here and its position was read (so every log entry after what a read
     * started then sees is delivered here live), else {@code false}. For resumes ({@link LogReader}). Never blocks.
     */
    void afterSync(SharedChannel channel, java.util.concurrent.CompletableFuture<Boolean> synced) {
        enqueue(new AfterSync(channel, synced));
    }

    /**
     * The pub/sub connection is back (Lettuce's pub/sub thread, after every frame the old connection read was handed
     * here): re-subscribe, re-read every position and roster. Never blocks.
     */
    void resync() {
        enqueue(new Resync(true));
    }

    /**
     * The command connection is back: renew the lease and announce the members again. Positions are left to the
     * pub/sub connection's return ({@link #resync()}): frames the old Redis published may not all be handed here yet
     * (the pub/sub thread can lag, e.g. on a starved machine), and reading a new log's position before them would skip
     * them (a Redis that came back empty holds none of them) or deliver them after the new log's entries. Never blocks.
     */
    void commandsBack() {
        enqueue(new Resync(false));
    }

    /**
     * Lettuce's pub/sub thread: a frame arrived. Delivers it here when the receive thread is idle and it is the next
     * envelope of its channel (see the class comment; never waits for the lock, never calls Redis); else enqueues it. A
     * full queue drops it (the log has it).
     */
    @Override
    public void message(String subject, String text) {
        if (pending.get() == 0 && state.tryLock()) {
            try {
                if (pending.get() == 0 && deliverNow(subject, text)) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.error("cluster: delivering a frame of '{}' failed; going on", subject, e);
                return;
            } finally {
                state.unlock();
            }
        }
        if (framesWaiting.incrementAndGet() > MAX_FRAMES_WAITING) {
            framesWaiting.decrementAndGet();
            overflowed.increment();
            return; // found again by the next position check, from the log
        }
        enqueue(new Frame(subject, text));
    }

    /**
     * The pub/sub thread's fast path, under {@link #state} with nothing queued: an envelope frame at the next offset of
     * its channel's current epoch is delivered, one at or below the position is dropped as a duplicate; true then.
     * False for anything else, which the caller enqueues for the receive thread. Makes no Redis call.
     */
    private boolean deliverNow(String subject, String text) {
        if (text.isEmpty() || text.charAt(0) != 'E') {
            return false;
        }
        ChannelState st = bySubject.get(subject);
        if (st == null || !st.synced || st.epoch == null) {
            return false;
        }
        Optional<BusFrame> parsed = BusFrame.parse(text);
        if (parsed.isEmpty() || !st.epoch.equals(parsed.get().epoch())) {
            return false;
        }
        BusFrame f = parsed.get();
        if (f.offset() <= st.last) {
            duplicates.increment();
            return true;
        }
        if (f.offset() != st.last + 1) {
            return false;
        }
        log.deliver(st, f);
        return true;
    }

    // --- the receive thread ------------------------------------------------------------------------

    private void run() {
        while (!stopping) {
            try {
                long wait = Math.max(1, nextTickNanos - System.nanoTime());
                Event e = events.poll(wait, TimeUnit.NANOSECONDS);
                if (e != null) {
                    state.lock();
                    try {
                        handle(e);
                    } finally {
                        pending.decrementAndGet();
                        state.unlock();
                    }
                }
                if (System.nanoTime() >= nextTickNanos) {
                    nextTickNanos = System.nanoTime() + renewNanos;
                    state.lock();
                    try {
                        tick();
                    } finally {
                        state.unlock();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RedisException e) {
                LOG.debug("cluster: a Redis call failed ({}); the next check retries", e.toString());
            } catch (RuntimeException e) {
                LOG.error("cluster: the receive thread failed on an event; going on", e);
            }
        }
    }

    private void handle(Event e) {
        if (e instanceof Frame f) {
            framesWaiting.decrementAndGet();
            onFrame(f);
        } else if (e instanceof Opened o) {
            ChannelState st = new ChannelState(o.channel());
            bySubject.put(o.channel().keys().subject(), st);
            sync(st);
        } else if (e instanceof Closed c) {
            ChannelState st = bySubject.get(c.channel().keys().subject());
            if (st != null && st.channel == c.channel()) {
                bySubject.remove(c.channel().keys().subject());
                try {
                    link.pubsub().async().unsubscribe(c.channel().keys().subject());
                } catch (RedisException ex) {
                    LOG.debug("cluster: unsubscribe of '{}' failed: {}", c.channel().keys().channel(), ex.toString());
                }
            }
        } else if (e instanceof AfterSync a) {
            ChannelState st = bySubject.get(a.channel().keys().subject());
            a.synced().complete(st != null && st.channel == a.channel() && st.synced);
        } else if (e instanceof Resync r) {
            // Redis may have come back empty: the other instances' leases reappear within their lease-renew, so a
            // missing lease means nothing for a lease's length.
            graceUntilNanos = System.nanoTime() + link.settings().lease().toNanos();
            try {
                renewLease(link.sync());
            } catch (RedisException ex) {
                LOG.debug("cluster: lease not renewed yet ({}); the next check retries", ex.toString());
            }
            reannounce();
            if (!r.positions()) {
                return;
            }
            lossesSeenBySubscriptions = link.losses();
            for (ChannelState st : new ArrayList<>(bySubject.values())) {
                st.subscribed = false;
                st.synced = false;
                sync(st);
            }
        }
    }

    /** Subscribes (if needed), then reads the position and the roster. A Redis failure leaves it for the next tick. */
    private void sync(ChannelState st) {
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
                    context.logCursor(keys.channel(), epoch == null ? Position.Mark.NO_LOG : new Position.Mark(epoch, top));
                    st.channel.positioned();
                } else {
                    catchUp(st, epoch, top);
                }
                st.synced = true;
            }
            rosters.reload(st, inGrace());
        } catch (RedisException e) {
            LOG.debug("cluster: channel '{}' not synced yet ({}); the next check retries", keys.channel(), e.toString());
        }
    }

    private void onFrame(Frame f) {
        Optional<BusFrame> parsed = BusFrame.parse(f.text());
        if (parsed.isEmpty()) {
            log.malformed.increment();
            return;
        }
        BusFrame frame = parsed.get();
        if (frame.kind() == 'F') {
            onFailureNotice(frame);
            return;
        }
        ChannelState st = bySubject.get(f.subject());
        if (st == null || !st.synced) {
            return; // not open here (any more), or not synced yet: the sync reads the position after this frame
        }
        switch (frame.kind()) {
            case 'E' -> onEnvelope(st, frame);
            case 'J', 'L' -> onMember(st, frame);
            default -> log.malformed.increment();
        }
    }

    private void onEnvelope(ChannelState st, BusFrame f) {
        if (st.epoch == null) {
            st.epoch = f.epoch(); // the log began after we synced: every entry before this one is new to us
            st.last = 0;
            context.logCursor(st.channel.keys().channel(), new Position.Mark(f.epoch(), 0));
        } else if (st.leftEpochs.contains(f.epoch())) {
            log.deliverStale(st, f); // a late frame of the log before: not a new one to start over with
            return;
        } else if (!st.epoch.equals(f.epoch())) {
            log.reset(st, f.epoch(), f.offset() - 1);
        }
        if (f.offset() <= st.last) {
            duplicates.increment();
            return;
        }
        if (f.offset() > st.last + 1) {
            log.fill(st, st.last + 1, f.offset() - 1);
        }
        log.deliver(st, f);
    }

    private void onFailureNotice(BusFrame frame) {
        EnvelopeCodec.readFailure(frame.body()).ifPresentOrElse(n -> {
            Envelope stub = new Envelope(n.envelopeId(), n.channel(), JsonValue.nullValue(), JsonValue.nullValue(),
                    new Origin(n.adapter(), n.endpoint()), context.clock().instant());
            context.reportFailure(stub, n.code(), n.detail());
        }, log.malformed::increment);
    }

    private void onMember(ChannelState st, BusFrame f) {
        if (f.instance().equals(instance)) {
            return;
        }
        Optional<EnvelopeCodec.Member> member = EnvelopeCodec.readMember(f.body());
        if (member.isEmpty()) {
            log.malformed.increment();
            return;
        }
        String field = f.instance() + " " + member.get().endpointId();
        if (f.kind() == 'J') {
            rosters.join(st, field, member.get());
        } else {
            rosters.leave(st, field);
        }
    }

    /** Every lease-renew: the lease, the rosters' lifetime, expired instances, positions. */
    private void tick() {
        RedisCommands<String, String> redis = link.sync();
        renewLease(redis);
        Set<String> instances = new HashSet<>();
        for (ChannelState st : bySubject.values()) {
            st.roster.keySet().forEach(f -> instances.add(ChannelState.instanceOf(f)));
        }
        for (String inst : instances) {
            if (!inGrace() && redis.exists(ChannelKeys.lease(prefix, inst)) == 0) {
                rosters.expired(inst, bySubject.values());
            }
        }
        // Pipelined: one round trip for every channel's lifetime and position, not two each in a row (with 50 busy
        // channels that stalled every frame behind 100 round trips once per lease-renew: the p99 at a fixed rate).
        var async = link.async();
        long whoAge = link.settings().lease().multipliedBy(4).toMillis();
        List<ChannelState> open = new ArrayList<>(bySubject.values());
        List<io.lettuce.core.RedisFuture<List<KeyValue<String, String>>>> metas = new ArrayList<>(open.size());
        for (ChannelState st : open) {
            if (!st.channel.local.isEmpty()) {
                async.pexpire(st.channel.keys().who(), whoAge);
            }
            metas.add(st.subscribed && st.synced ? async.hmget(st.channel.keys().meta(), "e", "t") : null);
        }
        long waitMs = link.settings().commandTimeout().toMillis();
        for (int i = 0; i < open.size(); i++) {
            ChannelState st = open.get(i);
            if (metas.get(i) == null) {
                sync(st);
                continue;
            }
            List<KeyValue<String, String>> meta;
            try {
                meta = metas.get(i).get(waitMs, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.debug("cluster: position of '{}' not read ({}); the next check retries", st.channel.keys().channel(), e.toString());
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            catchUp(st, meta.get(0).getValueOrElse(null), Long.parseLong(meta.get(1).getValueOrElse("0")));
        }
    }

    /**
     * Whether a read of a channel's log position may move it to another epoch: once the pub/sub connection came back
     * after the command connection's last loss (every frame of the old Redis was handled before), or when that has not
     * happened within a lease (the command connection alone was lost; nothing is in the way).
     */
    private boolean mayLeaveEpoch() {
        if (link.losses() == lossesSeenBySubscriptions) {
            epochHeldSinceNanos = 0;
            return true;
        }
        long now = System.nanoTime();
        if (epochHeldSinceNanos == 0) {
            epochHeldSinceNanos = now;
        }
        if (now - epochHeldSinceNanos > link.settings().lease().toNanos()) {
            lossesSeenBySubscriptions = link.losses();
            epochHeldSinceNanos = 0;
            return true;
        }
        return false;
    }

    /** Catches up with the log's position, unless that would leave the current epoch too soon ({@link #mayLeaveEpoch}). */
    private void catchUp(ChannelState st, String epoch, long top) {
        if (epoch != null && st.epoch != null && !epoch.equals(st.epoch) && !mayLeaveEpoch()) {
            return; // the next check, or the new log's next frame, moves it
        }
        log.catchUp(st, epoch, top);
    }

    /** Whether Redis came back less than a lease ago, when a missing lease does not yet mean a dead instance. */
    private boolean inGrace() {
        return System.nanoTime() - graceUntilNanos < 0;
    }

    /**
     * Renews this instance's lease. When it had lapsed since the last renewal (this thread was late by more than a
     * lease, e.g. on a starved machine), the others have removed this instance's participants: they are announced
     * again, so rosters converge instead of staying short while the instance lives on.
     */
    private void renewLease(RedisCommands<String, String> redis) {
        String before = redis.setGet(ChannelKeys.lease(prefix, instance), context.bridgeName(),
                io.lettuce.core.SetArgs.Builder.px(link.settings().lease().toMillis()));
        if (before == null && leaseHeld && !inGrace()) {
            LOG.warn("cluster: this instance's lease had lapsed (renewed more than {} ms after the last time; the machine is "
                    + "starved or Redis was slow); the other instances removed its participants, announcing them again",
                    link.settings().lease().toMillis());
            reannounce();
        }
        leaseHeld = true;
    }

    /** After Redis comes back (possibly empty): every local participant is announced again. */
    private void reannounce() {
        for (ChannelState st : bySubject.values()) {
            st.channel.local.forEach((endpoint, p) -> st.channel.announce('J', endpoint, p));
        }
    }

    /** Removes this instance's lease and stops the thread. Blocks up to a command timeout. */
    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(3).toMillis());
            link.sync().del(ChannelKeys.lease(prefix, instance));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RedisException e) {
            LOG.debug("cluster: lease not removed ({}); it expires by itself", e.toString());
        }
    }
}
