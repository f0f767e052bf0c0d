package org.sigbridge.spi;

import java.util.function.Predicate;
import org.sigbridge.envelope.Envelope;

/**
 * A back end's endpoint for one open channel: the hub delivers the channel's envelopes to it, and it
 * publishes what arrives upstream with {@link AdapterContext#publishInbound}.
 */
public interface ChannelLink extends Endpoint {

    /**
     * An envelope another instance of a cluster accepted on this shared channel (docs/cluster.md §2): deliver it to
     * the upstream members that only this instance reaches, and to nobody else. For SIP these are the dynamic members
     * whose MESSAGE this instance received; the route's fixed targets got it from the instance where it entered. An
     * addressed envelope goes to its recipient when it is such a member. Called by the hub on the cluster layer's
     * receiving thread; must not block. Default: this link has no such members.
     *
     * @param sentElsewhere member ids (SIP: URIs) another instance sends this envelope to (the instance where it
     *                      entered holds them too, or one that comes first): skipped, so each member gets it once
     * @return {@link DeliveryResult.Delivered} or {@link DeliveryResult.Queued} when it went to at least one member,
     *         {@link DeliveryResult.Rejected} {@code no_such_recipient} when no member here takes it
     */
    default DeliveryResult deliverToMembersHere(Envelope envelope, Predicate<String> sentElsewhere) {
        return new DeliveryResult.Rejected(ErrorCode.NO_SUCH_RECIPIENT, "no upstream member of this link is held here");
    }

    /**
     * The channel has no local participant left. Non-blocking and idempotent: the link may flush what it
     * holds and leave upstream after a grace period. The hub delivers nothing to it afterwards.
     */
    void close();
}
