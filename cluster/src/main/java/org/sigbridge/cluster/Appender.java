package org.sigbridge.cluster;

import io.lettuce.core.RedisFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>{@link #offer} is called on hub threads and never blocks. It enqueues, except when the append thread is idle with
 * nothing in hand that is not sent yet (nothing queued or taken from the queue and not yet in the batch, every answer
 * in flight already in, no failure, no tail check due, the channel's epoch known): then the calling thread hands the
 * append script to Lettuce itself (Lettuce only queues it for its event loop) and adds it to the batch in flight, whose
 * answers the append thread reads as before, with the same late-append time, doubt and drain rules. That saves the
 * hand-off to the append thread, one wake-up per envelope at a light rate (docs/benchmarks.md#s14-clat). {@link #turn}
 * makes the two exclusive; {@link #queued} counts what was queued and not yet moved into the batch, so that a later
 * envelope never overtakes one still in the queue or in the append thread's hand. {@link #close()} sends what is
 * queued for up to a second, then stops the thread; idempotent.
 */
final class Appender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Appender.class);
    private static final int BATCH = 256;

    private final RedisLink link;
    private final ScriptCalls scripts;
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
    /** Addressed envelopes for other instances' participants, until their outcome is known (docs/cluster.md §5). */
    final AddressedLedger ledger;
    private volatile boolean stopping;
    /** Held by the append thread while it handles the batch, and by a hub thread while it sends an append itself. */
    private final ReentrantLock turn = new ReentrantLock();
    /** Items offered to the queue and not yet moved into the batch by the append thread. */
    private final AtomicInteger queued = new AtomicInteger();
    /** What the append thread holds: sent (the first {@code inFlight.size()}) and not yet sent. Under {@link #turn}. */
    private final List<Outbound> batch = new ArrayList<>(BATCH);
    private volatile long drainUntilNanos;
    /** Set when {@link #drain} returned (or gave up): new envelopes are refused (their senders are told at once). */
    private volatile boolean refusing;
    /** Redis's clock, for the time after which an append must not run (append thread only). */
    private final RedisClock redisClock;
    /** Gives up what waited too long, holding the appends in doubt until Redis says whether they ran. */
    final Expiry expiry;
    /** Whether the last send failed part-way (under {@link #turn}). */
    private boolean failing;
    /** The link's loss count at the last send (under {@link #turn}). */
    private int lossesSeen;
    /** The answers of the batch's first items, sent and not read yet (under {@link #turn}). */
    private List<RedisFuture<Object>> inFlight = new ArrayList<>();
    /** Reads the answers of what was sent (under {@link #turn}). */
    private final Answers answers;

    Appender(RedisLink link, ClusterContext context) {
        this.link = link;
        this.queue = new ArrayBlockingQueue<>(link.settings().outboundCapacity());
        this.replayer = new Replayer(link);
        this.ledger = new AddressedLedger(link, context);
        this.redisClock = new RedisClock(link);
        this.expiry = new Expiry(link.settings(), new Unshared(context, expired));
        this.scripts = new ScriptCalls(link, context.nodeId(), redisClock, expiry);
        this.answers = new Answers(expiry, redisClock, guard, replayer, appended, retriedDuplicates, ledger);
        this.thread = new Thread(this::run, "cluster-append");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Sends an append at once when the append thread is idle (see the class comment), else queues the item; false when
     * the queue is full or the instance refuses envelopes (the caller refuses the envelope). Any thread, never blocks.
     */
    boolean offer(Outbound item) {
        if (stopping && System.nanoTime() > drainUntilNanos || item instanceof Outbound.Append && refusing()) {
            return false;
        }
        if (!stopping && item instanceof Outbound.Append a && queued.get() == 0 && !turn.isHeldByCurrentThread()
                && turn.tryLock()) { // (not from inside the append thread's own turn, e.g. a barrier's callback)
            try {
                if (sendNow(a)) {
                    return true;
                }
            } finally {
                turn.unlock();
            }
        }
        return enqueue(item);
    }

    private boolean enqueue(Outbound item) {
        queued.incrementAndGet();
        boolean taken = queue.offer(item);
        if (!taken) {
            queued.decrementAndGet();
            overflowed.increment();
        }
        return taken;
    }

    /**
     * Under {@link #turn}: sends {@code a} behind what is in flight when nothing else may go first, and adds it to the
     * batch; false (nothing sent) otherwise.
     */
    private boolean sendNow(Outbound.Append a) {
        if (queued.get() != 0 || batch.size() != inFlight.size() || !answered() || failing || !link.isUp()
                || link.losses() != lossesSeen || a.tail().unknown() || replayer.due()) {
            return false;
        }
        List<RedisFuture<Object>> answer;
        try {
            answer = scripts.send(List.of(a));
        } catch (RuntimeException e) {
            expiry.settled(a); // not sent: it goes through the queue
            log.debug("cluster: sending envelope {} on the caller's thread failed ({}); queued instead", a.id(), e.toString());
            return false;
        }
        inFlight.addAll(answer);
        batch.add(a);
        return true;
    }

    /**
     * Whether every answer in flight is in: Redis answers one connection's commands in order, so the last one tells. At
     * a light rate it is in before the next envelope comes; when it is not, the append thread's pipelining serves better
     * than a send per envelope. Under {@link #turn}.
     */
    private boolean answered() {
        if (inFlight.isEmpty()) {
            return true;
        }
        RedisFuture<Object> last = inFlight.get(inFlight.size() - 1);
        return inFlight.size() < BATCH && (last == null || last.isDone());
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
        turn.lock();
        try {
            redisClock.read(); // callers enqueue meanwhile: their tryLock fails
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the loop's first wait ends it, giving up what is queued
        } finally {
            turn.unlock();
        }
        while (true) {
            try {
                boolean idle;
                turn.lock();
                try {
                    idle = batch.size() == inFlight.size(); // nothing in hand but what was sent
                    if (idle && stopping && (queue.isEmpty() || System.nanoTime() > drainUntilNanos)) {
                        resolve(batch);
                        if (batch.isEmpty()) {
                            break;
                        }
                        continue;
                    }
                } finally {
                    turn.unlock();
                }
                Outbound first = idle ? queue.poll(100, TimeUnit.MILLISECONDS) : null;
                turn.lock();
                try {
                    if (!step(idle, first)) {
                        break;
                    }
                } finally {
                    turn.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        turn.lock();
        try {
            expiry.giveUp(batch, "the bridge is stopping");
            List<Outbound> left = new ArrayList<>();
            queue.drainTo(left);
            expiry.giveUp(left, "the bridge is stopping");
        } finally {
            turn.unlock();
        }
    }

    /**
     * One turn of the append thread, under {@link #turn}: takes {@code first} (polled when {@code idle}) and what else is
     * queued into the batch, reads answers, gives up what is overdue, sends. False when the thread must stop.
     */
    private boolean step(boolean idle, Outbound first) throws InterruptedException {
        try {
            if (idle) {
                if (first == null) {
                    resolve(batch);
                    if (inFlight.isEmpty() && !failing) {
                        replayer.collect(batch);
                        if (replayer.due()) {
                            replayer.check(batch); // an idle instance's tail is replayed too
                        }
                    }
                    return true;
                }
                int before = batch.size();
                batch.add(first);
                queue.drainTo(batch, Math.max(0, BATCH - batch.size()));
                queued.addAndGet(-(batch.size() - before));
            }
            if (!inFlight.isEmpty()) {
                resolve(batch); // the answers before anything new is sent: a failure is retried from there first
                return true;
            }
            if (!link.isUp() || failing || expiry.pastDrainDeadline()) {
                expiry.expire(batch); // the time limit counts while Redis is unreachable or failing, not while it is merely busy
            }
            if (batch.isEmpty()) {
                return true;
            }
            if (!link.isUp()) {
                failing = true; // the first send after the reconnect goes one item at a time
                if (stopping && System.nanoTime() > drainUntilNanos) {
                    expiry.giveUp(batch, "the bridge is stopping");
                    return false;
                }
                Thread.sleep(50); // callers enqueue meanwhile (their tryLock fails)
                return true;
            }
            // After a failure, one script at a time until one succeeds: a pipelined batch sent to a Redis that is still
            // loading its data gets LOADING for the first scripts and runs the later ones once the load ends, which would
            // append them before the ones sent again (the fault suite saw 36 envelopes of one sender out of order after
            // a Redis restart, docs/cluster.md §10).
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
            inFlight = new ArrayList<>(scripts.send(sending));
            if (failing || sending.stream().anyMatch(Outbound.Barrier.class::isInstance)) {
                resolve(batch); // one at a time after a failure; a barrier is reached once what precedes it is done
            }
            return true;
        } catch (RuntimeException e) {
            log.error("cluster: the append thread failed; {} items dropped and reported", batch.size(), e);
            inFlight = new ArrayList<>();
            expiry.giveUp(batch, "internal error: " + e);
            batch.clear();
            return true;
        }
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
        int done = answers.collect(batch, inFlight);
        inFlight = new ArrayList<>();
        Outbound.Frame stoppedAt = answers.moved;
        batch.subList(0, done).clear();
        if (stoppedAt != null) {
            // Not a failure: the channel's log is another one; what this instance retained of the old goes first.
            replayer.moved(stoppedAt.tail(), batch, stoppedAt.keys().channel(), answers.movedTo);
            failing = false;
            return;
        }
        failing = done < size;
        if (failing) {
            Thread.sleep(50); // a failed command: Redis is going away or refusing; retry from the first unfinished
        }
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
            Outbound.Barrier barrier = new Outbound.Barrier(reached, System.nanoTime());
            queued.incrementAndGet(); // no append overtakes it on a caller's thread
            while (!queue.offer(barrier)) {
                if (System.nanoTime() - start > waitNanos || !thread.isAlive()) {
                    queued.decrementAndGet();
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
