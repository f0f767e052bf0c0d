package org.sigbridge.web.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.sigbridge.web.limit.AddressLimiter;
import org.sigbridge.web.spi.WebConnection;

/**
 * The adapter's open connections of every dialect, for pings, drain and shutdown, and their per-address count.
 * Thread-safe. Once {@link #stopAccepting} is called, {@link #add} refuses new connections.
 */
public final class SessionRegistry {

    private final Set<WebConnection> open = ConcurrentHashMap.newKeySet();
    private final Set<String> labels = new CopyOnWriteArraySet<>();
    private final AddressLimiter addresses;
    private volatile boolean accepting = true;

    public SessionRegistry(int maxConnectionsPerAddress) {
        this.addresses = new AddressLimiter(maxConnectionsPerAddress);
    }

    public AddressLimiter addresses() {
        return addresses;
    }

    /** Dialect names {@link #countByDialect} reports even at 0. Called at start by the adapter. */
    public void declareDialects(Collection<String> names) {
        labels.addAll(names);
    }

    /** Registers an open connection; false once the adapter stopped accepting. Any thread. */
    public boolean add(WebConnection connection) {
        if (!accepting) {
            return false;
        }
        open.add(connection);
        return true;
    }

    /** Forgets a closed connection. Any thread; idempotent. */
    public void remove(WebConnection connection) {
        open.remove(connection);
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

    /** Open connections by their dialect name now, every declared name present (0 when none). Any thread. */
    public Map<String, Integer> countByDialect() {
        Map<String, Integer> counts = new TreeMap<>();
        for (String d : labels) {
            counts.put(d, 0);
        }
        open.forEach(c -> counts.merge(c.dialect(), 1, Integer::sum));
        return counts;
    }

    /** Pings every open connection. Timer thread. */
    public void pingAll() {
        open.forEach(WebConnection::ping);
    }

    /**
     * Waits until every connection's outbound queue is empty or {@code grace} passes. Bridge's stopping thread.
     *
     * @return whether every queue drained
     */
    public boolean awaitDrained(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        for (WebConnection c : List.copyOf(open)) {
            long left = deadline - System.nanoTime();
            if (!c.outbound().awaitIdle(Duration.ofNanos(Math.max(0, left)))) {
                return false;
            }
        }
        return true;
    }

    /** Closes every connection with 1001 "going away". */
    public void closeAll(String reason) {
        for (WebConnection c : new ArrayList<>(open)) {
            c.closeWith(CloseCodes.GOING_AWAY, reason);
        }
    }
}
