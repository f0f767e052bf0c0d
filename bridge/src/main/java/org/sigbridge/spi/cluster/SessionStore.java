package org.sigbridge.spi.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Session state that every instance of a cluster can read and take over, for dialects whose clients hold no connection
 * of their own (XHR polling, docs/cluster.md §2): a session is a small map of string fields under a kind and a key, with
 * an owner generation and a time to live. The instance that serves a session's request takes it over first
 * ({@link #takeOver}); from then on only its writes succeed ({@link #write} with the generation it got), so an instance
 * that lost a session finds out at its next write and never advances it again.
 *
 * <p>Provided by the cluster layer ({@link ClusterLayer#sessions()}) and reached by adapters through
 * {@link org.sigbridge.spi.AdapterContext#sharedSessions()}. Every method is thread-safe and never blocks; each stage
 * completes on a thread of the layer within the engine's command timeout, exceptionally when the engine cannot be
 * reached, did not answer in time, or too many writes are waiting (bounded).
 */
public interface SessionStore {

    /**
     * A session as its new owner found it.
     *
     * @param generation the owner generation this instance now holds (the first owner gets 1)
     * @param fields     the session's fields (empty for a new session)
     * @param endpoints  the endpoint ids the session had on every instance, oldest first, the new one last (at most 8)
     */
    record Session(long generation, Map<String, String> fields, List<String> endpoints) {
        public Session {
            fields = Map.copyOf(fields);
            endpoints = List.copyOf(endpoints);
        }
    }

    /**
     * Makes this instance the session's owner (a new generation), adds {@code endpointId} to its endpoints and sets its
     * time to live, creating the session when it does not exist or has expired.
     *
     * @param kind     the dialect's namespace, e.g. {@code xhr}: 1 to 16 letters or digits
     * @param key      the session key the client presents (its cookie): 1 to 64 letters, digits, {@code -} or {@code _}
     */
    CompletionStage<Session> takeOver(String kind, String key, String endpointId, Duration ttl);

    /**
     * Sets {@code fields} (none: only the time to live is renewed) if this instance still owns the session at
     * {@code generation}, and counts the write.
     *
     * @return the session's write count after this write (1 or more), or 0 when another instance took the session over
     *         (or it expired): nothing was written
     */
    CompletionStage<Long> write(String kind, String key, long generation, Map<String, String> fields, Duration ttl);

    /**
     * A proof that an instance of this cluster issued {@code value}: a MAC (HMAC-SHA256, 22 base64url characters) under
     * a key every instance shares, so any instance can check a claim a client carries from another one (a resumed
     * socket's participant, docs/cluster.md §4) without asking the engine. Any thread, never blocks.
     */
    String tag(String value);

    /**
     * Whether {@code tag} proves {@code value} ({@link #tag}), compared in constant time. The layer may also accept, for
     * a bounded time, a tag made under a key it no longer makes tags with (the shared key changed, docs/cluster.md §4).
     * Any thread, never blocks.
     */
    default boolean verify(String value, String tag) {
        return java.security.MessageDigest.isEqual(tag(value).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                tag.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Checks a kind or key against the forms above. */
    static void check(String kind, String key) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        if (!kind.matches("[A-Za-z0-9]{1,16}") || !key.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("a session kind is 1 to 16 letters or digits and a key 1 to 64 of [A-Za-z0-9_-]");
        }
    }
}
