package org.sigbridge.web.classic.xhr;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.spi.cluster.SessionStore;
import org.sigbridge.web.classic.xhr.SharedXhrMailbox.Answer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link SharedXhrMailbox} writes of a session in the cluster's {@link SessionStore} (docs/cluster.md §2, "XHR
 * sessions"), and what a failed write is answered. Every write carries the generation this instance got when it took
 * the session over; a write that finds another generation means the session moved ({@link Moved}), and this copy is
 * dropped ({@link XhrSessions#lost}). A store that cannot be reached is answered 503 {@code upstream_unavailable},
 * warned about at most every 10 s.
 *
 * <p>Thread-safe and non-blocking: stages complete on the store's threads.
 */
final class XhrSessionRecords {

    private static final Logger log = LoggerFactory.getLogger(SharedXhrMailbox.class);
    static final String KIND = "xhr";
    /** More channels than a page opens; a session naming more is refused {@code too_many_channels}. */
    static final int MAX_CHANNELS = 64;
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final AdapterContext context;
    private final SessionStore store;
    private final Duration ttl;
    private final XhrSessions sessions;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    XhrSessionRecords(AdapterContext context, SessionStore store, Duration ttl, XhrSessions sessions) {
        this.context = context;
        this.store = store;
        this.ttl = ttl;
        this.sessions = sessions;
    }

    /** Runs {@code step} on the session as this instance serves it; once more after a takeover when it had moved. */
    CompletionStage<XhrSession> withSession(String key, Function<XhrSession, CompletionStage<XhrSession>> step) {
        CompletableFuture<XhrSession> out = new CompletableFuture<>();
        sessions.session(key, null).thenCompose(step).whenComplete((s, e) -> {
            if (e != null && cause(e) instanceof Moved) {
                sessions.session(key, null).thenCompose(step).whenComplete((t, f) -> complete(out, t, f));
            } else {
                complete(out, s, e);
            }
        });
        return out;
    }

    /**
     * Joins a channel the session did not have: subscribed here, and its start (the channel's position before the
     * subscription, or just after when it was not open) recorded in the store before the request goes on.
     */
    CompletionStage<Void> use(XhrSession s, String channel) {
        synchronized (s) {
            if (s.recorded.containsKey(channel)) {
                return CompletableFuture.completedFuture(null);
            }
            if (s.recorded.size() >= MAX_CHANNELS) {
                return CompletableFuture.failedFuture(new Refusal(ErrorCode.TOO_MANY_CHANNELS,
                        "an XHR session may use at most " + MAX_CHANNELS + " channels"));
            }
        }
        Optional<Position> before = context.position(channel);
        if (context.subscribe(s, channel) instanceof SubscribeResult.Refused r) {
            return CompletableFuture.failedFuture(new Refusal(r.code(), r.detail()));
        }
        String start = before.or(() -> context.position(channel)).map(Position::wire).orElse("");
        return store.write(KIND, s.key, s.generation, Map.of(channel, start), ttl).thenCompose(n -> {
            if (n == 0) {
                sessions.lost(s);
                return CompletableFuture.failedFuture(new Moved());
            }
            synchronized (s) {
                s.recorded.putIfAbsent(channel, start);
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    /** Renews the session's time to live; fails with {@link Moved} when another instance took it over. */
    CompletionStage<Void> touch(XhrSession s) {
        return store.write(KIND, s.key, s.generation, Map.of(), ttl).thenCompose(n -> {
            if (n == 0) {
                sessions.lost(s);
                return CompletableFuture.failedFuture(new Moved());
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    /**
     * Records that the session read {@code channel} up to {@code position}: the session's write count after it, or 0
     * when another instance took the session over.
     */
    CompletionStage<Long> commit(XhrSession s, String channel, String position) {
        return store.write(KIND, s.key, s.generation, Map.of(channel, position), ttl);
    }

    /** The answer to a request that failed with {@code e}; {@code envelopeId} names a post's envelope, else null. */
    Answer failure(Throwable e, String envelopeId) {
        Throwable cause = cause(e);
        if (cause instanceof Refusal r) {
            return new Answer.Failed(r.code == ErrorCode.TOO_MANY_CHANNELS ? 429 : 403, r.code, r.getMessage(), envelopeId);
        }
        if (cause instanceof Moved) {
            return new Answer.Failed(503, ErrorCode.UPSTREAM_UNAVAILABLE,
                    "the XHR session moved to another instance while this request ran; send it again", envelopeId);
        }
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last > WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            log.warn("xhr: the cluster's session store (Redis) did not answer ({}): XHR requests get 503 upstream_unavailable"
                    + " until it does (logged at most every 10 s)", cause.toString());
        }
        return new Answer.Failed(503, ErrorCode.UPSTREAM_UNAVAILABLE, "the XHR session store (the cluster's Redis) cannot be"
                + " reached: " + cause.getMessage() + (envelopeId == null ? "; poll again" : "; the message was not sent"), envelopeId);
    }

    private static <T> void complete(CompletableFuture<T> out, T value, Throwable e) {
        if (e != null) {
            out.completeExceptionally(e);
        } else {
            out.complete(value);
        }
    }

    private static Throwable cause(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** A refusal in the hub's terms. */
    private static final class Refusal extends RuntimeException {
        final ErrorCode code;

        Refusal(ErrorCode code, String detail) {
            super(detail, null, false, false);
            this.code = code;
        }
    }

    /** Another instance took the session over while this request ran. */
    private static final class Moved extends RuntimeException {
        Moved() {
            super("moved", null, false, false);
        }
    }
}
