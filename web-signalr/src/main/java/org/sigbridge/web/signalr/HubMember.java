package org.sigbridge.web.signalr;

import org.sigbridge.spi.Endpoint;

/**
 * A connection of one broadcast hub, as {@link HubRoster} sees it: an ASP.NET Core connection ({@link HubConnection})
 * or a classic SignalR 2 one. Its methods may be called from any thread.
 */
interface HubMember extends Endpoint {

    /** The hub it belongs to, by name. */
    String hubName();

    /** Its public connection id, the sender of the envelopes it publishes. */
    String connectionId();

    /**
     * A SignalR client never resumes from a position (no stateful reconnect here, docs/signalr.md): its channels'
     * history need not keep envelopes for it (docs/design.md §3.8).
     */
    @Override
    default boolean resumes() {
        return false;
    }
}
