package org.sigbridge.web.limit;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts open connections per client address and refuses one over the limit. Thread-safe; entries vanish
 * when their count reaches zero, so memory follows the number of connected addresses.
 */
public final class AddressLimiter {

    private final int max;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    public AddressLimiter(int max) {
        this.max = max;
    }

    /** Whether {@code address} is below its limit now (a cheap pre-check before an upgrade). */
    public boolean hasRoom(String address) {
        return open.getOrDefault(address, 0) < max;
    }

    /** Takes a slot; false if the address already holds {@code max}. */
    public boolean tryAcquire(String address) {
        boolean[] taken = new boolean[1];
        open.compute(address, (a, n) -> {
            int count = n == null ? 0 : n;
            if (count >= max) {
                return n;
            }
            taken[0] = true;
            return count + 1;
        });
        return taken[0];
    }

    /** Gives back a slot taken with {@link #tryAcquire}. */
    public void release(String address) {
        open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }
}
