package org.sigbridge.cluster;

import io.lettuce.core.RedisException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key every instance of a cluster shares for the tags of {@link RedisSessions#tag} (docs/cluster.md §4, the presence
 * grace; §7, {@code <prefix>:tagkey}): 32 random bytes in Redis, written by the first instance ({@code SET NX}) and
 * adopted by every other one. Redis may lose it (it came back empty, no persistence; a flush): then the key is
 * established again, so that all instances agree once more. Every instance writes its own key back ({@code SET NX},
 * one script with the read) when its command connection comes back ({@link #reestablish}) and, lazily, at most every
 * {@code lease-renew} while tags are made or checked; whatever Redis then holds wins, and an instance that held another
 * key adopts it. So instances started before the loss keep their key (the first to reconnect writes it, the others
 * hold the same one) and an instance started after it reads it, as long as it starts after the first reconnect; if it
 * started before that, its key wins and the older instances adopt it.
 *
 * <p>A tag made under the key this instance held before it adopted another one still verifies here for
 * {@link #PREVIOUS_LIFE} (only here: the other instances never knew that key when it was not Redis's). Thread-safe;
 * {@link #tag} and {@link #verify} never block; the refresh runs on Lettuce's and the JDK's delay threads, bounded by
 * the command timeout and {@link #ATTEMPTS} tries after a reconnect.
 */
final class TagKeys {

    /** How long a tag made under the key this instance held before it adopted Redis's still verifies here. */
    static final Duration PREVIOUS_LIFE = Duration.ofHours(1);
    /** Tries of {@link #reestablish} (each after {@link #RETRY}) while Redis does not answer yet, e.g. still loading. */
    static final int ATTEMPTS = 50;
    static final Duration RETRY = Duration.ofMillis(200);

    private static final Logger log = LoggerFactory.getLogger(TagKeys.class);

    /** Writes ARGV[1] unless the key exists, and returns what the key holds then (atomic: one script). */
    private static final String SET_NX_GET = """
            redis.call('SET', KEYS[1], ARGV[1], 'NX')
            return redis.call('GET', KEYS[1])
            """;

    /** A key and its MAC (a {@link Mac} is not thread-safe: used under its own lock). */
    private record Key(String encoded, Mac mac) {
        static Key of(String encoded) {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(Base64.getDecoder().decode(encoded), "HmacSHA256"));
                return new Key(encoded, m);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new IllegalStateException("not an HmacSHA256 key in base64: " + e, e);
            }
        }

        String tag(String value) {
            byte[] sum;
            synchronized (mac) {
                sum = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
            }
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sum, 16));
        }
    }

    /** The current key, and the one held before it (or {@code null}) with the time it stops verifying ({@link System#nanoTime}). */
    private record Keys(Key current, Key previous, long previousUntilNanos) {
    }

    /** Runs a script with one key and one argument on the command connection, its wait bounded (RedisSessions's). */
    interface Eval {
        CompletableFuture<String> run(String script, String key, String argument);
    }

    private final RedisLink link;
    private final String redisKey;
    private final Eval eval;
    private final long checkEveryNanos;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile Keys keys;
    private volatile long lastCheckNanos = System.nanoTime();

    /**
     * Reads the key at start, writing a fresh one first if Redis has none (blocks on Redis, the bridge's start).
     *
     * @param checkEvery how often at most the key is checked lazily ({@code lease-renew})
     */
    TagKeys(RedisLink link, Duration checkEvery, Eval eval) {
        this.link = link;
        this.redisKey = link.settings().keyPrefix() + ":tagkey";
        this.eval = eval;
        this.checkEveryNanos = checkEvery.toNanos();
        String fresh = fresh();
        String stored;
        try {
            link.sync().set(redisKey, fresh, io.lettuce.core.SetArgs.Builder.nx());
            stored = link.sync().get(redisKey);
        } catch (RedisException e) {
            log.warn("cluster: the shared tag key was not read ({}); sigbridge.js sessions of this instance keep their "
                    + "participant on this instance only until the key is read again", e.toString());
            stored = null;
        }
        this.keys = new Keys(Key.of(stored == null ? fresh : stored), null, 0);
    }

    /** The tag of {@code value} under the current key; may start a lazy check of the key (does not wait for it). */
    String tag(String value) {
        checkLazily();
        return keys.current().tag(value);
    }

    /** Whether {@code tag} is {@code value}'s under the current key, or under the previous one within its life. */
    boolean verify(String value, String tag) {
        checkLazily();
        Keys k = keys;
        byte[] given = tag.getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(given, k.current().tag(value).getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        return k.previous() != null && System.nanoTime() - k.previousUntilNanos() < 0
                && MessageDigest.isEqual(given, k.previous().tag(value).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The command connection is back (maybe to a Redis that came back empty): writes this instance's key back unless Redis
     * has one and adopts what Redis holds, trying again every {@link #RETRY} while Redis does not answer, up to
     * {@link #ATTEMPTS} times. Only schedules (Lettuce's event loop calls it through {@link RedisLink.Events}).
     */
    void reestablish() {
        int losses = link.losses();
        CompletableFuture.runAsync(() -> attempt(ATTEMPTS, losses), delayed(Duration.ZERO));
    }

    /** One try; another after {@link #RETRY} if it failed, while the connection was not lost again (or closed). */
    private void attempt(int left, int losses) {
        refresh().whenComplete((ok, e) -> {
            if (e != null && left > 1 && link.losses() == losses) {
                CompletableFuture.runAsync(() -> attempt(left - 1, losses), delayed(RETRY));
            } else if (e != null) {
                log.warn("cluster: the shared tag key was not written back after a reconnect ({}); checked again while "
                        + "sessions are made", e.toString());
            }
        });
    }

    private void checkLazily() {
        long now = System.nanoTime();
        if (now - lastCheckNanos >= checkEveryNanos && link.isUp() && refreshing.compareAndSet(false, true)) {
            lastCheckNanos = now;
            refresh().whenComplete((ok, e) -> refreshing.set(false));
        }
    }

    /** One {@code SET NX} of the current key and a read, adopting what Redis holds. */
    private CompletableFuture<Void> refresh() {
        Keys k = keys;
        CompletableFuture<String> answer;
        try {
            answer = eval.run(SET_NX_GET, redisKey, k.current().encoded());
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.thenAccept(stored -> {
            lastCheckNanos = System.nanoTime();
            if (stored != null && !stored.equals(k.current().encoded())) {
                adopt(stored);
            }
        });
    }

    private synchronized void adopt(String stored) {
        Keys k = keys;
        if (stored.equals(k.current().encoded())) {
            return;
        }
        keys = new Keys(Key.of(stored), k.current(), System.nanoTime() + PREVIOUS_LIFE.toNanos());
        log.info("cluster: Redis holds another shared tag key than this instance's (it came back empty and another instance "
                + "wrote its key first): adopted it; sigbridge.js sessions tagged here before keep verifying here for {} min",
                PREVIOUS_LIFE.toMinutes());
    }

    private static java.util.concurrent.Executor delayed(Duration delay) {
        return CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String fresh() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
