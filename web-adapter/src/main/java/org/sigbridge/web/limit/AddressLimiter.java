package org.sigbridge.web.limit;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts open connections per client address and refuses one over the limit. Thread-safe; entries vanish
 * when their count reaches zero, so memory follows the number of connected addresses. Each entry keeps the first
 * connection's address string, which later connections from that address may share ({@link #shared}) instead of each
 * keeping its own copy (docs/benchmarks.md, "Idle memory per socket.io session, session 12").
 */
public final class AddressLimiter {

    private final int max;
    private final ConcurrentHashMap<String, Slots> open = new ConcurrentHashMap<>();

    /** The open connections of one address, and the address as the first of them gave it. */
    private record Slots(String address, int count) {
    }

    public AddressLimiter(int max) {
        this.max = max;
    }

    /** Whether {@code address} is below its limit now (a cheap pre-check before an upgrade). */
    public boolean hasRoom(String address) {
        Slots s = open.get(address);
        return (s == null ? 0 : s.count()) < max;
    }

    /** Takes a slot; false if the address already holds {@code max}. */
    public boolean tryAcquire(String address) {
        boolean[] taken = new boolean[1];
        open.compute(address, (a, n) -> {
            int count = n == null ? 0 : n.count();
            if (count >= max) {
                return n;
            }
            taken[0] = true;
            return new Slots(n == null ? a : n.address(), count + 1);
        });
        return taken[0];
    }

    /** Gives back a slot taken with {@link #tryAcquire}. */
    public void release(String address) {
        open.computeIfPresent(address, (a, n) -> n.count() <= 1 ? null : new Slots(n.address(), n.count() - 1));
    }

    /**
     * The string this limiter keeps for {@code address} (equal to it), for a connection holding a slot to keep instead of
     * its own; {@code address} itself when no connection of that address is open.
     */
    public String shared(String address) {
        Slots s = open.get(address);
        return s == null ? address : s.address();
    }
}
