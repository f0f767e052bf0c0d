package org.sigbridge.cluster;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.cluster.ClusterContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the {@link Appender} gives up (it waited too long for Redis, or the instance stopped, docs/cluster.md §6): an
 * envelope's sender is told {@code upstream_unavailable} by envelope id through the hub, a barrier is completed with
 * {@code false}, a membership change is logged (the next reconnect announces every local participant again), and a
 * replayed envelope stays in its tail for the next replay (Redis answered it once: its sender is not told). The append
 * thread's alone.
 */
final class Unshared {

    private static final Logger log = LoggerFactory.getLogger(Unshared.class);

    private final ClusterContext context;
    private final LongAdder count;

    /** @param count counts what is given up, barriers and replays aside ({@code event="not_shared"}) */
    Unshared(ClusterContext context, LongAdder count) {
        this.context = context;
        this.count = count;
    }

    /** Gives up {@code items}, each for {@code why}, and empties the list. */
    void giveUp(List<Outbound> items, String why) {
        int replays = 0;
        for (Outbound item : items) {
            if (item instanceof Outbound.Replay r) {
                replays++; // answered once: its sender is not told; the tail stays and is replayed again later
                r.tail().abandonReplay();
                continue;
            }
            if (!(item instanceof Outbound.Barrier)) {
                count.increment();
            }
            if (item instanceof Outbound.Append a) {
                log.warn("cluster: envelope {} on channel '{}' did not reach the other instances: {}", a.envelope().id(),
                        a.envelope().channel(), why);
                context.reportFailure(a.envelope(), ErrorCode.UPSTREAM_UNAVAILABLE,
                        "not shared with the other bridge instances: " + why);
            } else if (item instanceof Outbound.Barrier b) {
                b.reached().complete(false);
            } else if (item instanceof Outbound.Member m) {
                log.warn("cluster: a {} on channel '{}' was not shared: {}; it is re-announced when Redis is back",
                        m.kind() == 'J' ? "join" : "leave", m.keys().channel(), why);
            }
        }
        if (replays > 0) {
            log.warn("cluster: {} envelopes were not appended again into their channel's new log yet ({}); they are, at the "
                    + "channel's next append or check", replays, why);
        }
        items.clear();
    }
}
