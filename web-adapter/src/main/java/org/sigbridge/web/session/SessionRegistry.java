package org.sigbridge.web.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.sigbridge.web.dialect.Dialect;
import org.sigbridge.web.limit.AddressLimiter;

/**
 * The adapter's open sockets, for pings, drain and shutdown, and their per-address count. Thread-safe.
 * Once {@link #stopAccepting} is called, {@link #add} refuses new sockets.
 */
public final class SessionRegistry {

    private final ConcurrentHashMap<WebSession, SocketListener> open = new ConcurrentHashMap<>();
    private final AddressLimiter addresses;
    private volatile boolean accepting = true;

    public SessionRegistry(int maxConnectionsPerAddress) {
        this.addresses = new AddressLimiter(maxConnectionsPerAddress);
    }

    public AddressLimiter addresses() {
        return addresses;
    }

    /** Registers an open socket; false once the adapter stopped accepting. */
    boolean add(WebSession session, SocketListener listener) {
        if (!accepting) {
            return false;
        }
        open.put(session, listener);
        return true;
    }

    void remove(WebSession session) {
        open.remove(session);
    }

    public boolean isAccepting() {
        return accepting;
    }

    public void stopAccepting() {
        accepting = false;
    }

    public int size() {
        return open.size();
    }

    /** Open sockets by their dialect now, every dialect present (0 when none). Any thread. */
    public Map<Dialect, Integer> countByDialect() {
        Map<Dialect, Integer> counts = new EnumMap<>(Dialect.class);
        for (Dialect d : Dialect.values()) {
            counts.put(d, 0);
        }
        open.keySet().forEach(s -> counts.merge(s.dialect(), 1, Integer::sum));
        return counts;
    }

    /** Pings every open socket. Timer thread. */
    public void pingAll() {
        open.values().forEach(SocketListener::ping);
    }

    /**
     * Waits until every socket's outbound queue is empty or {@code grace} passes. Bridge's stopping thread.
     *
     * @return whether every queue drained
     */
    public boolean awaitDrained(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        for (WebSession s : List.copyOf(open.keySet())) {
            long left = deadline - System.nanoTime();
            if (!s.queue().awaitIdle(Duration.ofNanos(Math.max(0, left)))) {
                return false;
            }
        }
        return true;
    }

    /** Closes every socket with 1001 "going away". */
    public void closeAll(String reason) {
        for (WebSession s : new ArrayList<>(open.keySet())) {
            s.closeWith(CloseCodes.GOING_AWAY, reason);
        }
    }
}
