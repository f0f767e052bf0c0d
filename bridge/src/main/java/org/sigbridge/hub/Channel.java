package org.sigbridge.hub;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.sigbridge.spi.ChannelSnapshot;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.sigbridge.metrics.BridgeMetrics;
import org.sigbridge.metrics.Metrics;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.spi.ChannelLink;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.spi.cluster.ClusterChannel;
import org.slf4j.LoggerFactory;

/**
 * One open channel. The subscriber array is copy-on-write: changed only inside the hub's
 * {@code ConcurrentHashMap.compute} for this channel's key (so changes are serialised), read lock-free by
 * fan-out. Remote participants are reported by the channel's back end and, on a cluster, by the cluster layer.
 */
final class Channel {

    private static final Endpoint[] NONE = new Endpoint[0];

    final String name;
    final RouteMatch route;
    /** The back-end link, or {@code null} for a local channel. */
    final ChannelLink link;
    /** The way to the other instances of a cluster (docs/cluster.md), or {@code null} when the channel is not shared. */
    final ClusterChannel peer;
    /** What the channel carried, for clients that resume (docs/design.md §3.8), or {@code null} when none is kept. */
    final History history;
    /**
     * Remote participants, made with the first one: most channels never have one, and an empty concurrent set per
     * channel held about 0.1 KB (docs/benchmarks.md, "Idle memory per socket.io session, session 12").
     */
    private volatile Set<Participant> remote;
    /** The route label for metrics: the matching rule's pattern, or {@code (default)}. */
    final String routeLabel;
    /** Metrics data points by adapter, made with the first envelope in, or out (an idle channel carries none). */
    private volatile ConcurrentHashMap<String, Metrics.Cell> in;
    private volatile ConcurrentHashMap<String, Metrics.Cell> out;
    /** When it opened, and what passed through it since, for admin views. */
    final Instant openedAt;
    final LongAdder envelopesIn = new LongAdder();
    final LongAdder envelopesOut = new LongAdder();
    private volatile Endpoint[] subscribers = NONE;
    /**
     * Subscribers that resumed from a position taken on another instance, each behind its gate (docs/design.md §3.8);
     * {@code null} when there is none, so fan-out pays one read. Copy-on-write, changed holding this object's monitor.
     */
    private volatile Map<Endpoint, ResumeGate> gates;

    Channel(String name, RouteMatch route, ChannelLink link) {
        this(name, route, link, null, Instant.now());
    }

    Channel(String name, RouteMatch route, ChannelLink link, ClusterChannel peer, Instant openedAt) {
        this(name, route, link, peer, openedAt, null);
    }

    Channel(String name, RouteMatch route, ChannelLink link, ClusterChannel peer, Instant openedAt, History history) {
        this.history = history;
        this.openedAt = openedAt;
        this.name = name;
        this.route = route;
        this.link = link;
        this.peer = peer;
        this.routeLabel = route.rule().map(r -> r.pattern().toString()).orElse("(default)");
    }

    /** Counts one envelope in from {@code adapter}; data points are cached per channel. */
    void countIn(BridgeMetrics metrics, String adapter) {
        envelopesIn.increment();
        ConcurrentHashMap<String, Metrics.Cell> cells = in;
        if (cells == null) {
            cells = cells(true);
        }
        cells.computeIfAbsent(adapter, a -> metrics.envelopesIn(a, routeLabel)).inc();
    }

    /** Counts one envelope handed to an endpoint of {@code adapter}. */
    void countOut(BridgeMetrics metrics, String adapter) {
        envelopesOut.increment();
        ConcurrentHashMap<String, Metrics.Cell> cells = out;
        if (cells == null) {
            cells = cells(false);
        }
        cells.computeIfAbsent(adapter, a -> metrics.envelopesOut(a, routeLabel)).inc();
    }

    private synchronized ConcurrentHashMap<String, Metrics.Cell> cells(boolean inbound) {
        if (inbound) {
            if (in == null) {
                in = new ConcurrentHashMap<>(2);
            }
            return in;
        }
        if (out == null) {
            out = new ConcurrentHashMap<>(2);
        }
        return out;
    }

    /** Adds a remote participant; false when it was there. Any thread. */
    boolean addRemote(Participant participant) {
        Set<Participant> r = remote;
        if (r == null) {
            synchronized (this) {
                if (remote == null) {
                    remote = ConcurrentHashMap.newKeySet();
                }
                r = remote;
            }
        }
        return r.add(participant);
    }

    /** Whether {@code participant} is a remote participant now. Lock-free read. */
    boolean hasRemote(Participant participant) {
        Set<Participant> r = remote;
        return r != null && r.contains(participant);
    }

