package org.sigbridge.web.classic.xhr;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.ResumeResult;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.spi.cluster.SessionStore;
import org.sigbridge.web.XhrSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The XHR sessions this instance holds for {@link SharedXhrMailbox}, and their takeovers (docs/cluster.md §2): a session
 * not held here is taken over in the {@link SessionStore} (once at a time per key) and resumed on each of its channels
 * from the position recorded there ({@link AdapterContext#resumeAsync}, docs/design.md §3.8). Bounded by
 * {@code xhr.max-clients} (the longest silent copy is dropped here; its state stays in the store). Thread-safe; never
 * blocks.
 */
final class XhrSessions {

    private static final Logger log = LoggerFactory.getLogger(XhrSessions.class);

    private final String adapter;
    private final AdapterContext context;
    private final SessionStore store;
    private final XhrSettings settings;
    private final Duration ttl;
    private final Consumer<XhrSession> pump;
    private final ConcurrentHashMap<String, XhrSession> sessions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<XhrSession>> takeovers = new ConcurrentHashMap<>();

    /** @param pump called when a session's endpoint got a delivery, on the publishing thread */
    XhrSessions(String adapter, AdapterContext context, SessionStore store, XhrSettings settings, Consumer<XhrSession> pump) {
        this.adapter = adapter;
        this.context = context;
        this.store = store;
        this.settings = settings;
        this.ttl = settings.clientTimeout();
        this.pump = pump;
    }

    /** Whether this instance holds a live copy of the session. */
    boolean knows(String key) {
        XhrSession s = sessions.get(key);
        return s != null && !s.gone;
    }

    /** The copies held now, a snapshot. */
    Collection<XhrSession> all() {
        return new ArrayList<>(sessions.values());
    }

    /**
     * The session as this instance serves it: held here, or taken over (once at a time per key) and resumed on each of
     * its channels before the stage completes. {@code stale}: a copy known to be stale (taken over anew even while it
     * is still listed), or {@code null}.
     */
    CompletionStage<XhrSession> session(String key, XhrSession stale) {
        XhrSession held = sessions.get(key);
        if (held != null && !held.gone && held != stale) {
            return CompletableFuture.completedFuture(held);
        }
        CompletableFuture<XhrSession> mine = new CompletableFuture<>();
        CompletableFuture<XhrSession> running = takeovers.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        String endpointId = context.endpointId("xhr");
        store.takeOver(XhrSessionRecords.KIND, key, endpointId, ttl).thenCompose(state -> resumeAll(key, endpointId, state))
                .whenComplete((s, e) -> {
                    takeovers.remove(key, mine);
                    if (e != null) {
                        mine.completeExceptionally(e);
                    } else {
                        mine.complete(s);
                    }
                });
        return mine;
    }

    private CompletionStage<XhrSession> resumeAll(String key, String endpointId, SessionStore.Session state) {
        XhrSession s = new XhrSession(key, endpointId, adapter, state.generation(), state.endpoints(), settings.logEntries(),
                context, pump);
        XhrSession old = sessions.put(key, s);
        if (old != null) {
            lost(old);
        }
        if (sessions.size() > settings.maxClients()) {
            forgetLongestSilent();
        }
        List<CompletableFuture<?>> resumes = new ArrayList<>();
        for (Map.Entry<String, String> f : state.fields().entrySet()) {
            String channel = f.getKey();
            synchronized (s) {
                s.recorded.put(channel, f.getValue());
            }
            Optional<Position> since = Position.parse(f.getValue());
            CompletionStage<ResumeResult> r = since.isPresent()
                    ? context.resumeAsync(s, channel, since.get(), s.own)
                    : CompletableFuture.completedFuture(context.subscribe(s, channel) instanceof SubscribeResult.Refused ref
                            ? new ResumeResult.Refused(ref.code(), ref.detail()) : new ResumeResult.NotRecovered("no position recorded", null));
            resumes.add(r.toCompletableFuture().thenAccept(result -> {
                if (!(result instanceof ResumeResult.Recovered)) {
                    log.info("xhr: session {} on channel '{}' continues here without what it missed: {}", endpointId, channel, result);
                }
            }));
        }
        if (!state.fields().isEmpty()) {
            log.debug("xhr: took over session as {} (generation {}) on {} channel(s)", endpointId, state.generation(), state.fields().size());
        }
        return CompletableFuture.allOf(resumes.toArray(CompletableFuture[]::new)).thenApply(x -> s);
    }

    /** This copy no longer serves the session: its endpoint leaves, a held poll is answered nothing. */
    void lost(XhrSession s) {
        Consumer<SharedXhrMailbox.Answer> held;
        synchronized (s) {
            if (s.gone) {
                return;
            }
            s.gone = true;
            held = s.held;
            s.held = null;
        }
        sessions.remove(s.key, s);
        context.detach(s);
        if (held != null) {
            held.accept(new SharedXhrMailbox.Answer.Nothing());
        }
    }

    private void forgetLongestSilent() {
        sessions.values().stream().min(java.util.Comparator.comparingLong(x -> x.lastSeen)).ifPresent(this::lost);
    }

}
