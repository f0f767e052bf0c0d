package org.sigbridge.web.peerjs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.web.PeerJsSettings;
import org.sigbridge.web.spi.Admission;
import org.sigbridge.web.spi.WebHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PeerJS server (the reference's realm) on one web adapter: the peers connected here by id, the messages waiting
 * for a peer that is not connected anywhere yet, and the sweep that expires those and closes silent peers.
 *
 * <p>Peers of key {@code k} are the subscribers of hub channel {@code peerjs/k} ({@link #channel}); a relayed message
 * is an addressed envelope on it, so a {@code dst} on another bridge is reached through the channel's link.
 *
 * <p>Threads: {@link #admit} runs on Jetty threads; {@link #register}, {@link #relay} and {@link #unregister} on
 * connections' readers; {@link #sweep} on the host's timer; publishing threads reach it through
 * {@link PeerSession#deliveryFailed}. The peer map is concurrent; the waiting queues are guarded by {@code this}
 * (short sections, no I/O inside). Nothing blocks.
 */
final class PeerJsServer {

    private static final Logger log = LoggerFactory.getLogger(PeerJsServer.class);

    /** Envelopes sent recently, by id, so a later refusal ({@code no_such_recipient} from a link) can queue them. */
    private static final int IN_FLIGHT = 4096;

    private final WebHost host;
    private final PeerJsSettings settings;
    private final String channel;
    private final Map<String, PeerSession> peers = new ConcurrentHashMap<>();
    /** Waiting messages by absent {@code dst}, oldest first. Guarded by {@code this}. */
    private final Map<String, Deque<Waiting>> waiting = new LinkedHashMap<>();
    /** Guarded by {@code this}. */
    private final Map<String, Waiting> inFlight = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Waiting> eldest) {
            return size() > IN_FLIGHT;
        }
    };

    /** A message for an absent peer: who sent it, the frame to write, the envelope to publish again, since when. */
    record Waiting(String src, String dst, String frame, Envelope envelope, long sinceMillis) {
    }

    PeerJsServer(WebHost host, PeerJsSettings settings) {
        this.host = host;
        this.settings = settings;
        this.channel = channel(settings.key());
    }

    /** The hub channel of a key's peers: {@code peerjs/<key>}. */
    static String channel(String key) {
        return "peerjs/" + key;
    }

    String channel() {
        return channel;
    }

    WebHost host() {
        return host;
    }

    PeerJsSettings settings() {
        return settings;
    }

    AdapterContext hub() {
        return host.hub();
    }

    /**
     * An upgrade on {@code {path}peerjs}: always accepted, as the reference does; the admission rules answer in
     * PeerJS frames once the socket is open ({@link PeerSession#onOpen}). Jetty thread.
     */
    Admission admit(Request request) {
        Fields query = Request.extractQueryParameters(request);
        String key = query.getValue("key");
        String id = query.getValue("id");
        String token = query.getValue("token");
        return new Admission.Accept(connection -> new PeerSession(connection, this, key, id, token));
    }

    /** What {@link #register} decided. */
    enum Registration { OPENED, REPLACED, TAKEN, FULL }

    /**
     * Registers a peer by id: a new id opens; the same id with the same token replaces the earlier socket (no OPEN, as
     * the reference); another token, or an id a peer on another bridge holds, is taken. Reader thread.
     */
    Registration register(PeerSession session) {
        String id = session.peerId();
        if (takenElsewhere(id)) {
            return Registration.TAKEN;
        }
        PeerSession[] replaced = new PeerSession[1];
        Registration[] outcome = new Registration[1];
        peers.compute(id, (k, existing) -> {
            if (existing != null) {
                if (!existing.token().equals(session.token())) {
                    outcome[0] = Registration.TAKEN;
                    return existing;
                }
                replaced[0] = existing;
                outcome[0] = Registration.REPLACED;
                return session;
            }
            if (peers.size() >= settings.concurrentLimit()) {
                outcome[0] = Registration.FULL;
                return null;
            }
            outcome[0] = Registration.OPENED;
            return session;
        });
        if (replaced[0] != null) {
            replaced[0].replaced();
        }
        return outcome[0];
    }

    /** Whether a participant on the channel's link (a peer on another bridge) already holds this id. */
    private boolean takenElsewhere(String id) {
        for (Participant p : hub().participants(channel)) {
            if (!p.adapter().equals(host.adapter()) && p.id().equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** Removes the peer if {@code session} is still its socket. Any thread. */
    void unregister(PeerSession session) {
        peers.remove(session.peerId(), session);
    }

    /** The messages that waited for {@code id}, now connected here, in order; removed. Reader thread. */
    synchronized List<Waiting> takeWaiting(String id) {
        Deque<Waiting> queue = waiting.remove(id);
        return queue == null ? List.of() : List.copyOf(queue);
    }

    /** Publishes a relayed message; an absent {@code dst} queues OFFER/ANSWER/CANDIDATE. Reader thread. */
    void relay(PeerSession from, Waiting message, String type) {
        PublishResult result = hub().publish(message.envelope(), from);
        boolean notDelivered = result instanceof PublishResult.Refused
                || (result instanceof PublishResult.Published p && p.delivered() == 0 && p.queued() == 0);
        if (!notDelivered) {
            if (PeerMessage.QUEUED.contains(type)) {
                synchronized (this) {
                    inFlight.put(message.envelope().id(), message);
                }
            }
            return;
        }
        if (PeerMessage.QUEUED.contains(type)) {
            enqueue(message);
        } else {
            log.debug("{}: {} from '{}' to absent '{}' dropped", host.adapter(), type, message.src(), message.dst());
        }
    }

    /** A link refused an envelope sent earlier ({@code no_such_recipient}): queue it if it still may wait. */
    void refusedLater(String envelopeId) {
        Waiting message;
        synchronized (this) {
            message = inFlight.remove(envelopeId);
        }
        if (message != null) {
            enqueue(message);
        }
    }

    /** Forgets an envelope that was delivered or finally failed. */
    synchronized Waiting forget(String envelopeId) {
        return inFlight.remove(envelopeId);
    }

    private void enqueue(Waiting message) {
        PeerSession now = peers.get(message.dst());
        if (now != null && now.send(message.frame())) {
            return; // the peer connected meanwhile
        }
        synchronized (this) {
            Deque<Waiting> queue = waiting.get(message.dst());
            if (queue == null) {
                if (waiting.size() >= settings.concurrentLimit()) {
                    log.debug("{}: {} absent peers have messages waiting; dropping one for '{}'", host.adapter(), waiting.size(),
                            message.dst());
                    return;
                }
                queue = new ArrayDeque<>();
                waiting.put(message.dst(), queue);
            }
            if (queue.size() >= settings.queueMessages()) {
                queue.removeFirst();
            }
            queue.addLast(message);
        }
    }

    /**
     * The timer's pass: messages that waited {@code expire-timeout} are dropped and each sender told {@code EXPIRE}
     * once per absent peer; queues whose peer now shows on the channel's link are published again; peers silent for
     * {@code alive-timeout} are closed. Timer thread; short.
     */
    void sweep() {
        try {
            long now = host.hub().clock().millis();
            expireAndRetry(now);
            long alive = settings.aliveTimeout().toMillis();
            for (PeerSession peer : peers.values()) {
                if (now - peer.lastHeartbeat() > alive) {
                    log.debug("{}: peer '{}' sent no heartbeat for {}; closing", host.adapter(), peer.peerId(),
                            org.sigbridge.config.DurationText.format(settings.aliveTimeout()));
                    peer.closeSilent();
                }
            }
        } catch (RuntimeException e) {
            log.warn("{}: PeerJS sweep failed: {}", host.adapter(), e.toString(), e);
        }
    }

    private void expireAndRetry(long now) {
        long expire = settings.expireTimeout().toMillis();
        List<Waiting> expired = new ArrayList<>();
        List<Waiting> retry = new ArrayList<>();
        Set<String> remote = null;
        synchronized (this) {
            if (waiting.isEmpty()) {
                return;
            }
            for (Iterator<Map.Entry<String, Deque<Waiting>>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Deque<Waiting>> entry = it.next();
                Deque<Waiting> queue = entry.getValue();
                if (now - queue.peekFirst().sinceMillis() >= expire) {
                    expired.addAll(queue);
                    it.remove();
                    continue;
                }
                if (remote == null) {
                    remote = remoteIds();
                }
                if (remote.contains(entry.getKey())) {
                    retry.addAll(queue);
                    it.remove();
                }
            }
        }
        Set<String> told = new LinkedHashSet<>();
        for (Waiting w : expired) {
            if (told.add(w.src() + "\n" + w.dst())) {
                PeerSession sender = peers.get(w.src());
                if (sender != null) {
                    sender.report(PeerFrames.expire(w.dst(), w.src()));
                }
            }
        }
        for (Waiting w : retry) {
            PeerSession sender = peers.get(w.src());
            if (sender != null) {
                relay(sender, w, PeerMessage.OFFER); // any queued type: it may wait again
            }
        }
    }

    /** Ids of the channel's remote participants (peers on other bridges). */
    private Set<String> remoteIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (Participant p : hub().participants(channel)) {
            if (!p.adapter().equals(host.adapter())) {
                ids.add(p.id());
            }
        }
        return ids;
    }

    /** A random id no peer here uses (the reference's {@code generateClientId}). Any thread. */
    String freshId() {
        String id;
        do {
            id = UUID.randomUUID().toString();
        } while (peers.containsKey(id));
        return id;
    }

    /** The ids on the channel: peers here, then peers the link reports. */
    List<String> peerIds() {
        Set<String> ids = new LinkedHashSet<>(peers.keySet());
        ids.addAll(remoteIds());
        return List.copyOf(ids);
    }

    /** The peer connected here with this id, or {@code null}. */
    PeerSession peer(String id) {
        return peers.get(id);
    }

    /** Peers connected here now. */
    int connected() {
        return peers.size();
    }

    /** Messages waiting now. */
    synchronized int waitingMessages() {
        return waiting.values().stream().mapToInt(Deque::size).sum();
    }

}
