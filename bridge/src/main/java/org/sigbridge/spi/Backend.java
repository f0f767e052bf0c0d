package org.sigbridge.spi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.sigbridge.routing.RouteMatch;

/**
 * The routing capability of a back-end adapter (XMPP, SIP): channels whose route names the adapter
 * are linked to it.
 */
public interface Backend {

    /**
     * Links a channel that just opened (its first local participant arrived, or a client published to
     * it). Called by the hub on the thread that opened the channel, while no other link for this
     * channel exists. Must not block and must not call back into the hub: start the upstream work
     * (MUC join, SIP registration check) on the adapter's own executor.
     *
     * <p>The hub may open a channel again soon after closing its link; an adapter may reuse an
     * upstream session still in its grace period.
     *
     * @param match the route that chose this adapter, with the channel and template variables
     */
    ChannelLink open(RouteMatch match);

    /**
     * Whether anyone is present upstream on a channel that is not open here (the channels dialect's
     * {@code checkPresence} for a page on another bridge). Must not block; the stage completes within
     * the adapter's request timeout. Default: nobody.
     */
    default CompletionStage<Boolean> probePresence(RouteMatch match) {
        return CompletableFuture.completedFuture(false);
    }

    /**
     * Whether this back end's upstream itself carries a channel's envelopes to every bridge instance linked to it, as an
     * XMPP room does (every instance joins the room as an occupant). The hub then never shares such a channel through
     * the cluster layer (docs/cluster.md): a second copy would be delivered twice. Default: false (SIP: a MESSAGE
     * reaches only the instance it was sent to).
     */
    default boolean sharedAcrossInstances() {
        return false;
    }

    /**
     * The upstream address a channel of this route uses, spelled as the upstream spells it (an XMPP adapter's
     * XEP-0106-escaped room JID, say), for logs, admin views and the demo page. Any thread; pure, never blocks.
     * Default: the route's target with the variables put in unchanged.
     */
    default String upstreamAddress(RouteMatch match) {
        return match.expandTarget(v -> v);
    }
}
