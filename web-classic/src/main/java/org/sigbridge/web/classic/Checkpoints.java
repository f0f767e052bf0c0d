package org.sigbridge.web.classic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.cluster.SharedRecords;
import org.sigbridge.web.CheckpointSettings;
import org.sigbridge.web.WebStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-side checkpoints of the seed WebSocket formats (docs/design.md §3.8, "Server-side checkpoints for seed
 * dialects"): where a seed socket with a sender id stood on a channel when it closed, for {@code checkpoints.window}, so
 * that a socket joining that channel with that sender id within the window, on any instance, can take it once and be
 * handed the gap through the hub's resume.
 *
 * <p>Where they are kept: in this instance's memory (bounded: {@link #CAPACITY}, the oldest dropped first; expired by
 * the clock) and, with a {@code cluster:} section, also in the cluster's short-lived records ({@link SharedRecords},
 * {@code ckpt:<key>} with the window as time to live; docs/cluster.md §2). A claim takes it from the cluster first
 * ({@code GETDEL}: one instance, one claimer only) and uses this instance's copy only when the cluster cannot be
 * reached; when the cluster answered, this instance's copy is dropped either way (taken elsewhere, or expired). The key
 * is a hash of channel and sender (neither may be read as part of the other); the record names both, and a claim checks
 * them.
 *
 * <p>When the cluster cannot be reached (docs/cluster.md §2, "Checkpoints for seed WebSocket pages"): a write is kept
 * here only, a claim looks here only, and a claim that finds nothing here counts as {@code not_recovered} (the socket
 * joins live: a checkpoint another instance wrote cannot be asked for). Each such write or claim is counted as
 * {@code unshared}; the first of an outage is logged (WARN), the end of it once (INFO), nothing in between. Nothing
 * waits longer than the cluster's command timeout (while it is known to be down, its commands fail at once).
 *
 * <p>Thread-safe (one lock around the local map; cluster calls never wait). {@link #claim} completes at once without a
 * cluster, else on a thread of the cluster layer; it never completes exceptionally.
 */
final class Checkpoints {

    private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Checkpoints kept here at most. */
    static final int CAPACITY = 100_000;
    /** Endpoint ids a checkpoint remembers (one per reconnection), the newest kept. */
    static final int OWN_IDS = 8;

    /**
     * Where a seed socket stood on a channel when it closed.
     *
     * @param position    the position of the last envelope handed to it (or where it joined, when it got none)
     * @param endpointIds the endpoint ids it (and the sockets it took checkpoints from) sent from
     */
    record Checkpoint(String channel, String sender, Position position, Set<String> endpointIds) {
    }

    private record Kept(Checkpoint checkpoint, long expiresAt) {
    }

    private final CheckpointSettings settings;
    private final Clock clock;
    private final Supplier<Optional<SharedRecords>> shared;
    private final WebStats stats;
    private final Map<String, Kept> here = new LinkedHashMap<>();
    private long nextSweep;
    /** Whether the last cluster call failed: the outage was logged, and its end is logged once. */
    private final AtomicBoolean unreachable = new AtomicBoolean();

    /**
     * @param shared the cluster's records when there is a cluster (asked at each use), else empty
     */
    Checkpoints(CheckpointSettings settings, Clock clock, Supplier<Optional<SharedRecords>> shared, WebStats stats) {
        this.settings = settings;
        this.clock = clock;
        this.shared = shared;
        this.stats = stats;
    }

    /** Whether a socket of this identity mode gets checkpoints ({@code checkpoints.window}, {@code checkpoints.unverified}). */
    boolean enabledFor(boolean verifiedIdentity) {
        return settings.enabledFor(verifiedIdentity);
    }

    /**
     * Keeps a checkpoint for the window, replacing an older one of the same channel and sender. Counted as written at
     * once on one instance, when Redis has answered on a cluster (a claim on another instance can find it from then on;
     * one that comes sooner finds nothing and joins plainly). Any thread; never blocks.
     */
    void write(Checkpoint c) {
        String key = key(c.channel(), c.sender());
        synchronized (this) {
            sweep();
            here.remove(key);
            here.put(key, new Kept(c, clock.millis() + settings.window().toMillis()));
            if (here.size() > CAPACITY) {
                here.remove(here.keySet().iterator().next());
            }
        }
        Optional<SharedRecords> records = shared.get();
        if (records.isEmpty()) {
            stats.countCheckpoint(WebStats.Checkpoint.WRITTEN);
            return;
        }
        CompletionStage<Void> stored;
        try {
            stored = records.get().put(key, encode(c), settings.window());
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        stored.whenComplete((ok, e) -> {
            if (e != null) {
                unshared("stored", c.channel(), c.sender(), e);
            } else {
                reached();
            }
            stats.countCheckpoint(WebStats.Checkpoint.WRITTEN); // once Redis answered (or failed): kept here either way
        });
    }

    /**
     * Takes the checkpoint of {@code channel} and {@code sender}, once: empty when there is none, it expired, or another
     * socket took it. Any thread; never blocks.
     */
    CompletionStage<Optional<Checkpoint>> claim(String channel, String sender) {
        String key = key(channel, sender);
        Optional<SharedRecords> records = shared.get();
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(claimHere(key, channel, sender));
        }
        CompletionStage<Optional<String>> taken;
        try {
            taken = records.get().take(key);
        } catch (RuntimeException e) {
            taken = CompletableFuture.failedFuture(e);
        }
        return taken.handle((value, failure) -> {
            if (failure != null) {
                unshared("read", channel, sender, failure);
                Optional<Checkpoint> mine = claimHere(key, channel, sender);
                if (mine.isEmpty()) {
                    stats.countCheckpoint(WebStats.Checkpoint.NOT_RECOVERED); // one may wait in Redis: it joins live
                }
                return mine;
            }
            reached();
            synchronized (this) {
                here.remove(key); // the cluster answered: its copy is the one that counts
            }
            return value.flatMap(v -> parse(v)).filter(c -> c.channel().equals(channel) && c.sender().equals(sender));
        });
    }

    private synchronized Optional<Checkpoint> claimHere(String key, String channel, String sender) {
        Kept k = here.remove(key);
        if (k == null || k.expiresAt() < clock.millis()) {
            return Optional.empty();
        }
        Checkpoint c = k.checkpoint();
        return c.channel().equals(channel) && c.sender().equals(sender) ? Optional.of(c) : Optional.empty();
    }

    /** A claimed checkpoint whose socket left before it was used: kept again for the window. */
    void putBack(Checkpoint c) {
        write(c);
    }

    synchronized int size() {
        return here.size();
    }

    /** Drops what expired, at most once a second. Holding the lock. */
    private void sweep() {
        long now = clock.millis();
        if (now < nextSweep) {
            return;
        }
        nextSweep = now + 1000;
        for (Iterator<Kept> it = here.values().iterator(); it.hasNext(); ) {
            if (it.next().expiresAt() < now) {
                it.remove();
            }
        }
    }

    /**
     * {@code ckpt:} and the base64url of the first 128 bits of SHA-256 over the channel's length, the channel and the
     * sender: a channel name may hold any character, so no separator could keep ({@code a/b}, {@code c}) and ({@code a},
     * {@code b/c}) apart.
     */
    static String key(String channel, String sender) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((channel.length() + ":" + channel + "/" + sender).getBytes(StandardCharsets.UTF_8));
            byte[] digest = sha.digest();
            return "ckpt:" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** A cluster call failed: counted; logged when it is the first of an outage. */
    private void unshared(String what, String channel, String sender, Throwable cause) {
        stats.countCheckpoint(WebStats.Checkpoint.UNSHARED);
        Throwable root = cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        if (unreachable.compareAndSet(false, true)) {
            log.warn("seed-page checkpoints: the cluster cannot be reached ({}; the checkpoint of '{}' on '{}' was not {} there);"
                    + " until it answers, checkpoints are kept and claimed on this instance only, and a page that reconnects to"
                    + " another instance joins without its gap (counted in sigbridge_web_checkpoints_total{event=\"unshared\"};"
                    + " logged once per outage). See the cluster leg in /readyz", root.toString(), sender, channel, what);
        } else {
            log.debug("checkpoint of '{}' on '{}' not {} in the cluster ({})", sender, channel, what, root.toString());
        }
    }

    /** A cluster call succeeded: the end of an outage is logged once. */
    private void reached() {
        if (unreachable.compareAndSet(true, false)) {
            log.info("seed-page checkpoints: the cluster answers again; checkpoints are shared across instances again");
        }
    }

    static String encode(Checkpoint c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("ch", c.channel()).put("who", c.sender()).put("pos", c.position().wire());
        c.endpointIds().forEach(o.putArray("ids")::add);
        return o.toString();
    }

    static Optional<Checkpoint> parse(String text) {
        try {
            JsonNode o = JSON.readTree(text);
            Set<String> ids = new LinkedHashSet<>();
            o.path("ids").forEach(n -> ids.add(n.asText()));
            Optional<Position> p = Position.parse(o.path("pos").asText(null));
            if (p.isEmpty() || !o.path("ch").isTextual() || !o.path("who").isTextual()) {
                throw new IllegalArgumentException("channel, sender or position missing");
            }
            return Optional.of(new Checkpoint(o.get("ch").asText(), o.get("who").asText(), p.get(), java.util.Collections.unmodifiableSet(ids)));
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("a checkpoint in the cluster is unreadable ({}); its socket joins without a replay", e.toString());
            return Optional.empty();
        }
    }
}
