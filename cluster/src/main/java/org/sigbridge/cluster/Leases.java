package org.sigbridge.cluster;

import io.lettuce.core.RedisException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.sigbridge.cluster.wire.ChannelKeys;
import org.sigbridge.spi.cluster.ClusterContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instance leases (docs/cluster.md §4) for the {@link Receiver}'s thread: renews this instance's lease (a key with a
 * time to live of {@code lease}), notices when it had lapsed while the instance lived and has its participants
 * announced again, and removes the participants of the instances whose lease expired. For a {@code lease} after Redis
 * comes back (the grace), a missing lease means nothing: an empty Redis has not heard every instance again yet.
 * The receiver's periodic check uses the asynchronous forms ({@link #renewAsync}, {@link #removeExpiredAsync}), which
 * never wait; the others block on Redis (at start, after Redis came back, at close).
 */
final class Leases {

    private static final Logger LOG = LoggerFactory.getLogger(Leases.class);

    private final RedisLink link;
    private final ClusterContext context;
    private final String key;
    private final String prefix;
    private final Runnable reannounce;
    private long graceUntilNanos = System.nanoTime();
    /** Whether this instance has held its lease once. */
    private boolean held;

    /** @param reannounce announces every local participant again (on the receiver's thread) */
    Leases(RedisLink link, ClusterContext context, Runnable reannounce) {
        this.link = link;
        this.context = context;
        this.prefix = link.settings().keyPrefix();
        this.key = ChannelKeys.lease(prefix, context.nodeId());
        this.reannounce = reannounce;
    }

    /**
     * Renews this instance's lease. When it had lapsed since the last renewal (this thread was late by more than a
     * lease, e.g. on a starved machine), the others have removed this instance's participants: they are announced
     * again, so rosters converge instead of staying short while the instance lives on.
     */
    void renew(RedisCommands<String, String> redis) {
        renewed(redis.setGet(key, context.bridgeName(), SetArgs.Builder.px(link.settings().lease().toMillis())));
    }

    /**
     * {@link #renew} without waiting: the answer is handled by a task handed to {@code onThread} (which only enqueues
     * it for the receiver's thread). A failure or no answer within the command timeout is left to the next check.
     */
    void renewAsync(Consumer<Runnable> onThread) {
        link.async().setGet(key, context.bridgeName(), SetArgs.Builder.px(link.settings().lease().toMillis()))
                .toCompletableFuture()
                .orTimeout(link.settings().commandTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((before, e) -> {
                    if (e != null) {
                        LOG.debug("cluster: lease not renewed ({}); the next check retries", e.toString());
                    } else {
                        onThread.accept(() -> renewed(before));
                    }
                });
    }

    private void renewed(String before) {
        if (before == null && held && !inGrace()) {
            LOG.warn("cluster: this instance's lease had lapsed (renewed more than {} ms after the last time; the machine is "
                    + "starved or Redis was slow); the other instances removed its participants, announcing them again",
                    link.settings().lease().toMillis());
            reannounce.run();
        }
        held = true;
    }

    /** Redis is back, maybe empty: the grace starts, the lease is renewed (a failure is left to the next check). */
    void redisBack() {
        graceUntilNanos = System.nanoTime() + link.settings().lease().toNanos();
        try {
            renew(link.sync());
        } catch (RedisException ex) {
            LOG.debug("cluster: lease not renewed yet ({}); the next check retries", ex.toString());
        }
    }

    /** Whether Redis came back less than a lease ago, when a missing lease does not yet mean a dead instance. */
    boolean inGrace() {
        return System.nanoTime() - graceUntilNanos < 0;
    }

    /**
     * {@link #removeExpired} without waiting: the leases are read asynchronously, and a task handed to
     * {@code onThread} (which only enqueues it for the receiver's thread) removes the participants of the instances
     * whose lease was gone, from the channels open then ({@code open}). A lease not read in time is left to the next
     * check.
     */
    void removeExpiredAsync(Collection<ChannelState> heard, Supplier<Collection<ChannelState>> open, Rosters rosters,
                            Consumer<Runnable> onThread) {
        if (inGrace()) {
            return;
        }
        Set<String> instances = new HashSet<>();
        for (ChannelState st : heard) {
            st.roster.keySet().forEach(f -> instances.add(ChannelState.instanceOf(f)));
        }
        if (instances.isEmpty()) {
            return;
        }
        Map<String, CompletableFuture<Long>> leases = new HashMap<>();
        for (String inst : instances) {
            leases.put(inst, link.async().exists(ChannelKeys.lease(prefix, inst)).toCompletableFuture());
        }
        CompletableFuture.allOf(leases.values().toArray(CompletableFuture[]::new))
                .orTimeout(link.settings().commandTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ok, e) -> onThread.accept(() -> {
                    if (inGrace()) {
                        return;
                    }
                    leases.forEach((inst, f) -> {
                        if (f.isDone() && !f.isCompletedExceptionally() && f.join() == 0) {
                            rosters.expired(inst, open.get());
                        }
                    });
                }));
    }

    /** Lets this instance's lease expire in {@code millis} (it stops while leaves are held back, {@link Handover}). */
    void expireIn(long millis) {
        link.sync().set(key, context.bridgeName(), SetArgs.Builder.px(Math.max(1, millis)));
    }

    /** Removes this instance's lease (it stops). */
    void release() {
        link.sync().del(key);
    }
}
