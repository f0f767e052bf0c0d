package org.sigbridge.cluster;

import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.sigbridge.spi.cluster.SessionStore;

/**
 * {@link SessionStore} on Redis (docs/cluster.md §2, "XHR sessions"): one hash per session,
 * {@code <prefix>:s:<kind>:<key>}, with the owner generation {@code .g}, the owner instance {@code .o}, the session's
 * endpoint ids {@code .e}, the write count {@code .n} and the caller's fields as {@code f:<name>}; a time to live on the
 * whole hash. A takeover and a conditional write are each one Lua script, so a write of an instance that lost the
 * session can never land after the takeover that ended its ownership.
 *
 * <p>Bounded: at most {@value #MAX_WAITING} scripts wait for Redis at once (more fail at once), and each wait ends after
 * the command timeout (Lettuce gives scripts none, {@link RedisLink}). While the command connection is down Lettuce
 * rejects them at once. Thread-safe; never blocks; stages complete on Lettuce's or the timeout's thread.
 */
final class RedisSessions implements SessionStore {

    static final int MAX_WAITING = 4096;

    private static final String TAKE_OVER = """
            local g = redis.call('HINCRBY', KEYS[1], '.g', 1)
            redis.call('HSET', KEYS[1], '.o', ARGV[1])
            local e = redis.call('HGET', KEYS[1], '.e')
            local list = {}
            if e then for w in string.gmatch(e, '%S+') do table.insert(list, w) end end
            table.insert(list, ARGV[2])
            while #list > 8 do table.remove(list, 1) end
            redis.call('HSET', KEYS[1], '.e', table.concat(list, ' '))
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return redis.call('HGETALL', KEYS[1])
            """;

    private static final String WRITE = """
            if redis.call('HGET', KEYS[1], '.g') ~= ARGV[1] then return 0 end
            for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], 'f:' .. ARGV[i], ARGV[i + 1]) end
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return redis.call('HINCRBY', KEYS[1], '.n', 1)
            """;

    private final RedisLink link;
    private final String prefix;
    private final String instance;
    private final long timeoutMillis;
    private final Semaphore waiting = new Semaphore(MAX_WAITING);
    private final TagKeys tagKeys;

    RedisSessions(RedisLink link, String instance) {
        this.link = link;
        this.prefix = link.settings().keyPrefix();
        this.instance = instance;
        this.timeoutMillis = link.settings().commandTimeout().toMillis();
        this.tagKeys = new TagKeys(link, link.settings().leaseRenew(), (script, key, argument) -> run(() -> link.async()
                .<String>eval(script, ScriptOutputType.VALUE, new String[] {key}, argument).toCompletableFuture()));
    }

    /**
     * The command connection is back, maybe to a Redis that came back empty: the shared tag key is written back or
     * adopted ({@link TagKeys#reestablish}). Only schedules.
     */
    void commandsBack() {
        tagKeys.reestablish();
    }

    /** A MAC under the key every instance shares, {@code <prefix>:tagkey} ({@link TagKeys}). */
    @Override
    public String tag(String value) {
        return tagKeys.tag(value);
    }

    /** Also accepts, for a bounded time, a tag made under the key this instance held before it adopted Redis's ({@link TagKeys}). */
    @Override
    public boolean verify(String value, String tag) {
        return tagKeys.verify(value, tag);
    }

    @Override
    public CompletionStage<Session> takeOver(String kind, String key, String endpointId, Duration ttl) {
        SessionStore.check(kind, key);
        return run(() -> link.async().<List<Object>>eval(TAKE_OVER, ScriptOutputType.MULTI, new String[] {key(kind, key)},
                instance, endpointId, Long.toString(ttl.toMillis())).toCompletableFuture())
                .thenApply(RedisSessions::session);
    }

    @Override
    public CompletionStage<Long> write(String kind, String key, long generation, Map<String, String> fields, Duration ttl) {
        SessionStore.check(kind, key);
        List<String> args = new ArrayList<>(2 + 2 * fields.size());
        args.add(Long.toString(generation));
        args.add(Long.toString(ttl.toMillis()));
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        return run(() -> link.async().<Long>eval(WRITE, ScriptOutputType.INTEGER, new String[] {key(kind, key)},
                args.toArray(String[]::new)).toCompletableFuture());
    }

    private String key(String kind, String key) {
        return prefix + ":s:" + kind + ":" + key;
    }

    private <T> CompletableFuture<T> run(java.util.function.Supplier<CompletableFuture<T>> command) {
        if (!waiting.tryAcquire()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "more than " + MAX_WAITING + " session writes wait for Redis"));
        }
        CompletableFuture<T> f;
        try {
            f = command.get();
        } catch (RuntimeException e) {
            waiting.release();
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> bounded = f.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
        bounded.whenComplete((r, e) -> waiting.release());
        return bounded;
    }

    private static Session session(List<Object> flat) {
        Map<String, String> fields = new HashMap<>();
        long generation = 0;
        List<String> endpoints = List.of();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            String name = String.valueOf(flat.get(i));
            String value = String.valueOf(flat.get(i + 1));
            if (name.equals(".g")) {
                generation = Long.parseLong(value);
            } else if (name.equals(".e")) {
                endpoints = Arrays.asList(value.split(" "));
            } else if (name.startsWith("f:")) {
                fields.put(name.substring(2), value);
            }
        }
        return new Session(generation, fields, endpoints);
    }
}
