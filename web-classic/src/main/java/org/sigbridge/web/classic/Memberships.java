package org.sigbridge.web.classic;

import java.util.HashSet;
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
 * connection's identity scope. Changed by the connection's reading thread only; read from any thread.
 */
final class Memberships {

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

    Memberships(Endpoint self, AdapterContext hub, SenderGuard guard, int maxChannels, ClassicOutput out) {
        this.self = self;
        this.hub = hub;
        this.guard = guard;
        this.maxChannels = maxChannels;
        this.out = out;
    }

    /** Subscribes unless already subscribed; answers a refusal with an error frame and returns false. */
    boolean join(String channel, String envelopeId) {
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
        SubscribeResult result = hub.subscribe(self, channel);
        if (result instanceof SubscribeResult.Refused refused) {
            out.error(refused.code(), refused.detail(), envelopeId);
            return false;
        }
        channels = with(channels, channel);
        return true;
    }

    /**
     * Joins again from a position (docs/dialects.md §5.4): the checks of {@link #join}, then
     * {@code AdapterContext.resumeAsync}, which subscribes at once and replays what was missed before its stage
     * completes (later, on a cluster thread, when the position was taken on another instance). A refusal is answered
     * with an error frame and gives {@code null}; already joined gives a not-recovered answer without replay.
     */
    CompletionStage<ResumeResult> resume(String channel, Position since, Set<String> sessions) {
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

    /** Unsubscribes if subscribed. */
    void leave(String channel) {
        if (channels.contains(channel)) {
            channels = without(channels, channel);
            hub.unsubscribe(self, channel);
        }
    }

    /** Forgets every channel (the hub detached the endpoint). */
    void clear() {
        channels = Set.of();
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
