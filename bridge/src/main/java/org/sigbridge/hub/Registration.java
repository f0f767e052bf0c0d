package org.sigbridge.hub;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.sigbridge.spi.Endpoint;

/** An endpoint the hub knows (it subscribed or published), with the channels it subscribes to. */
final class Registration {

    final Endpoint endpoint;
    final Set<String> channels = ConcurrentHashMap.newKeySet();

    Registration(Endpoint endpoint) {
        this.endpoint = endpoint;
    }
}
