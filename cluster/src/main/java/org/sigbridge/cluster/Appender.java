package org.sigbridge.cluster;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.sigbridge.cluster.wire.Scripts;
import org.sigbridge.spi.cluster.ClusterContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordered way out: one thread ({@code cluster-append}) takes envelopes and membership changes from a bounded queue
 * and runs their scripts on the command connection in queue order, a batch at a time (pipelined). Redis runs the
 * scripts of one connection in order, so each sender's order per channel is kept end to end.
 *
 * <p>A batch's answers are read before the next batch is sent, but not as soon as they come: after sending, the thread
 * goes back to the queue and reads the answers when the next item arrives (or the queue stays empty for its poll, or
 * the batch holds a barrier, or the thread stops). At a light rate that saves the wake-up for each answer (the
 * thread is woken once per envelope, by the envelope), and nothing is sent before the answers before it are read, so
 * the failure handling below is unchanged (docs/benchmarks.md#cluster-hop).
 *
 * <p>When Redis is unreachable or a command fails, the batch waits and is retried from its first unfinished item, one
 * item at a time until one succeeds (so that no later item can run before it); a retry of an append that did run
 * returns its first offset and publishes nothing (the id key), so nothing is doubled.
 * What waited longer than {@code outbound-max-age} is given up ({@link Expiry}): an envelope's sender is told
 * {@code upstream_unavailable} by envelope id; a membership change is logged (the next reconnect re-announces every
 * local participant). Each append carries the time (on Redis's clock) when this thread stops waiting for its answer; a
 * stalled Redis that runs it later appends nothing, so an envelope sent again or given up is not appended by an earlier
 * try as well. An append whose answer was lost (the connection broke after Redis ran it) is not given up while it may
 * have been appended: it is asked about again once Redis answers (a try whose time already passed), and given up only
 * if it was not, or if Redis does not answer within {@link Expiry}'s bound.
 *
 * <p>Each append expects its channel in the epoch this instance last appended into; an answer that the channel is in
 * another (Redis lost or rolled back the log) is no failure: the {@link Replayer} puts this instance's retained
 * envelopes of the channel (its {@link ReplayTail}) before it, and they go first (docs/cluster.md §6, the tail replay).
 * The replayer also checks, every {@code lease-renew} and after a reconnect, the channels whose envelopes it retains,
 * so an instance that sends nothing more replays all the same; its reads go with the appends and their answers are
 * read when they are in, so no envelope waits for them.
 *
 * <p>{@link #offer} is called on hub threads and only enqueues. {@link #close()} sends what is queued for up to a second,
 * then stops the thread; idempotent.
 */
final class Appender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Appender.class);
    private static final int BATCH = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RedisLink link;
    private final String instance;
    private final ArrayBlockingQueue<Outbound> queue;
    private final Thread thread;
    final LongAdder appended = new LongAdder();
    final LongAdder retriedDuplicates = new LongAdder();
    final LongAdder expired = new LongAdder();
    final LongAdder overflowed = new LongAdder();
    /** Reads what each append saw of its channel's log (the lagging-replica guard). */
    final RollbackGuard guard = new RollbackGuard();
    /** Keeps each channel's recent appends and appends them again into a new epoch (the tail replay). */
    final Replayer replayer;
    private volatile boolean stopping;
    private volatile long drainUntilNanos;
    /** Set when {@link #drain} returned (or gave up): new envelopes are refused (their senders are told at once). */
    private volatile boolean refusing;
    /** Redis's clock, for the time after which an append must not run (append thread only). */
    private final RedisClock redisClock;
    /** Gives up what waited too long, holding the appends in doubt until Redis says whether they ran. */
    final Expiry expiry;
    /** Whether the last send failed part-way (touched by the append thread only). */
    private boolean failing;
    /** The link's loss count at the last send (touched by the append thread only). */
    private int lossesSeen;
    /** The answers of the batch's first items, sent and not read yet (touched by the append thread only). */
    private List<RedisFuture<Object>> inFlight = List.of();
    /** The append {@link #collect} stopped at because its channel is in another epoch (and which), or null. */
    private Outbound.Frame moved;
    private String movedTo;

    Appender(RedisLink link, ClusterContext context) {
        this.link = link;
        this.instance = context.nodeId();
        this.queue = new ArrayBlockingQueue<>(link.settings().outboundCapacity());
        this.replayer = new Replayer(link);
        this.redisClock = new RedisClock(link);
        this.expiry = new Expiry(link.settings(), new Unshared(context, expired));
        this.thread = new Thread(this::run, "cluster-append");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues one item; false when the queue is full (the caller refuses the envelope). Any thread, never blocks. */
    boolean offer(Outbound item) {
        if (stopping && System.nanoTime() > drainUntilNanos || item instanceof Outbound.Append && refusing()) {
            return false;
        }
        boolean taken = queue.offer(item);
        if (!taken) {
            overflowed.increment();
        }
        return taken;
    }

    /**
     * Whether this instance is stopping and refuses new envelopes: from the end of {@link #drain}'s grace (what is queued
     * after it could only be given up once the connections closed, its senders told nothing).
     */
    boolean refusing() {
        return refusing || expiry.pastDrainDeadline();
    }

    /** Items waiting now. */
    int waiting() {
        return queue.size();
    }

    private void run() {
        List<Outbound> batch = new ArrayList<>(BATCH);
        try {
            redisClock.read();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the loop's first wait ends it, giving up what is queued
        }
        while (true) {
            try {
                if (batch.size() == inFlight.size()) { // nothing in hand but what was sent
                    if (stopping && (queue.isEmpty() || System.nanoTime() > drainUntilNanos)) {
                        resolve(batch);
                        if (batch.isEmpty()) {
                            break;
                        }
                        continue;
                    }
                    Outbound first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        resolve(batch);
                        if (inFlight.isEmpty() && !failing) {
                            replayer.collect(batch);
                            if (replayer.due()) {
                                replayer.check(batch); // an idle instance's tail is replayed too
                            }
                        }
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, Math.max(0, BATCH - batch.size()));
                }
                if (!inFlight.isEmpty()) {
                    resolve(batch); // the answers before anything new is sent: a failure is retried from there first
                    continue;
                }
                if (!link.isUp() || failing || expiry.pastDrainDeadline()) {
                    expiry.expire(batch); // the time limit counts while Redis is unreachable or failing, not while it is merely busy
                }
                if (batch.isEmpty()) {
                    continue;
                }
                if (!link.isUp()) {
                    failing = true; // the first send after the reconnect goes one item at a time
                    if (stopping && System.nanoTime() > drainUntilNanos) {
                        giveUp(batch, "the bridge is stopping");
                        break;
                    }
                    Thread.sleep(50);
                    continue;
                }
                // After a failure, one script at a time until one succeeds: a pipelined batch sent to a Redis that is
                // still loading its data gets LOADING for the first scripts and runs the later ones once the load ends,
                // which would append them before the ones sent again (the fault suite saw 36 envelopes of one sender
                // out of order after a Redis restart, docs/cluster.md §10).
                int losses = link.losses();
                if (losses != lossesSeen) {
                    lossesSeen = losses;
                    failing = true; // reconnected since the last send, maybe to a Redis still loading
                    redisClock.read(); // maybe another Redis (a Sentinel failover): its clock
                }
                if (!failing) {
                    replayer.collect(batch); // the last check's reads, if they are in: never waits for them
                    if (replayer.due()) {
                        replayer.check(batch);
                    }
                }
                List<Outbound> sending = failing ? batch.subList(0, 1) : batch.subList(0, replayer.pipelineLength(batch));
                inFlight = send(sending);
                if (failing || sending.stream().anyMatch(Outbound.Barrier.class::isInstance)) {
                    resolve(batch); // one at a time after a failure; a barrier is reached once what precedes it is done
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                log.error("cluster: the append thread failed; {} items dropped and reported", batch.size(), e);
                inFlight = List.of();
                giveUp(batch, "internal error: " + e);
                batch.clear();
            }
        }
        giveUp(batch, "the bridge is stopping");
        List<Outbound> left = new ArrayList<>();
        queue.drainTo(left);
        giveUp(left, "the bridge is stopping");
    }

    /**
     * Reads the answers of what was sent ({@link #inFlight}, the batch's first items): removes the done ones from the
     * batch; after a failure, marks the link failing and waits a little, so that the first unfinished is sent again
     * first, alone. No-op when nothing is in flight.
     */
    private void resolve(List<Outbound> batch) throws InterruptedException {
        if (inFlight.isEmpty()) {
            return;
        }
        int size = inFlight.size();
        moved = null;
        int done = collect(batch, inFlight);
        inFlight = List.of();
        Outbound.Frame stoppedAt = moved;
        batch.subList(0, done).clear();
        if (stoppedAt != null) {
            // Not a failure: the channel's log is another one; what this instance retained of the old goes first.
            replayer.moved(stoppedAt.tail(), batch, stoppedAt.keys().channel(), movedTo);
            failing = false;
            return;
        }
        failing = done < size;
        if (failing) {
            Thread.sleep(50); // a failed command: Redis is going away or refusing; retry from the first unfinished
        }
    }

    /** Sends the items pipelined, without waiting; returns their answers, one per item ({@code null} for a barrier). */
    private List<RedisFuture<Object>> send(List<Outbound> batch) {
        RedisClusterSettings s = link.settings();
        List<RedisFuture<Object>> futures = new ArrayList<>(batch.size());
        var async = link.async();
        // Not run after the answer's wait ends ({@link #collect}): a try that Redis runs later (it stalled) appends
        // nothing, so what is sent again or given up after that wait cannot also be appended by that try.
        long notAfter = redisClock.in(s.commandTimeout().toMillis());
        for (Outbound item : batch) {
            if (item instanceof Outbound.Frame a) {
                String[] keys = {a.keys().meta(), a.keys().log(), a.keys().idKey(a.id())};
                Fence.Mark fence = a.fence().mark();
                futures.add(async.eval(Scripts.APPEND, ScriptOutputType.MULTI, keys, a.body(), instance,
                        String.valueOf(s.logLength()), String.valueOf(s.logAge().toMillis()), a.keys().subject(), newEpoch(),
                        String.valueOf(s.outboundMaxAge().multipliedBy(2).plus(s.commandTimeout()).toMillis()),
                        fence.epoch(), String.valueOf(fence.offset()), a.tail().expected(),
                        String.valueOf(expiry.notAfter(a, notAfter))));
            } else if (item instanceof Outbound.Barrier) {
                futures.add(null); // nothing to send: reached once every item before it is done
            } else if (item instanceof Outbound.Member m) {
                futures.add(async.eval(Scripts.MEMBER, ScriptOutputType.INTEGER, new String[] {m.keys().who()},
                        String.valueOf(m.kind()), m.field(), m.body(), m.keys().subject(), instance,
                        String.valueOf(s.lease().multipliedBy(4).toMillis())));
            }
        }
        return futures;
    }

    /** Waits for the answers of the batch's first {@code futures.size()} items; returns how many from the start are done. */
    private int collect(List<Outbound> batch, List<RedisFuture<Object>> futures) throws InterruptedException {
        for (int i = 0; i < futures.size(); i++) {
            if (batch.get(i) instanceof Outbound.Barrier b) {
                b.reached().complete(true);
                continue;
            }
            try {
                Object result = futures.get(i).get(expiry.answerWaitMillis(batch.get(i)), TimeUnit.MILLISECONDS);
                if (!(batch.get(i) instanceof Outbound.Frame a)) {
                    continue; // a membership change
                }
                if (!(result instanceof List<?> r) || r.size() < 6 || !(r.get(1) instanceof Long offset)) {
                    log.error("cluster: the append script answered {} for envelope {}; taken as appended", result, a.id());
                    expiry.settled(a);
                    appended.increment();
                    continue;
                }
                if (Long.valueOf(2).equals(r.get(5))) {
                    expiry.settled(a); // not appended, by this try or any before it: no longer in doubt
                    log.debug("cluster: command {} of {} ran after its time in Redis; sending it again from there", i + 1, futures.size());
                    redisClock.read(); // a clock that stepped (this host's or Redis's) must not make every try late
                    return i; // appended nothing: a failure like a timeout, retried from here
                }
                if (Long.valueOf(1).equals(r.get(5))) {
                    moved = a;
                    String held = String.valueOf(r.get(0));
                    movedTo = held.isEmpty() ? "Redis has none now"
                            : Long.valueOf(1).equals(r.get(3)) ? "Redis rolled epoch " + held + " back to offset " + r.get(4)
                            : "Redis holds epoch " + held;
                    return i;
                }
                expiry.settled(a);
                guard.appended(a, result);
                boolean fresh = Long.valueOf(1).equals(r.get(2));
                replayer.answered(batch.get(i), String.valueOf(r.get(0)), offset, fresh);
                if (batch.get(i) instanceof Outbound.Replay) {
                    continue;
                }
                if (fresh) {
                    appended.increment();
                } else {
                    retriedDuplicates.increment();
                }
            } catch (ExecutionException | TimeoutException | java.util.concurrent.CancellationException e) {
                log.debug("cluster: command {} of {} failed ({}); retrying from there", i + 1, futures.size(), e.toString());
                return i;
            }
        }
        return futures.size();
    }

    private void giveUp(List<Outbound> items, String why) {
        expiry.giveUp(items, why);
    }

    /** A fresh random epoch (48 bits, hex). Any thread. */
    static String newEpoch() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * The instance stops (docs/cluster.md §6, "an instance stopped"): every item queued now is appended within
     * {@code grace}, or given up when it ends, its sender told {@code upstream_unavailable} by envelope id, while the
     * front ends' connections are still open to carry that error. Returns once every such item is one or the other
     * (a barrier behind them is reached), at most {@code grace} plus a command timeout plus a second after the call.
     * An append whose script was sent and whose outcome is not known when the grace ends (unanswered, or its answer lost
     * with the connection) is waited for, or asked about again, up to the command timeout after it ({@link Expiry});
     * one that Redis does not answer by then is given up, and runs, if a stalled Redis runs it later, as a late append
     * that appends nothing ({@link Scripts#APPEND}). The one case where a sender is told and the envelope is delivered
     * too: Redis ran it in time, its answer was lost with the connection, and Redis did not answer again within the
     * command timeout after the grace. From then on new envelopes are refused at
     * once ({@link #offer} false, their senders told); membership changes are still taken, for the leaves that
     * {@link #close()} sends. Bridge's stopping thread; the thread keeps running until {@link #close()}.
     *
     * @return how many items (envelopes and membership changes) were given up during it
     */
    long drain(java.time.Duration grace) {
        long before = expired.sum();
        long start = System.nanoTime();
        expiry.drainBy(start + grace.toNanos());
        long waitNanos = grace.plus(link.settings().commandTimeout()).plusSeconds(1).toNanos();
        java.util.concurrent.CompletableFuture<Boolean> reached = new java.util.concurrent.CompletableFuture<>();
        try {
            while (!queue.offer(new Outbound.Barrier(reached, System.nanoTime()))) {
                if (System.nanoTime() - start > waitNanos || !thread.isAlive()) {
                    refusing = true;
                    return expired.sum() - before;
                }
                Thread.sleep(10); // a full queue: the append thread takes (or gives up) from it within the grace
            }
            reached.get(Math.max(0, waitNanos - (System.nanoTime() - start)), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("cluster: the queue to Redis was not resolved within the shutdown grace ({}); what is left is given up at close",
                    e.toString());
        }
        refusing = true;
        return expired.sum() - before;
    }

    /** Sends what is queued for up to {@code grace}, then stops. Blocks up to {@code grace} plus a command timeout. */
    void close(java.time.Duration grace) {
        if (stopping) {
            return;
        }
        drainUntilNanos = System.nanoTime() + grace.toNanos();
        stopping = true;
        try {
            thread.join(grace.toMillis() + link.settings().commandTimeout().toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
    }

    @Override
    public void close() {
        close(java.time.Duration.ofSeconds(1));
    }
}
