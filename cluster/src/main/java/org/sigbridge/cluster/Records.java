package org.sigbridge.cluster;

import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.sigbridge.spi.cluster.SharedRecords;

/**
 * {@link SharedRecords} on the layer's command connection: {@code <prefix>:rec:<key>} strings with a time to live
 * ({@code SET … PX}, {@code GETDEL}, {@code PEXPIRE}, {@code DEL}). Any thread, never blocks; while Redis is unreachable
 * every stage fails at once (the link rejects commands while disconnected), within the command timeout otherwise.
 */
final class Records implements SharedRecords {

    private final RedisLink link;
    private final String prefix;

    Records(RedisLink link, String keyPrefix) {
        this.link = link;
        this.prefix = keyPrefix + ":rec:";
    }

    @Override
    public CompletionStage<Void> put(String key, String value, Duration ttl) {
        return run(() -> link.async().set(prefix + key, value, io.lettuce.core.SetArgs.Builder.px(Math.max(1, ttl.toMillis())))
                .thenApply(ok -> null));
    }

    @Override
    public CompletionStage<Optional<String>> take(String key) {
        return run(() -> link.async().getdel(prefix + key).thenApply(Optional::ofNullable));
    }

    @Override
    public CompletionStage<Void> touch(Collection<String> keys, Duration ttl) {
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return run(() -> {
            CompletableFuture<?>[] all = keys.stream()
                    .map(k -> link.async().pexpire(prefix + k, Math.max(1, ttl.toMillis())).toCompletableFuture())
                    .toArray(CompletableFuture[]::new);
            return CompletableFuture.allOf(all);
        });
    }

    @Override
    public CompletionStage<Void> remove(String key) {
        return run(() -> link.async().del(prefix + key).thenApply(n -> null));
    }

    private static <T> CompletionStage<T> run(java.util.function.Supplier<CompletionStage<T>> command) {
        try {
            return command.get();
        } catch (RedisException | IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
