package org.sigbridge.web.classic;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.ResumeResult;
import org.sigbridge.web.WebStats;

/**
 * One seed socket's side of server-side checkpoints (docs/design.md §3.8, "Server-side checkpoints for seed dialects"):
 * the position of the last envelope handed to it on each channel (the same token {@code sigbridge.js} keeps), the
 * sender id its envelopes carry, the endpoint ids of the sockets whose checkpoints it took, and, when it closes, a
 * {@link Checkpoints.Checkpoint} per channel it was still on. Exists only for a socket that may get checkpoints
 * ({@code checkpoints.*}, its identity mode).
 *
 * <p>Threads: {@link #delivered} on any publishing thread (in position order per channel); {@link #sentAs} on the
 * socket's reading thread; the rest on the thread that joins, claims or closes. Never blocks.
 */
final class SeedResume {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SeedResume.class);

    private final Checkpoints store;
    private final String selfId;
    private final WebStats stats;
    /** By channel: the last position handed to the socket, or where it joined. */
    private final Map<String, Position> last = new ConcurrentHashMap<>(4);
    /** Endpoint ids of the sockets whose checkpoints this one took, oldest first. */
    private volatile Set<String> former = Set.of();
    /** The sender its envelopes carried (written by the reading thread, read at the close), and whether they named several. */
    private volatile String envelopeSender;
    private volatile boolean mixed;

    SeedResume(Checkpoints store, String selfId, WebStats stats) {
        this.store = store;
        this.selfId = selfId;
        this.stats = stats;
    }

    /** An envelope was handed to the socket (queued for it). */
    void delivered(String channel, Position position) {
        if (position != null) {
            last.put(channel, position);
        }
    }

    /** The socket joined {@code channel} at {@code position} (kept unless a delivery came first). */
    void joinedAt(String channel, Position position) {
        if (position != null) {
            last.putIfAbsent(channel, position);
        }
    }

    /** The socket left {@code channel} on purpose: nothing to keep. */
    void left(String channel) {
        last.remove(channel);
    }

    /**
     * An envelope socket published as {@code sender} (docs/dialects.md §3.2). Its sender id is the one its envelopes
     * carry: a string, or a number's JSON text; a socket whose envelopes named several, or none, has none. Reading thread.
     */
    void sentAs(JsonValue sender) {
        if (mixed) {
            return;
        }
        String id = sender.isString() ? sender.asText() : isNumber(sender.json()) ? sender.json() : null;
        if (id == null || id.isEmpty() || id.length() > 256 || (envelopeSender != null && !envelopeSender.equals(id))) {
            mixed = true; // no sender, or more than one: no id, now or later
            envelopeSender = null;
            return;
        }
        envelopeSender = id;
    }

    private static boolean isNumber(String json) {
        return !json.isEmpty() && (json.charAt(0) == '-' || Character.isDigit(json.charAt(0)));
    }

    /** The sender id the socket's envelopes carried, or {@code null}. Any thread. */
    String envelopeSender() {
        return mixed ? null : envelopeSender;
    }

    /** Takes the checkpoint of {@code channel} and {@code sender}; see {@link Checkpoints#claim}. */
    CompletionStage<Optional<Checkpoints.Checkpoint>> claim(String channel, String sender) {
        return store.claim(channel, sender);
    }

    /**
     * A claimed checkpoint is about to be resumed: the socket starts from its position, and its endpoint ids are this
     * socket's own from now on (their envelopes are never replayed to it, nor to a later claimer).
     */
    void resuming(Checkpoints.Checkpoint c) {
        Set<String> ids = new LinkedHashSet<>(former);
        ids.addAll(c.endpointIds());
        former = java.util.Collections.unmodifiableSet(ids);
        joinedAt(c.channel(), c.position());
    }

    /** The endpoint ids a resume leaves out: the former sockets' (oldest first) and this one's, last. */
    Set<String> ownIds() {
        Set<String> ids = new LinkedHashSet<>(former);
        ids.add(selfId);
        return java.util.Collections.unmodifiableSet(ids);
    }

    /** Counts how a claimed checkpoint's resume ended. */
    void resumed(ResumeResult result) {
        if (result instanceof ResumeResult.Recovered) {
            stats.countCheckpoint(WebStats.Checkpoint.RECOVERED);
        } else if (result instanceof ResumeResult.NotRecovered nr) {
            stats.countCheckpoint(WebStats.Checkpoint.NOT_RECOVERED);
            log.info("{}: its checkpoint was taken but not recovered ({}); it gets what is sent from now on", selfId, nr.reason());
        }
    }

    /** The socket did not live to use a checkpoint it took: kept again for its window. */
    void putBack(Checkpoints.Checkpoint c) {
        store.putBack(c);
    }

    /**
     * The socket closed while on {@code channels} as {@code sender}: one checkpoint per channel it has a position on.
     * Closing thread, after the socket's queue closed (no later delivery moves a position).
     */
    void closed(Set<String> channels, String sender) {
        if (sender == null) {
            return;
        }
        Set<String> ids = new LinkedHashSet<>(ownIds());
        while (ids.size() > Checkpoints.OWN_IDS) {
            ids.remove(ids.iterator().next());
        }
        Set<String> kept = java.util.Collections.unmodifiableSet(ids);
        for (String channel : channels) {
            Position p = last.get(channel);
            if (p != null) {
                store.write(new Checkpoints.Checkpoint(channel, sender, p, kept));
            }
        }
    }
}
