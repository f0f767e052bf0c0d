package org.sigbridge.envelope;

import java.util.Objects;

/**
 * Where an envelope entered the bridge: the adapter instance (its name in config) and the endpoint
 * within it (a browser session, a MUC room link, a SIP channel link). The hub uses the endpoint to
 * exclude the sender from fan-out (no self-echo, no loops) and to report a later failure back to it.
 *
 * @param adapter  the adapter instance name, e.g. {@code web}
 * @param endpoint the endpoint id, unique within the bridge
 */
public record Origin(String adapter, String endpoint) {

    public Origin {
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(endpoint, "endpoint");
    }
}
