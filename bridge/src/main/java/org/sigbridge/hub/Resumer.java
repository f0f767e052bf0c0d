package org.sigbridge.hub;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.ResumeResult;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.spi.cluster.LogRead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resume (docs/design.md §3.8) for the {@link Hub}: subscribes a reconnecting client's new endpoint and hands it what it
 * missed, once, in order, before anything newer.
 * <ul>
 *   <li>From a position this instance handed out: replayed from the channel's {@link History}, holding it.</li>
 *   <li>On a shared channel of a cluster, from a position taken on another instance (or remade by an earlier resume):
 *       the endpoint is subscribed behind a {@link ResumeGate} that holds its live deliveries, the channel's cluster
 *       log is read after the position's cut ({@code ClusterChannel.readAfter}, asynchronously: no dialect thread
 *       waits on the engine), and the gate replays it and hands out what it held, each once.</li>
 * </ul>
 * Thread-safe; the callers' threads never block on the engine. Counted in {@code sigbridge_resumes_total{outcome}} and
 * {@code sigbridge_replayed_envelopes_total}.
 */
final class Resumer {

    private static final Logger log = LoggerFactory.getLogger(Resumer.class);
    /** A log read that takes longer than this is given up: the client is told it was not recovered. */
    static final Duration READ_LIMIT = Duration.ofSeconds(15);

    private final Hub hub;
    private final Histories histories;
    private final HubStats stats;
    private final ConcurrentHashMap<String, Channel> channels;

    Resumer(Hub hub, Histories histories, HubStats stats, ConcurrentHashMap<String, Channel> channels) {
        this.hub = hub;
        this.histories = histories;
        this.stats = stats;
        this.channels = channels;
    }

    /** What {@code AdapterContext.resume} does: this instance's history only; never waits. */
    ResumeResult resumeHere(Endpoint endpoint, String channel, Position since, Set<String> ownEndpointIds) {
        return resume(endpoint, channel, since, ownEndpointIds, false).toCompletableFuture().join();
    }

    /** What {@code AdapterContext.resumeAsync} does: across instances too. The stage completes on the engine's thread. */
    CompletionStage<ResumeResult> resume(Endpoint endpoint, String channel, Position since, Set<String> ownEndpointIds,
                                         boolean acrossInstances) {
        History history = histories.forChannel(channel);
        ResumeGate gate;
        Channel ch;
        CompletionStage<LogRead> read;
        synchronized (history) {
            if (hub.subscribe(endpoint, channel) instanceof SubscribeResult.Refused r) {
                return done(new ResumeResult.Refused(r.code(), r.detail()));
            }
            ch = channels.get(channel);
            if (ch == null || ch.history != history) {
                return notRecovered("the channel's history changed", history.top());
            }
            history.retain(histories.now()); // it resumes: it may again
            boolean shared = ch.peer != null && since.log() != null;
            if (since.epoch().equals(history.epoch) && (!shared || history.handedOut(since))) {
                return done(replayHere(endpoint, history, since, ownEndpointIds));
            }
            if (!shared || !acrossInstances) {
                StringBuilder why = new StringBuilder();
                history.after(since, histories.now(), why);
                if (why.length() == 0 || ch.peer != null) {
                    why.setLength(0);
                    why.append(ch.peer == null ? "channel '" + channel + "' is not shared through a cluster"
                            : since.log() == null ? "the position is of another instance and carries no cluster log cut"
                            : "the position is of another instance (only a resume across instances can read the cluster log)");
                }
                return notRecovered(why.toString(), history.top());
            }
            gate = new ResumeGate(endpoint, Channel.local(endpoint), since, ownEndpointIds, history.stampsHandedOut());
            ch.addGate(gate);
            read = ch.peer.readAfter(since.log());
        }
        return read.toCompletableFuture()
                .completeOnTimeout(new LogRead.Unavailable("the cluster log was not read within " + READ_LIMIT.toSeconds() + " s"),
                        READ_LIMIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .exceptionally(e -> new LogRead.Unavailable("the cluster log could not be read: " + e))
                .thenApply(r -> finish(endpoint, channel, ch, history, gate, r));
    }

    private ResumeResult finish(Endpoint endpoint, String channel, Channel ch, History history, ResumeGate gate, LogRead read) {
        synchronized (history) {
            if (channels.get(channel) != ch || ch.gates() == null || ch.gates().get(endpoint) != gate) {
                stats.resumes.notRecovered.increment();
                return new ResumeResult.NotRecovered("the endpoint left the channel while its log was read", history.top());
            }
            StringBuilder why = new StringBuilder();
            int replayed = gate.finish(read, why);
            if (replayed < 0) {
                ch.removeGate(endpoint, gate);
                log.debug("resume of {} on '{}' across instances not recovered: {}", endpoint.id(), channel, why);
                stats.resumes.notRecovered.increment();
                return new ResumeResult.NotRecovered(why.toString(), history.top());
            }
            stats.resumes.recovered.increment();
            stats.resumes.replayed.add(replayed);
            return new ResumeResult.Recovered(replayed, gate.answer(history.top()));
        }
    }

    /** From this instance's history, holding it: the missed ones but the client's own and others' addressed ones. */
    private ResumeResult replayHere(Endpoint endpoint, History history, Position since, Set<String> ownEndpointIds) {
        StringBuilder why = new StringBuilder();
        List<History.Entry> missed = history.after(since, histories.now(), why);
        if (missed == null) {
            stats.resumes.notRecovered.increment();
            return new ResumeResult.NotRecovered(why.toString(), history.top());
        }
        Participant who = Channel.local(endpoint);
        int replayed = 0;
        for (History.Entry entry : missed) {
            Envelope e = entry.envelope();
            if (ownEndpointIds.contains(e.origin().endpoint()) || e.origin().endpoint().equals(endpoint.id())) {
                continue; // the client's own: never echoed
            }
            if (e.isAddressed() && !e.recipient().equals(endpoint.id()) && !e.recipient().equals(who.id())) {
                // Someone else's. The client's former endpoint ids are its own word, so they only ever hide
                // envelopes (its own), never reveal one addressed to an id.
                continue;
            }
            try {
                endpoint.deliver(e, entry.position());
                replayed++;
            } catch (RuntimeException ex) {
                log.error("endpoint {} failed to take replayed envelope {}", endpoint.id(), e.id(), ex);
            }
        }
        stats.resumes.recovered.increment();
        stats.resumes.replayed.add(replayed);
        return new ResumeResult.Recovered(replayed, history.top());
    }

    private CompletionStage<ResumeResult> notRecovered(String why, Position top) {
        stats.resumes.notRecovered.increment();
        return done(new ResumeResult.NotRecovered(why, top));
    }

    private static CompletionStage<ResumeResult> done(ResumeResult r) {
        return CompletableFuture.completedFuture(r);
    }
}
