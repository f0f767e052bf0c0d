package org.sigbridge.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A bounded memory of recently seen keys, each with a value: envelope ids already published (a resend or
 * a retransmission must not become a second delivery), ids this adapter sent (to recognise its own
 * reflections), SIP request keys with the status they were answered with. Beyond {@code capacity} the
 * oldest key (by first insertion) is forgotten, so memory stays bounded whatever the peers send.
 *
 * <p>Thread-safe (each call holds the instance's lock briefly); never blocks otherwise. Keys and values
 * must not be {@code null}.
 *
 * @param <K> the key, usually an id string
 * @param <V> what is remembered with it; {@code Boolean.TRUE} when only presence matters
 */
public final class RecentIds<K, V> {

    private final int capacity;
    private final Map<K, V> entries;

    /** @param capacity keys kept at most, at least 1 */
    public RecentIds(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1024) * 4 / 3 + 1, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > RecentIds.this.capacity;
            }
        };
    }

    /**
     * Remembers {@code key} with {@code value} unless it is known.
     *
     * @return the value remembered earlier (the key is a repeat), or empty when it was new
     */
    public synchronized Optional<V> putIfAbsent(K key, V value) {
        return Optional.ofNullable(entries.putIfAbsent(key, value));
    }

    /** Remembers {@code key} with {@code value}, replacing what was there; a new key counts as the newest. */
    public synchronized void put(K key, V value) {
        entries.put(key, value);
    }

    /** Sets the value of a key that is still remembered; does nothing for an unknown or forgotten key. */
    public synchronized void update(K key, V value) {
        entries.replace(key, value);
    }

    /** Forgets {@code key}, e.g. so that a request that failed may be retried. */
    public synchronized void remove(K key) {
        entries.remove(key);
    }

    public synchronized boolean contains(K key) {
        return entries.containsKey(key);
    }

    public synchronized Optional<V> get(K key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** Keys remembered now, at most the capacity. */
    public synchronized int size() {
        return entries.size();
    }
}
