package org.sigbridge.cluster;

import io.lettuce.core.RedisException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.sigbridge.cluster.wire.BusFrame;
import org.sigbridge.cluster.wire.ChannelKeys;
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
 * <p>A gap fill or catch-up never holds {@link #state} while Redis answers: its log read goes out asynchronously
 * ({@link LogFill}) and its answer comes back as an event. Until then that channel's frames (envelopes and membership
 * alike) wait behind it ({@link FramesBehindFill}) and are handled in arrival order after the fill's entries; every
 * other channel's frames go on (the fast path too).
 *
 * <p>Delivery by offset (docs/cluster.md §3) is {@link ChannelLogs}'s; membership frames go to {@link Rosters}. Every
 * {@code lease-renew} the thread renews this instance's lease and removes the participants of instances whose lease
 * expired ({@link Leases}), and compares each channel's position with its log ({@link PositionCheck}: a lost last frame
 * is found there); a read of the log moves a position to a new epoch only when {@link EpochGate} allows it. Those reads
 * go out asynchronously too and their answers come back as events, so the thread waits for Redis only to sync a
 * channel (at its opening, after Redis came back) and for a rolled-back log's new epoch ({@link RollbackGuard}).
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

    /** Work a Redis answer of the periodic check hands to this thread ({@link Leases}). */
    private record Task(Runnable work) implements Event {
    }

    /** The answers to the periodic check's position reads ({@link PositionCheck}). */
    private record Positions(List<PositionCheck.Read> reads) implements Event {
    }

    /** The answer to a channel's log read ({@link LogFill}). */
    private record Filled(LogFill.Page page) implements Event {
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
    /** What each channel state remembers of delivered ids ({@link ChannelState#delivered}): see the constructor. */
    private final int idsPerInstance;
    private final long idsKeepNanos;
    private long nextTickNanos;
    private volatile boolean stopping;
    /** Holds positions in an epoch while the pub/sub connection may still hold frames of the Redis that went away. */
    private final EpochGate gate;
    /** The lease, the sweep, the position checks, the watermarks and the addressed ledger ({@link ReceiverTick}). */
    private final ReceiverTick upkeep;
    final LongAdder overflowed = new LongAdder();
    /** The channel logs: gap filling, resets and delivery (its counters are exported with these). */
    final ChannelLogs log;
    private final FramesBehindFill frames;

    Receiver(RedisLink link, ClusterContext context, RollbackGuard guard, Handover handover, AddressedLedger ledger) {
        this.link = link;
        this.context = context;
        this.instance = context.nodeId();
        this.prefix = link.settings().keyPrefix();
        this.renewNanos = link.settings().leaseRenew().toNanos();
        RedisClusterSettings s = link.settings();
        // Another instance's whole tail (log-length) plus its appends in flight; for longer than a tail entry lives.
        this.idsPerInstance = s.logLength() + 512;
        this.idsKeepNanos = s.lease().multipliedBy(2).plus(s.outboundMaxAge()).plus(s.commandTimeout()).toNanos();
        this.rosters = new Rosters(link, context);
        this.log = new ChannelLogs(link, context, new LogFill(link, page -> enqueue(new Filled(page))), handover::holds);
        this.gate = new EpochGate(link);
        this.upkeep = new ReceiverTick(link, context, rosters, new Leases(link, context, this::reannounce),
                new PositionCheck(link, gate, log, guard), new Watermarks(link, instance), handover, ledger);
        this.frames = new FramesBehindFill(log, rosters, overflowed);
        this.thread = new Thread(this::run, "cluster-receive");
        thread.setDaemon(true);
    }

    String address() {
        return link.settings().address();
    }

    /** Renews the lease once and subscribes the control subject; blocks on Redis. Called by the layer's start. */
    void start() {
        upkeep.leases.renew(link.sync());
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
                if (stopping) {
                    return; // the last watermarks are written: nothing more is handled here (docs/cluster.md §5)
                }
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
        if (st == null || !st.synced || st.epoch == null || st.filling != null) {
            return false; // a fill in flight: the frame waits behind it (ChannelState#held)
        }
        Optional<BusFrame> parsed = BusFrame.parse(text);
        if (parsed.isEmpty() || !st.epoch.equals(parsed.get().epoch())) {
            return false;
        }
        BusFrame f = parsed.get();
        if (f.offset() <= st.last) {
            log.duplicates.increment();
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
            ChannelState st = new ChannelState(o.channel(), idsPerInstance, idsKeepNanos);
            bySubject.put(o.channel().keys().subject(), st);
            sync(st);
        } else if (e instanceof Closed c) {
            ChannelState st = bySubject.get(c.channel().keys().subject());
            if (st != null && st.channel == c.channel()) {
                bySubject.remove(c.channel().keys().subject());
                upkeep.watermarks.closed(st); // nothing after this is handled here
                try {
                    link.pubsub().async().unsubscribe(c.channel().keys().subject());
                } catch (RedisException ex) {
                    LOG.debug("cluster: unsubscribe of '{}' failed: {}", c.channel().keys().channel(), ex.toString());
                }
            }
        } else if (e instanceof Filled f) {
            onFilled(f.page());
        } else if (e instanceof Task t) {
            t.work().run();
        } else if (e instanceof Positions p) {
            upkeep.positions.answered(p.reads(), st -> bySubject.get(st.channel.keys().subject()) == st);
        } else if (e instanceof AfterSync a) {
            ChannelState st = bySubject.get(a.channel().keys().subject());
            a.synced().complete(st != null && st.channel == a.channel() && st.synced);
        } else if (e instanceof Resync r) {
            // Redis may have come back empty: the other instances' leases reappear within their lease-renew, so a
            // missing lease means nothing for a lease's length.
            upkeep.leases.redisBack();
            reannounce();
            if (!r.positions()) {
                return;
            }
            gate.subscriptionsBack();
            for (ChannelState st : new ArrayList<>(bySubject.values())) {
                st.subscribed = false;
                st.synced = false;
                sync(st);
            }
        }
    }

    /** Subscribes (if needed), then reads the position and the roster ({@link ReceiverTick#sync}). */
    private void sync(ChannelState st) {
        upkeep.sync(st);
    }

    private void onFrame(Frame f) {
        Optional<BusFrame> parsed = BusFrame.parse(f.text());
        if (parsed.isEmpty()) {
            log.malformed.increment();
            return;
        }
        BusFrame frame = parsed.get();
        if (frame.kind() == 'F' || frame.kind() == 'H') {
            upkeep.notice(frame, log);
            return;
        }
        ChannelState st = bySubject.get(f.subject());
        if (st == null || !st.synced) {
            return; // not open here (any more), or not synced yet: the sync reads the position after this frame
        }
        frames.accept(st, frame);
    }

    /** The answer to a channel's log read, unless the channel closed or was opened again since it went out. */
    private void onFilled(LogFill.Page page) {
        ChannelState st = page.channel();
        if (bySubject.get(st.channel.keys().subject()) == st && st.filling == page.read()) {
            frames.filled(st, page);
        }
    }

    /**
     * Every lease-renew ({@link ReceiverTick}): the lease, expired instances, the channels' positions, the watermarks and
     * the addressed ledger. Sends the reads and returns: their answers come back as events. Only a channel not synced yet
     * is synced here, waiting for Redis.
     */
    private void tick() {
        upkeep.run(new ArrayList<>(bySubject.values()), bySubject::get, work -> enqueue(new Task(work)), this::sync,
                reads -> enqueue(new Positions(reads)), bySubject::values);
    }

    /** After Redis comes back (possibly empty): every local participant is announced again. */
    private void reannounce() {
        for (ChannelState st : bySubject.values()) {
            st.channel.local.forEach((endpoint, p) -> st.channel.announce('J', endpoint, p));
        }
    }

    /**
     * Stops the thread, then writes the last watermarks and removes this instance's lease, or leaves it to expire at the
     * presence grace's end while leaves are held back ({@link ReceiverTick#stop}). Frames that come after are not
     * handled here. Blocks up to a few command timeouts.
     */
    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(3).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        List<ChannelState> open;
        state.lock(); // the pub/sub thread's fast path is done, and sees stopping from now on
        try {
            open = new ArrayList<>(bySubject.values());
        } finally {
            state.unlock();
        }
        upkeep.stop(open);
    }
}
