package org.sigbridge.cluster;

import io.lettuce.core.RedisException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.sigbridge.cluster.wire.BusFrame;
import org.sigbridge.cluster.wire.ChannelKeys;
import org.sigbridge.cluster.wire.EnvelopeCodec;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.spi.AdapterStartException;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.cluster.ClusterChannel;
import org.sigbridge.spi.cluster.ClusterContext;
import org.sigbridge.spi.cluster.ClusterLayer;
import org.sigbridge.spi.cluster.ClusterSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster layer on Redis (docs/cluster.md): owns the {@link RedisLink}, the {@link Appender} and the
 * {@link Receiver}, and makes one {@link SharedChannel} per shared channel the hub opens. Started and closed by the
 * bridge on its lifecycle thread; {@link #open} and {@link #probePresence} run on hub threads and never block.
 */
public final class RedisCluster implements ClusterLayer {

    private static final Logger log = LoggerFactory.getLogger(RedisCluster.class);

    private final RedisClusterSettings settings;
    private final String bridgeName;
    private final AtomicLong serial = new AtomicLong();
    private RedisLink link;
    private Appender appender;
    private Receiver receiver;
    private LogReader reader;
    private volatile Handover handover;
    private volatile Records records;
    private volatile RedisSessions sessions;
    private String instance;
    private volatile boolean closed;
    private List<org.sigbridge.metrics.Metrics.Registration> registrations = List.of();

    RedisCluster(RedisClusterSettings settings, String bridgeName) {
        this.settings = settings;
        this.bridgeName = bridgeName;
    }

    /** The settings this layer was made with. */
    public ClusterSettings settings() {
        return settings;
    }

    @Override
    public synchronized void start(ClusterContext context) throws AdapterStartException {
        instance = context.nodeId();
        link = new RedisLink(settings, instance, new RedisLink.Events() {
            @Override
            public void commandsBack() {
                receiver.commandsBack();
                RedisSessions s = sessions;
                if (s != null) {
                    s.commandsBack(); // the shared tag key, maybe lost with an empty Redis (docs/cluster.md §4)
                }
            }

            @Override
            public void subscriptionsBack() {
                receiver.resync();
            }

            @Override
            public void leg(LegState state) {
                context.legState(state);
            }
        });
        appender = new Appender(link, context);
        handover = new Handover(appender, instance, settings.presenceGrace());
        receiver = new Receiver(link, context, appender.guard, handover, appender.ledger);
        reader = new LogReader(link, appender, receiver);
        try {
            link.connect();
            receiver.start();
        } catch (RedisException e) {
            link.close();
            link = null; // nothing to close any more: close() must not touch the threads that never ran
            throw new AdapterStartException("cluster: cannot reach Redis at " + settings.address() + " (" + ConnectAttempts.reason(e)
                    + "); start it, fix cluster.redis, raise cluster.connect-timeout if it is only slow, or remove the cluster "
                    + "section to run this bridge on its own", e);
        }
        appender.start();
        records = new Records(link, settings.keyPrefix());
        sessions = new RedisSessions(link, instance);
        registrations = Counters.register(context.metrics(), appender, receiver);
    }

    @Override
    public ClusterChannel open(RouteMatch route) {
        ChannelKeys keys = ChannelKeys.of(settings.keyPrefix(), route.channel());
        SharedChannel channel = new SharedChannel(instance + ":cluster-" + serial.incrementAndGet(), keys, instance, appender, receiver, reader,
                handover);
        receiver.opened(channel);
        return channel;
    }

    @Override
    public CompletionStage<Boolean> probePresence(String channel) {
        if (closed || link == null || !link.isUp()) {
            return CompletableFuture.completedFuture(false);
        }
        String who = ChannelKeys.of(settings.keyPrefix(), channel).who();
        String mine = instance + " ";
        return link.async().hkeys(who)
                .thenApply(fields -> fields.stream().anyMatch(f -> !f.startsWith(mine)))
                .exceptionally(e -> false);
    }

    /** Whether another instance's lease key exists now (docs/cluster.md §2, "SIP announcements on a cluster"). */
    @Override
    public CompletionStage<Boolean> isInstance(String nodeId) {
        if (instance.equals(nodeId)) {
            return CompletableFuture.completedFuture(true);
        }
        if (closed || link == null || !link.isUp() || !nodeId.matches("[a-z0-9]{1,64}")) {
            return CompletableFuture.completedFuture(false);
        }
        try {
            return link.async().exists(ChannelKeys.lease(settings.keyPrefix(), nodeId)).thenApply(n -> n != null && n > 0)
                    .exceptionally(e -> false);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(false);
        }
    }

    /**
     * Publishes an {@code F} notice on the control subject of the instance whose node id prefixes the envelope's
     * origin endpoint; that instance's hub tells the sender. Any thread; does not wait for Redis. While Redis is
     * unreachable the notice is logged and dropped (the envelope's failure is logged here either way).
     */
    @Override
    public void reportFailure(Envelope envelope, ErrorCode code, String detail) {
        String endpoint = envelope.origin().endpoint();
        int colon = endpoint.indexOf(':');
        String origin = colon < 0 ? "" : endpoint.substring(0, colon);
        if (!origin.matches("[a-z0-9]{10}")) {
            // Not a node-qualified endpoint: it came from an upstream (a SIP UA, a room), answered long ago.
            log.info("cluster: envelope {} on channel '{}' from {} not delivered here ({}: {})", envelope.id(),
                    envelope.channel(), endpoint, code.wire(), detail);
            return;
        }
        log.warn("cluster: envelope {} on channel '{}' from instance {} failed here: {} ({}); telling its sender's instance",
                envelope.id(), envelope.channel(), origin, code.wire(), detail);
        if (closed || link == null || !link.isUp()) {
            return;
        }
        String notice = BusFrame.plain('F', instance, EnvelopeCodec.writeFailure(envelope, code, detail));
        link.async().publish(ChannelKeys.control(settings.keyPrefix(), origin), notice);
    }

    /** {@code <prefix>:rec:*} strings on the command connection ({@link Records}); empty before start and after close. */
    @Override
    public java.util.Optional<org.sigbridge.spi.cluster.SharedRecords> records() {
        Records r = records;
        return closed || r == null ? java.util.Optional.empty() : java.util.Optional.of(r);
    }

    @Override
    public java.util.Optional<org.sigbridge.spi.cluster.SessionStore> sessions() {
        return java.util.Optional.ofNullable(sessions);
    }

    @Override
    public List<String> describe() {
        return List.of("cluster: Redis " + settings.address() + " (key prefix " + settings.keyPrefix() + ", instance "
                + instance + ", lease " + settings.lease().toMillis() + " ms)");
    }

    /** The front ends are about to close their connections for good: the presence grace starts ({@link Handover}). */
    @Override
    public void handOver() {
        Handover h = handover;
        if (h != null && !closed) {
            h.start();
        }
    }

    /**
     * What waits for Redis is appended within {@code grace} or given up, its senders told by envelope id, before the
     * front ends close their connections ({@link Appender#drain}); new envelopes are refused from then on.
     */
    @Override
    public boolean drain(java.time.Duration grace) {
        Appender a;
        synchronized (this) {
            if (closed || link == null || appender == null) {
                return false;
            }
            a = appender;
        }
        return a.drain(grace) > 0;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (link == null) {
            return;
        }
        registrations.forEach(org.sigbridge.metrics.Metrics.Registration::close);
        try {
            if (appender != null) {
                appender.close();
            }
            if (receiver != null) {
                receiver.close();
            }
            if (reader != null) {
                reader.close();
            }
        } finally {
            link.close();
            log.info("cluster: left {} (instance {})", settings.address(), instance);
        }
    }

    @Override
    public String toString() {
        return "RedisCluster[" + settings.address() + ", " + bridgeName + "]";
    }
}
