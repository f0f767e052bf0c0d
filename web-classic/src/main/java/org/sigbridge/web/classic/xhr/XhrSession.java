package org.sigbridge.web.classic.xhr;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.EnvelopeJson;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Position;

/**
 * One XHR session served by this instance while a cluster shares XHR sessions ({@link SharedXhrMailbox},
 * docs/cluster.md §2): the session's hub endpoint on this instance (a fresh endpoint id per takeover), what the hub
 * delivered to it and the session has not read yet, with each envelope's position, and at most one held long poll.
 * The truth of what the session read is in Redis (the position per channel its last answer committed); this is a
 * cache of what comes next. Guarded by its own monitor; {@link #deliver} runs on the publishing thread and only
 * enqueues.
 */
final class XhrSession implements Endpoint {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(XhrSession.class);

    /** A delivered envelope waiting to be read. */
    record Pending(String channel, String json, String position, long atMillis) {
    }

    final String key;
    final String endpointId;
    final String adapter;
    final long generation;
    /** Every endpoint id the session had on any instance: its own posts, never replayed to it. */
    final Set<String> own;
    private final int capacity;
    private final Consumer<XhrSession> wake;
    private final java.time.Clock clock;
    private final org.sigbridge.spi.AdapterContext context;
    final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Channel → the position committed in Redis ("" when none is known yet). */
    final Map<String, String> recorded = new HashMap<>();
    /** The held long poll, or null. */
    Consumer<SharedXhrMailbox.Answer> held;
    boolean committing;
    /** Another instance took the session over, or it was forgotten here: serve nothing more from this copy. */
    boolean gone;
    long lastSeen;
    /** Whether the sweep asked the store, since the last request, whether this copy still owns the session. */
    boolean checked;

    XhrSession(String key, String endpointId, String adapter, long generation, List<String> own, int capacity,
               org.sigbridge.spi.AdapterContext context, Consumer<XhrSession> wake) {
        this.key = key;
        this.endpointId = endpointId;
        this.adapter = adapter;
        this.generation = generation;
        this.own = Set.copyOf(own);
        this.capacity = capacity;
        this.context = context;
        this.clock = context.clock();
        this.wake = wake;
        this.lastSeen = clock.millis();
    }

    @Override
    public String id() {
        return endpointId;
    }

    @Override
    public String adapter() {
        return adapter;
    }

    @Override
    public DeliveryResult deliver(Envelope envelope) {
        return deliver(envelope, null);
    }

    /**
     * Queues the envelope with its position, unless the session posted it itself (from any of its endpoints). Full
     * ({@code xhr.log-entries} unread): refused, and the sender told by id here ({@link Endpoint#deliver}: the hub
     * reports no subscriber's refusal; docs/cluster.md §2, "Bounds"). Publishing thread; wakes a held poll through the
     * mailbox.
     */
    @Override
    public DeliveryResult deliver(Envelope envelope, Position position) {
        if (own.contains(envelope.origin().endpoint())) {
            return new DeliveryResult.Delivered(); // the session's own post from another instance: never echoed
        }
        boolean full = true;
        synchronized (this) {
            if (gone) {
                return new DeliveryResult.Delivered(); // this copy is being detached; the session's owner delivers it
            }
            if (queue.size() < capacity) {
                queue.addLast(new Pending(envelope.channel(), EnvelopeJson.write(envelope),
                        position == null ? "" : position.wire(), clock.millis()));
                full = false;
            }
        }
        if (full) {
            String why = "the XHR session " + endpointId + " has xhr.log-entries (" + capacity + ") unread messages";
            context.reportFailure(envelope, ErrorCode.UPSTREAM_UNAVAILABLE, "not delivered to " + endpointId + ": " + why);
            return new DeliveryResult.Rejected(ErrorCode.UPSTREAM_UNAVAILABLE, why);
        }
        wake.accept(this);
        return new DeliveryResult.Delivered();
    }

    /**
     * A post of this session failed after its {@code true} was sent (the cluster's queue expired, a back end refused
     * it): an XHR page has no way to hear of it later, so it is logged with the envelope id. Publishing or layer thread.
     */
    @Override
    public void deliveryFailed(DeliveryFailure failure) {
        log.info("xhr: envelope {} that session {} posted on '{}' was not delivered ({}: {}); the XHR page was already answered",
                failure.envelopeId(), endpointId, failure.channel(), failure.code().wire(), failure.detail());
    }
}
