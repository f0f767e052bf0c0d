package org.sigbridge.web.socketio.sio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.cluster.SharedRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private sessions of socket.io connection state recovery (docs/socketio.md, "Connection state recovery"), by
 * {@code pid}: which namespace, family, verified sender and socket id a session had, the endpoint ids it published from
 * (so that its own envelopes are never replayed to it), and the channel position it joined at (for a client that got no
 * event before it lost its transport). A session is written when its socket connects, so nothing depends on a clean
 * disconnect; it may be taken back within {@code max-disconnection-duration} of its transport's end, once. A socket that
 * leaves on purpose (a DISCONNECT packet) is forgotten. Bounded: at most {@link #CAPACITY} sessions here, the oldest
 * dropped first.
 *
 * <p>On a cluster (docs/cluster.md §2, {@link SharedRecords}) each session is also kept in Redis as {@code sio:<pid>},
 * with the window as its time to live: set when the socket connects, renewed every third of the window while it is
 * connected (so a session outlives a {@code kill -9} of its instance by between two thirds of the window and the whole
 * window), and reset to the window when its transport ends. A claim takes it from Redis first ({@code GETDEL}: one
 * instance only gets it) and falls back to this instance's copy when Redis has none or cannot be reached.
 *
 * <p>Thread-safe (one lock around the local map; Redis calls never wait). {@link #claim} completes on a Redis thread
 * when it asks Redis, at once otherwise; it never completes exceptionally.
 */
public final class RecoverySessions implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RecoverySessions.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Sessions kept at most. */
    static final int CAPACITY = 100_000;
    /** Endpoint ids remembered per session (one per reconnection). */
    private static final int OWN_IDS = 8;

    /**
     * One session. {@code disconnectedAt} is 0 while its socket is connected; {@code sender} is null without verified
     * identity; {@code state} is what its family keeps with it for a return on another instance
     * ({@link SocketFamily.Recovery#save}), or {@code null}.
     */
    record Session(String pid, String namespace, String family, String sender, String socketId, Set<String> endpointIds,
                   Position baseline, long disconnectedAt, String state) {

        Session disconnected(long at) {
            return new Session(pid, namespace, family, sender, socketId, endpointIds, baseline, at, state);
        }

        Session withState(String newState) {
            return new Session(pid, namespace, family, sender, socketId, endpointIds, baseline, disconnectedAt, newState);
        }
    }

    /** The longest family state kept with a session (characters); a longer one is not kept (the return starts afresh). */
    static final int MAX_STATE = 4096;

    private final Map<String, Session> byPid = new LinkedHashMap<>();
    private final Duration window;
    private final long windowMillis;
    private final Clock clock;
    private final Supplier<Optional<SharedRecords>> shared;
    private final ScheduledFuture<?> renewal;
    private long nextSweep;

    /** Sessions on this instance only. */
    public RecoverySessions(Duration window, Clock clock) {
        this(window, clock, Optional::empty, null);
    }

    /**
     * @param shared the cluster's records when there is a cluster (asked at each use), else empty
     * @param timer  renews the connected sessions' time to live in Redis; {@code null} with no cluster
     */
    public RecoverySessions(Duration window, Clock clock, Supplier<Optional<SharedRecords>> shared, ScheduledExecutorService timer) {
        this.window = window;
        this.windowMillis = window.toMillis();
        this.clock = clock;
        this.shared = shared;
        long every = Math.max(1000, windowMillis / 3);
        this.renewal = timer == null ? null : timer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the session {@code pid} names for a socket reconnecting to {@code namespace} in {@code family} as
     * {@code sender} (null without verified identity): from Redis on a cluster, else (or when Redis has none) from this
     * instance. Empty when there is none, it is another namespace's, family's or sender's, or its transport broke longer
     * than the window ago. Any thread; never blocks.
     */
    CompletionStage<Optional<Session>> claim(String pid, String namespace, String family, String sender) {
        if (pid == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Optional<SharedRecords> records = shared.get();
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(claimHere(pid, namespace, family, sender));
        }
        return records.get().take(key(pid)).handle((value, failure) -> {
            if (failure != null) {
                log.debug("socket.io session {} not read from the cluster ({}); looking on this instance", pid, failure.toString());
            }
            Optional<Session> there = value == null ? Optional.empty() : value.flatMap(v -> parse(pid, v));
            if (there.isPresent()) {
                synchronized (this) {
                    byPid.remove(pid); // a copy here is older: the session was taken over elsewhere since
                }
                Session s = there.get();
                return matches(s, namespace, family, sender) ? there : Optional.<Session>empty();
            }
            return claimHere(pid, namespace, family, sender);
        });
    }

    private synchronized Optional<Session> claimHere(String pid, String namespace, String family, String sender) {
        Session s = byPid.remove(pid);
        if (s == null || !matches(s, namespace, family, sender)) {
            return Optional.empty();
        }
        if (s.disconnectedAt() != 0 && clock.millis() - s.disconnectedAt() > windowMillis) {
            return Optional.empty();
        }
        return Optional.of(s);
    }

    private static boolean matches(Session s, String namespace, String family, String sender) {
        return s.namespace().equals(namespace) && s.family().equals(family) && java.util.Objects.equals(s.sender(), sender);
    }

    /** A socket connected (fresh, or recovered with the ids of {@code previous}). */
    void connected(String pid, String namespace, String family, String sender, String socketId, String endpointId, Position baseline,
                   Set<String> previous) {
        Set<String> ids = new LinkedHashSet<>(previous);
        ids.add(endpointId);
        while (ids.size() > OWN_IDS) {
            ids.remove(ids.iterator().next());
        }
        Session s = new Session(pid, namespace, family, sender, socketId, Set.copyOf(ids), baseline, 0, null);
        synchronized (this) {
            sweep();
            byPid.put(pid, s);
            if (byPid.size() > CAPACITY) {
                byPid.remove(byPid.keySet().iterator().next());
            }
        }
        shared.get().ifPresent(r -> quietly(r.put(key(pid), write(s), window), "store", pid));
    }

    /**
     * The family's state for the session {@code pid} changed (an RTCMultiConnection user entered or left a room): kept
     * with it here and, on a cluster, in Redis, for a return on any instance. In Redis only while its socket is
     * connected: once its transport ended another instance may have taken the session, and this copy must not
     * overwrite that one's. Ignored for an unknown session or a state longer than {@link #MAX_STATE}; {@code null}
     * clears it. Any thread; never blocks.
     */
    void save(String pid, String state) {
        String kept = state != null && state.length() > MAX_STATE ? null : state;
        Session s;
        synchronized (this) {
            s = pid == null ? null : byPid.get(pid);
            if (s == null) {
                return;
            }
            s = s.withState(kept);
            byPid.put(pid, s);
        }
        if (s.disconnectedAt() == 0) {
            Session written = s;
            shared.get().ifPresent(r -> quietly(r.put(key(pid), write(written), window), "store", pid));
        }
    }

    /** The socket's transport ended: the window starts. */
    void disconnected(String pid) {
        boolean known;
        synchronized (this) {
            Session s = byPid.get(pid);
            known = s != null && s.disconnectedAt() == 0;
            if (known) {
                byPid.put(pid, s.disconnected(clock.millis()));
            }
        }
        if (known) {
            shared.get().ifPresent(r -> quietly(r.touch(List.of(key(pid)), window), "renew", pid));
        }
    }

    /** A claimed session whose socket closed before it could be resumed: kept again for the window. */
    void putBack(Session s) {
        synchronized (this) {
            byPid.put(s.pid(), s.disconnected(clock.millis()));
        }
        shared.get().ifPresent(r -> quietly(r.put(key(s.pid()), write(s), window), "store", s.pid()));
    }

    /** The socket left on purpose: nothing to recover. */
    void forget(String pid) {
        synchronized (this) {
            byPid.remove(pid);
        }
        shared.get().ifPresent(r -> quietly(r.remove(key(pid)), "remove", pid));
    }

    synchronized int size() {
        return byPid.size();
    }

    /** Stops renewing; what Redis holds expires by itself. Idempotent. */
    @Override
    public void close() {
        if (renewal != null) {
            renewal.cancel(false);
        }
    }

    /** The timer: the connected sessions' records in Redis live another window. */
    private void renew() {
        Optional<SharedRecords> records = shared.get();
        if (records.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>();
        synchronized (this) {
            for (Session s : byPid.values()) {
                if (s.disconnectedAt() == 0) {
                    keys.add(key(s.pid()));
                }
            }
        }
        try {
            quietly(records.get().touch(keys, window), "renew", keys.size() + " sessions");
        } catch (RejectedExecutionException stopping) {
            // the layer is closing
        }
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

    private static String key(String pid) {
        return "sio:" + pid;
    }

    private static void quietly(CompletionStage<?> stage, String what, String pid) {
        stage.whenComplete((ok, e) -> {
            if (e != null) {
                log.debug("socket.io session {}: could not {} it in the cluster ({}); it recovers on this instance only", pid, what,
                        e.toString());
            }
        });
    }

    static String write(Session s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("ns", s.namespace()).put("fam", s.family()).put("sid", s.socketId());
        if (s.sender() != null) {
            o.put("who", s.sender());
        }
        if (s.baseline() != null) {
            o.put("base", s.baseline().wire());
        }
        s.endpointIds().forEach(o.putArray("ids")::add);
        if (s.state() != null) {
            o.put("st", s.state());
        }
        return o.toString();
    }

    static Optional<Session> parse(String pid, String text) {
        try {
            JsonNode o = JSON.readTree(text);
            Set<String> ids = new LinkedHashSet<>();
            o.path("ids").forEach(n -> ids.add(n.asText()));
            Position base = o.hasNonNull("base") ? Position.parse(o.get("base").asText()).orElse(null) : null;
            return Optional.of(new Session(pid, o.path("ns").asText(), o.path("fam").asText(), o.hasNonNull("who") ? o.get("who").asText() : null,
                    o.path("sid").asText(), Set.copyOf(ids), base, 0, o.hasNonNull("st") ? o.get("st").asText() : null));
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("socket.io session {} in the cluster is unreadable ({}); the client starts afresh", pid, e.toString());
            return Optional.empty();
        }
    }
}
