package org.sigbridge.spi;

/**
 * A back end's endpoint for one open channel: the hub delivers the channel's envelopes to it, and it
 * publishes what arrives upstream with {@link AdapterContext#publishInbound}.
 */
public interface ChannelLink extends Endpoint {

    /**
     * The channel has no local participant left. Non-blocking and idempotent: the link may flush what it
     * holds and leave upstream after a grace period. The hub delivers nothing to it afterwards.
     */
    void close();
}
