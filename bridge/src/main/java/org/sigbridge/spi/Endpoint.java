package org.sigbridge.spi;

import org.sigbridge.envelope.Envelope;

/**
 * Anything the hub can hand an envelope to: a browser session, or a back end's {@link ChannelLink}.
 *
 * <p>Every method is called on the publishing thread (a Jetty, Smack or JAIN-SIP thread) and must not
 * block: translate, enqueue into a bounded queue, return.
 */
public interface Endpoint {

    /** Unique within the bridge and stable for the endpoint's life; matches {@code Origin.endpoint()}. */
    String id();

    /** The adapter instance this endpoint belongs to. */
    String adapter();

    /**
     * Takes an envelope for delivery. Never blocks; never throws for expected outcomes.
     *
     * @return {@link DeliveryResult.Delivered} if handed to the transport, {@link DeliveryResult.Queued}
     *         if waiting for the upstream to be ready, {@link DeliveryResult.Rejected} if it will not be
     *         delivered (the hub then tells the sender)
     */
    DeliveryResult deliver(Envelope envelope);

    /** A participant joined or left a channel this endpoint is subscribed to. Default: ignored. */
    default void presenceChanged(PresenceEvent event) {
    }

    /**
     * An envelope this endpoint published was not delivered upstream (refused, expired, 4xx/5xx,
     * timeout). The endpoint tells its client in the dialect's terms. Default: ignored.
     */
    default void deliveryFailed(DeliveryFailure failure) {
    }
}