    /** Whether a local subscriber but {@code except} presents {@code participant}. Lock-free read. */
    boolean hasLocal(Participant participant, Endpoint except) {
        for (Endpoint e : subscribers) {
            if (e != except && local(e).equals(participant)) {
                return true;
            }
        }
        return false;
    }

    /** Removes a remote participant; false when it was not there. Any thread. */
    boolean removeRemote(Participant participant) {
        Set<Participant> r = remote;
        return r != null && r.remove(participant);
    }

    Endpoint[] subscribers() {
        return subscribers;
    }

    /** Adds a subscriber; called only inside the hub's compute for this channel. */
    boolean add(Endpoint endpoint) {
        Endpoint[] current = subscribers;
        for (Endpoint e : current) {
            if (e == endpoint) {
                return false;
            }
        }
        Endpoint[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = endpoint;
        subscribers = next;
        return true;
    }

    /** The gates of resumed subscribers, or {@code null} when there is none. Lock-free read. */
    Map<Endpoint, ResumeGate> gates() {
        return gates;
    }

    /** Puts a resumed subscriber behind its gate. */
    synchronized void addGate(ResumeGate gate) {
        Map<Endpoint, ResumeGate> next = gates == null ? new IdentityHashMap<>() : new IdentityHashMap<>(gates);
        next.put(gate.endpoint(), gate);
        gates = next;
    }

    /** Takes a subscriber's gate away (it left, or its resume did not recover); whether it was there. */
    synchronized boolean removeGate(Endpoint endpoint, ResumeGate gate) {
        if (gates == null || gates.get(endpoint) != gate) {
            return false;
        }
        Map<Endpoint, ResumeGate> next = new IdentityHashMap<>(gates);
        next.remove(endpoint);
        gates = next.isEmpty() ? null : next;
        return true;
    }

    /** Removes a subscriber; called only inside the hub's compute for this channel. */
    boolean remove(Endpoint endpoint) {
        Map<Endpoint, ResumeGate> g = gates;
        if (g != null && g.containsKey(endpoint)) {
            removeGate(endpoint, g.get(endpoint));
        }
        Endpoint[] current = subscribers;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == endpoint) {
                Endpoint[] next = new Endpoint[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                subscribers = next;
                return true;
            }
        }
        return false;
    }

    /**
     * Tells local subscribers but {@code except} and, when {@code toLink}, the back-end link and the cluster channel
     * (which want local joins and leaves, never the remote ones they reported themselves).
     */
    void announce(PresenceEvent event, Endpoint except, boolean toLink) {
        announce(event, except, true, toLink);
    }

    /**
     * {@link #announce(PresenceEvent, Endpoint, boolean)}, telling the local subscribers only when {@code toSubscribers}:
     * a participant present both here and on another instance (a client that resumed here while the instance it left
     * still holds it, docs/cluster.md §4) joins once and leaves with its last presence, as the other instances see it.
     */
    void announce(PresenceEvent event, Endpoint except, boolean toSubscribers, boolean toLink) {
        for (Endpoint e : toSubscribers ? subscribers : NONE) {
            if (e != except) {
                safely(e, event);
            }
        }
        if (toLink && link != null) {
            safely(link, event);
        }
        if (toLink && peer != null) {
            safely(peer, event);
        }
    }

    /** Tells only the local subscribers that present the event's participant. */
    void announceToItself(PresenceEvent event) {
        for (Endpoint e : subscribers) {
            if (local(e).equals(event.participant())) {
                safely(e, event);
            }
        }
    }

    private static void safely(Endpoint endpoint, PresenceEvent event) {
        try {
            endpoint.presenceChanged(event);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(Channel.class).error("endpoint {} failed to take a presence event", endpoint.id(), e);
        }
    }

    /** A participant for a local endpoint: what it presents, or its id when it presents nothing. */
    static Participant local(Endpoint endpoint) {
        Participant p = endpoint.participant();
        return p != null ? p : new Participant(endpoint.adapter(), endpoint.id(), endpoint.id());
    }

    /** What the admin API shows of this channel now. */
    ChannelSnapshot snapshot() {
        return new ChannelSnapshot(name, route, participants(), envelopesIn.sum(), envelopesOut.sum(), openedAt);
    }

    /** The roster: local participants (each once), then remote ones. Lock-free read. */
    List<Participant> participants() {
        Set<Participant> who = new java.util.LinkedHashSet<>();
        for (Endpoint e : subscribers) {
            who.add(local(e));
        }
        Set<Participant> r = remote;
        if (r != null) {
            who.addAll(r);
        }
        return new ArrayList<>(who);
    }

    boolean isPresent() {
        Set<Participant> r = remote;
        return subscribers.length > 0 || (r != null && !r.isEmpty());
    }
}
