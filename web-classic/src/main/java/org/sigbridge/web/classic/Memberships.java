package org.sigbridge.web.classic;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.ResumeResult;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.web.identity.SenderGuard;

/**
 * The channels one classic connection has joined, bounded by {@code max-channels-per-connection} and by the
 * connection's identity scope. A join that may take a seed-dialect checkpoint (docs/design.md §3.8) counts as joined at
 * once and subscribes when the claim is answered (at once on one instance, on a cluster thread otherwise).
 *
 * <p>Changed by the connection's reading thread, by a claim's answer and by the close, under this object's lock (the
 * hub never calls back into it, so holding it while subscribing cannot deadlock); read from any thread.
 */
final class Memberships {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Memberships.class);

    private final Endpoint self;
    private final AdapterContext hub;
    private final SenderGuard guard;
    private final int maxChannels;
    private final ClassicOutput out;
    /**
     * Replaced, never changed (a socket holds one or two, and an immutable set of two costs far less than a
     * concurrent one).
     */
    private volatile Set<String> channels = Set.of();
    /** Joined channels whose checkpoint claim is not answered yet (not subscribed yet). */
    private Set<String> claiming = Set.of();
    private boolean closed;
    /** The socket's checkpoint side, or {@code null} when it gets none. */
    private final SeedResume seed;

    Memberships(Endpoint self, AdapterContext hub, SenderGuard guard, int maxChannels, ClassicOutput out, SeedResume seed) {
        this.self = self;
        this.hub = hub;
        this.guard = guard;
        this.maxChannels = maxChannels;
        this.out = out;
        this.seed = seed;
    }

    /** Subscribes unless already subscribed; answers a refusal with an error frame and returns false. */
    boolean join(String channel, String envelopeId) {
        return join(channel, envelopeId, null);
    }

    /**
     * {@link #join(String, String)} that first takes the checkpoint {@code claimAs} left on the channel, if any, and then
     * resumes from it (the gap replayed in the socket's own format, docs/design.md §3.8) instead of a plain subscribe.
     *
     * @param claimAs the socket's sender id, or {@code null} to join without a claim
     * @return false when refused at once (answered); a subscribe refused after a claim is answered then
     */
    synchronized boolean join(String channel, String envelopeId, String claimAs) {
        if (channels.contains(channel)) {
            return true;
        }
        if (channels.size() >= maxChannels) {
            out.error(ErrorCode.TOO_MANY_CHANNELS, "this connection already holds " + maxChannels
                    + " channels (max-channels-per-connection); open another socket or leave one", envelopeId);
            return false;
        }
        SenderGuard.Check scope = guard.channel(channel);
        if (!scope.allowed()) {
            out.error(ErrorCode.NOT_PERMITTED, scope.detail(), envelopeId);
            return false;
        }
        if (claimAs != null && seed != null) {
            channels = with(channels, channel);
            claiming = with(claiming, channel);
            seed.claim(channel, claimAs).thenAccept(c -> claimed(channel, c, envelopeId)) // may run now, on this thread
                    .exceptionally(e -> {
                        log.error("{}: joining '{}' after its checkpoint claim failed", self.id(), channel, e);
                        return null;
                    });
            return true;
        }
        SubscribeResult result = hub.subscribe(self, channel);
        if (result instanceof SubscribeResult.Refused refused) {
            out.error(refused.code(), refused.detail(), envelopeId);
            return false;
        }
        channels = with(channels, channel);
        if (seed != null) {
            seed.joinedAt(channel, hub.position(channel).orElse(null));
        }
        return true;
    }

    /** A claim was answered: resume from the checkpoint, or subscribe plainly without one. Any thread. */
    private synchronized void claimed(String channel, Optional<Checkpoints.Checkpoint> checkpoint, String envelopeId) {
        if (closed || !claiming.contains(channel)) {
            checkpoint.ifPresent(seed::putBack); // the socket left or closed meanwhile: the checkpoint is still the client's
            return;
        }
        claiming = without(claiming, channel);
        if (checkpoint.isEmpty()) {
            SubscribeResult result = hub.subscribe(self, channel);
            if (result instanceof SubscribeResult.Refused refused) {
                channels = without(channels, channel);
                out.error(refused.code(), refused.detail(), envelopeId);
                return;
            }
            seed.joinedAt(channel, hub.position(channel).orElse(null));
            return;
        }
        Checkpoints.Checkpoint c = checkpoint.get();
        seed.resuming(c);
        CompletableFuture<ResumeResult> result = hub.resumeAsync(self, channel, c.position(), seed.ownIds()).toCompletableFuture();
        if (result.isDone() && result.join() instanceof ResumeResult.Refused refused) {
            channels = without(channels, channel);
            seed.left(channel);
            out.error(refused.code(), refused.detail(), envelopeId);
            return;
        }
        result.thenAccept(seed::resumed);
    }

    /**
     * Joins again from a position (docs/dialects.md §5.4): the checks of {@link #join}, then
     * {@code AdapterContext.resumeAsync}, which subscribes at once and replays what was missed before its stage
     * completes (later, on a cluster thread, when the position was taken on another instance). A refusal is answered
     * with an error frame and gives {@code null}; already joined gives a not-recovered answer without replay.
     */
    synchronized CompletionStage<ResumeResult> resume(String channel, Position since, Set<String> sessions) {
        if (channels.contains(channel)) {
            return CompletableFuture.completedFuture(
                    new ResumeResult.NotRecovered("already joined on this socket", hub.position(channel).orElse(null)));
        }
        if (channels.size() >= maxChannels) {
            out.error(ErrorCode.TOO_MANY_CHANNELS, "this connection already holds " + maxChannels
                    + " channels (max-channels-per-connection); open another socket or leave one", null);
            return null;
        }
        SenderGuard.Check scope = guard.channel(channel);
        if (!scope.allowed()) {
            out.error(ErrorCode.NOT_PERMITTED, scope.detail(), null);
            return null;
        }
        CompletionStage<ResumeResult> result = since == null
                ? CompletableFuture.completedFuture(subscribeFresh(channel))
                : hub.resumeAsync(self, channel, since, sessions);
        CompletableFuture<ResumeResult> now = result.toCompletableFuture();
        if (now.isDone() && now.join() instanceof ResumeResult.Refused refused) {
            out.error(refused.code(), refused.detail(), null);
            return null;
        }
        channels = with(channels, channel); // subscribed now, whenever the replay ends
        return result;
    }

    private ResumeResult subscribeFresh(String channel) {
        SubscribeResult r = hub.subscribe(self, channel);
        return r instanceof SubscribeResult.Refused refused ? new ResumeResult.Refused(refused.code(), refused.detail())
                : new ResumeResult.NotRecovered("no position given", hub.position(channel).orElse(null));
    }

    /** Whether the socket holds no channel (joined or being claimed). */
    boolean isEmpty() {
        return channels.isEmpty();
    }

    /** Unsubscribes if subscribed (a claim not answered yet then subscribes nothing). */
    synchronized void leave(String channel) {
        if (channels.contains(channel)) {
            channels = without(channels, channel);
            claiming = without(claiming, channel);
            hub.unsubscribe(self, channel);
            if (seed != null) {
                seed.left(channel);
            }
        }
    }

    /**
     * The socket closed: forgets every channel (the caller detaches the endpoint from the hub next), and no claim
     * answered later subscribes it. Idempotent.
     *
     * @return the channels it was subscribed to
     */
    synchronized Set<String> close() {
        closed = true;
        Set<String> were = channels;
        for (String c : claiming) {
            were = without(were, c);
        }
        channels = Set.of();
        claiming = Set.of();
        return were;
    }

    private static Set<String> with(Set<String> set, String item) {
        Set<String> copy = new HashSet<>(set);
        copy.add(item);
        return Set.copyOf(copy);
    }

    private static Set<String> without(Set<String> set, String item) {
        Set<String> copy = new HashSet<>(set);
        copy.remove(item);
        return Set.copyOf(copy);
    }
}
