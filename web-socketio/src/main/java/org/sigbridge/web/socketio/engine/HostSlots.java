package org.sigbridge.web.socketio.engine;

import org.sigbridge.web.spi.WebConnection;
import org.sigbridge.web.spi.WebHost;

/**
 * What a polling session holds in the web host while polling carries it: its place in the host's registry (so that
 * drain, shutdown and the connection gauge see it) and the per-address slot its handshake took. Both are given back
 * once, when the session closes or moves to a WebSocket (which the host then counts itself). Thread-safe.
 */
final class HostSlots {

    private final WebHost host;
    private final WebConnection session;
    private final String address;
    // guarded by this
    private boolean registered;
    private boolean holdsAddress;

    /** @param holdsAddress whether the handshake took a per-address slot (polling) */
    HostSlots(WebHost host, WebConnection session, String address, boolean holdsAddress) {
        this.host = host;
        this.session = session;
        this.address = address;
        this.holdsAddress = holdsAddress;
    }

    String address() {
        return address;
    }

    /** Adds the session to the host's registry; false when the host refused (stopping). */
    synchronized boolean register() {
        registered = host.registry().add(session);
        return registered;
    }

    /** Leaves the registry and gives the address slot back; idempotent. */
    void release() {
        boolean unregister;
        boolean release;
        synchronized (this) {
            unregister = registered;
            release = holdsAddress;
            registered = false;
            holdsAddress = false;
        }
        if (unregister) {
            host.registry().remove(session);
        }
        if (release) {
            host.registry().addresses().release(address);
        }
    }
}
