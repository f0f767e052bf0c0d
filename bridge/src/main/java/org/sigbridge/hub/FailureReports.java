package org.sigbridge.hub;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.cluster.ClusterLayer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells an envelope's sender, by envelope id, that it was not delivered after it was accepted (docs/design.md §2.4):
 * a sender known here gets {@link Endpoint#deliveryFailed}; one whose endpoint id names another instance of the
 * cluster is reported through the cluster layer (docs/cluster.md §2); a sender that has gone is logged. Nothing is
 * dropped silently.
 *
 * <p>Thread-safe and non-blocking: runs on whichever thread learnt of the failure (a back end's, a publishing thread);
 * the endpoint only enqueues, and an endpoint that throws is logged, never propagated.
 */
final class FailureReports {

    /** The hub's logger, so that its lines keep the name they always had. */
    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final ConcurrentHashMap<String, Registration> endpoints;
    private final String nodeId;
    private final Supplier<ClusterLayer> cluster;
    private final HubStats stats;

    FailureReports(ConcurrentHashMap<String, Registration> endpoints, String nodeId, Supplier<ClusterLayer> cluster,
                   HubStats stats) {
        this.endpoints = endpoints;
        this.nodeId = nodeId;
        this.cluster = cluster;
        this.stats = stats;
    }

    /** {@code AdapterContext.reportFailure}. */
    void report(Envelope envelope, ErrorCode code, String detail) {
        Registration reg = endpoints.get(envelope.origin().endpoint());
        ClusterLayer layer = cluster.get();
        if (reg == null && layer != null && !envelope.origin().endpoint().startsWith(nodeId + ":")) {
            layer.reportFailure(envelope, code, detail); // its sender is on another instance (docs/cluster.md §2)
            return;
        }
        if (reg == null) {
            log.info("envelope {} on channel '{}' not delivered upstream ({}: {}); its sender has gone", envelope.id(),
                    envelope.channel(), code.wire(), detail);
            return;
        }
        stats.failuresReported.increment();
        try {
            reg.endpoint.deliveryFailed(new DeliveryFailure(envelope.id(), envelope.channel(), code, detail));
        } catch (RuntimeException e) {
            log.error("endpoint {} failed to take an event", reg.endpoint.id(), e);
        }
    }
}
