package org.sigbridge.cluster;

import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.sigbridge.cluster.wire.BusFrame;
import org.sigbridge.cluster.wire.ChannelKeys;
import org.sigbridge.cluster.wire.EnvelopeCodec;
import org.sigbridge.spi.cluster.ClusterContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Other instances' participants on the channels open here: applies {@code J}/{@code L} frames, re-reads a channel's
 * participants from Redis (at open and after Redis comes back), and removes an expired instance's participants. A
 * participant presented by several endpoints (one user, two sockets) joins once and leaves with its last endpoint.
 * Used by the {@link Receiver}'s thread only.
 */
final class Rosters {

    private static final Logger log = LoggerFactory.getLogger(Rosters.class);

    private final RedisLink link;
    private final ClusterContext context;
    private final String instance;
    private final String prefix;

    Rosters(RedisLink link, ClusterContext context) {
        this.link = link;
        this.context = context;
        this.instance = context.nodeId();
        this.prefix = link.settings().keyPrefix();
    }

    /** A {@code J} or {@code L} frame of another instance (this instance's own are skipped); a bad body is counted. */
    void apply(ChannelState st, BusFrame f, java.util.concurrent.atomic.LongAdder malformed) {
        if (f.instance().equals(instance)) {
            return;
        }
        java.util.Optional<EnvelopeCodec.Member> member = EnvelopeCodec.readMember(f.body());
        if (member.isEmpty()) {
            malformed.increment();
            return;
        }
        String field = f.instance() + " " + member.get().endpointId();
        if (f.kind() == 'J') {
            join(st, field, member.get());
        } else {
            leave(st, field);
        }
    }

    void join(ChannelState st, String field, EnvelopeCodec.Member m) {
        boolean known = st.roster.values().stream().anyMatch(x -> x.participant().equals(m.participant()));
        st.roster.put(field, m);
        st.channel.remoteInstances.put(m.participant().id(), ChannelState.instanceOf(field));
        if (!known) {
            context.participantJoined(st.channel.keys().channel(), m.participant());
        }
    }

    void leave(ChannelState st, String field) {
        EnvelopeCodec.Member m = st.roster.remove(field);
        if (m == null) {
            return;
        }
        boolean still = st.roster.values().stream().anyMatch(x -> x.participant().equals(m.participant()));
        if (!still) {
            st.channel.remoteInstances.remove(m.participant().id());
            context.participantLeft(st.channel.keys().channel(), m.participant());
        }
    }

    /**
     * Reads the channel's participants from Redis and applies the difference; fields of dead instances are removed.
     *
     * @param grace whether Redis came back less than a lease ago: a missing lease then keeps its participants (their
     *              instance is about to renew it) instead of removing them
     */
    void reload(ChannelState st, boolean grace) {
        RedisCommands<String, String> redis = link.sync();
        Map<String, String> all = redis.hgetall(st.channel.keys().who());
        Map<String, Boolean> alive = new HashMap<>();
        Map<String, EnvelopeCodec.Member> now = new HashMap<>();
        for (Map.Entry<String, String> e : all.entrySet()) {
            String inst = ChannelState.instanceOf(e.getKey());
            if (inst.equals(instance)) {
                continue;
            }
            boolean live = grace || alive.computeIfAbsent(inst, i -> redis.exists(ChannelKeys.lease(prefix, i)) > 0);
            if (!live) {
                redis.hdel(st.channel.keys().who(), e.getKey());
                continue;
            }
            EnvelopeCodec.readMember(e.getValue()).ifPresent(m -> now.put(e.getKey(), m));
        }
        for (String field : new ArrayList<>(st.roster.keySet())) {
            if (!grace && !now.containsKey(field)) {
                leave(st, field); // in the grace, a Redis that came back empty has not heard every instance again yet
            }
        }
        now.forEach((field, m) -> {
            if (!st.roster.containsKey(field)) {
                join(st, field, m);
            }
        });
    }

    void expired(String inst, Collection<ChannelState> open) {
        int gone = 0;
        for (ChannelState st : open) {
            for (String field : new ArrayList<>(st.roster.keySet())) {
                if (ChannelState.instanceOf(field).equals(inst)) {
                    leave(st, field);
                    link.async().hdel(st.channel.keys().who(), field);
                    gone++;
                }
            }
        }
        log.info("cluster: instance {}'s lease expired (it was killed, or it stopped holding participants back for their "
                + "clients to resume elsewhere, docs/cluster.md §4); its {} participants are removed", inst, gone);
    }
}
