package org.sigbridge.cluster;

import java.util.function.Predicate;
import org.sigbridge.cluster.wire.EnvelopeCodec;
import org.sigbridge.spi.Participant;

/**
 * Upstream members in the cluster's rosters (docs/cluster.md §2): SIP UAs that wrote to a channel become members on
 * the instance whose SIP adapter received their MESSAGE, and only that instance can send to them (its SIP stack knows
 * the UA's contact, its connection and its NAT binding). That instance shares them like a participant, under the
 * roster field {@code <instance> ~<participant id>}, so the others list them, answer presence and address envelopes to
 * them through it.
 *
 * <p>Who sends each envelope to each such member, exactly once: the instance where the envelope entered, when it holds
 * the member itself; otherwise the holder whose instance id sorts first. An addressed envelope is sent by the instance
 * its sender's instance named as the recipient's ({@code target}) and by no other. Pure functions over the
 * {@link Receiver}'s roster, used on its thread.
 */
final class UpstreamMembers {

    private static final String MARK = "~";

    private UpstreamMembers() {
    }

    /** The pseudo endpoint id an upstream member is announced under. */
    static String endpointId(Participant p) {
        return MARK + p.id();
    }

    /** Whether a roster endpoint id names an upstream member rather than a local endpoint. */
    static boolean isUpstream(String endpointId) {
        return endpointId.startsWith(MARK);
    }

    /**
     * The member ids this instance must not send an envelope from the cluster to, because another instance does.
     *
     * @param origin the instance where the envelope entered
     * @param self   this instance
     * @param target for an addressed envelope, the instance its sender's instance chose; else {@code null}
     */
    static Predicate<String> sentElsewhere(ChannelState st, String origin, String self, String target) {
        if (target != null) {
            return id -> !target.equals(self);
        }
        return id -> {
            for (var e : st.roster.entrySet()) {
                EnvelopeCodec.Member m = e.getValue();
                if (!isUpstream(m.endpointId()) || !m.participant().id().equals(id)) {
                    continue;
                }
                String holder = ChannelState.instanceOf(e.getKey());
                if (holder.equals(origin) || holder.compareTo(self) < 0) {
                    return true;
                }
            }
            return false;
        };
    }
}
