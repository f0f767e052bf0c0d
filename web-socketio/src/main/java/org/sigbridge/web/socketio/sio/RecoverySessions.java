package org.sigbridge.web.socketio.sio;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sigbridge.spi.Position;

/**
 * The private sessions of socket.io connection state recovery (docs/socketio.md, "Connection state recovery"), by
 * {@code pid}: which namespace and socket id a session had, the endpoint ids it published from (so that its own
 * envelopes are never replayed to it), and the channel position it joined at (for a client that got no event before it
 * lost its transport). A session is written when its socket connects, so nothing depends on a clean disconnect; it may
 * be taken back within {@code max-disconnection-duration} of its transport's end, once. A socket that leaves on
 * purpose (a DISCONNECT packet) is forgotten. Bounded: at most {@link #CAPACITY} sessions, the oldest dropped first.
 * Thread-safe (one lock; every call is a map operation).
 */
public final class RecoverySessions {

    /** Sessions kept at most. */
    static final int CAPACITY = 100_000;
    /** Endpoint ids remembered per session (one per reconnection). */
    private static final int OWN_IDS = 8;

    /** One session. {@code disconnectedAt} is 0 while its socket is connected. */
    record Session(String pid, String namespace, String socketId, Set<String> endpointIds, Position baseline, long disconnectedAt) {
    }

    private final Map<String, Session> byPid = new LinkedHashMap<>();
    private final long windowMillis;
    private final Clock clock;
    private long nextSweep;

    public RecoverySessions(Duration window, Clock clock) {
        this.windowMillis = window.toMillis();
        this.clock = clock;
    }

    /**
     * Takes the session {@code pid} names for a socket reconnecting to {@code namespace}; empty when there is none, it
     * is another namespace's, or its transport broke longer than the window ago.
     */
    synchronized Optional<Session> claim(String pid, String namespace) {
        Session s = pid == null ? null : byPid.remove(pid);
        if (s == null || !s.namespace().equals(namespace)) {
            return Optional.empty();
        }
        if (s.disconnectedAt() != 0 && clock.millis() - s.disconnectedAt() > windowMillis) {
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** A socket connected (fresh, or recovered with the ids of {@code previous}). */
    synchronized void connected(String pid, String namespace, String socketId, String endpointId, Position baseline,
                                Set<String> previous) {
        sweep();
        Set<String> ids = new LinkedHashSet<>(previous);
        ids.add(endpointId);
        while (ids.size() > OWN_IDS) {
            ids.remove(ids.iterator().next());
        }
        byPid.put(pid, new Session(pid, namespace, socketId, Set.copyOf(ids), baseline, 0));
        if (byPid.size() > CAPACITY) {
            byPid.remove(byPid.keySet().iterator().next());
        }
    }

    /** The socket's transport ended: the window starts. */
    synchronized void disconnected(String pid) {
        Session s = byPid.get(pid);
        if (s != null && s.disconnectedAt() == 0) {
            byPid.put(pid, new Session(s.pid(), s.namespace(), s.socketId(), s.endpointIds(), s.baseline(), clock.millis()));
        }
    }

    /** The socket left on purpose: nothing to recover. */
    synchronized void forget(String pid) {
        byPid.remove(pid);
    }

    synchronized int size() {
        return byPid.size();
    }

    private void sweep() {
        long now = clock.millis();
        if (now < nextSweep) {
            return;
        }
        nextSweep = now + 1000;
        for (Iterator<Session> it = byPid.values().iterator(); it.hasNext(); ) {
            Session s = it.next();
            if (s.disconnectedAt() != 0 && now - s.disconnectedAt() > windowMillis) {
                it.remove();
            }
        }
    }
}
