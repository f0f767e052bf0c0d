package org.sigbridge.sip.session;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A bounded memory of recently seen keys with a value each (e.g. request key → status answered). Used to
 * answer retransmissions the transaction layer no longer absorbs and to publish each envelope id once.
 * The oldest key is forgotten beyond the capacity. Thread-safe.
 */
public final class RecentKeys {

    private final Map<String, Integer> keys;

    public RecentKeys(int capacity) {
        this.keys = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Remembers {@code key} with {@code value} unless known. @return the earlier value if it was known */
    public synchronized Optional<Integer> putIfAbsent(String key, int value) {
        Integer previous = keys.putIfAbsent(key, value);
        return Optional.ofNullable(previous);
    }

    /** Records the final value for a known key. */
    public synchronized void update(String key, int value) {
        keys.replace(key, value);
    }

    public synchronized void remove(String key) {
        keys.remove(key);
    }
}
